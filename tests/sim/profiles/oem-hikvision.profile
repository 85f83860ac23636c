# A white-label Hikvision camera sold under another brand.
#
# The brand "Northgate Vision" is invented.  What gives the real maker
# away is real Hikvision shape: model pattern DS-2CD..., firmware
# "V5.x.y build yymmdd", HardwareId 88 (evercam-server#10) and MAC OUIs
# C0:56:E3 and 28:57:BE registered to Hikvision (IEEE registry).  OEMs
# reporting their own brand is documented (CP PLUS, Evercam/Milesight:
# https://github.com/evercam/ex_nvr/pull/964).
# Invented: the brand, serial, hostname, MAC suffixes, credentials.
# Two interfaces (wired and a second NIC).
manufacturer = Northgate Vision
model = DS-2CD2T47G2-L
firmware = V5.7.3 build 220112
serial = NGV2T47G2L20220301AA123456
hardware_id = 88
hostname = ngv-gate-east
mac = c0:56:e3:9d:10:44 eth0
mac = 28:57:be:9d:10:45 eth1
scope = onvif://www.onvif.org/type/video_encoder
scope = onvif://www.onvif.org/Profile/Streaming
scope = onvif://www.onvif.org/name/Northgate%20Vision
scope = onvif://www.onvif.org/hardware/DS-2CD2T47G2-L
timezone = GMT0BST,M3.5.0/1,M10.5.0
local_offset = 0
auth = wsse
deny_style = hikvision
user = admin
password = oem-hik-pass
# WS-Discovery.  Real: a Hikvision NVR's ProbeMatch shape (utf-8 declaration
#  and CRLF, soap/wsa/wsd prefixes; edgexfoundry/device-onvif-camera#412).
#  Invented: that this camera answers the same way.
wsd_style = hikvision
