#!/bin/bash
# sim-hostile-modes.sh: camsim's hostile modes for the client's TLS,
# deadline and never-Basic work, checked with clients we did not write
# (curl, openssl): HTTPS with the fingerprint the ready file announces, the
# certificate swap on SIGUSR1, tls-drip and header-drip dripping (and
# counted against the connection cap), the basic-only, basic-digest and
# digest-basic challenges, and the capture of what clients send.
. "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || skip "curl not installed (Debian package curl)"
command -v openssl >/dev/null ||
	skip "openssl not installed (Debian package openssl)"

NET=127.2.33
PWVAL=hostile-Pass-7
PW=$(password_file cam "$PWVAL")
READY=$T/ready
CAP=$T/capture
mkdir -p "$CAP"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$T/key.pem" -out "$T/cert.pem" -days 2 \
	-subj /CN=file-cert.test >/dev/null 2>&1 || fail "openssl req"

SPECS=(
	"hikvision-wsse@$NET.1:0,tls=yes,cert-swap=yes"
	"generic@$NET.2:0,tls=yes,tls-cert=$T/cert.pem,tls-key=$T/key.pem"
	"axis@$NET.3:0,fault=tls-drip"
	"generic@$NET.4:0,fault=header-drip"
	"generic@$NET.5:0,fault=header-drip,tls=yes,drip-ms=50"
	"hikvision-digest@$NET.6:0,fault=basic-only,password-file=$PW"
	"hikvision-wsse@$NET.7:0,fault=basic-digest,password-file=$PW"
	"dahua@$NET.8:0,fault=digest-basic,fault-scope=all,password-file=$PW"
	"generic@$NET.9:0"
	"axis@$NET.10:0,fault=tls-drip"
)
start_capture_sim "${SPECS[@]}"

# Ready-file fields of the camera whose label starts with PROFILE@ADDR.
url() { ready_line "$1" | awk '{ print $2 }'; }
hostport() { url "$1" | sed 's|^[a-z]*://||; s|/.*||'; }
fpr() { ready_line "$1" | sed -n 's/.* sha256=\([0-9a-f]*\)$/\1/p'; }
capture() { cat "$CAP/${1#*@}_$(hostport "$1" | sed 's/.*://').capture"; }
# The certificate a TLS client is served, and its SHA-256 (camsim's form).
served_pem() {
	timeout 10 openssl s_client -connect "$(hostport "$1")" </dev/null \
		2>/dev/null | openssl x509 2>/dev/null
}
sha_of() { openssl x509 -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' |
	tr 'A-F' 'a-f'; }
# wait_until SECONDS COMMAND...: a condition with a deadline, not a sleep.
wait_until() {
	local n=$(($1 * 20))
	shift
	until "$@" || [ "$n" -le 0 ]; do
		sleep 0.05
		n=$((n - 1))
	done
	"$@"
}
soap() {
	printf '<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="%s">%s%s%s</s:Envelope>' \
		http://www.w3.org/2003/05/soap-envelope '<s:Body>' \
		"<$1 xmlns=\"http://www.onvif.org/ver10/device/wsdl\"/>" \
		'</s:Body>'
}
soap GetSystemDateAndTime >"$T/time.xml"
soap GetDeviceInformation >"$T/info.xml"
# post URL BODY-FILE [CURL-ARGS...]: prints the HTTP status; the body goes
# to $T/body, the headers to $T/head.
post() {
	local u=$1 f=$2
	shift 2
	curl -s --max-time 10 -o "$T/body" -D "$T/head" -w '%{http_code}' \
		-H 'Content-Type: application/soap+xml; charset=utf-8' \
		--data-binary "@$f" "$@" "$u"
}

# The drip clients run while everything else is checked: neither may hold
# up another camera.  tls-drip: OpenSSL's own client with -debug shows
# every read and how much of the announced record it still expects.
timeout 3 openssl s_client -connect "$(hostport axis@$NET.3)" -debug \
	</dev/null >"$T/tlsdrip.out" 2>&1 &
TLSDRIP=$!
curl -s --max-time 2 -D "$T/hd.head" -o "$T/hd.body" \
	-H 'Content-Type: application/soap+xml' --data-binary "@$T/time.xml" \
	"$(url generic@$NET.4)" >/dev/null 2>&1 &
HD=$!
curl -sk --max-time 2 -D "$T/hds.head" -o "$T/hds.body" \
	-H 'Content-Type: application/soap+xml' --data-binary "@$T/time.xml" \
	"$(url generic@$NET.5)" >/dev/null 2>&1 &
HDS=$!
PIDS="$PIDS $TLSDRIP $HD $HDS"

# Ready file: plain lines as before, HTTPS lines with the fingerprint.
expect_match "plain camera's ready line unchanged" \
	"^generic@$NET\.9:[0-9]+ http://$NET\.9:[0-9]+/onvif/device_service\$" \
	"$(ready_line generic@$NET.9)"
expect_match "tls camera's ready line: https URL and sha256" \
	"^hikvision-wsse@$NET\.1:[0-9]+ https://$NET\.1:[0-9]+/onvif/device_service sha256=[0-9a-f]{64}\$" \
	"$(ready_line hikvision-wsse@$NET.1)"

# HTTPS: a real answer, and the certificate the ready file announces.
expect "https GetSystemDateAndTime" 200 \
	"$(post "$(url hikvision-wsse@$NET.1)" "$T/time.xml" -k)"
expect_match "https answer is SOAP" "UTCDateTime" "$(cat "$T/body")"
served_pem hikvision-wsse@$NET.1 >"$T/served1.pem"
FPR1=$(fpr hikvision-wsse@$NET.1)
expect "served fingerprint = ready file's" "$FPR1" "$(sha_of <"$T/served1.pem")"
expect "generated certificate: subject" "subject=CN = $NET.1" \
	"$(openssl x509 -noout -subject -nameopt oneline <"$T/served1.pem")"
expect "a client trusting that certificate verifies the address" 200 \
	"$(post "$(url hikvision-wsse@$NET.1)" "$T/time.xml" \
		--cacert "$T/served1.pem")"
expect_match "capture holds the decrypted request" \
	"POST /onvif/device_service HTTP/1.1.*GetSystemDateAndTime" \
	"$(capture hikvision-wsse@$NET.1 | tr -d '\r\n')"
expect_match "log names the first certificate" \
	"tls: hikvision-wsse@$NET.1:[0-9]+ certificate sha256 $FPR1" \
	"$(cat "$T/sim.log")"
FILEFPR=$(sha_of <"$T/cert.pem")
expect "tls-cert: ready file's fingerprint is the file's" "$FILEFPR" \
	"$(fpr generic@$NET.2)"
expect "tls-cert: that certificate is served" "$FILEFPR" \
	"$(served_pem generic@$NET.2 | sha_of)"

# basic-only: one Basic challenge; right Basic credentials are welcome,
# and the capture shows that the client sent them.
expect "basic-only: identity call without credentials" 401 \
	"$(post "$(url hikvision-digest@$NET.6)" "$T/info.xml")"
expect "basic-only: one challenge, Basic" 'WWW-Authenticate: Basic realm="IP Camera"' \
	"$(grep -i '^WWW-Authenticate:' "$T/head" | tr -d '\r')"
expect "basic-only: GetSystemDateAndTime stays open" 200 \
	"$(post "$(url hikvision-digest@$NET.6)" "$T/time.xml")"
expect "basic-only: wrong Basic password" 401 \
	"$(post "$(url hikvision-digest@$NET.6)" "$T/info.xml" -u admin:nope --basic)"
expect "basic-only: right Basic password" 200 \
	"$(post "$(url hikvision-digest@$NET.6)" "$T/info.xml" -u "admin:$PWVAL" --basic)"
expect_match "basic-only: the camera answers" \
	"<tds:Manufacturer>$(profile_value hikvision-digest manufacturer)<" \
	"$(cat "$T/body")"
B64=$(printf 'admin:%s' "$PWVAL" | base64)
expect "capture: Authorization: Basic with base64 of user:password" 1 \
	"$(capture hikvision-digest@$NET.6 | grep -c "^Authorization: Basic $B64")"

# basic-digest and digest-basic: both challenges, in that order, one
# realm; a Digest answer works, and a Digest client never sends Basic.
expect "basic-digest: 401" 401 \
	"$(post "$(url hikvision-wsse@$NET.7)" "$T/info.xml")"
expect_match "basic-digest: Basic, then Digest" \
	'^WWW-Authenticate: Basic realm="IP Camera" WWW-Authenticate: Digest realm="IP Camera", qop="auth", nonce="[0-9a-f]+"' \
	"$(grep -i '^WWW-Authenticate:' "$T/head" | tr -d '\r' | tr '\n' ' ')"
expect "basic-digest: curl --digest" 200 \
	"$(post "$(url hikvision-wsse@$NET.7)" "$T/info.xml" -u "admin:$PWVAL" --digest)"
expect_match "basic-digest: the camera answers" \
	"<tds:Manufacturer>$(profile_value hikvision-wsse manufacturer)<" \
	"$(cat "$T/body")"
expect "digest-basic, fault-scope=all: even GetSystemDateAndTime" 401 \
	"$(post "$(url dahua@$NET.8)" "$T/time.xml")"
expect_match "digest-basic: Digest, then Basic" \
	'^WWW-Authenticate: Digest realm="IP Camera", [^ ]+ [^ ]+ [^ ]+ [^ ]+ [^ ]+ WWW-Authenticate: Basic realm="IP Camera" $' \
	"$(grep -i '^WWW-Authenticate:' "$T/head" | tr -d '\r' | tr '\n' ' ')"
expect "digest-basic: curl --anyauth picks Digest" 200 \
	"$(post "$(url dahua@$NET.8)" "$T/time.xml" -u "admin:$PWVAL" --anyauth)"
expect "digest clients: Digest answers captured" 2 \
	"$( (capture hikvision-wsse@$NET.7; capture dahua@$NET.8) |
		grep -c '^Authorization: Digest username="admin"')"
expect "digest clients: never Basic, never the password" 0 \
	"$( (capture hikvision-wsse@$NET.7; capture dahua@$NET.8) |
		grep -Fc -e 'Authorization: Basic' -e "$PWVAL")"

# Certificate swap: a new fingerprint for new connections, the same
# subject, the ready file rewritten; a file certificate is left alone.
kill -USR1 "$SIM"
fpr_changed() {
	local f
	f=$(fpr hikvision-wsse@$NET.1)
	[ -n "$f" ] && [ "$f" != "$FPR1" ]
}
wait_until 10 fpr_changed || fail "ready file not rewritten after SIGUSR1"
FPR2=$(fpr hikvision-wsse@$NET.1)
served_pem hikvision-wsse@$NET.1 >"$T/served2.pem"
expect "after SIGUSR1: served fingerprint = the new one" "$FPR2" \
	"$(sha_of <"$T/served2.pem")"
expect "after SIGUSR1: subject kept" \
	"$(openssl x509 -noout -subject <"$T/served1.pem")" \
	"$(openssl x509 -noout -subject <"$T/served2.pem")"
expect "after SIGUSR1: public key changed" 0 \
	"$(cmp -s <(openssl x509 -noout -pubkey <"$T/served1.pem") \
		<(openssl x509 -noout -pubkey <"$T/served2.pem") && echo 1 || echo 0)"
expect_match "after SIGUSR1: logged" \
	"tls: hikvision-wsse@$NET.1:[0-9]+ certificate swapped, sha256 $FPR2" \
	"$(cat "$T/sim.log")"
expect "after SIGUSR1: a client pinned on the old certificate refuses" 60 \
	"$(curl -s --max-time 10 -o /dev/null --cacert "$T/served1.pem" \
		"$(url hikvision-wsse@$NET.1)"; echo $?)"
expect "after SIGUSR1: every camera still in the ready file" \
	"${#SPECS[@]}" "$(wc -l <"$READY")"
expect "after SIGUSR1: cert-swap=no keeps its certificate" "$FILEFPR" \
	"$(served_pem generic@$NET.2 | sha_of)"

# The drips, measured over their windows: some bytes, at about the pace
# asked (at most one per drip-ms), never the end.
wait "$TLSDRIP"
expect "tls-drip: the client still waits for the handshake" 124 "$?"
reads=$(grep '^read from' "$T/tlsdrip.out")
got=$(printf '%s\n' "$reads" | sed -n 's/.*=> \([0-9]*\) .*/\1/p' |
	awk '{ s += $1 } END { print s - 5 }')
expect_match "tls-drip: a 5-byte header announcing 16000 bytes" \
	'^read from .*\(5 bytes => 5 \(0x5\)\) read from .*\(16000 bytes => ' \
	"$(printf '%s\n' "$reads" | head -2 | tr '\n' ' ')"
CHECKS=$((CHECKS + 1))
if [ "${got:-0}" -ge 10 ] && [ "$got" -le $((3000 / 25 + 2)) ]; then
	echo "ok - tls-drip: $got record bytes in 3 s"
else
	fail "tls-drip: want 10..122 record bytes in 3 s, got '$got'"
fi
expect "tls-drip: no certificate ever arrives" 0 \
	"$(grep -c -e 'Server certificate' -e 'BEGIN CERTIFICATE' "$T/tlsdrip.out")"
expect "tls-drip: capture holds the raw ClientHello" "16 03" \
	"$(capture axis@$NET.3 | head -c 2 | od -An -tx1 | sed 's/^ *//')"
# drip_lines NAME HEAD-FILE CURL-PID MAX: header lines that never end.
drip_lines() {
	wait "$3"
	expect "$1: curl gave up (28: timed out)" 28 "$?"
	expect "$1: status line" "HTTP/1.1 200 OK" "$(head -n 1 "$2" | tr -d '\r')"
	local n
	n=$(grep -c '^X-Drip: a' "$2")
	CHECKS=$((CHECKS + 1))
	if [ "$n" -ge 1 ] && [ "$n" -le "$4" ]; then
		echo "ok - $1: $n header lines in 2 s"
	else
		fail "$1: want 1..$4 header lines in 2 s, got $n"
	fi
	expect "$1: no body" 0 "$({ wc -c <"${2%.head}.body"; } 2>/dev/null || echo 0)"
}
# 11-byte lines: 2 s at 25 ms is at most 81 bytes, at 50 ms 41.
drip_lines "header-drip" "$T/hd.head" "$HD" 7
drip_lines "header-drip over TLS, drip-ms=50" "$T/hds.head" "$HDS" 3

# tls-drip connections count against the per-camera cap (64): hold 64
# silent connections (camsim waits for their ClientHello), and the next
# is closed at once; after they go, connections are taken again.
fds=()
hp=$(hostport axis@$NET.10)
for _ in $(seq 1 64); do
	exec {fd}<>"/dev/tcp/${hp%:*}/${hp#*:}" || break
	fds+=("$fd")
done
expect "tls-drip cap: 64 connections opened" 64 "${#fds[@]}"
busy() { [ "$(grep -c "axis@$NET.10:[0-9]* busy" "$T/sim.log")" -ge 1 ]; }
exec {extra}<>"/dev/tcp/${hp%:*}/${hp#*:}"
wait_until 10 busy
expect "tls-drip cap: the 65th is refused" 0 "$?"
timeout 5 cat <&"$extra" >/dev/null
expect "tls-drip cap: ... closed at once" 0 "$?"
exec {extra}>&-
for fd in "${fds[@]}"; do exec {fd}>&-; done
hello_seen() { [ "$(grep -c "axis@$NET.10:[0-9]* tls-drip:" "$T/sim.log")" -ge 1 ]; }
printf '\026\003\001\000\004\001\000\000\000' >"$T/hello"
# A connection with a (minimal) ClientHello, until camsim takes one.
taken() {
	exec {again}<>"/dev/tcp/${hp%:*}/${hp#*:}" || return 1
	cat "$T/hello" >&"$again"
	wait_until 2 hello_seen
	local rc=$?
	exec {again}>&-
	return $rc
}
for _ in 1 2 3 4 5; do taken && break; done
expect "tls-drip cap: taken again once they closed" 0 "$?"

# Secrets stay out of the log; the capture files are the owner's only.
expect "password never logged" 0 "$(grep -Fc "$PWVAL" "$T/sim.log")"
expect "capture files are 0600" 600 \
	"$(stat -c %a "$CAP"/*.capture | sort -u | tr '\n' ' ' | sed 's/ $//')"
finish
