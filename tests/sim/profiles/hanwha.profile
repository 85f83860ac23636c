# Hanwha Vision (formerly Samsung Techwin, Wisenet).  Partly synthetic.
#
# Real: Hanwha puts manufacturer and model into discovery scopes
#  (https://github.com/Jazea/Onvif.Core/issues/55; manufacturer/ scope
#  category, onvif-vendor-facts.md section 2); Samsung SNP-6320H answers
#  "Sender Not Authorized" with a capital N
#  (https://github.com/FalkTannhaeuser/python-onvif-zeep/issues/42);
#  00:09:18 is Samsung Techwin's OUI (IEEE).
# Invented: Manufacturer spelling, model XNV-6080R values, firmware,
#  serial, HardwareId, hostname, credentials.
manufacturer = Hanwha Vision
model = XNV-6080R
firmware = 2.21.02_20230412_R1094
serial = ZP3G70A2C0012W
hardware_id = XNV-6080R
hostname = XNV-6080R-0012W
mac = 00:09:18:5d:42:c1 eth0
scope = onvif://www.onvif.org/type/video_encoder
scope = onvif://www.onvif.org/Profile/Streaming
scope = onvif://www.onvif.org/Profile/T
scope = onvif://www.onvif.org/manufacturer/Hanwha%20Vision
scope = onvif://www.onvif.org/name/XNV-6080R
scope = onvif://www.onvif.org/hardware/XNV-6080R
scope = onvif://www.onvif.org/location/country/korea
timezone = KST-9
local_offset = 32400
auth = wsse
deny_style = onvif
deny_reason = Sender Not Authorized
clock_window = 300
user = admin
password = hanwha-pass
# WS-Discovery.  Real: SOAP-ENV/wsa/d prefixes and an epoch-like
#  InstanceId (https://github.com/Jazea/Onvif.Core/issues/55).
wsd_style = hanwha
#
# ---- Without credentials (notes: unauth-fingerprints.md; sources in [..]) --
# Hanwha makes no SADP or DHIP answer (section 8).
# HTTP, section 3.  Real: SUNAPI /stw-cgi/* answers 401 Digest qop="auth",
#  realm="iPolis_<MAC with dashes>" [2+]; nginx in front [1]; title
#  "Hanwha Techwin" [recog].  Invented: the MAC's case in the realm, pages,
#  header order, what onvif=off answers.
http_head = Server: nginx
http_head = Date: @date
http_head = Content-Type: @type
http_head = Content-Length: @length
http_head = Connection: @connection
http_head = WWW-Authenticate: @challenge
http_realm = iPolis_@MAC-dashed
http_challenge = Digest qop="auth", realm="@realm", nonce="@nonce"
http_protected = /stw-cgi/
http_page_doctype = <!DOCTYPE html>
http_page_title = Hanwha Techwin
http_401_page = <html><head><title>401 Authorization Required</title></head><body><center><h1>401 Authorization Required</h1></center><hr><center>nginx</center></body></html>
http_404_page = <html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>
onvif_off = 401
# RTSP, section 4.  Real [2+]: 401 even to OPTIONS, with Date, Expires,
#  Cache-Control: must-revalidate and Digest realm="iPOLiS", nonce of 32
#  upper-case hex.  Invented: the header order, the Date format.
rtsp = yes
rtsp_options = 401
rtsp_describe = 401
rtsp_realm = iPOLiS
rtsp_challenge = Digest realm="@realm", nonce="@NONCE"
rtsp_head = CSeq: @cseq
rtsp_head = Date: @date
rtsp_head = Expires: @date
rtsp_head = Cache-Control: must-revalidate
rtsp_head = WWW-Authenticate: @challenge
# TLS: no Hanwha certificate in the notes [unverified]: no HTTPS here.
