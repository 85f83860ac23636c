#!/bin/bash
# Benchmark: memory of camcomplyd and of `camcomply scan` for an estate of
# N restricted cameras (camsim's hikvision-wsse, 100 per loopback address,
# 127.7.x.1).  For each N (default 1,000, 3,000 and 10,000): camsim serves
# the fleet, a real snmpd is the AgentX master, camcomplyd polls them all
# (64 workers); after the first round (and again after a second one, which
# a SIGHUP starts) camcomplyd's VmRSS and VmHWM are read from /proc; then
# `camcomply scan --json` of the same N targets runs under /usr/bin/time -v
# for its maximum RSS.  Figures, not a test: nothing here passes or fails.
# camsim holds one socket per camera: 10,000 need `ulimit -n` above that.
# Usage: bench-memory.sh BUILD-DIR [N...]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
shift || true
sizes=${*:-1000 3000 10000}
T=$(mktemp -d)
PIDS=""
stop_all() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $PIDS; do wait "$p" 2>/dev/null || true; done
	PIDS=""
}
SNMPD=""
trap 'stop_all; [ -z "$SNMPD" ] || kill $SNMPD 2>/dev/null; wait; rm -rf "$T"' EXIT
export SNMP_PERSISTENT_DIR="$T/persist" SNMPCONFPATH="$T/conf" MIBS=
mkdir -p "$T/persist" "$T/conf"
: >"$T/conf/snmp.conf"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
PORT=${BENCH_PORT:-12911}
E=.1.3.6.1.4.1.8072.9999.9999.3102
printf 'hik-wsse-pass\n' >"$T/pw"
chmod 600 "$T/pw"

# wait_until SECONDS CMD...: retry every 50 ms (readiness, not a sleep).
wait_until() {
	local n=$(($1 * 20))
	shift
	until "$@" >/dev/null 2>&1; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 0.05
	done
}
sget() { snmpget -v2c -c public -r0 -t2 -Oqv "127.0.0.1:$PORT" "$@"; }
rounds_at_least() {
	local r
	r=$(sget $E.1.1.13.0 2>/dev/null) || return 1
	case "$r" in '' | *[!0-9]*) return 1 ;; esac
	[ "$r" -ge "$1" ]
}
kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

cat >"$T/snmpd.conf" <<EOC
master agentx
agentXSocket unix:$T/agentx.sock
agentXTimeout 1
agentXRetries 0
rocommunity public 127.0.0.1
EOC
snmpd -f -Lo -C -c "$T/snmpd.conf" -I -smux "udp:127.0.0.1:$PORT" \
	>"$T/snmpd.log" 2>&1 &
SNMPD=$!
wait_until 10 grep -q '^NET-SNMP version' "$T/snmpd.log"
echo "bench-memory: ulimit -n $(ulimit -n); $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

for n in $sizes; do
	for i in $(seq 0 $((n - 1))); do
		echo "hikvision-wsse@127.7.$((i / 100 / 250)).$((i / 100 % 250 + 1)):0,user=admin,password-file=$T/pw"
	done >"$T/fleet"
	rm -f "$T/ready"
	"$build/tests/sim/camsim" -d "$top/tests/sim/profiles" -f "$T/fleet" \
		-r "$T/ready" -l /dev/null >"$T/sim.out" 2>&1 &
	PIDS="$!"
	wait_until 120 test -e "$T/ready" || { cat "$T/sim.out"; exit 1; }
	{
		echo "credentials audit admin $T/pw"
		awk '{ print "camera " $2 " credentials audit" }' "$T/ready"
		echo "poll-interval 3600"
		echo "timeout 5"
		echo "concurrency 64"
		echo "state-file $T/state.$n"
		echo "policy $top/data/policy.xml"
	} >"$T/c.conf"
	"$build/camcomplyd" -f -Lf "$T/d.log" -x "unix:$T/agentx.sock" \
		-c "$T/c.conf" &
	D=$!
	PIDS="$PIDS $D"
	t0=$(date +%s%N)
	wait_until 600 rounds_at_least 1 || { tail "$T/d.log"; exit 1; }
	ms=$((($(date +%s%N) - t0) / 1000000))
	rss1=$(kb $D VmRSS) hwm1=$(kb $D VmHWM)
	restricted=$(sget $E.1.1.6.0)
	kill -HUP $D
	wait_until 600 rounds_at_least 2 || { tail "$T/d.log"; exit 1; }
	rss2=$(kb $D VmRSS) hwm2=$(kb $D VmHWM)
	echo "bench-memory: camcomplyd, $n cameras ($restricted restricted), first round ${ms} ms:" \
	    "VmRSS $(mb "$rss1") MB, VmHWM $(mb "$hwm1") MB;" \
	    "after a second round VmRSS $(mb "$rss2") MB, VmHWM $(mb "$hwm2") MB"
	kill $D
	wait $D 2>/dev/null || true
	PIDS=${PIDS% *}

	awk '{ print $2 }' "$T/ready" >"$T/targets"
	t0=$(date +%s%N)
	# shellcheck disable=SC2046 # one argument per target, as an operator would
	/usr/bin/time -v -o "$T/time" "$build/camcomply" scan --json \
		--policy "$top/data/policy.xml" --concurrency 64 --timeout 5 \
		--user admin --password-file "$T/pw" $(cat "$T/targets") \
		>"$T/scan.json" 2>"$T/scan.err" || true
	ms=$((($(date +%s%N) - t0) / 1000000))
	maxrss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$T/time")
	ok=$(grep -c '"status":"ok"' "$T/scan.json" || true)
	echo "bench-memory: camcomply scan --json, $n targets ($ok ok), ${ms} ms:" \
	    "max RSS $(mb "$maxrss") MB"
	stop_all
	PIDS=""
done
