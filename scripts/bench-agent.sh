#!/bin/bash
# Benchmark: walk time of a 1,000- and a 10,000-row camDeviceTable served by
# camcomplyd through a real snmpd, and snmpget latency while a poll round of
# those cameras runs.  The rows are configured cameras on loopback addresses
# where nothing listens (127.6.x.y), so every poll ends at once in
# "unreachable": the table is as large as a real one, the round is real.
# Usage: bench-agent.sh BUILD-DIR
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
T=$(mktemp -d)
PIDS=""
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; wait 2>/dev/null; rm -rf "$T"' EXIT
export SNMP_PERSISTENT_DIR="$T/persist" SNMPCONFPATH="$T/conf" MIBS=
mkdir -p "$T/persist" "$T/conf"
PORT=12901
wait_until() { n=$(( $1 * 20 )); shift; until "$@" >/dev/null 2>&1; do n=$((n - 1)); [ $n -gt 0 ] || return 1; sleep 0.05; done; }
cat >"$T/snmpd.conf" <<EOC
master agentx
agentXSocket unix:$T/agentx.sock
agentXTimeout 1
agentXRetries 0
rocommunity public 127.0.0.1
EOC
snmpd -f -Lo -C -c "$T/snmpd.conf" -I -smux udp:127.0.0.1:$PORT >"$T/snmpd.log" 2>&1 &
PIDS="$PIDS $!"
wait_until 10 grep -q '^NET-SNMP version' "$T/snmpd.log"
E=.1.3.6.1.4.1.8072.9999.9999.3102
rounds() { r=$(snmpget -v2c -c public -r0 -t1 -Oqv 127.0.0.1:$PORT $E.1.1.13.0 2>/dev/null); [ "${r:-0}" -ge "$1" ] 2>/dev/null; }

for rows in 1000 10000; do
	{
		echo "policy $top/data/policy.xml"
		echo "state-file $T/state.$rows"
		echo "timeout 2"
		echo "concurrency 64"
		echo "poll-interval 600"
		for i in $(seq 0 $((rows - 1))); do
			echo "camera 127.6.$((i / 250)).$((i % 250 + 1)):8080"
		done
	} >"$T/c.conf"
	"$build/camcomplyd" -f -Lf "$T/d.log" -x "unix:$T/agentx.sock" -c "$T/c.conf" &
	D=$!
	# During the first round: GET latency, 20 samples.
	wait_until 10 snmpget -v2c -c public -r0 -t1 127.0.0.1:$PORT $E.1.1.4.0
	worst=0 sum=0
	for s in $(seq 20); do
		t0=$(date +%s%N)
		snmpget -v2c -c public -r0 -t1 -Oqv 127.0.0.1:$PORT $E.1.1.4.0 $E.1.2.1.15.$((s * rows / 20)) >/dev/null
		us=$(( ($(date +%s%N) - t0) / 1000 ))
		sum=$((sum + us)); [ $us -gt $worst ] && worst=$us
	done
	during_round=$(rounds 1 && echo "after" || echo "during")
	wait_until 120 rounds 1
	t0=$(date +%s%N)
	n=$(snmpbulkwalk -v2c -c public -r0 -t5 -Cr50 -On 127.0.0.1:$PORT $E.1.2 | wc -l)
	walk=$(( ($(date +%s%N) - t0) / 1000000 ))
	t0=$(date +%s%N)
	n2=$(snmpwalk -v2c -c public -r0 -t5 -On 127.0.0.1:$PORT $E.1.2.1.15 | wc -l)
	walk1=$(( ($(date +%s%N) - t0) / 1000000 ))
	echo "bench-agent: $rows rows: snmpget $((sum / 20 / 1000)).$(( (sum / 20) % 1000 / 100 )) ms mean, $((worst / 1000)) ms worst ($during_round the first round);" \
	     "bulkwalk of the table ($n varbinds) $walk ms; getnext walk of one column ($n2 rows) $walk1 ms"
	kill $D; wait $D 2>/dev/null || true
done
