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
