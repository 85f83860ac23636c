#!/bin/bash
# Dahua DHIP discovery (issue 14), on test hosts of our own: simulated
# cameras in network namespaces behind a bridge, and snmpd, snmptrapd and
# camcomplyd ('discover dhip all' and 'discover multicast all', no
# credentials) on another.  Shows:
# - an Intelbras (a Dahua OEM) with ONVIF off, plugged in later, is found
#   by the next DHIP search (multicast and broadcast), within one discovery
#   interval: listed restricted (maker dahua, method dhip(6), its model
#   from the reply) and trapped, and its failed poll changes nothing;
# - a Dahua with ONVIF on that WS-Discovery finds too is one row, its
#   evidence from WS-Discovery's scopes and DHIP's reply together;
# - a reply that leaves from another address than the one it names
#   (spoof-from) is dropped and counted in camDiscSpoofed; frames that lie
#   about their length are counted as malformed; none of them gets a row,
#   and the agent answers throughout.
# Deterministic: every wait is a condition with a deadline.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-netns.sh"
netns_init dhip
. "$(dirname "$0")/lib-snmp.sh"
INTERVAL=10

NET=${NET:-10.231.8}
netns_switch
netns_host nms $NET 2
netns_host late $NET 20 1    # .20 Intelbras (ONVIF off), .21 Dahua (ONVIF on)
netns_host hostile $NET 30 3 # .30 spoof-from .31, .32 and .33 lying frames
NS_RUN="ip netns exec $NETNS_NMS"

disc_conf "$NET.0/24" "discover dhip all" "discover multicast all" \
	"discover-interval $INTERVAL"
DAEMON_ARGS="-D camcomply:disc"
start_stack "$T/camcomplyd.conf"


# ---- Cameras plugged in later --------------------------------------------------
# After the first round (three WS-Discovery Probes, three searches to the
# group and three broadcasts): the Intelbras is found by the next round's.
wait_until 5 counter_at_least 9 9 || fail "the first round's searches"
t0=$(date +%s%N)
ip netns exec "$NETNS_LATE" "$CAMSIM" -w -d "$PROFILES" -r "$T/ready.late" \
	-l "$T/sim.log" "intelbras@$NET.20:80,onvif=off,unauth=yes" \
	"dahua@$NET.21:80,unauth=yes" >>"$T/sim.out" 2>&1 &
PIDS="$PIDS $!"
wait_for_file "$T/ready.late" 10 || { cat "$T/sim.out"; fail "camsim"; exit 1; }
ib_found() { [ -n "$(index_of "http://$NET.20:80/onvif/device_service")" ]; }
if wait_until $((INTERVAL + 5)) ib_found; then
	echo "ok - the Intelbras listed $(ms_since "$t0") ms after it started (next search)"
	CHECKS=$((CHECKS + 1))
else
	fail "the Intelbras was not found within one discovery interval"
fi
ib=$(index_of "http://$NET.20:80/onvif/device_service")
wait_until 5 traps_at_least 1 1 || fail "no camRestrictedDeviceDetected"
expect_match "its trap names its address" \
	"$ENTRY.3.$ib = Hex-STRING: $(printf '%02X %02X %02X' ${NET//./ }) 14" \
	"$(grep "$NOTIF\.1\b" "$T/traps.log")"
expect "restricted (camDeviceVerdict)" 2 "$(column 15 "$ib")"
expect "maker dahua" '"dahua"' "$(column 16 "$ib")"
expect "found by dhip(6)" 6 "$(column 27 "$ib")"
expect "the model the reply named" '"SS 3530 MF FACE W"' "$(column 7 "$ib")"
expect_match "camDiscDhipReplies counts it" '^[1-9]' "$(counter 13)"
polled() { [ "$(column 21 "$1")" != 11 ]; }
wait_until 10 polled "$ib" || fail "the Intelbras was not polled"
expect "still restricted after its failed poll" 2 "$(column 15 "$ib")"

# The Dahua said a WS-Discovery Hello at once; the next search's reply is
# the same camera: one row, with DHIP's maker-protocol evidence (bit 13:
# 0x04 in the second octet) beside the scopes'.
dh_found() { [ -n "$(swalk $ENTRY.4 | grep "//$NET\.21[:/]")" ]; }
wait_until 5 dh_found || fail "the Dahua has no row"
dh=$(swalk $ENTRY.4 | grep "//$NET\.21[:/]" | head -1 | awk '{ n = split($1, a, "."); print a[n] }')
dhip_evidence() {
	local e
	e=$(sget -Ox $ENTRY.17.$dh | tr -d '"')
	set -- $e
	[ $(( 0x${2:-00} & 0x04 )) != 0 ]
}
wait_until $((INTERVAL + 5)) dhip_evidence ||
	fail "the Dahua's row never had DHIP's evidence"
expect "the Dahua is one row" 1 "$(rows_of $NET.21)"
expect "found first by WS-Discovery's hello(3)" 3 "$(column 27 "$dh")"
expect "restricted" 2 "$(column 15 "$dh")"
expect "two rows in all" 2 "$(sget $SUMMARY.4.0)"

# ---- Spoofed and lying replies -------------------------------------------------
spoofed0=$(counter 4)
ip netns exec "$NETNS_HOSTILE" "$CAMSIM" -d "$PROFILES" -r "$T/ready.hostile" \
	-l "$T/sim.log" "dahua@$NET.30:80,onvif=off,unauth=yes,spoof-from=$NET.31" \
	"dahua@$NET.32:80,onvif=off,unauth=yes,fault=dhip-long-length" \
	"dahua@$NET.33:80,onvif=off,unauth=yes,fault=dhip-short-length" \
	>>"$T/sim.out" 2>&1 &
PIDS="$PIDS $!"
wait_for_file "$T/ready.hostile" 10 || { cat "$T/sim.out"; fail "camsim"; exit 1; }
wait_until $((INTERVAL + 5)) dropped "$NET.31" \
	"a DHIP reply declaring another address than its sender's" ||
	fail "the reply from another address than the camera's was not dropped"
wait_until 5 dropped "$NET.32" "not a DHIP reply" || fail "dhip-long-length not dropped"
wait_until 5 dropped "$NET.33" "not a DHIP reply" || fail "dhip-short-length not dropped"
expect "camDiscSpoofed counts the spoofed reply" yes \
	"$([ "$(counter 4)" -gt "$spoofed0" ] && echo yes)"
expect_match "camDiscMalformed counts the lying frames" '^([2-9]|[1-9][0-9]+)$' "$(counter 2)"
expect "no row for any of them" "" \
	"$(swalk $ENTRY.4 | grep -E "//$NET\.3[0-3]:" || true)"
expect "still two rows" 2 "$(sget $SUMMARY.4.0)"
expect "one trap per restricted camera" 2 "$(trap_count 1)"
sget_ok $SUMMARY.4.0 || fail "the agent stopped answering"
kill -0 "$DAEMON_PID" 2>/dev/null || fail "$DAEMON_NAME died"

finish
