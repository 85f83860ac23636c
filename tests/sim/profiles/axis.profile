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
#
# ---- Without credentials (notes: unauth-fingerprints.md; sources in [..]) --
# Axis makes no SADP or DHIP answer (section 8).
# HTTP, section 3.  Real: /axis-cgi/* answers 401 with Digest realm
#  "AXIS_<MAC 12 hex>" [2+]; title "AXIS" [recog]; Server "Apache/2.4.27
#  (Unix) OpenSSL/1.0.2k" on 2018 firmware [1] (this 11.9 firmware may
#  say otherwise).  Invented: the challenge's other parameters, pages,
#  header order, what onvif=off answers.
http_head = Date: @date
http_head = Server: Apache/2.4.27 (Unix) OpenSSL/1.0.2k
http_head = WWW-Authenticate: @challenge
http_head = Content-Length: @length
http_head = Connection: @connection
http_head = Content-Type: @type
http_realm = AXIS_@MAC
http_challenge = Digest realm="@realm", nonce="@nonce", algorithm=MD5, qop="auth"
http_protected = /axis-cgi/
http_page_doctype = <!DOCTYPE html>
http_page_title = AXIS
http_page_body = <noscript>Your browser has JavaScript turned off.</noscript>
http_401_page = <!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN"><html><head><title>401 Unauthorized</title></head><body><h1>Unauthorized</h1></body></html>
http_404_page = <!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN"><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>
onvif_off = 401
# RTSP, section 4.  Real: OPTIONS 200 with this Public list (old models,
#  [nmap] [1]); DESCRIBE 401 Digest realm "AXIS_WS_<MAC>", stale=FALSE [1].
#  Invented: the rest of the headers.
rtsp = yes
rtsp_options = 200
rtsp_describe = 401
rtsp_public = DESCRIBE, GET_PARAMETER, PAUSE, PLAY, SETUP, SET_PARAMETER, TEARDOWN
rtsp_realm = AXIS_WS_@MAC
rtsp_challenge = Digest realm="@realm", nonce="@nonce", stale=FALSE
rtsp_head = CSeq: @cseq
rtsp_head = Public: @public
rtsp_head = WWW-Authenticate: @challenge
rtsp_head = Date: @date
# TLS, section 5.  Real [recog] [1]: self-signed CN=axis-<mac>,
#  O=Axis Communications AB.
https = yes
tls_subject = CN=axis-@mac,O=Axis Communications AB
