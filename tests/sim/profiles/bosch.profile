# Bosch FLEXIDOME indoor 5100i IR.
#
# Real (0x524a/onvif-go capture_001/002, mickeyzzc/onvif-go discovery log):
#  - Bosch / FLEXIDOME indoor 5100i IR / 8.71.0066 / 404754734001050102 /
#    F000B543 (GetDeviceInformation capture).
#  - Minimal SOAP-ENV: envelope; scopes type/Network_Video_Transmitter,
#    name/Bosch, location/, hardware/<model with spaces as _>, Profile/*.
#  - Authenticated calls succeeded with a token created 2.5 years off the
#    camera clock: no freshness check (clock_window = 0).
#  - DateTimeType Manual, TZ UTC5:0; the client signed as user "service".
#  - 00:07:5F is Bosch's OUI (IEEE); this MAC is the one embedded in a real
#    Bosch endpoint UUID.
# Invented: hostname, password.
manufacturer = Bosch
model = FLEXIDOME indoor 5100i IR
firmware = 8.71.0066
serial = 404754734001050102
hardware_id = F000B543
hostname = DINION-5100i
mac = 00:07:5f:e0:a6:04 eth0
scope = onvif://www.onvif.org/type/Network_Video_Transmitter
scope = onvif://www.onvif.org/name/Bosch
scope = onvif://www.onvif.org/location/
scope = onvif://www.onvif.org/hardware/FLEXIDOME_indoor_5100i_IR
scope = onvif://www.onvif.org/Profile/Streaming
scope = onvif://www.onvif.org/Profile/G
scope = onvif://www.onvif.org/Profile/T
scope = onvif://www.onvif.org/Profile/M
timezone = UTC5:0
local_offset = -18000
date_time_type = Manual
auth = wsse
clock_window = 0
user = service
password = bosch-pass
# WS-Discovery.  Real (mickeyzzc/onvif-go discovery log): the endpoint UUID
#  is the MAC, the MAC reversed, then MAC bytes 1, 2, 3, 2; http and https
#  XAddrs.  Several bosch cameras in one fleet share the MAC and so the
#  endpoint: give them endpoint= in their specs.
wsd_endpoint_style = mac-twice
wsd_xaddr_extra = https
