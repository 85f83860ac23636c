#!/bin/bash
# Hikvision SADP discovery (issue 14), on test hosts of our own: simulated
# cameras with ONVIF off and no credentials at all, in network namespaces
# behind a bridge, and snmpd, snmptrapd and camcomplyd ('discover sadp
# all', nothing else) on another.  Shows:
# - a Hikvision plugged in later says an SADP Hello and is listed,
#   restricted, and trapped within seconds; an AVYCON (a Hikvision OEM)
#   plugged in later that says nothing is found by the next inquiry, within
#   one discovery interval; each is one row (method sadp(5), its model from
#   the reply) however many replies come (unicast and to the group), and
#   the failed poll of its ONVIF URL leaves the verdict as it was;
# - a ProbeMatch to another host's inquiry (the AVYCON answers the group)
#   is unsolicited: dropped and counted in camDiscSpoofed;
# - a camera whose replies leave from another address (spoof-from) is
#   dropped and counted as spoofed; ProbeMatches of 61 KB, nested 8,000
#   deep or carrying a DTD are counted as oversized or malformed; none of
#   them gets a row;
# - a flood of SADP Hellos from one host: rate-limited and counted, at
#   most one row for it, and GETs keep answering within their timeout.
# Deterministic: every wait is a condition with a deadline.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-netns.sh"
netns_init sadp
. "$(dirname "$0")/lib-snmp.sh"
WSDSEND=$top_builddir/tests/sim/wsdsend
[ -x "$WSDSEND" ] || { echo "ERROR: wsdsend not built"; exit 99; }
PY=$(command -v /usr/bin/python3 python3 | head -n 1)
[ -n "$PY" ] || skip "python3 not installed (Debian package python3)"
CLIENT=$top_srcdir/tests/sim/unauth-client.py
INTERVAL=10

NET=${NET:-10.231.7}
netns_switch
netns_host nms $NET 2
netns_host late $NET 20 1    # .20 Hikvision (Hello), .21 AVYCON: later
netns_host hostile $NET 30 5 # .30 spoof-from .31, .32-.34 hostile replies
netns_host other $NET 60     # another SADP client on the link
netns_host evil $NET 66      # a flooder
NS_RUN="ip netns exec $NETNS_NMS"

disc_conf "$NET.0/24" "discover sadp all" "discover-interval $INTERVAL"
DAEMON_ARGS="-D camcomply:disc"
start_stack "$T/camcomplyd.conf"

rows_at_least() { [ "$(swalk $ENTRY.4 | grep -c .)" -ge "$1" ]; }

# ---- Cameras plugged in later --------------------------------------------------
# After the first round's three inquiries: the AVYCON can only be found by
# the next round's.
wait_until 5 counter_at_least 9 3 || fail "the first round's inquiries"
t0=$(date +%s%N)
ip netns exec "$NETNS_LATE" "$CAMSIM" -d "$PROFILES" -r "$T/ready.late" \
	-l "$T/sim.log" "hikvision-digest@$NET.20:80,onvif=off,unauth=yes,sadp-hello=yes" \
	"avycon@$NET.21:80,onvif=off,unauth=yes,sadp-reply=both" \
	>>"$T/sim.out" 2>&1 &
LATE_PID=$!
PIDS="$PIDS $LATE_PID"
wait_for_file "$T/ready.late" 10 || { cat "$T/sim.out"; fail "camsim"; exit 1; }
if wait_until 5 traps_at_least 1 1; then
	echo "ok - the Hello's restricted trap $(ms_since "$t0") ms after the camera started"
	CHECKS=$((CHECKS + 1))
else
	fail "no camRestrictedDeviceDetected within 5 s of the SADP Hello"
fi
if wait_until $((INTERVAL + 5)) traps_at_least 1 2; then
	echo "ok - the AVYCON's trap $(ms_since "$t0") ms after it started (next inquiry)"
	CHECKS=$((CHECKS + 1))
else
	fail "the AVYCON was not trapped within one discovery interval"
fi
expect "one row each, whatever the replies (unicast, group)" 2 \
	"$(sget $SUMMARY.4.0)"
hik=$(index_of "http://$NET.20:80/onvif/device_service")
avy=$(index_of "http://$NET.21:80/onvif/device_service")
expect_match "the Hikvision has a row" '^[0-9]+$' "$hik"
expect_match "the AVYCON has a row" '^[0-9]+$' "$avy"
expect "both restricted (camDeviceVerdict)" "2 2" "$(column 15 "$hik") $(column 15 "$avy")"
expect "both found by sadp(5)" "5 5" "$(column 27 "$hik") $(column 27 "$avy")"
expect "maker hikvision, both" '"hikvision" "hikvision"' \
	"$(column 16 "$hik") $(column 16 "$avy")"
expect "the model the reply named" '"DS-2CD2143G2-I"' "$(column 7 "$hik")"
expect "the OEM's model" '"ECI-T24F2"' "$(column 7 "$avy")"
expect_match "the Hikvision's trap names its address" \
	"$ENTRY.3.$hik = Hex-STRING: $(printf '%02X %02X %02X' ${NET//./ }) 14" \
	"$(grep "$NOTIF\.1\b" "$T/traps.log")"
expect_match "the AVYCON's trap names its address" \
	"$ENTRY.3.$avy = Hex-STRING: $(printf '%02X %02X %02X' ${NET//./ }) 15" \
	"$(grep "$NOTIF\.1\b" "$T/traps.log")"
expect_match "camDiscSadpReplies counts them" '^[2-9]|^[1-9][0-9]' "$(counter 12)"
expect_match "camDeviceLastAnnounced set" '^"?[0-9A-F]{2} [0-9A-F]{2} ' \
	"$(sget -Ox $ENTRY.28.$hik)"
# Their first polls fail (ONVIF is off, no credentials): the verdict stays.
polled() { [ "$(column 21 "$1")" != 11 ]; }
wait_until 10 polled "$hik" && wait_until 10 polled "$avy" ||
	fail "the SADP cameras were not polled"
expect "still restricted after the failed polls" "2 2" \
	"$(column 15 "$hik") $(column 15 "$avy")"

# ---- Another SADP client's inquiry: replies to the group are not ours ---------
ip netns exec "$NETNS_OTHER" "$PY" "$CLIENT" sadp 239.255.255.250 37020 \
	"$T/other" --group $NET.60 --wait 2 --count 2 >"$T/other.out" 2>&1 ||
	fail "the other client's inquiry"
wait_until 5 dropped "$NET.21" "an SADP ProbeMatch to an inquiry we did not send" ||
	fail "the AVYCON's reply to another host's inquiry was not dropped"
expect_match "camDiscSpoofed counts the unsolicited ProbeMatch" '^[1-9]' "$(counter 4)"

# ---- Spoofed and hostile replies ---------------------------------------------
spoofed0=$(counter 4)
ip netns exec "$NETNS_HOSTILE" "$CAMSIM" -d "$PROFILES" -r "$T/ready.hostile" \
	-l "$T/sim.log" "hikvision-wsse@$NET.30:80,onvif=off,unauth=yes,spoof-from=$NET.31" \
	"hikvision-wsse@$NET.32:80,onvif=off,unauth=yes,fault=sadp-huge" \
	"hikvision-wsse@$NET.33:80,onvif=off,unauth=yes,fault=sadp-deep" \
	"hikvision-wsse@$NET.34:80,onvif=off,unauth=yes,fault=sadp-dtd" \
	>>"$T/sim.out" 2>&1 &
PIDS="$PIDS $!"
wait_for_file "$T/ready.hostile" 10 || { cat "$T/sim.out"; fail "camsim"; exit 1; }
wait_until $((INTERVAL + 5)) dropped "$NET.31" \
	"an SADP reply declaring another address than its sender's" ||
	fail "the reply from another address than the camera's was not dropped"
wait_until 5 dropped "$NET.32" "datagram too large" || fail "sadp-huge not dropped"
wait_until 5 dropped "$NET.33" "datagram too large" || fail "sadp-deep not dropped"
wait_until 5 dropped "$NET.34" "not an SADP message" || fail "sadp-dtd not dropped"
expect "camDiscSpoofed counts the spoofed reply" yes \
	"$([ "$(counter 4)" -gt "$spoofed0" ] && echo yes)"
expect_match "camDiscOversized" '^[2-9]|^[1-9][0-9]' "$(counter 3)"
expect_match "camDiscMalformed" '^[1-9]' "$(counter 2)"
expect "no row for any of them" "" \
	"$(swalk $ENTRY.4 | grep -E "//$NET\.3[0-4]:" || true)"

# ---- A flood of Hellos from one host -----------------------------------------
# 5,000 SADP Hellos at 2,000 a second, each a new serial, all naming the
# flooder's own address: the per-sender rate cuts them, the row rules give
# it one row at most (one address, one row), and the agent answers
# throughout, each GET within its 2 s timeout.
cat >"$T/hello.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<Hello><Uuid>@UUID@</Uuid>
<Types>hello</Types>
<DeviceDescription>DS-2CD2386G2-IU</DeviceDescription>
<DeviceSN>DS-2CD2386G2-IU20230517AAWR@N@</DeviceSN>
<MAC>44-19-b6-00-00-66</MAC>
<IPv4Address>$NET.66</IPv4Address>
</Hello>
EOF
# quiet: no datagram arrived for half a second.
quiet() {
	local a
	a=$(counter 1)
	sleep 0.5
	[ "$(counter 1)" = "$a" ]
}
lim0=$(counter 6)
ip netns exec "$NETNS_EVIL" "$WSDSEND" -s $NET.66 -i $NET.66 -u -n 5000 \
	-r 2000 239.255.255.250:37020 "$T/hello.xml" >"$T/flood.out" 2>&1 &
FLOOD_PID=$!
gets=0 failed=0
while kill -0 "$FLOOD_PID" 2>/dev/null; do
	sget_ok $SUMMARY.4.0 || failed=$((failed + 1))
	gets=$((gets + 1))
done
wait "$FLOOD_PID" || fail "wsdsend flood: $(cat "$T/flood.out")"
expect "every GET during the flood answered within its timeout ($gets)" 0 "$failed"
wait_until 10 quiet
lim=$(($(counter 6) - lim0))
echo "# flood: $lim rate-limited"
expect_match "flood: rate-limited (camDiscRateLimited)" '^[0-9]{4,}$' "$lim"
expect_match "the flooder has one row at most" '^[01]$' \
	"$(swalk $ENTRY.4 | grep -c "//$NET\.66:")"
expect "the cameras keep their rows and verdicts" "2 2" \
	"$(column 15 "$hik") $(column 15 "$avy")"
expect_match "one trap per restricted row, no more" '^[23]$' "$(trap_count 1)"
kill -0 "$DAEMON_PID" 2>/dev/null || fail "$DAEMON_NAME died"

finish
