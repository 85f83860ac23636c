# Lorex LNB9393, a Dahua OEM named by its realms.
#
# Real (notes unauth-fingerprints.md, sections 4 and 7, [2+]: [nmap] 14883,
#  [recog] http_wwwauth, rroller/dahua#263 and #79): RTSP and HTTP Digest
#  realm "Login to <id>"; Dahua's HTTP API works on it; 00:1F:54 is Lorex's
#  OUI (IEEE).  Whether Lorex answers DHIP was not captured [unverified]:
#  this one does not.
# Invented: the model string, firmware (Dahua's shape), serial (Dahua's
#  shape), HardwareId, scopes, hostname, the MAC's tail, credentials, and
#  the Dahua web server details below, inferred from the shared firmware.
manufacturer = Lorex
model = LNB9393
firmware = 2.800.0LX0000.0.R, Build Date 2021-11-30
serial = 5F03A18PAJ1C2D7
hardware_id = 1.00
hostname = IPC
mac = 00:1f:54:2b:88:19 eth0
scope = onvif://www.onvif.org/location/country/canada
scope = onvif://www.onvif.org/name/Lorex
scope = onvif://www.onvif.org/hardware/LNB9393
scope = onvif://www.onvif.org/Profile/Streaming
scope = onvif://www.onvif.org/type/Network_Video_Transmitter
scope = onvif://www.onvif.org/extension/unique_identifier
timezone = EST5EDT,M3.2.0,M11.1.0
local_offset = -18000
auth = wsse
deny_style = dahua
lockout = 5
clock_window = 5
envelope_prefix = s
user = admin
password = lorex-pass
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
# TLS, section 5.  Real [2+] (rroller/dahua#647, Plum-Island#204): subject
#  CN=<device IP>, C=CN, issued by a "Dahua Device NVR CA" with no-break
#  spaces inside the values, 30 years.  Invented: where exactly the
#  no-break spaces stand (here: every space of CN and O).
https = yes
tls_subject = CN=@ip,C=CN
tls_issuer = CN=Dahua@nbspDevice@nbspNVR@nbspCA,O=Zhejiang@nbspDahua@nbspTechnology@nbspCo.\,Ltd.,ST=Zhejiang,L=Hangzhou,C=CN
tls_days = 10950
# This camera: no DHIP (see above).
