# Hikvision camera on older firmware (< V5.7.13): WS-Security UsernameToken.
#
# Real: firmware shape and the switch to Digest at V5.7.13 (rolling back to
#  V5.7.11 restores WSSE: https://github.com/home-assistant/core/issues/99166);
#  a refused token gives Code Sender, Subcode wsse:InvalidSecurity, Reason
#  "An error was discovered processing the wsse:Security header." (Hikvision
#  DVR, https://github.com/home-assistant/core/issues/93079); HIKVISION
#  spelling, HardwareId 88 (evercam-server#10); 44:19:B6 is a Hikvision OUI
#  (IEEE); env: prefix and tnshik namespace (agsh/onvif capture).
# Invented: model/serial/MAC values, hostname, scopes' location, credentials,
#  the absence of a clock check.
manufacturer = HIKVISION
model = DS-2CD2042WD-I
firmware = V5.4.5 build 170124
serial = DS-2CD2042WD-I20170301CCWR601234567
hardware_id = 88
hostname = hik-yard-02
mac = 44:19:b6:07:c2:9e eth0
scope = onvif://www.onvif.org/type/video_encoder
scope = onvif://www.onvif.org/Profile/Streaming
scope = onvif://www.onvif.org/name/HIKVISION%20DS-2CD2042WD-I
scope = onvif://www.onvif.org/hardware/DS-2CD2042WD-I
scope = onvif://www.onvif.org/location/city/hangzhou
timezone = CST-8:00:00
local_offset = 28800
date_time_type = Manual
auth = wsse
deny_style = hikvision
clock_window = 0
envelope_prefix = env
xmlns = tnshik http://www.hikvision.com/2011/event/topics
user = admin
password = hik-wsse-pass
# WS-Discovery.  Real: a Hikvision NVR's ProbeMatch shape (utf-8 declaration
#  and CRLF, soap/wsa/wsd prefixes; edgexfoundry/device-onvif-camera#412).
#  Invented: that this camera answers the same way.
wsd_style = hikvision
