# Hikvision IP camera, firmware >= V5.7.13: ONVIF needs HTTP Digest.
#
# Real (sources in ../../shared notes, onvif-vendor-facts.md, "Hikvision"):
#  - Manufacturer spelled HIKVISION; firmware shape "V<maj>.<min>.<patch> build
#    <yymmdd>"; HardwareId 88; serial = model + YYYYMMDD + letters + digits
#    (https://github.com/evercam/evercam-server/issues/10).
#  - V5.7.13 build 230706 wants HTTP Digest; WS-Security-only clients fail
#    (https://github.com/home-assistant/core/issues/99166).
#  - Without Digest an HTML 401 page "Document Error: Unauthorized"
#    (evercam-server#10); the simulator always answers it that way.
#  - Envelope prefix env:, vendor namespaces tnshik/hikwsd/hikxsd, MAC OUI
#    28:57:BE (capture agsh/onvif test/serverMockup, IEEE registry).
#  - Name scope "HIKVISION <model>", hardware scope = model (Nx hooks).
# Invented: the model/serial/MAC values (shapes are real), the realm,
#  hostname, location scope, credentials.
manufacturer = HIKVISION
model = DS-2CD2143G2-I
firmware = V5.7.13 build 230706
serial = DS-2CD2143G2-I20230915AAWRJ71234567
hardware_id = 88
hostname = hik-lobby-01
mac = 28:57:be:3a:51:0c eth0
scope = onvif://www.onvif.org/type/video_encoder
scope = onvif://www.onvif.org/Profile/Streaming
scope = onvif://www.onvif.org/Profile/T
scope = onvif://www.onvif.org/name/HIKVISION%20DS-2CD2143G2-I
scope = onvif://www.onvif.org/hardware/DS-2CD2143G2-I
scope = onvif://www.onvif.org/location/city/hangzhou
timezone = CST-8:00:00
local_offset = 28800
date_time_type = NTP
auth = digest
realm = IP Camera(K1234)
deny_style = hikvision
time_needs_auth = no
clock_window = 0
soap_versions = 1.1 1.2
envelope_prefix = env
xmlns = tnshik http://www.hikvision.com/2011/event/topics
xmlns = hikwsd http://www.onvifext.com/onvif/ext/ver10/wsdl
xmlns = hikxsd http://www.onvifext.com/onvif/ext/ver10/schema
user = admin
password = hik-digest-pass
default_port = 80
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
# This camera: the web server's realm is the ONVIF Digest realm above (one
#  web server, notes section 6).  Invented: DeviceType, DSPVersion, the
#  RTSP realm's code; newer firmware offers Digest only.
rtsp_realm = IP Camera(K1234)
sadp_field = DeviceType 148805
sadp_field = DSPVersion V7.3 build 230706
sadp_field = DetailOEMCode 1
