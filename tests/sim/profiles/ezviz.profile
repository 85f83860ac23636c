# EZVIZ, Hikvision's consumer sub-brand.
#
# Real: EZVIZ uses Hikvision's firmware format, e.g. "5.2.5 build 210511" on
#  a C3X (https://github.com/homebridge-plugins/homebridge-camera-ffmpeg/issues/1138)
#  and "V5.3.8 build 260706" (https://github.com/RenierM26/pyEzvizApi/issues/274);
#  EZVIZ has its own OUIs, 58:8F:CF among them (IEEE). Many EZVIZ models
#  have no ONVIF at all (pyEzvizApi#274): this one is one that does.
# Invented: the Manufacturer spelling "EZVIZ", model string CS-C3X-A0-3H2WFRL,
#  serial, HardwareId, scopes, hostname, credentials.
manufacturer = EZVIZ
model = CS-C3X-A0-3H2WFRL
firmware = V5.2.5 build 210511
serial = E12345678
hardware_id = 88
hostname = ezviz-garden
mac = 58:8f:cf:41:22:7b wlan0
scope = onvif://www.onvif.org/type/video_encoder
scope = onvif://www.onvif.org/Profile/Streaming
scope = onvif://www.onvif.org/name/EZVIZ%20CS-C3X
scope = onvif://www.onvif.org/hardware/CS-C3X-A0-3H2WFRL
timezone = CST-8:00:00
local_offset = 28800
auth = wsse
deny_style = hikvision
user = admin
password = ezviz-pass
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
# This camera: EZVIZ runs Hikvision's firmware (above), so the Hikvision
#  surfaces are inferred for it, none captured from an EZVIZ; its SADP
#  answer is inferred from the EZVIZ verbs in the SADP SDK ([sdk]).  Many
#  EZVIZ models have no web server of this kind: no HTTPS here.
#  Invented: realms, DeviceType.
https = no
http_realm = IP Camera(F0147)
rtsp_realm = IP Camera(F0147)
sadp_field = DeviceType 310102
sadp_field = DSPVersion V7.3 build 210511
