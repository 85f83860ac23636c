# Uniview (UNV) IP camera.  Largely synthetic: no GetDeviceInformation
# capture was found.
#
# Real: model naming IPC<digits><letters>-<suffix>, e.g. IPC3613LR3-APF28K-F
#  (https://github.com/home-assistant/core/issues/115663); 48:EA:63 is a
#  Uniview OUI (IEEE).
# Invented: the Manufacturer spelling "Uniview", firmware string, serial,
#  HardwareId, scopes, credentials.
manufacturer = Uniview
model = IPC3613LR3-APF28K-F
firmware = IPC_G6103-B0014P31D2108
serial = 210235C3QY3219000123
hardware_id = A
hostname = unv-car-park
mac = 48:ea:63:1c:4e:92 eth0
scope = onvif://www.onvif.org/type/video_encoder
scope = onvif://www.onvif.org/Profile/Streaming
scope = onvif://www.onvif.org/name/IPC3613LR3-APF28K-F
scope = onvif://www.onvif.org/hardware/IPC3613LR3-APF28K-F
scope = onvif://www.onvif.org/location/country/china
timezone = CST-8:00:00
local_offset = 28800
auth = wsse
clock_window = 300
user = admin
password = uniview-pass
#
# ---- Without credentials (notes: unauth-fingerprints.md; sources in [..]) --
# Uniview: no discovery protocol of its own was found (section 8).
# HTTP, section 3.  Real [2+ unattributed]: /LAPI/V1.0/* answers a Digest
#  challenge with realm "NVRDVR".  The root page and Server header are
#  [unverified]: this camera sends neither a Server header nor a title.
#  Invented: the challenge's other parameters, pages, header order, what
#  onvif=off answers.
http_head = Content-Type: @type
http_head = Content-Length: @length
http_head = Connection: @connection
http_head = WWW-Authenticate: @challenge
http_realm = NVRDVR
http_challenge = Digest realm="@realm", qop="auth", nonce="@nonce"
http_protected = /LAPI/
http_page_doctype = <!DOCTYPE html>
onvif_off = 401
# RTSP, section 4.  Real [2+] (mediamtx#4660): OPTIONS 200 without
#  Server, Public without spaces; DESCRIBE 401 Digest realm = the MAC in
#  12 lower-case hex, spaced as below.
rtsp = yes
rtsp_options = 200
rtsp_describe = 401
rtsp_public = OPTIONS,DESCRIBE,SETUP,PLAY,PAUSE,TEARDOWN,ANNOUNCE,SET_PARAMETER,GET_PARAMETER
rtsp_realm = @mac
rtsp_challenge = Digest realm="@realm",nonce="@nonce", stale="FALSE"
rtsp_head = CSeq: @cseq
rtsp_head = Public: @public
rtsp_head = WWW-Authenticate: @challenge
# TLS: no Uniview certificate in the notes [unverified]: no HTTPS here.
