#!/bin/bash
# The main job, on loopback only: install what is needed, build, start a
# simulated fleet of mixed cameras, an snmpd AgentX master, snmptrapd and
# camcomplyd; then show what an operator sees: the scan, the compliance
# table (snmptable) and the restricted-device trap as snmptrapd logged it.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}
"$top/scripts/deps.sh"
echo "== building (out of tree in $build)"
"$top/scripts/build.sh"

T=$(mktemp -d /tmp/camcomply-demo.XXXXXX)
PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT
export SNMP_PERSISTENT_DIR="$T/persist" SNMPCONFPATH="$T/conf" MIBS=
mkdir -p "$T/persist" "$T/conf"
SNMP_PORT=${SNMP_PORT:-11161}
TRAP_PORT=${TRAP_PORT:-11162}
wait_until() { n=$(( $1 * 20 )); shift; until "$@" >/dev/null 2>&1; do n=$((n - 1)); [ $n -gt 0 ] || return 1; sleep 0.05; done; }

# One site account for every camera, as an operator would have.
printf 'demo-pass\n' >"$T/camera.pw"; chmod 600 "$T/camera.pw"
CAMS="hikvision-digest hikvision-wsse ezviz oem-hikvision dahua cpplus uniview axis bosch hanwha reolink generic"
specs=() targets=() i=0
for p in $CAMS; do
	i=$((i + 1))
	# Four cameras per /28: a sensitive site, the core, and the rest.
	a=127.3.0.$(( (i - 1) / 4 * 16 + (i - 1) % 4 + 1 ))
	port=8080; [ "$p" = reolink ] && port=8000
	specs+=("$p@$a:$port,user=admin,password-file=$T/camera.pw")
	targets+=("$a:$port")
done
"$build/tests/sim/camsim" -d "$top/tests/sim/profiles" -r "$T/sim.ready" -l "$T/sim.log" "${specs[@]}" &
PIDS="$PIDS $!"
wait_until 10 test -e "$T/sim.ready"
echo "== ${#specs[@]} simulated cameras on 127.3.0.0/26 (fleet in $T)"

echo; echo "== camcomply scan (ONVIF identification + policy)"
"$build/camcomply" scan --policy "$top/data/policy.xml" --user admin --password-file "$T/camera.pw" \
	--timeout 5 "${targets[@]}" | cut -c1-180 || true

# The master and the trap receiver, as contrib/snmpd.conf.camcomply shows.
cat >"$T/snmpd.conf" <<EOC
master agentx
agentXSocket unix:$T/agentx.sock
agentXPerms 0600 0700
agentXTimeout 1
agentXRetries 0
rocommunity public 127.0.0.1
trap2sink 127.0.0.1:$TRAP_PORT public
EOC
snmpd -f -Lo -C -c "$T/snmpd.conf" -I -smux udp:127.0.0.1:$SNMP_PORT >"$T/snmpd.log" 2>&1 &
PIDS="$PIDS $!"
# With the IETF base MIBs (fetched from Debian's erlang-snmp) the tools
# print names; without them everything still works with numeric OIDs.
MIBDIRS=$("$top/scripts/ietf-mibs.sh" 2>/dev/null || true)
M=()
[ -n "$MIBDIRS" ] && M=(-M "+$MIBDIRS:$top/mibs" -m SNMPv2-MIB:CAMERA-COMPLIANCE-MIB)
printf 'authCommunity log public\n' >"$T/snmptrapd.conf"
snmptrapd -f -C -c "$T/snmptrapd.conf" "${M[@]}" -Lf "$T/traps.log" udp:127.0.0.1:$TRAP_PORT >/dev/null 2>&1 &
PIDS="$PIDS $!"
wait_until 10 grep -q '^NET-SNMP version' "$T/snmpd.log"
wait_until 10 grep -q 'NET-SNMP version' "$T/traps.log"

{
	echo "credentials site admin $T/camera.pw"
	echo "site hq-secure 127.3.0.0/28 sensitive"
	echo "site datacentre 127.3.0.16/28 core"
	echo "site branch 127.3.0.32/28 general"
	for t in "${targets[@]}"; do echo "camera $t credentials site"; done
	echo "policy $top/data/policy.xml"
	echo "state-file $T/camcomplyd.state"
	echo "timeout 5"
} >"$T/camcomplyd.conf"
"$build/camcomplyd" -f -Lf "$T/camcomplyd.log" -x "unix:$T/agentx.sock" -c "$T/camcomplyd.conf" &
PIDS="$PIDS $!"
rounds() { r=$(snmpget -v2c -c public -r0 -t1 -Oqv 127.0.0.1:$SNMP_PORT .1.3.6.1.4.1.8072.9999.9999.3102.1.1.13.0 2>/dev/null); [ "${r:-0}" -ge 1 ] 2>/dev/null; }
wait_until 30 rounds
# Notifications leave paced (notification-rate): wait for the queue.
drained() { q=$(snmpget -v2c -c public -r0 -t1 -Oqv 127.0.0.1:$SNMP_PORT .1.3.6.1.4.1.8072.9999.9999.3102.1.1.16.0 2>/dev/null); [ "$q" = 0 ]; }
wait_until 10 drained
echo; echo "== camcomplyd: first poll round done, its notifications sent"

if [ -n "$MIBDIRS" ]; then
	echo; echo "== snmptable CAMERA-COMPLIANCE-MIB::camDeviceTable (selected columns)"
	snmptable -v2c -c public "${M[@]}" -Cf '|' -Cb -Ci 127.0.0.1:$SNMP_PORT CAMERA-COMPLIANCE-MIB::camDeviceTable |
		awk -F'|' 'NR<=2 && !/index/ {next} { printf "%-5s %-14s %-24s %-10s %-12s %-11s %-10s %s\n", $1, $6, $7, $13, $15, $16, $19, $18 }' | cut -c1-200
	echo; echo "== summary"
	snmpwalk -v2c -c public "${M[@]}" 127.0.0.1:$SNMP_PORT CAMERA-COMPLIANCE-MIB::camSummary
	echo; echo "== traps received by snmptrapd (camRestrictedDeviceDetected)"
	grep -m1 'camRestrictedDeviceDetected' "$T/traps.log" | tr '\t' '\n' | sed 's/^/    /'

else
	echo; echo "== camDeviceTable (numeric: IETF base MIBs not available)"
	snmpwalk -v2c -c public -On 127.0.0.1:$SNMP_PORT .1.3.6.1.4.1.8072.9999.9999.3102.1.2 | head -60
	echo; echo "== traps received by snmptrapd"
	grep -m1 '3102\.0\.1' "$T/traps.log" | tr '\t' '\n'
fi
n=$(grep -cE 'camRestrictedDeviceDetected|3102\.0\.1\b' "$T/traps.log")
echo; echo "== $n camRestrictedDeviceDetected trap(s) received, one per restricted camera"

# The audit report of the demo fleet, from the live agent (camcomply(1),
# report): one self-contained HTML page, in a stable place.
report_html=$build/camcomply-report.html
"$build/camcomply" report -c public --output "$report_html" "snmp://127.0.0.1:$SNMP_PORT"
echo; echo "== audit report of the demo fleet (from the live agent): $report_html"
