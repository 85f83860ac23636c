#!/bin/bash
# WS-Discovery by unicast sweep: cameras on a routed /24 behind a router
# namespace, which multicast does not cross.  camcomplyd probes every
# address of the range, rate-limited, and finds them; a camera on its own
# link is found by multicast as before.  Every host is a test namespace.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-netns.sh"
netns_init wsds
. "$(dirname "$0")/lib-snmp.sh"

LAN=${LAN:-10.231.2} FAR=${FAR:-10.232.2}
netns_switch
netns_host nms $LAN 2
netns_router rtr $LAN 1
netns_host cams $LAN 10
netns_routed_host far rtr $FAR 20 4
netns_route nms $FAR rtr
NS_RUN="ip netns exec $NETNS_NMS"
netns_exec nms ping -c1 -W2 $FAR.24 >/dev/null || { fail "no route to $FAR.24"; exit 1; }

PW=$(password_file audit audit-pass)
specs=()
h=20
for p in hikvision-wsse dahua axis uniview hanwha; do
	specs+=("$p@$FAR.$h:80,user=audit,password-file=$PW")
	h=$((h + 1))
done
ip netns exec "$NETNS_FAR" "$CAMSIM" -w -d "$PROFILES" -r "$T/ready.far" \
	-l "$T/sim-far.log" "${specs[@]}" >>"$T/sim.out" 2>&1 &
ip netns exec "$NETNS_CAMS" "$CAMSIM" -w -d "$PROFILES" -r "$T/ready.lan" \
	-l "$T/sim.log" "axis@$LAN.10:80,user=audit,password-file=$PW" \
	>>"$T/sim.out" 2>&1 &
wait_for_file "$T/ready.far" && wait_for_file "$T/ready.lan" ||
	{ cat "$T/sim.out"; fail "camsim did not start"; exit 1; }

cat >"$T/camcomplyd.conf" <<EOC
site lan $LAN.0/24 general
site far $FAR.0/24 sensitive
credentials audit audit $PW
discover multicast all
discover sweep $FAR.0/24
discover-sweep-rate 200
discover-credentials audit
poll-interval 30
timeout 3
state-file $T/state
policy $top_srcdir/data/policy.xml
EOC
start_stack "$T/camcomplyd.conf"

# 254 probes at 200/s: the sweep takes about 1.3 s.
wait_until 15 disc_devices_at_least 6
expect "cameras found" 6 "$(sget $DISC.10.0)"
method_of() {
	local i
	i=$(swalk $ENTRY.4 | awk -v u="\"http://$1:80/onvif/device_service\"" \
	    '$2 == u { n = split($1, a, "."); print a[n] }')
	[ -n "$i" ] && column 27 "$i"
}
for h in 20 21 22 23 24; do
	expect "$FAR.$h found by unicastSweep(4)" 4 "$(method_of $FAR.$h)"
done
expect "$LAN.10 found by multicastProbe(2)" 2 "$(method_of $LAN.10)"
# The sweep ends after 254 unicast probes (3 multicast ones went first).
probes_at_least() { [ "$(sget $DISC.9.0)" -ge "$1" ] 2>/dev/null; }
wait_until 10 probes_at_least 257
probes=$(sget $DISC.9.0)
expect_match "a probe to each of the 254 addresses, plus multicast ones" \
    '^(25[7-9]|26[0-9])$' "$probes"
# Only the five cameras answered the sweep: nothing else was listening.
expect "ProbeMatches the far cameras sent" 5 \
    "$(grep -c "wsd: ProbeMatches to $LAN.2:" "$T/sim-far.log")"
wait_until 15 polled_at_least 6
expect "restricted on the sensitive far site" "$(sget $SUMMARY.6.0)" "$(sget $SUMMARY.9.0)"
expect "one camRestrictedDeviceDetected per restricted camera" \
    "$(sget $SUMMARY.6.0)" "$(trap_count 1)"

# The operator's one-shot view from the same host: camcomply discover.
out=$(ip netns exec "$NETNS_NMS" "$CAMCOMPLY" discover --sweep $FAR.0/24 \
	--rate 500 --wait 3 --json --policy "$top_srcdir/data/policy.xml" \
	2>"$T/discover.err")
expect "discover: the six cameras" 6 "$(jq length <<<"$out")"
expect "discover: the five far ones by sweep" 5 \
    "$(jq '[.[] | select(.method == "sweep")] | length' <<<"$out")"
expect "discover: the Hikvision's name scope" "HIKVISION DS-2CD2042WD-I" \
    "$(jq -r --arg a $FAR.20 '.[] | select(.address == $a) | .name' <<<"$out")"
expect "discover: ... provisionally restricted" restricted \
    "$(jq -r --arg a $FAR.20 '.[] | select(.address == $a) | .verdict' <<<"$out")"
expect_match "discover: its summary line" '^camcomply discover: 6 camera\(s\); [0-9]+ probe' \
    "$(cat "$T/discover.err")"

finish
