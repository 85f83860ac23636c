# A white-label Hikvision camera sold under another brand.
#
# The brand "Northgate Vision" is invented.  What gives the real maker
# away is real Hikvision shape: model pattern DS-2CD..., firmware
# "V5.x.y build yymmdd", HardwareId 88 (evercam-server#10) and MAC OUIs
# C0:56:E3 and 28:57:BE registered to Hikvision (IEEE registry).  OEMs
# reporting their own brand is documented (CP PLUS, Evercam/Milesight:
# https://github.com/evercam/ex_nvr/pull/964).
# Invented: the brand, serial, hostname, MAC suffixes, credentials.
# Two interfaces (wired and a second NIC).
manufacturer = Northgate Vision
model = DS-2CD2T47G2-L
firmware = V5.7.3 build 220112
serial = NGV2T47G2L20220301AA123456
hardware_id = 88
hostname = ngv-gate-east
mac = c0:56:e3:9d:10:44 eth0
mac = 28:57:be:9d:10:45 eth1
scope = onvif://www.onvif.org/type/video_encoder
scope = onvif://www.onvif.org/Profile/Streaming
scope = onvif://www.onvif.org/name/Northgate%20Vision
scope = onvif://www.onvif.org/hardware/DS-2CD2T47G2-L
timezone = GMT0BST,M3.5.0/1,M10.5.0
local_offset = 0
auth = wsse
deny_style = hikvision
user = admin
password = oem-hik-pass
# WS-Discovery.  Real: a Hikvision NVR's ProbeMatch shape (utf-8 declaration
#  and CRLF, soap/wsa/wsd prefixes; edgexfoundry/device-onvif-camera#412).
#  Invented: that this camera answers the same way.
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
# This camera: a Hikvision OEM answers SADP like its parent (notes,
#  section 7); its SADP DeviceSN has Hikvision's shape (model + date +
#  two letters + WR + digits), unlike the brand's serial it reports over
#  ONVIF.  DetailOEMCode 10101 is the SDK's example of an OEM code
#  ([sdk]).  Invented: the DeviceSN, DeviceType, realms.
http_realm = IP Camera(E3021)
rtsp_realm = IP Camera(E3021)
sadp_field = DeviceType 151004
sadp_field = DeviceSN DS-2CD2T47G2-L20220301AAWRF12345678
sadp_field = DSPVersion V7.3 build 220112
sadp_field = DetailOEMCode 10101
