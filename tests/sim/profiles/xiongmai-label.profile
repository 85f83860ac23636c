# A white-label camera on Xiongmai's firmware (Hangzhou Xiongmai
# Technology, China-based, on uk-nsl since issue 16): a shop brand's box,
# "General" over ONVIF, Xiongmai's firmware and web server inside.
#
# Real: the firmware string V5.00.R02.000659N7.10010.140d00..ONVIF 16.12,
#  reported by a shop-brand (ASECAM) camera
#  (https://github.com/OpenIPC/firmware/issues/1503), the V5.00.R02 camera
#  shape (https://github.com/OpenIPC/coupler/issues/34); the web server
#  "uc-httpd 1.0.0", Xiongmai's own ([recog] http_servers, [nmap]
#  nmap-service-probes); the title "NETSurveillance WEB" of Xiongmai's
#  web UI ([recog] html_title, Greenbone's Xiongmai detection).
# DVR-IP (Sofia) on TCP 34567 (StrixCamDB#11, hs-dvr-telnet#3): only the
#  port (xm = yes; xm-port= moves it): it accepts and says nothing, as
#  camcomply's connect-only collector expects; the protocol itself is not
#  simulated.
# Invented: "General" (what such cameras put in Manufacturer was not
#  found in a source for Xiongmai; the issue names General, IPC and
#  H264DVR), the model, serial, scopes, hostname, credentials, the page
#  around the title, and the MAC: no source gave an XM block, so it is a
#  locally administered address, which names no maker.
manufacturer = General
model = IPC
firmware = V5.00.R02.000659N7.10010.140d00..ONVIF 16.12
serial = 2b6e1f0c33a5d7e1
hardware_id =
hostname = IPC
mac = 02:12:31:4a:5c:6e eth0
scope = onvif://www.onvif.org/type/video_encoder
scope = onvif://www.onvif.org/Profile/Streaming
scope = onvif://www.onvif.org/name/General
scope = onvif://www.onvif.org/hardware/IPC
timezone = CST-8:00:00
local_offset = 28800
auth = wsse
clock_window = 0
user = admin
password = xm-label-pass
#
# ---- Without credentials ----------------------------------------------------
# uc-httpd and the NETSurveillance title: two Xiongmai signals, 45 points
#  by the policy's weights, short of attributing alone; with ONVIF the
#  firmware shape makes it Xiongmai's, without it the open DVR-IP port
#  (a third signal, 20) does.
xm = yes
http_head = Server: uc-httpd 1.0.0
http_head = Content-Type: @type
http_head = Content-Length: @length
http_head = Connection: @connection
http_page_title = NETSurveillance WEB
http_page_body = <div id="login"><input id="username"/><input id="passWordInput" type="password"/></div>
