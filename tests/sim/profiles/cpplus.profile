# CP PLUS (India), a Dahua OEM.
#
# Real: CP PLUS cameras report the name scope CPPLUS / CP_PLUS / CPPlus, a
#  hardware scope like CP-UNC-DA21PL3-Y and Dahua's scope layout including
#  extension/unique_identifier/1 (unattributed, onvif-vendor-facts.md
#  "Dahua ... OEMs"); Dahua firmware shape (rroller/dahua#90); HardwareId 1.00
#  as on Dahua; Dahua's ter:NotAuthorized fault texts (HA core#175333).
# Invented: the Manufacturer spelling "CP PLUS", serial, firmware numbers,
#  and that this unit keeps a Dahua OUI (90:02:A9, IEEE: Dahua) on eth0 -
#  OEM hardware keeping the Dahua OUI is plausible but not verified;
#  eth1 carries CP PLUS GmbH's 14:07:08.  Lockout and clock check as Dahua.
manufacturer = CP PLUS
model = CP-UNC-DA21PL3-Y
firmware = 2.622.0000000.31.R, Build Date 2019-11-14
serial = 7G04A17PAG9B2C6
hardware_id = 1.00
hostname = CPPLUS-IPC
mac = 90:02:a9:6b:33:0e eth0
mac = 14:07:08:6b:33:0f eth1
scope = onvif://www.onvif.org/location/country/india
scope = onvif://www.onvif.org/name/CP_PLUS
scope = onvif://www.onvif.org/hardware/CP-UNC-DA21PL3-Y
scope = onvif://www.onvif.org/Profile/Streaming
scope = onvif://www.onvif.org/type/Network_Video_Transmitter
scope = onvif://www.onvif.org/extension/unique_identifier/1
timezone = IST-5:30
local_offset = 19800
auth = wsse
deny_style = dahua
lockout = 5
clock_window = 5
envelope_prefix = s
user = admin
password = cpplus-pass
# WS-Discovery.  Real: s/a/d prefixes in discovery dumps (unattributed,
#  onvif-vendor-facts.md).  Invented: that this camera uses them.
wsd_style = dahua
