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
#
# ---- Without credentials (notes: unauth-fingerprints.md; sources in [..]) --
# Bosch makes no SADP or DHIP answer (section 8).
# HTTP, section 3.  Real [2+] ([nmap], [recog]): GET / gets a bare 401
#  (the status line in the request's HTTP version) with Digest realm "Use
#  'live' as User Name in order to log in to the respective level",
#  opaque="", stale=FALSE, algorithm=MD5, qop="auth".  Invented: that
#  every path answers so, the nonce's shape, no body, what onvif=off
#  answers.
http_head = WWW-Authenticate: @challenge
http_realm = Use 'live' as User Name in order to log in to the respective level
http_challenge = Digest realm="@realm",nonce="@nonce",opaque="",stale=FALSE,algorithm=MD5,qop="auth"
http_root_status = 401
http_protected = /
http_401_page = -
onvif_off = 401
# RTSP: nothing in the notes; this camera shows none.
# TLS, section 5.  Real [recog] (two fingerprints): this subject, issued by
#  a device CA named by an 18-digit serial number and the MAC with dashes.
#  Invented: that the serial is the ONVIF serial, the MAC's case.
https = yes
tls_subject = CN=local.myboschcam.net,O=Bosch Sicherheitssysteme GmbH,L=Grasbrunn,ST=Bayern,C=DE
tls_issuer = SERIALNUMBER=@serial,CN=@MAC-dashed,OU=ST-VS,O=Bosch Sicherheitssysteme GmbH,L=Grasbrunn,C=DE
