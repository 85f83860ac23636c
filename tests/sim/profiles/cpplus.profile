# CP PLUS (India), a Dahua OEM.
#
# Real: CP PLUS cameras report the name scope CPPLUS / CP_PLUS / CPPlus, a
#  hardware scope like CP-UNC-DA21PL3-Y and Dahua's scope layout including
#  extension/unique_identifier/1 (unattributed, onvif-vendor-facts.md
#  "Dahua ... OEMs"); Dahua firmware shape (rroller/dahua#90); HardwareId 1.00
#  as on Dahua; Dahua's ter:NotAuthorized fault texts (HA core#175333).
# Invented: the Manufacturer spelling "CP PLUS", serial, firmware numbers,
#  and that this unit keeps a Dahua OUI (90:02:A9, IEEE: Dahua) on eth0 -
#  OEM hardware keeping the Dahua OUI is plausible but not verified;
#  eth1 carries CP PLUS GmbH's 14:07:08.  Lockout and clock check as Dahua.
manufacturer = CP PLUS
model = CP-UNC-DA21PL3-Y
firmware = 2.622.0000000.31.R, Build Date 2019-11-14
serial = 7G04A17PAG9B2C6
hardware_id = 1.00
hostname = CPPLUS-IPC
mac = 90:02:a9:6b:33:0e eth0
mac = 14:07:08:6b:33:0f eth1
scope = onvif://www.onvif.org/location/country/india
scope = onvif://www.onvif.org/name/CP_PLUS
scope = onvif://www.onvif.org/hardware/CP-UNC-DA21PL3-Y
scope = onvif://www.onvif.org/Profile/Streaming
scope = onvif://www.onvif.org/type/Network_Video_Transmitter
scope = onvif://www.onvif.org/extension/unique_identifier/1
timezone = IST-5:30
local_offset = 19800
auth = wsse
deny_style = dahua
lockout = 5
clock_window = 5
envelope_prefix = s
user = admin
password = cpplus-pass
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
# This camera: a Dahua OEM (notes, section 7: CP PLUS [1]); that it shows
#  Dahua's web server, RTSP and RPC2 is inferred from the firmware it
#  shares.  DHIP not captured from a CP PLUS: Vendor/Manufacturer are the
#  brand by analogy with Intelbras ([intelbras]).  Invented: the rest.
dhip_field = Vendor CP PLUS
dhip_field = Manufacturer CP PLUS
