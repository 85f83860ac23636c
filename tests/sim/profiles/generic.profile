# A generic Chinese white-box camera that names no maker.
#
# Real: scopes name/ONVIF_ICAMERA, hardware/MSTAR_IPNC, location/China,
#  location/Shenzhen (https://github.com/vicmaeg/onvif-discovery/issues/17);
#  generic Manufacturer strings such as "IPC" are reported by such cameras
#  (onvif-vendor-facts.md section 5); hostname IPNC-RDK of the TI reference
#  design (agsh/onvif mockup); 04:39:26 belongs to a Wi-Fi module maker
#  (China Dragon Technology, IEEE), as on a real EYEPLUS camera
#  (https://github.com/home-assistant/core/issues/63399).
# Invented: model, firmware, serial (a placeholder like the real
#  "12345679890"), credentials.
manufacturer = IPC
model = IPC-6201
firmware = 5.6.1.1127
serial = 12345678901
hardware_id =
hostname = IPNC-RDK
mac = 04:39:26:7a:01:c3 wlan0
scope = onvif://www.onvif.org/type/video_encoder
scope = onvif://www.onvif.org/name/ONVIF_ICAMERA
scope = onvif://www.onvif.org/hardware/MSTAR_IPNC
scope = onvif://www.onvif.org/location/China
scope = onvif://www.onvif.org/location/Shenzhen
timezone = CST-8:00:00
local_offset = 28800
auth = wsse
clock_window = 0
user = admin
password = generic-pass
#
# ---- Without credentials (notes: unauth-fingerprints.md) --------------------
# Says nothing useful about its maker.  Real [recog]: Basic realm
#  "IPCamera Login", the title "IPCamera Login"; "Cross Web Server", the
#  web server of a chip vendor's SDK (HiSilicon), names no camera maker.
#  Invented: /cgi-bin/ protected (so a Dahua-path probe meets a 401 that
#  names no one), the RTSP answers.
http_head = Server: Cross Web Server
http_head = Content-Type: @type
http_head = Content-Length: @length
http_head = Connection: @connection
http_head = WWW-Authenticate: @challenge
http_realm = IPCamera Login
http_challenge = Basic realm="@realm"
http_protected = /cgi-bin/
http_page_title = IPCamera Login
http_page_body = <form action="/login" method="post"><input name="user"/></form>
rtsp = yes
rtsp_options = 200
rtsp_describe = 401
rtsp_realm = IPCamera Login
rtsp_challenge = Basic realm="@realm"
