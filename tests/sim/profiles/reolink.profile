# Reolink E1 Zoom: port 8000, the IP address as serial, no brand in scopes.
#
# Real (mickeyzzc/onvif-go camera-data-batch report and discovery log):
#  - REOLINK / E1 Zoom / v3.1.0.2649_23083101 / SerialNumber = the IPv4
#    address without dots (192.168.2.61 -> 192168261) / HardwareId IPC.
#  - ONVIF on port 8000 (also https://github.com/home-assistant/core/issues/77779).
#  - Scopes type/video_encoder, location/country/china,
#    type/network_video_transmitter, Profile/Streaming, Profile/T,
#    name/IPC-BO, hardware/E1Zoom, name/IPC: two name scopes, no brand.
#  - EC:71:DB is Reolink's OUI (IEEE).
# Invented: MAC suffix, hostname, credentials.
# "serial = @address" makes the simulator use its listening address.
manufacturer = REOLINK
model = E1 Zoom
firmware = v3.1.0.2649_23083101
serial = @address
hardware_id = IPC
hostname = Reolink
mac = ec:71:db:46:5a:f7 eth0
scope = onvif://www.onvif.org/type/video_encoder
scope = onvif://www.onvif.org/location/country/china
scope = onvif://www.onvif.org/type/network_video_transmitter
scope = onvif://www.onvif.org/Profile/Streaming
scope = onvif://www.onvif.org/Profile/T
scope = onvif://www.onvif.org/name/IPC-BO
scope = onvif://www.onvif.org/hardware/E1Zoom
scope = onvif://www.onvif.org/name/IPC
timezone = GMT0
auth = wsse
clock_window = 0
user = admin
password = reolink-pass
default_port = 8000
# WS-Discovery.  Real (mickeyzzc/onvif-go discovery log): the endpoint
#  UUID ends with the MAC.  Invented: the first 20 hex digits (a hash).
wsd_endpoint_style = mac-tail
#
# ---- Without credentials (notes: unauth-fingerprints.md) --------------------
# The notes have no Reolink web server facts: this camera's web server
#  says nothing (no Server header, an empty title; invented).  RTSP: "Rtsp
#  Server/2.0" was seen on a Reolink-path stream (notes, section 4, [1]),
#  the same banner as older Dahua: not a maker's tell on its own.
#  Invented: the rest.
http_head = Content-Type: @type
http_head = Content-Length: @length
http_head = Connection: @connection
http_head = WWW-Authenticate: @challenge
http_page_doctype = <!DOCTYPE html>
rtsp = yes
rtsp_options = 200
rtsp_describe = 401
rtsp_realm = RTSP SERVER
rtsp_challenge = Digest realm="@realm", nonce="@nonce"
rtsp_head = CSeq: @cseq
rtsp_head = Server: Rtsp Server/2.0
rtsp_head = Public: @public
rtsp_head = WWW-Authenticate: @challenge
