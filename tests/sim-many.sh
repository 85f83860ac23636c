#!/bin/bash
# camsim serves 20,001 cameras through three listening sockets: two ranges
# and a single camera share one socket on one port (three profiles on it),
# a third range has a port of its own, one camera a socket of its own.
# Each camera keeps its own identity and state: a sample of 200 scanned by
# the real client gets each its own address back (and Reolink's serial is
# that address), a Dahua locked by bad passwords leaves its neighbours on
# the same socket alone, and a connection to an address the fleet does not
# name is closed.  Specs camsim must refuse are refused.
. "$(dirname "$0")/lib.sh"
NET=127.40 # 127.40.0.0/16 and 127.41.0.0/16: this test's
# The shared port: SIM_MANY_PORT, or picked free (tests/lib.sh).
PORT=${SIM_MANY_PORT:-$CAM_PORT}
PW=$(password_file shared sim-many-pass)
AUTH="user=admin,password-file=$PW"

# start_fleet PORT: camsim with the shared socket on PORT; 1 if PORT is
# taken (since it was picked), 2 if camsim failed otherwise.
start_fleet() {
	local n=400
	: >"$T/sim.out"
	"$CAMSIM" -d "$PROFILES" -r "$T/ready" -l "$T/sim.log" \
		"reolink@$NET.0.1+10000:$1,$AUTH" \
		"dahua@$NET.100.1-$NET.119.136:$1,$AUTH" \
		"hikvision-wsse@127.41.100.1:$1,listen=shared,$AUTH" \
		"reolink@127.41.0.1+4999:0,$AUTH" \
		"axis@127.41.200.1:0,$AUTH" >>"$T/sim.out" 2>&1 &
	SIM=$!
	while [ ! -e "$T/ready" ] && kill -0 "$SIM" 2>/dev/null && [ $n -gt 0 ]; do
		sleep 0.05 # readiness: the ready file, or camsim gone
		n=$((n - 1))
	done
	[ -e "$T/ready" ] && { PIDS="$PIDS $SIM"; return 0; }
	kill "$SIM" 2>/dev/null
	wait "$SIM" 2>/dev/null
	grep -q 'Address already in use' "$T/sim.out" && return 1
	return 2
}
for try in 1 2 3 4 5; do
	start_fleet "$PORT" && break
	[ $? = 1 ] && [ -z "${SIM_MANY_PORT:-}" ] || break
	pick_port PORT || break
done
[ -e "$T/ready" ] || { cat "$T/sim.out"; fail "camsim"; exit 1; }
expect "the ready file lists every camera" 20001 "$(wc -l <"$T/ready")"
expect_match "20,001 cameras on three sockets" \
    'ready: 20001 camera\(s\) on 3 socket\(s\)' "$(cat "$T/sim.log")"
fds=$(ls "/proc/$SIM/fd" | wc -l)
expect "camsim holds a few descriptors, not one a camera" yes \
    "$([ "$fds" -lt 32 ] && echo yes || echo "no: $fds")"
expect "each camera its own address, in the specs' order" \
    "reolink@$NET.0.1:$PORT http://$NET.0.1:$PORT/onvif/device_service
reolink@$NET.39.16:$PORT http://$NET.39.16:$PORT/onvif/device_service
dahua@$NET.100.1:$PORT http://$NET.100.1:$PORT/onvif/device_service
dahua@$NET.119.136:$PORT http://$NET.119.136:$PORT/onvif/device_service" \
    "$(sed -n '1p; 10000p; 10001p; 15000p' "$T/ready")"
expect "no address twice" 20001 "$(awk '{ print $2 }' "$T/ready" | sort -u | wc -l)"
P2=$(sed -n 15002p "$T/ready" | sed 's/.*:\([0-9]*\)\/onvif.*/\1/')
expect_match "the third range on a port of its own" '^[0-9]+$' "$P2"
expect "... shared by its 4,999 cameras" 4999 \
    "$(grep -c "^reolink@127\.41\.[0-9.]*:$P2 " "$T/ready")"

# 200 cameras: every 100th line (Reolink, Dahua, the Hikvision at 15001)
# and the Axis, the last.
awk 'NR % 100 == 1 && NR < 19900 || NR == 20001 { print $2 }' "$T/ready" \
	>"$T/sample"
mapfile -t sample <"$T/sample"
expect "a sample of 200" 200 "${#sample[@]}"
"$CAMCOMPLY" scan --json --timeout 10 --concurrency 32 \
	--policy "$top_srcdir/data/policy.xml" --user admin --password-file "$PW" \
	"${sample[@]}" >"$T/scan.json" || fail "camcomply scan"
expect "every sampled camera answered" 200 \
    "$(jq '[.[] | select(.status == "ok")] | length' "$T/scan.json")"
expect "each answered from its own address" 0 \
    "$(jq '[.[] | select((.target | split("/")[2]) != (.xaddr | split("/")[2]))] | length' "$T/scan.json")"
expect "each Reolink's serial is its own address" 0 \
    "$(jq '[.[] | select(.manufacturer == "REOLINK") |
	select(.serial != (.address | gsub("\\."; "")))] | length' "$T/scan.json")"
expect "Reolink, Dahua, Hikvision and Axis answered" "AXIS Dahua HIKVISION REOLINK" \
    "$(jq -r '[.[].manufacturer] | unique | join(" ")' "$T/scan.json")"

# Per-camera state on a shared socket: Dahua locks after 5 bad logins.
BAD=$(password_file bad not-the-password)
for i in 1 2 3 4 5; do
	"$CAMCOMPLY" scan --json --timeout 5 --policy "$top_srcdir/data/policy.xml" \
		--user admin --password-file "$BAD" "$NET.100.7:$PORT" >/dev/null
done
scan1() {
	"$CAMCOMPLY" scan --json --timeout 5 --policy "$top_srcdir/data/policy.xml" \
		--user admin --password-file "$PW" "$1" | jq -r '.[0].status'
}
expect "the Dahua at $NET.100.7 is locked" auth-failed "$(scan1 "$NET.100.7:$PORT")"
expect_match "... by camsim" "dahua@$NET\\.100\\.7:$PORT .*auth=wsse-locked" \
    "$(cat "$T/sim.log")"
expect "its neighbour on the same socket is not" ok "$(scan1 "$NET.100.8:$PORT")"

# An address the fleet does not name, on the shared port: closed at once.
out=$(curl -s -m 5 "http://$NET.200.1:$PORT/onvif/device_service"; echo "rc=$?")
expect_match "a connection to no camera is closed" 'rc=(52|56)' "$out"
expect_match "... and logged" "no camera at $NET\\.200\\.1:$PORT" "$(cat "$T/sim.log")"

# What camsim refuses.
refuses() {
	"$CAMSIM" -d "$PROFILES" -r "$T/never" "$@" >"$T/refused" 2>&1
	[ $? = 2 ] && [ ! -e "$T/never" ]
}
expect "an address named twice" yes \
    "$(refuses "reolink@127.41.250.1+10:0" "reolink@127.41.250.2:0,listen=own" \
	"generic@127.41.251.1+3:$((PORT + 1))" "axis@127.41.251.2:$((PORT + 1)),listen=shared" &&
	grep -q 'named twice' "$T/refused" && echo yes)"
expect "a range outside 127/8" yes "$(refuses "reolink@10.0.0.1+5:0" && echo yes)"
expect "a range past 127.255.255.254" yes "$(refuses "reolink@127.255.255.250+10:0" && echo yes)"
expect "TLS on a shared socket" yes "$(refuses "axis@127.41.252.1+2:0,tls=yes" && echo yes)"
finish
