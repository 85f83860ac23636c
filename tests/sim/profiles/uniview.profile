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
