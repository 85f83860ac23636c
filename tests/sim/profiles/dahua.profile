# Dahua IP camera: failed-login lockout and a strict clock check.
#
# Real (onvif-vendor-facts.md, "Dahua"):
#  - Manufacturer "Dahua", HardwareId 1.00, model IPC-HDW1025C, serial of 15
#    alphanumerics (pasted GetDeviceInformation, unattributed); firmware shape
#    "2.800.0000016.0.R, Build Date 2021-07-20" (DESIGN.md; Dahua HTTP API:
#    https://github.com/rroller/dahua/issues/90).
#  - Wrong password: Sender / ter:NotAuthorized / "Sender not Authorized.
#    Invalid username or password! You still have N attempt(s)." counting
#    down (https://github.com/home-assistant/core/issues/175333,
#    https://github.com/Quedale/OnvifDeviceManager/issues/19).
#  - Token off the camera clock: ter:NotAuthorized "Wsse authorized time check
#    failed." (https://github.com/cdavis-code/easy_onvif_workspace/issues/58,
#    https://github.com/koush/scrypted/issues/1142).
#  - Scope layout incl. extension/unique_identifier, location/country/china
#    (unattributed Hello and discovery dumps); prefix s: (unattributed paste).
#  - Content-Length larger than the body on Dahua firmwares
#    (https://github.com/home-assistant/core/issues/148093): run this profile
#    with fault=short-body to get it.
#  - 3C:EF:8C is a Dahua OUI (IEEE).
# Invented: lockout after 5 (real cameras count from 30 or so), the 300 s
#  lock time and its message, the 5 s window, serial, MAC suffix, hostname,
#  credentials.
manufacturer = Dahua
model = IPC-HDW1025C
firmware = 2.800.0000016.0.R, Build Date 2021-07-20
serial = 4K02C31PAZ5A8F1
hardware_id = 1.00
hostname = IPC
mac = 3c:ef:8c:51:a0:17 eth0
scope = onvif://www.onvif.org/location/country/china
scope = onvif://www.onvif.org/name/Dahua
scope = onvif://www.onvif.org/hardware/IPC-HDW1025C
scope = onvif://www.onvif.org/Profile/Streaming
scope = onvif://www.onvif.org/type/Network_Video_Transmitter
scope = onvif://www.onvif.org/extension/unique_identifier
scope = onvif://www.onvif.org/Profile/T
timezone = CST-8:00:00
local_offset = 28800
auth = wsse
deny_style = dahua
lockout = 5
lockout_seconds = 300
clock_window = 5
envelope_prefix = s
xmlns = sc http://www.w3.org/2003/05/soap-encoding
user = admin
password = dahua-pass
# WS-Discovery.  Real: s/a/d prefixes in discovery dumps (unattributed,
#  onvif-vendor-facts.md).  Invented: that this camera uses them.
wsd_style = dahua
#
# ---- Without credentials (notes: unauth-fingerprints.md; sources in [..]) --
# HTTP, section 3.  Real [2+] ([nmap], Plum-Island#204, [gb]): no Server
#  header; upper-case CONNECTION, CONTENT-LENGTH, CACHE-CONTROL: max-age=0,
#  CONTENT-TYPE, with Etag "<n>:<hex>" and P3P: CP=CAO PSA OUR; the page
#  BOM + XHTML Strict doctype, title "WEB SERVICE", markers
#  ui-dialog-content, t_username, slct_userType, @WebVersion@; CGI Digest
#  realm "Login to <serial>" with qop and opaque; RPC2_Login's first step
#  with an empty password returns the login challenge with MAC and realm.
#  Invented: the header order, the Etag value, the page around the
#  markers, the 401/404 pages, what onvif=off answers.
http_head = CONNECTION: @connection
http_head = CONTENT-LENGTH: @length
http_head = CACHE-CONTROL: max-age=0
http_head = CONTENT-TYPE: @type
http_head = Etag: "@etag"
http_head = P3P: CP=CAO PSA OUR
http_head = WWW-Authenticate: @challenge
http_realm = Login to @serial
http_challenge = Digest realm="@realm", qop="auth", nonce="@nonce", opaque="@opaque"
http_protected = /cgi-bin/
http_page_bom = yes
http_page_doctype = <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
http_page_title = WEB SERVICE
http_page_body = <div class="ui-dialog-content"><input id="t_username" type="text"/><select id="slct_userType"></select></div>
http_page_body = <script type="text/javascript">var webVersion = "@WebVersion@";</script>
http_401_page = <html><head><title>401 Unauthorized</title></head><body>401 Unauthorized</body></html>
http_404_page = <html><head><title>404 Not Found</title></head><body>404 Not Found</body></html>
rpc2 = yes
onvif_off = 404
# RTSP, section 4.  Real [2+]: current firmware answers 401 even to
#  OPTIONS, with only CSeq and a Digest realm "Login to <serial>", nonce
#  of 32 hex, no Server.
rtsp = yes
rtsp_options = 401
rtsp_describe = 401
rtsp_realm = Login to @serial
rtsp_challenge = Digest realm="@realm", nonce="@nonce"
rtsp_head = CSeq: @cseq
rtsp_head = WWW-Authenticate: @challenge
# DHIP, section 2: layout real [2+] (dhip.c says which keys are invented);
#  Vendor/Manufacturer "Private", DeviceClass IPC as on a captured IPC
#  ([go-paste]); Version = the firmware up to its comma.
dhip = yes
dhip_field = Vendor Private
dhip_field = Manufacturer Private
dhip_field = DeviceClass IPC
# TLS, section 5.  Real [2+] (rroller/dahua#647, Plum-Island#204): subject
#  CN=<device IP>, C=CN, issued by a "Dahua Device NVR CA" with no-break
#  spaces inside the values, 30 years.  Invented: where exactly the
#  no-break spaces stand (here: every space of CN and O).
https = yes
tls_subject = CN=@ip,C=CN
tls_issuer = CN=Dahua@nbspDevice@nbspNVR@nbspCA,O=Zhejiang@nbspDahua@nbspTechnology@nbspCo.\,Ltd.,ST=Zhejiang,L=Hangzhou,C=CN
tls_days = 10950
