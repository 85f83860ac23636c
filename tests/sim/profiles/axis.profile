# Axis P3818-PVE: WS-Security with replay protection.
#
# Real (onvif-vendor-facts.md, "Axis"):
#  - AXIS / P3818-PVE / 11.9.60 / SerialNumber B8A44FA04F26 (= the MAC) /
#    HardwareId 7DB (mickeyzzc/onvif-go camera-data-batch report).
#  - Scopes Profile/Streaming, Profile/G, hardware/P3818-PVE,
#    name/AXIS%20P3818-PVE, Profile/M, Profile/T, location/ (discovery log).
#  - NotAuthorized fault with HTTP 400, Sender / ter:NotAuthorized / "Sender
#    not authorized", returned even for GetSystemDateAndTime when the request
#    carries a rejected UsernameToken (P5655-E capture).
#  - Replay protection: a token off the camera clock is refused
#    (https://github.com/agsh/onvif/issues/178,
#    https://github.com/lumeohq/onvif-rs/issues/79).
#  - gSOAP-style SOAP-ENV: prefix, vapix namespaces (hammeraj/onvif capture).
#  - B8:A4:4F is an Axis OUI (IEEE).
# Invented: the 10 s window and the 256-nonce memory, hostname, credentials.
manufacturer = AXIS
model = P3818-PVE
firmware = 11.9.60
serial = B8A44FA04F26
hardware_id = 7DB
hostname = axis-b8a44fa04f26
mac = b8:a4:4f:a0:4f:26 eth0
scope = onvif://www.onvif.org/Profile/Streaming
scope = onvif://www.onvif.org/Profile/G
scope = onvif://www.onvif.org/hardware/P3818-PVE
scope = onvif://www.onvif.org/name/AXIS%20P3818-PVE
scope = onvif://www.onvif.org/Profile/M
scope = onvif://www.onvif.org/Profile/T
scope = onvif://www.onvif.org/location/
timezone = GMT0
date_time_type = NTP
auth = wsse
deny_style = onvif
verify_preauth_header = yes
replay_check = yes
clock_window = 10
sender_fault_status = 400
xmlns = aev http://www.axis.com/vapix/ws/event1
user = root
password = axis-pass
# WS-Discovery.  Real (mickeyzzc/onvif-go discovery log): Axis endpoints are
#  random-looking v4 UUIDs; a P5655-E lists http and https XAddrs, a
#  Q3819-PVE also http and https on a 169.254 link-local address (this
#  P3818-PVE itself listed http only).  Invented: the link-local address.
wsd_xaddr_extra = both
