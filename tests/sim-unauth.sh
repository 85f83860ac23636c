#!/bin/bash
# sim-unauth.sh: camsim's surfaces without credentials, checked with
# clients camcomply did not write (curl, openssl, xmllint, jq and
# tests/sim/unauth-client.py): cameras of several makers with ONVIF off on
# loopback answer SADP, DHIP, HTTP (pages, headers, realms, RPC2_Login),
# RTSP and TLS with the exact bytes the notes describe; the hostile modes
# do what they claim; spoof-from= really sends from the other address;
# everything a client sends is captured; a range of cameras shares one
# socket per surface.  Then, where network namespaces can be made, SADP and
# DHIP over multicast and broadcast, the SADP Hello, and WS-Discovery's
# silence for a camera with ONVIF off.
. "$(dirname "$0")/lib.sh"
PY=$(command -v /usr/bin/python3 python3 | head -n 1)
[ -n "$PY" ] || skip "python3 not installed (Debian package python3)"
command -v curl >/dev/null || skip "curl not installed (Debian package curl)"
command -v openssl >/dev/null || skip "openssl not installed (Debian package openssl)"
command -v xmllint >/dev/null ||
	skip "xmllint not installed (Debian package libxml2-utils)"

NET=127.2.114
RNET=127.2.115
CLIENT=$top_srcdir/tests/sim/unauth-client.py
READY=$T/ready
CAP=$T/capture
mkdir -p "$CAP"

SPECS=(
	"hikvision-wsse@$NET.1:0,onvif=off,discovery=yes,sadp-port=auto,rtsp-port=auto,https-port=auto"
	"dahua@$NET.2:0,onvif=off,dhip-port=auto,rtsp-port=auto,https-port=auto"
	"axis@$NET.3:0,onvif=401,rtsp-port=auto,https-port=auto"
	"bosch@$NET.4:0,onvif=reset,https-port=auto"
	"hanwha@$NET.5:0,onvif=off,rtsp-port=auto"
	"uniview@$NET.6:0,onvif=off,rtsp-port=auto"
	"amcrest@$NET.7:0,onvif=off,rtsp-port=auto"
	"intelbras@$NET.8:0,onvif=off,dhip-port=auto"
	"avycon@$NET.9:0,onvif=off,sadp-port=auto"
	"generic@$NET.10:0,onvif=off,rtsp-port=auto"
	"hikvision-wsse@$NET.11:0,sadp-port=auto,fault=sadp-huge"
	"hikvision-wsse@$NET.12:0,sadp-port=auto,fault=sadp-deep"
	"hikvision-wsse@$NET.13:0,sadp-port=auto,fault=sadp-dtd"
	"dahua@$NET.14:0,dhip-port=auto,fault=dhip-long-length"
	"dahua@$NET.15:0,dhip-port=auto,fault=dhip-short-length"
	"dahua@$NET.16:0,fault=http-huge,huge-mb=2"
	"dahua@$NET.17:0,rtsp-port=auto,fault=rtsp-huge,huge-mb=2"
	"hikvision-wsse@$NET.18:0,rtsp-port=auto,fault=rtsp-drip"
	"generic@$NET.19:0,fault=header-drip"
	"axis@$NET.20:0,https-port=auto,fault=cert-control"
	"hikvision-wsse@$NET.21:0,sadp-port=auto,spoof-from=$NET.250"
	"dahua@$NET.22:0,dhip-port=auto,spoof-from=$NET.251"
	"hikvision-digest@$RNET.1+200:0,unauth=yes,sadp-port=auto,rtsp-port=auto"
)
start_capture_sim "${SPECS[@]}"

# Ready-file facts of the camera labelled PROFILE@ADDR.
field() { ready_line "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
hport() { ready_line "$1" | awk '{ print $1 }' | sed 's/.*://'; }
addr() { local a=${1#*@}; echo "${a%%:*}"; }
hp() { echo "$(addr "$1"):$(hport "$1")"; }
capture() { cat "$CAP/$(addr "$1")_$(hport "$1").capture" 2>/dev/null; }
# client KIND CAMERA OUT [ARGS...]: unauth-client.py against the camera's
# port of that surface; prints its "from ... len ... file ..." lines.
client() {
	local k=$1 cam=$2 out=$3
	shift 3
	"$PY" "$CLIENT" "$k" "$(addr "$cam")" "$(field "$cam" "$k")" "$T/$out" "$@"
}
# rtsp CAMERA OUT METHOD [ARGS...]: the reply's text, CRs removed, in $T/OUT.
rtsp() {
	local cam=$1 out=$2
	shift 2
	"$PY" "$CLIENT" rtsp "$(addr "$cam")" "$(field "$cam" rtsp)" "$T/$out" \
		"$@" >"$T/$out.status"
	tr -d '\r' <"$T/$out.1" >"$T/$out"
}
# get CAMERA PATH [CURL-ARGS...]: the status; headers in $T/head (no CRs),
# names in order in $T/names, the body in $T/body.
get() {
	local cam=$1 path=$2
	shift 2
	curl -s --max-time 10 -o "$T/body" -D "$T/head.raw" -w '%{http_code}' \
		"$@" "http://$(hp "$cam")$path"
	tr -d '\r' <"$T/head.raw" >"$T/head"
	sed -n '2,$p' "$T/head" | sed -n 's/^\([^:]*\):.*/\1/p' | tr '\n' ' ' \
		>"$T/names"
}
header() { sed -n "s/^$1: //p" "$T/head"; }
served() {
	timeout 10 openssl s_client -connect "$(addr "$1"):$2" </dev/null \
		2>/dev/null | openssl x509 2>/dev/null
}
# The profile's template with this camera's values, for subjects.
subst() {
	sed -e "s/@ip/$2/g" -e "s/@nbsp/\xc2\xa0/g" <<<"$1"
}
wait_until() {
	local n=$(($1 * 20))
	shift
	until "$@" || [ "$n" -le 0 ]; do
		sleep 0.05
		n=$((n - 1))
	done
	"$@"
}

HIK=hikvision-wsse@$NET.1 DAH=dahua@$NET.2 AXIS=axis@$NET.3 BOSCH=bosch@$NET.4
HAN=hanwha@$NET.5 UNV=uniview@$NET.6 AMC=amcrest@$NET.7 IB=intelbras@$NET.8
AVY=avycon@$NET.9 GEN=generic@$NET.10

# ---- SADP: an inquiry, the ProbeMatch in the real layout ----------------
UUID=5B0C1E2D-7A41-4C9E-8F00-2D6E4B1A9C33
expect_match "sadp: one reply from the camera's address and port" \
	"^from $NET\.1:$(field "$HIK" sadp) len [0-9]+ file " \
	"$(client sadp "$HIK" sadp --uuid "$UUID" --count 1 --wait 3)"
PM=$T/sadp.1
expect "sadp: the declaration line" '<?xml version="1.0" encoding="UTF-8"?>' \
	"$(head -n 1 "$PM" | tr -d '\r')"
expect "sadp: <ProbeMatch><Uuid> echoing the probe's on one line" \
	"<ProbeMatch><Uuid>$UUID</Uuid>" "$(sed -n 2p "$PM" | tr -d '\r')"
expect "sadp: every line ends in CRLF" "$(grep -c '' "$PM")" \
	"$(($(grep -c $'\r$' "$PM") + 1))"
expect "sadp: element order of the captured reply" \
	"Types DeviceType DeviceDescription DeviceSN CommandPort HttpPort MAC IPv4Address IPv4SubnetMask IPv4Gateway IPv6Address IPv6Gateway IPv6MaskLen DHCP AnalogChannelNum DigitalChannelNum SoftwareVersion DSPVersion BootTime Encrypt ResetAbility DiskNumber Activated PasswordResetAbility PasswordResetModeSecond DetailOEMCode SupportSecurityQuestion SupportHCPlatform HCPlatformEnable IsModifyVerificationCode Salt DeviceLock SDKOverTLSPort SDKServerStatus SDKOverTLSServerStatus SupportMailBox" \
	"$(sed -n '3,$p' "$PM" | sed -n 's/^<\([A-Za-z0-9]*\)>.*/\1/p' | tr '\n' ' ' | sed 's/ $//')"
el() { tr -d '\r' <"$1" | sed -n "s|.*<$2>\(.*\)</$2>.*|\1|p"; }
expect "sadp: well-formed XML" ok "$(xmllint --noout "$PM" && echo ok)"
expect "sadp: Types" inquiry "$(el "$PM" Types)"
expect "sadp: DeviceDescription = model" "$(profile_value hikvision-wsse model)" \
	"$(el "$PM" DeviceDescription)"
expect "sadp: DeviceSN = serial (Hikvision shape)" \
	"$(profile_value hikvision-wsse serial)" "$(el "$PM" DeviceSN)"
expect "sadp: MAC lower-case, dashes" \
	"$(profile_value hikvision-wsse mac | awk '{print $1}' | tr : -)" \
	"$(el "$PM" MAC)"
expect "sadp: SoftwareVersion without a space before build" \
	"$(profile_value hikvision-wsse firmware | sed 's/ build/build/')" \
	"$(el "$PM" SoftwareVersion)"
expect "sadp: CommandPort 8000" 8000 "$(el "$PM" CommandPort)"
expect "sadp: HttpPort = the camera's" "$(hport "$HIK")" "$(el "$PM" HttpPort)"
expect "sadp: IPv4Address" "$NET.1" "$(el "$PM" IPv4Address)"
expect "sadp: the firmware's typo" "flase flase" \
	"$(el "$PM" HCPlatformEnable) $(el "$PM" DeviceLock)"
expect "sadp: DetailOEMCode, DeviceType from the profile" "1 141945" \
	"$(el "$PM" DetailOEMCode) $(el "$PM" DeviceType)"
expect "sadp: another Types verb gets no answer" "" \
	"$(client sadp "$HIK" upd --types update --wait 0.7)"
expect "sadp: a bare Probe without Uuid gets no answer" "" \
	"$(printf '<Probe><Types>inquiry</Types></Probe>' >"$T/bare.xml"
	client udp "$HIK" bare "$T/bare.xml" --wait 0.7)"
expect_match "sadp: the verb is logged" "sadp: Types 'update' from 127\.0\.0\.1:[0-9]+: no answer" \
	"$(cat "$T/sim.log")"

# The Hikvision OEM: found by SADP with its parent's serial shape.
client sadp "$AVY" avy --count 1 --wait 3 >/dev/null
expect "avycon: DeviceSN in Hikvision's shape" ECI-T24F220230615AAWRAC4440853 \
	"$(el "$T/avy.1" DeviceSN)"
expect "avycon: model, firmware, OEM code, MAC" \
	"ECI-T24F2 V5.7.1build 220609 1 08-54-11-5d-7e-70" \
	"$(el "$T/avy.1" DeviceDescription) $(el "$T/avy.1" SoftwareVersion) $(el "$T/avy.1" DetailOEMCode) $(el "$T/avy.1" MAC)"

# ---- DHIP: the framed search, the framed notifyDevInfo ------------------
expect_match "dhip: one reply from the camera's address and port" \
	"^from $NET\.2:$(field "$DAH" dhip) len [0-9]+ file " \
	"$(client dhip "$DAH" dhip --count 1 --wait 3)"
D=$T/dhip.1
LEN=$(stat -c %s "$D")
expect "dhip: header length 32, then the bytes DHIP" "20 00 00 00 44 48 49 50" \
	"$(od -An -tx1 -N8 "$D" | sed 's/^ //')"
expect "dhip: ids zero, both lengths = the body" \
	"0 0 $((LEN - 32)) 0 $((LEN - 32)) 0" \
	"$(od -An -tu4 -j8 -N24 "$D" | tr -s ' \n' '  ' | sed 's/^ //; s/ $//')"
expect "dhip: the body ends in \\n\\0" "0a 00" \
	"$(tail -c 2 "$D" | od -An -tx1 | sed 's/^ //')"
tail -c +33 "$D" | tr -d '\000' >"$T/dhip.json"
dj() { jq -r "$1" <"$2"; }
expect "dhip: method" client.notifyDevInfo "$(dj .method "$T/dhip.json")"
expect "dhip: top-level keys in order" "mac method params" \
	"$(dj '[keys_unsorted[]] | join(" ")' "$T/dhip.json")"
expect "dhip: deviceInfo keys in alphabetical order" true \
	"$(dj '.params.deviceInfo | keys_unsorted == (keys_unsorted | sort)' "$T/dhip.json")"
expect "dhip: / escaped as \\/" 1 "$(grep -c '\\/' "$T/dhip.json")"
expect "dhip: model, serial, port, vendor, class" \
	"$(profile_value dahua model) $(profile_value dahua serial) 37777 Private Private IPC" \
	"$(dj '.params.deviceInfo | "\(.DeviceType) \(.SerialNo) \(.Port) \(.Vendor) \(.Manufacturer) \(.DeviceClass)"' "$T/dhip.json")"
expect "dhip: Version = firmware up to its comma" \
	"$(profile_value dahua firmware | sed 's/,.*//')" \
	"$(dj .params.deviceInfo.Version "$T/dhip.json")"
expect "dhip: mac lower-case with colons" \
	"$(profile_value dahua mac | awk '{print $1}')" "$(dj .mac "$T/dhip.json")"
expect "dhip: unframed JSON gets no answer" "" \
	"$(client dhip "$DAH" unf --unframed --wait 0.7)"
expect "dhip: DHDiscover.getVersion gets no answer" "" \
	"$(client dhip "$DAH" ver --method DHDiscover.getVersion --wait 0.7)"
expect_match "dhip: both logged" \
	"not a framed request, no answer.*method 'DHDiscover.getVersion'" \
	"$(tr '\n' ' ' <"$T/sim.log")"
client dhip "$IB" ib --count 1 --wait 3 >/dev/null
tail -c +33 "$T/ib.1" | tr -d '\000' >"$T/ib.json"
expect "intelbras: the captured DHIP values" \
	"Intelbras Intelbras 2.000.00IB004.0.R K3LJ3400209RH" \
	"$(dj '.params.deviceInfo | "\(.Vendor) \(.Manufacturer) \(.Version) \(.SerialNo)"' "$T/ib.json")"

# ---- HTTP: pages, headers, realms; 404 in the maker's style ------------
expect "hik GET /: 200" 200 "$(get "$HIK" /)"
expect "hik GET /: Server" App-webs/ "$(header Server)"
expect "hik GET /: BOM, then <!doctype html>" "efbbbf3c21646f6374797065" \
	"$(head -c 12 "$T/body" | od -An -tx1 | tr -d ' \n')"
expect "hik /ISAPI/System/deviceInfo: 401" 401 "$(get "$HIK" /ISAPI/System/deviceInfo)"
expect "hik 401: header order of the notes" \
	"Date Server Content-Length Content-Type Connection Keep-Alive WWW-Authenticate WWW-Authenticate " \
	"$(cat "$T/names")"
expect_match "hik 401: Digest qop, realm, hex-of-base64 nonce, stale" \
	'^Digest qop="auth", realm="IP Camera\(C2183\)", nonce="([0-9a-f]{2})+", stale="FALSE"$' \
	"$(header WWW-Authenticate | head -n 1)"
expect "hik 401: then Basic (older firmware)" 'Basic realm="IP Camera(C2183)"' \
	"$(header WWW-Authenticate | tail -n 1)"
expect_match "hik 401 page" "Access Error: 401 -- Unauthorized" "$(cat "$T/body")"
expect "hik: Dahua's path is a 404" 404 \
	"$(get "$HIK" '/cgi-bin/magicBox.cgi?action=getSystemInfo')"
expect_match "hik 404 in its style" "Document Error: Not Found" "$(cat "$T/body")"
expect "hik onvif=off: the ONVIF path is the 404" 404 \
	"$(get "$HIK" /onvif/device_service -d '<x/>')"
expect "dahua GET /: 200" 200 "$(get "$DAH" /)"
expect "dahua: upper-case header names, no Server" \
	"CONNECTION CONTENT-LENGTH CACHE-CONTROL CONTENT-TYPE Etag P3P " \
	"$(cat "$T/names")"
expect_match "dahua: BOM + XHTML Strict, title, markers" \
	'^<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN".*<title>WEB SERVICE</title>.*ui-dialog-content.*t_username.*slct_userType.*@WebVersion@' \
	"$(tail -c +4 "$T/body" | tr '\n' ' ')"
expect "dahua magicBox: 401" 401 \
	"$(get "$DAH" '/cgi-bin/magicBox.cgi?action=getSystemInfo')"
expect_match "dahua: realm Login to <serial>, qop, opaque" \
	"^Digest realm=\"Login to $(profile_value dahua serial)\", qop=\"auth\", nonce=\"[0-9a-f]{32}\", opaque=\"[0-9a-f]{16}\"\$" \
	"$(header WWW-Authenticate)"
expect "dahua: Hikvision's path is a 404" 404 "$(get "$DAH" /ISAPI/System/deviceInfo)"
RPC='{"method":"global.login","params":{"userName":"admin","password":"","clientType":"Web3.0","loginType":"Direct"},"id":1}'
expect "dahua RPC2_Login, empty password: 200" 200 \
	"$(get "$DAH" /RPC2_Login -H 'Content-Type: application/json' -d "$RPC")"
expect "dahua RPC2_Login: the login challenge with MAC and realm" \
	"268632079 false Default $(profile_value dahua mac | awk '{print $1}' | tr -d : | tr a-f A-F) Login to $(profile_value dahua serial)" \
	"$(jq -r '"\(.error.code) \(.result) \(.params.encryption) \(.params.mac) \(.params.realm)"' "$T/body")"
expect "amcrest RPC2_Login: realm Login to AMC..., a Dahua MAC" \
	"Login to AMC0572D8E1F3C0B7A 3CEF8C6101C0" \
	"$(get "$AMC" /RPC2_Login -d "$RPC" >/dev/null; jq -r '"\(.params.realm) \(.params.mac)"' "$T/body")"
expect_match "amcrest: an empty title" "<title></title>" \
	"$(get "$AMC" / >/dev/null; cat "$T/body")"
PWSENT=Rpc2-never-$$
expect "RPC2_Login with a password: refused" "0 false" \
	"$(get "$AMC" /RPC2_Login -d "${RPC/\"password\":\"\"/\"password\":\"$PWSENT\"}" >/dev/null
	jq -r '"\(.error.code) \(.result)"' "$T/body")"
expect_match "RPC2_Login refusal logged, without the password" \
	"amcrest@$NET\.7:[0-9]+ rpc2: refused: a password was sent" "$(cat "$T/sim.log")"
expect "the log never holds the password" 0 "$(grep -c -- "$PWSENT" "$T/sim.log")"
expect "axis /axis-cgi/basicdeviceinfo.cgi: 401" 401 \
	"$(get "$AXIS" /axis-cgi/basicdeviceinfo.cgi)"
expect_match "axis: realm AXIS_<MAC>" '^Digest realm="AXIS_B8A44FA04F26", ' \
	"$(header WWW-Authenticate)"
expect "axis onvif=401: the ONVIF path" 401 \
	"$(get "$AXIS" /onvif/device_service -d '<x/>')"
expect_match "axis: title AXIS" "<title>AXIS</title>" \
	"$(get "$AXIS" / >/dev/null; cat "$T/body")"
expect "hanwha /stw-cgi/: 401" 401 \
	"$(get "$HAN" '/stw-cgi/system.cgi?msubmenu=deviceinfo&action=view')"
expect_match "hanwha: nginx, realm iPolis_<MAC dashed>" \
	'^nginx Digest qop="auth", realm="iPolis_00-09-18-5D-42-C1", nonce=' \
	"$(header Server) $(header WWW-Authenticate)"
expect "uniview /LAPI/: 401" 401 "$(get "$UNV" /LAPI/V1.0/System/DeviceBasicInfo)"
expect_match "uniview: realm NVRDVR, no Server" '^Digest realm="NVRDVR".* none$' \
	"$(header WWW-Authenticate) $(grep -c '^Server:' "$T/head" | sed 's/^0$/none/')"
expect "bosch GET / as HTTP/1.0: a bare 401 in HTTP/1.0" \
	"HTTP/1.0 401 Unauthorized|WWW-Authenticate: Digest realm=\"Use 'live' as User Name in order to log in to the respective level\"" \
	"$(get "$BOSCH" / -0 >/dev/null; head -n 2 "$T/head" | sed 's/,nonce=.*//' | paste -sd '|')"
curl -s --max-time 5 -o /dev/null -d '<x/>' "http://$(hp "$BOSCH")/onvif/device_service"
expect "bosch onvif=reset: the connection is reset (curl 56)" 56 "$?"
expect "generic: Basic realm that names no one" 'Basic realm="IPCamera Login"' \
	"$(get "$GEN" '/cgi-bin/magicBox.cgi?action=getSystemInfo' >/dev/null
	header WWW-Authenticate)"
expect_match "onvif=off: no WS-Discovery" \
	"hikvision-wsse@$NET\.1:[0-9]+ wsd: ONVIF off, no discovery" "$(cat "$T/sim.log")"

# ---- RTSP: OPTIONS and DESCRIBE without credentials --------------------
rtsp "$HIK" ro OPTIONS
expect "hik OPTIONS: 200, CSeq, Public, no Server" \
	"RTSP/1.0 200 OK|CSeq: 2|Public: OPTIONS, DESCRIBE, PLAY, PAUSE, SETUP, TEARDOWN, SET_PARAMETER, GET_PARAMETER|0" \
	"$(head -n 3 "$T/ro" | paste -sd '|')|$(grep -c '^Server:' "$T/ro")"
expect_match "hik OPTIONS: Date with two spaces, weekday month day year" \
	'^Date:  (Mon|Tue|Wed|Thu|Fri|Sat|Sun), [A-Z][a-z]{2} [0-9]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$' \
	"$(grep '^Date:' "$T/ro")"
rtsp "$HIK" rd DESCRIBE
expect_match "hik DESCRIBE: 401 Digest realm IP Camera(...), 32-hex nonce" \
	'^RTSP/1\.0 401 Unauthorized\|CSeq: 2\|WWW-Authenticate: Digest realm="IP Camera\(C2875\)", nonce="[0-9a-f]{32}", stale="FALSE"\|' \
	"$(paste -sd '|' "$T/rd")"
rtsp "$DAH" dao OPTIONS
expect_match "dahua OPTIONS: 401, only CSeq and the realm" \
	"^RTSP/1\.0 401 Unauthorized\|CSeq: 2\|WWW-Authenticate: Digest realm=\"Login to $(profile_value dahua serial)\", nonce=\"[0-9a-f]{32}\"\|\$" \
	"$(paste -sd '|' "$T/dao")"
rtsp "$UNV" uo OPTIONS
rtsp "$UNV" ud DESCRIBE
expect "uniview: Public without spaces" \
	"Public: OPTIONS,DESCRIBE,SETUP,PLAY,PAUSE,TEARDOWN,ANNOUNCE,SET_PARAMETER,GET_PARAMETER" \
	"$(grep '^Public:' "$T/uo")"
expect_match "uniview DESCRIBE: realm = the MAC in hex" \
	'^WWW-Authenticate: Digest realm="48ea631c4e92",nonce="[0-9a-f]{32}", stale="FALSE"$' \
	"$(grep '^WWW-Authenticate:' "$T/ud")"
rtsp "$HAN" ho OPTIONS
expect_match "hanwha OPTIONS: 401 iPOLiS, upper-case nonce, Expires, Cache-Control" \
	'401 Unauthorized.*\|Expires: .*\|Cache-Control: must-revalidate\|WWW-Authenticate: Digest realm="iPOLiS", nonce="[0-9A-F]{32}"' \
	"$(paste -sd '|' "$T/ho")"
rtsp "$AXIS" ad DESCRIBE
expect_match "axis DESCRIBE: AXIS_WS_<MAC>" 'Digest realm="AXIS_WS_B8A44FA04F26", nonce="[0-9a-f]{32}", stale=FALSE' \
	"$(grep '^WWW-Authenticate:' "$T/ad")"
rtsp "$HIK" rauth DESCRIBE --auth 'Digest username="admin", realm="IP Camera(C2875)", nonce="00", uri="rtsp://x/", response="00"'
expect "credentials change nothing: still 401" "RTSP/1.0 401 Unauthorized" \
	"$(head -n 1 "$T/rauth")"
expect_match "RTSP credentials logged as refused" \
	"rtsp: DESCRIBE rtsp://$NET\.1:[0-9]+/ status=401 auth=refused-Digest" \
	"$(cat "$T/sim.log")"

# ---- TLS: the makers' certificates ---------------------------------------
subject_of() { openssl x509 -noout -subject -nameopt RFC2253,-esc_msb | sed 's/^subject=//'; }
issuer_of() { openssl x509 -noout -issuer -nameopt RFC2253,-esc_msb | sed 's/^issuer=//'; }
served "$HIK" "$(field "$HIK" https)" >"$T/hik.pem"
expect "hik certificate: subject" "$(profile_value hikvision-wsse tls_subject)" \
	"$(subject_of <"$T/hik.pem")"
expect "hik certificate: self-signed" "$(subject_of <"$T/hik.pem")" \
	"$(issuer_of <"$T/hik.pem")"
expect "https-sha256 in the ready file = the served certificate" \
	"$(field "$HIK" https-sha256)" \
	"$(openssl x509 -noout -fingerprint -sha256 <"$T/hik.pem" | sed 's/.*=//; s/://g' | tr A-F a-f)"
expect "hik over HTTPS: the same 401" 401 \
	"$(curl -sk -o /dev/null -w '%{http_code}' "https://$NET.1:$(field "$HIK" https)/ISAPI/Security/userCheck")"
served "$DAH" "$(field "$DAH" https)" >"$T/dah.pem"
expect "dahua certificate: CN = the address, C=CN" "CN=$NET.2,C=CN" \
	"$(subject_of <"$T/dah.pem")"
expect "dahua certificate: issuer with no-break spaces" \
	"$(subst "$(profile_value dahua tls_issuer)" "$NET.2")" "$(issuer_of <"$T/dah.pem")"
expect_match "dahua issuer: U+00A0 as bytes" 'CN=Dahua\\C2\\A0Device\\C2\\A0NVR' \
	"$(openssl x509 -noout -issuer -nameopt RFC2253 <"$T/dah.pem")"
expect "axis certificate" "CN=axis-b8a44fa04f26,O=Axis Communications AB" \
	"$(served "$AXIS" "$(field "$AXIS" https)" | subject_of)"
expect "bosch certificate: issued by the device CA" \
	"serialNumber=404754734001050102,CN=00-07-5F-E0-A6-04,OU=ST-VS,O=Bosch Sicherheitssysteme GmbH,L=Grasbrunn,C=DE" \
	"$(served "$BOSCH" "$(field "$BOSCH" https)" | issuer_of)"

# ---- Hostile modes -------------------------------------------------------
c=hikvision-wsse@$NET.11
client sadp "$c" huge --count 1 --wait 3 >/dev/null
expect_match "sadp-huge: one datagram of 60-64 KB" '^6[0-4][0-9]{3}$' \
	"$(stat -c %s "$T/huge.1")"
client sadp hikvision-wsse@$NET.12 deep --count 1 --wait 3 >/dev/null
expect "sadp-deep: 8000 nested elements" 8000 "$(grep -o '<a>' "$T/deep.1" | wc -l)"
client sadp hikvision-wsse@$NET.13 dtd --count 1 --wait 3 >/dev/null
expect_match "sadp-dtd: a DOCTYPE, an external entity, the laughs" \
	'^<!DOCTYPE ProbeMatch \[ <!ENTITY ext SYSTEM "file:///etc/passwd"> <!ENTITY l0 "lol">.*<DeviceDescription>&l9;</DeviceDescription>' \
	"$(sed -n '2,$p' "$T/dtd.1" | tr -d '\r' | tr '\n' ' ')"
client dhip dahua@$NET.14 long --count 1 --wait 3 >/dev/null
L=$(($(stat -c %s "$T/long.1") - 32))
expect "dhip-long-length: both lengths say 4096 more" "$((L + 4096)) $((L + 4096))" \
	"$(od -An -tu4 -j16 -N12 "$T/long.1" | awk '{print $1, $3}')"
client dhip dahua@$NET.15 short --count 1 --wait 3 >/dev/null
L=$(($(stat -c %s "$T/short.1") - 32))
expect "dhip-short-length: both lengths say half" "$((L / 2)) $((L / 2))" \
	"$(od -An -tu4 -j16 -N12 "$T/short.1" | awk '{print $1, $3}')"
expect "http-huge: GET / announces and sends 2 MB" "200 2097152" \
	"$(curl -s --max-time 20 -o /dev/null -w '%{http_code} %{size_download}' "http://$(hp dahua@$NET.16)/")"
rtsp dahua@$NET.17 rhuge DESCRIBE --max 100000
expect "rtsp-huge: a 2 MB description, cut by the client's cap" \
	"max|Content-Length: 2097152" \
	"$(cat "$T/rhuge.status" | tail -n 1)|$(grep '^Content-Length:' "$T/rhuge")"
rtsp hikvision-wsse@$NET.18 rdrip OPTIONS --wait 1
expect "rtsp-drip: headers that never end" "timeout|RTSP/1.0 200 OK|CSeq: 2|X-Drip: a|0" \
	"$(tail -n 1 "$T/rdrip.status")|$(head -n 3 "$T/rdrip" | paste -sd '|')|$(grep -c '^$' "$T/rdrip")"
curl -s --max-time 1 -D "$T/hdrip" -o /dev/null "http://$(hp generic@$NET.19)/"
expect "header-drip on the page at /: curl times out (28)" 28 "$?"
expect_match "header-drip: X-Drip lines, never the blank line" '^HTTP/1.1 200 OK\|X-Drip: a' \
	"$(tr -d '\r' <"$T/hdrip" | paste -sd '|')"
c=axis@$NET.20
served "$c" "$(field "$c" https)" >"$T/ctl.pem"
expect_match "cert-control: escapes, CR LF, NUL and an RLO in the subject" \
	'CN=\\1B\[2J\\1B\[31mcamera\\07\\0D\\0AX-Injected: 1\\00hidden\\7F.*\\E2\\80\\AE' \
	"$(openssl x509 -noout -subject -nameopt RFC2253 <"$T/ctl.pem")"
expect "cert-control: the camera still serves its pages" 200 \
	"$(curl -sk -o /dev/null -w '%{http_code}' "https://$NET.20:$(field "$c" https)/")"
expect_match "spoof-from: SADP reply from the other address" \
	"^from $NET\.250:$(field hikvision-wsse@$NET.21 sadp) len " \
	"$(client sadp hikvision-wsse@$NET.21 sp --count 1 --wait 3)"
expect_match "spoof-from: DHIP reply from the other address" \
	"^from $NET\.251:$(field dahua@$NET.22 dhip) len " \
	"$(client dhip dahua@$NET.22 dp --count 1 --wait 3)"
expect_match "spoof-from: logged" "sadp: ProbeMatch \([0-9]+ bytes\) to 127\.0\.0\.1:[0-9]+ from $NET\.250 \(spoofed\)" \
	"$(cat "$T/sim.log")"

# ---- Capture: every byte sent to every surface ---------------------------
expect "capture: the SADP probe" 1 "$(capture "$HIK" | grep -c "<Uuid>$UUID</Uuid>")"
expect "capture: the DHIP search, framed" 1 \
	"$(capture "$DAH" | grep -ac 'DHIP.*DHDiscover.search')"
expect "capture: the HTTP requests of every path" 3 \
	"$(capture "$DAH" | grep -ac -e '^GET / HTTP' -e '^GET /cgi-bin/magicBox' -e '^POST /RPC2_Login')"
expect "capture: the password an RPC2 client sent" 1 "$(capture "$AMC" | grep -c -- "$PWSENT")"
expect "capture: RTSP, the Authorization a client sent" 1 \
	"$(capture "$HIK" | grep -c '^Authorization: Digest username="admin"')"
expect "capture: HTTPS, after decryption" 1 \
	"$(capture "$HIK" | grep -c '^GET /ISAPI/Security/userCheck HTTP')"
expect "capture files are 0600" 600 "$(stat -c %a "$CAP/${NET}.1_$(hport "$HIK").capture")"

# ---- A range: one socket per surface, each camera itself -----------------
expect "range: 200 cameras ready" 200 "$(grep -c "^hikvision-digest@$RNET\." "$READY")"
ports() { grep "^hikvision-digest@$RNET\." "$READY" | tr ' ' '\n' | grep "^$1=" | sort -u | wc -l; }
expect "range: one SADP port, one RTSP port for the 200" "1 1" "$(ports sadp) $(ports rtsp)"
for h in 7 200; do
	c=hikvision-digest@$RNET.$h
	client sadp "$c" r$h --count 1 --wait 3 >/dev/null
	expect "range: $RNET.$h answers SADP for itself" "$RNET.$h" "$(el "$T/r$h.1" IPv4Address)"
done
rtsp hikvision-digest@$RNET.150 rr OPTIONS
expect "range: RTSP on the shared port" "RTSP/1.0 200 OK" "$(head -n 1 "$T/rr")"
expect_match "range: camsim holds few descriptors" '^[0-9]{1,2}$' \
	"$(ls "/proc/$SIM/fd" | wc -l)"

kill "$SIM"
wait "$SIM" 2>/dev/null
expect_match "stop: UDP counters logged" "udp: stopped: [0-9]+ SADP and [0-9]+ DHIP replies sent" \
	"$(cat "$T/sim.log")"

# ---- Namespaces: multicast, broadcast, Hello, WS-Discovery's silence -----
netns_ok() {
	[ "$EUID" = 0 ] && command -v ip >/dev/null || return 1
	ip netns add "simu-probe-$$" 2>/dev/null || return 1
	ip netns del "simu-probe-$$"
}
if ! netns_ok; then
	echo "# namespaces unavailable: multicast checks not run"
	finish
	exit $?
fi
. "$(dirname "$0")/lib-netns.sh"
netns_init simu
MNET=10.231.24
netns_switch
netns_host nms $MNET 2
netns_host cams $MNET 10 4
NS_RUN="ip netns exec $NETNS_NMS"
# Hello: a listener on the group before the camera starts.
$NS_RUN "$top_builddir/tests/sim/wsdsend" -s 0.0.0.0:37020 -j $MNET.2 -n 0 \
	-l 8 239.255.255.250 /dev/null >"$T/hello.out" 2>&1 &
PIDS="$PIDS $!"
# 239.255.255.250 is FAFFFFEF in the namespace's /proc/net/igmp.
joined() { $NS_RUN grep -q FAFFFFEF /proc/net/igmp; }
wait_until 5 joined || fail "the Hello listener did not join the group"
NSPECS=(
	"hikvision-wsse@$MNET.10:80,onvif=off,sadp-hello=yes"
	"dahua@$MNET.11:80,onvif=off"
	"avycon@$MNET.12:80,onvif=off,sadp-reply=both"
	"intelbras@$MNET.13:80,onvif=off"
	"axis@$MNET.14:80"
)
ip netns exec "$NETNS_CAMS" "$CAMSIM" -u -w -d "$PROFILES" -r "$T/nready" \
	-l "$T/nsim.log" "${NSPECS[@]}" >>"$T/nsim.out" 2>&1 &
PIDS="$PIDS $!"
wait_for_file "$T/nready" 10 || { cat "$T/nsim.out"; fail "camsim in a namespace"; exit 1; }
hello_heard() { grep -q '<Hello><Uuid>' "$T/hello.out"; }
wait_until 8 hello_heard
expect_match "sadp-hello: a Hello on the group from the camera" \
	"from $MNET\.10:37020 len [0-9]+" "$(cat "$T/hello.out")"
expect "sadp-hello: Types hello" 1 "$(grep -c '<Types>hello</Types>' "$T/hello.out")"
mc() { $NS_RUN "$PY" "$CLIENT" "$@" | awk '{print $2}' | sort | paste -sd ' '; }
expect "SADP multicast: the two Hikvision-family cameras answer" \
	"$MNET.10:37020 $MNET.12:37020" \
	"$(mc sadp 239.255.255.250 37020 "$T/ms" --group $MNET.2 --count 2 --wait 3)"
expect "DHIP multicast: the two Dahua-family cameras answer" \
	"$MNET.11:37810 $MNET.13:37810" \
	"$(mc dhip 239.255.255.251 37810 "$T/md" --group $MNET.2 --count 2 --wait 3)"
expect "DHIP broadcast: the same two" "$MNET.11:37810 $MNET.13:37810" \
	"$(mc dhip 255.255.255.255 37810 "$T/mb" --broadcast $MNET.2 --count 2 --wait 3)"
expect "-u: RTSP on 554, HTTPS on 443" "RTSP/1.0 401 Unauthorized 200" \
	"$($NS_RUN "$PY" "$CLIENT" rtsp $MNET.11 554 "$T/n554" OPTIONS >/dev/null
	head -n 1 "$T/n554.1" | tr -d '\r') $($NS_RUN curl -sk -o /dev/null -w '%{http_code}' https://$MNET.12/)"
wait_until 3 grep -q "avycon@$MNET\.12:80 sadp: ProbeMatch .* to 239\.255\.255\.250:37020" "$T/nsim.log"
expect_match "sadp-reply=both: the ProbeMatch also to the group" \
	"avycon@$MNET\.12:80 sadp: ProbeMatch \([0-9]+ bytes\) to 239\.255\.255\.250:37020 from $MNET\.12" \
	"$(cat "$T/nsim.log")"
# WS-Discovery: only the camera with ONVIF on answers a Probe.
printf '%s' '<?xml version="1.0" encoding="UTF-8"?><e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><e:Header><a:MessageID>urn:uuid:@UUID@</a:MessageID><a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action></e:Header><e:Body><d:Probe><d:Types></d:Types></d:Probe></e:Body></e:Envelope>' >"$T/wsprobe.xml"
$NS_RUN "$top_builddir/tests/sim/wsdsend" -u -i $MNET.2 -l 2 239.255.255.250 \
	"$T/wsprobe.xml" >"$T/ws.out" 2>&1
expect "WS-Discovery: only the ONVIF-on camera answers" "$MNET.14:3702" \
	"$(sed -n 's/^from \([0-9.:]*\) len.*/\1/p' "$T/ws.out" | sort -u | paste -sd ' ')"

finish
