# AVYCON ECI-T24F2, a Hikvision OEM found by SADP.
#
# Real ([avycon], a bench log; notes unauth-fingerprints.md, section 7):
#  - found by SADP; DeviceDescription ECI-T24F2; DeviceSN in Hikvision's
#    shape ECI-T24F220230615AAWRAC4440853; SoftwareVersion V5.7.1build
#    220609 (ONVIF's form below has the space); DetailOEMCode 1; MAC
#    08:54:11 = a Hikvision OUI (IEEE); RTSP path /Streaming/Channels/101.
#  - ONVIF is off by default from V5.5.0 on these firmwares: run this
#    profile with onvif=off to see it as shipped.
# Invented: the Manufacturer spelling, HardwareId (Hikvision's 88),
#  scopes, hostname, the MAC's tail, credentials, and everything the
#  Hikvision surfaces below do not take from the notes.
manufacturer = AVYCON
model = ECI-T24F2
firmware = V5.7.1 build 220609
serial = ECI-T24F220230615AAWRAC4440853
hardware_id = 88
hostname = avycon-dock-3
mac = 08:54:11:5d:7e:70 eth0
scope = onvif://www.onvif.org/type/video_encoder
scope = onvif://www.onvif.org/Profile/Streaming
scope = onvif://www.onvif.org/name/AVYCON
scope = onvif://www.onvif.org/hardware/ECI-T24F2
timezone = EST5EDT,M3.2.0,M11.1.0
local_offset = -18000
auth = digest
realm = IP Camera(A4440)
deny_style = hikvision
clock_window = 0
envelope_prefix = env
user = admin
password = avycon-pass
wsd_style = hikvision
#
# ---- Without credentials (notes: unauth-fingerprints.md; sources in [..]) --
# HTTP, sections 3 and 6 of the notes.  Real [2+]: Server "App-webs/" on IP
#  cameras ([nmap], [recog]); the 401 of /ISAPI/* with the header order
#  Date, Server, Content-Length, Content-Type, Connection, Keep-Alive,
#  WWW-Authenticate and the challenge Digest qop="auth", realm="IP
#  Camera(...)", nonce = the hex of a base64 text, stale="FALSE"; the
#  "Access Error: 401 -- Unauthorized" page; the 404 strings "Document
#  Error: Not Found" / "The requested resource is not available." ([gb]);
#  BOM + lower-case "<!doctype html>" ([nmap] "webs" matches); the login
#  path /doc/page/login.asp ([gb]).  Invented: the Keep-Alive values, the
#  page around the login path, the realm's code.
#  ONVIF switched off: what Hikvision answers was not found [unverified];
#  onvif=off answers the 404 page, onvif=401 / onvif=reset the others.
http_head = Date: @date
http_head = Server: App-webs/
http_head = Content-Length: @length
http_head = Content-Type: @type
http_head = Connection: @connection
http_head = Keep-Alive: timeout=60, max=99
http_head = WWW-Authenticate: @challenge
http_head = WWW-Authenticate: @challenge2
http_challenge = Digest qop="auth", realm="@realm", nonce="@nonce-b64hex", stale="FALSE"
http_protected = /ISAPI/
http_page_bom = yes
http_page_doctype = <!doctype html>
http_page_body = <script>window.location.href = "/doc/page/login.asp?_" + (new Date()).getTime();</script>
http_401_page = <!DOCTYPE html><html><head><title>Unauthorized</title></head><body><h2>Access Error: 401 -- Unauthorized</h2><p>Authentication Error: Access Denied! Authorization required.</p></body></html>
http_404_page = <!DOCTYPE html><html><head><title>Document Error: Not Found</title></head><body><h2>Access Error: 404 -- Not Found</h2><p>The requested resource is not available.</p></body></html>
onvif_off = 404
# RTSP, section 4.  Real [2+]: OPTIONS 200 without Server, this Public
#  list, Date with two spaces and weekday-month-day-year; DESCRIBE 401
#  Digest realm="IP Camera(...)", nonce of 32 hex, stale="FALSE".
#  Invented: the header order after CSeq.
rtsp = yes
rtsp_options = 200
rtsp_describe = 401
rtsp_public = OPTIONS, DESCRIBE, PLAY, PAUSE, SETUP, TEARDOWN, SET_PARAMETER, GET_PARAMETER
rtsp_date = " %a, %b %d %Y %H:%M:%S GMT"
rtsp_challenge = Digest realm="@realm", nonce="@nonce", stale="FALSE"
rtsp_head = CSeq: @cseq
rtsp_head = Public: @public
rtsp_head = WWW-Authenticate: @challenge
rtsp_head = WWW-Authenticate: @challenge2
rtsp_head = Date: @date
# SADP, section 1: the layout and the values' shapes are real [2+]
#  (sadp.c says which elements are invented); DeviceSN is the serial,
#  SoftwareVersion the firmware without the space before "build".
sadp = yes
# TLS, section 5.  Real [recog] [1]: the default certificate of Hikvision
#  DVRs/NVRs, self-signed; that IP cameras serve the same is a guess.
#  Invented: the 10-year validity.
https = yes
tls_subject = CN=www.hikvision.com,OU=DVRNVR,O=HIKVISION,L=HangZhou,ST=ZheJiang,C=CN
tls_days = 3650
# This camera: the Hikvision surfaces above are inferred for the OEM from
#  the firmware it shares (its SADP answer is real, [avycon]).  Invented:
#  DeviceType, DSPVersion, the realm's code.
rtsp_realm = IP Camera(A4440)
sadp_field = DeviceType 150211
sadp_field = DSPVersion V7.3 build 220609
sadp_field = DetailOEMCode 1
