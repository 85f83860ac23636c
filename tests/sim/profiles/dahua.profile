# Dahua IP camera: failed-login lockout and a strict clock check.
#
# Real (onvif-vendor-facts.md, "Dahua"):
#  - Manufacturer "Dahua", HardwareId 1.00, model IPC-HDW1025C, serial of 15
#    alphanumerics (pasted GetDeviceInformation, unattributed); firmware shape
#    "2.800.0000016.0.R, Build Date 2021-07-20" (DESIGN.md; Dahua HTTP API:
#    https://github.com/rroller/dahua/issues/90).
#  - Wrong password: Sender / ter:NotAuthorized / "Sender not Authorized.
#    Invalid username or password! You still have N attempt(s)." counting
#    down (https://github.com/home-assistant/core/issues/175333,
#    https://github.com/Quedale/OnvifDeviceManager/issues/19).
#  - Token off the camera clock: ter:NotAuthorized "Wsse authorized time check
#    failed." (https://github.com/cdavis-code/easy_onvif_workspace/issues/58,
#    https://github.com/koush/scrypted/issues/1142).
#  - Scope layout incl. extension/unique_identifier, location/country/china
#    (unattributed Hello and discovery dumps); prefix s: (unattributed paste).
#  - Content-Length larger than the body on Dahua firmwares
#    (https://github.com/home-assistant/core/issues/148093): run this profile
#    with fault=short-body to get it.
#  - 3C:EF:8C is a Dahua OUI (IEEE).
# Invented: lockout after 5 (real cameras count from 30 or so), the 300 s
#  lock time and its message, the 5 s window, serial, MAC suffix, hostname,
#  credentials.
manufacturer = Dahua
model = IPC-HDW1025C
firmware = 2.800.0000016.0.R, Build Date 2021-07-20
serial = 4K02C31PAZ5A8F1
hardware_id = 1.00
hostname = IPC
mac = 3c:ef:8c:51:a0:17 eth0
scope = onvif://www.onvif.org/location/country/china
scope = onvif://www.onvif.org/name/Dahua
scope = onvif://www.onvif.org/hardware/IPC-HDW1025C
scope = onvif://www.onvif.org/Profile/Streaming
scope = onvif://www.onvif.org/type/Network_Video_Transmitter
scope = onvif://www.onvif.org/extension/unique_identifier
scope = onvif://www.onvif.org/Profile/T
timezone = CST-8:00:00
local_offset = 28800
auth = wsse
deny_style = dahua
lockout = 5
lockout_seconds = 300
clock_window = 5
envelope_prefix = s
xmlns = sc http://www.w3.org/2003/05/soap-encoding
user = admin
password = dahua-pass
# WS-Discovery.  Real: s/a/d prefixes in discovery dumps (unattributed,
#  onvif-vendor-facts.md).  Invented: that this camera uses them.
wsd_style = dahua
