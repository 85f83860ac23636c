# Hikvision IP camera, firmware >= V5.7.13: ONVIF needs HTTP Digest.
#
# Real (sources in ../../shared notes, onvif-vendor-facts.md, "Hikvision"):
#  - Manufacturer spelled HIKVISION; firmware shape "V<maj>.<min>.<patch> build
#    <yymmdd>"; HardwareId 88; serial = model + YYYYMMDD + letters + digits
#    (https://github.com/evercam/evercam-server/issues/10).
#  - V5.7.13 build 230706 wants HTTP Digest; WS-Security-only clients fail
#    (https://github.com/home-assistant/core/issues/99166).
#  - Without Digest an HTML 401 page "Document Error: Unauthorized"
#    (evercam-server#10); the simulator always answers it that way.
#  - Envelope prefix env:, vendor namespaces tnshik/hikwsd/hikxsd, MAC OUI
#    28:57:BE (capture agsh/onvif test/serverMockup, IEEE registry).
#  - Name scope "HIKVISION <model>", hardware scope = model (Nx hooks).
# Invented: the model/serial/MAC values (shapes are real), the realm,
#  hostname, location scope, credentials.
manufacturer = HIKVISION
model = DS-2CD2143G2-I
firmware = V5.7.13 build 230706
serial = DS-2CD2143G2-I20230915AAWRJ71234567
hardware_id = 88
hostname = hik-lobby-01
mac = 28:57:be:3a:51:0c eth0
scope = onvif://www.onvif.org/type/video_encoder
scope = onvif://www.onvif.org/Profile/Streaming
scope = onvif://www.onvif.org/Profile/T
scope = onvif://www.onvif.org/name/HIKVISION%20DS-2CD2143G2-I
scope = onvif://www.onvif.org/hardware/DS-2CD2143G2-I
scope = onvif://www.onvif.org/location/city/hangzhou
timezone = CST-8:00:00
local_offset = 28800
date_time_type = NTP
auth = digest
realm = IP Camera(K1234)
deny_style = hikvision
time_needs_auth = no
clock_window = 0
soap_versions = 1.1 1.2
envelope_prefix = env
xmlns = tnshik http://www.hikvision.com/2011/event/topics
xmlns = hikwsd http://www.onvifext.com/onvif/ext/ver10/wsdl
xmlns = hikxsd http://www.onvifext.com/onvif/ext/ver10/schema
user = admin
password = hik-digest-pass
default_port = 80
# WS-Discovery.  Real: a Hikvision NVR's ProbeMatch shape (utf-8 declaration
#  and CRLF, soap/wsa/wsd prefixes; edgexfoundry/device-onvif-camera#412).
#  Invented: that this camera answers the same way.
wsd_style = hikvision
