# Intelbras SS 3530 MF FACE W (a face reader), a Dahua OEM found by DHIP.
#
# Real ([intelbras], a field capture; notes unauth-fingerprints.md,
#  sections 2 and 7): it answers DHIP with Vendor and Manufacturer
#  "Intelbras", Version 2.000.00IB004.0.R (the OEM's code in the third
#  group), SerialNo K3LJ3400209RH; 24:FD:0D is an Intelbras OUI (IEEE).
# Invented: that it serves ONVIF as below (a Dahua-like device service),
#  the build date, DeviceClass, HardwareId, scopes, hostname, the MAC's
#  tail, credentials, and the Dahua surfaces below beyond DHIP, inferred
#  from the firmware it shares.
manufacturer = Intelbras
model = SS 3530 MF FACE W
firmware = 2.000.00IB004.0.R, Build Date 2022-03-10
serial = K3LJ3400209RH
hardware_id = 1.00
hostname = SS3530
mac = 24:fd:0d:3a:90:5e eth0
scope = onvif://www.onvif.org/location/country/brazil
scope = onvif://www.onvif.org/name/Intelbras
scope = onvif://www.onvif.org/hardware/SS%203530%20MF%20FACE%20W
scope = onvif://www.onvif.org/Profile/Streaming
scope = onvif://www.onvif.org/type/Network_Video_Transmitter
scope = onvif://www.onvif.org/extension/unique_identifier
timezone = BRT3
local_offset = -10800
auth = wsse
deny_style = dahua
lockout = 5
clock_window = 5
envelope_prefix = s
user = admin
password = intelbras-pass
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
# This camera: DHIP as captured ([intelbras]); DeviceClass invented.
dhip_field = Vendor Intelbras
dhip_field = Manufacturer Intelbras
dhip_field = DeviceClass BSC
