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
