#!/bin/bash
# Benchmark: memory of camcomplyd and of `camcomply scan` for an estate of
# N restricted cameras (camsim's hikvision-wsse, 100 per loopback address,
# 127.7.x.1).  For each N (default 1,000, 3,000 and 10,000): camsim serves
# the fleet, a real snmpd is the AgentX master, camcomplyd polls them all
# (64 workers); after the first round (and again after a second one, which
# a SIGHUP starts) camcomplyd's VmRSS and VmHWM are read from /proc; then
# `camcomply scan --json` of the same N targets runs under /usr/bin/time -v
# for its maximum RSS.  camsim holds one socket per camera: 10,000 need
# `ulimit -n` above that.  Beyond camsim's reach, BIG rows (default
# 100,000; BENCH_BIG=0: none) are restored from a state file made of the
# identities camsim's cameras gave (each its own URL, serial, hostname and
# address), configured where nothing listens: every poll fails at once and
# the rows keep what they know, as a restart of a large estate would.
# Figures, not a test: nothing here passes or fails.
# Usage: bench-memory.sh BUILD-DIR [N...]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
shift || true
sizes=${*:-1000 3000 10000}
big=${BENCH_BIG:-100000}
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

# daemon N CONFIG: camcomplyd's memory after one round and after a second.
daemon() {
	local D ms ms2 rss1 hwm1 rss2 hwm2 restricted t0
	"$build/camcomplyd" -f -Lf "$T/d.log" -x "unix:$T/agentx.sock" -c "$2" &
	D=$!
	t0=$(date +%s%N)
	wait_until 900 rounds_at_least 1 || { tail "$T/d.log"; exit 1; }
	ms=$((($(date +%s%N) - t0) / 1000000))
	rss1=$(kb $D VmRSS) hwm1=$(kb $D VmHWM)
	restricted=$(sget $E.1.1.6.0)
	t0=$(date +%s%N)
	kill -HUP $D
	wait_until 900 rounds_at_least 2 || { tail "$T/d.log"; exit 1; }
	ms2=$((($(date +%s%N) - t0) / 1000000))
	rss2=$(kb $D VmRSS) hwm2=$(kb $D VmHWM)
	echo "bench-memory: camcomplyd, $1 cameras ($restricted restricted):" \
	    "first round ${ms} ms, VmRSS $(mb "$rss1") MB, VmHWM $(mb "$hwm1") MB;" \
	    "reload and second round ${ms2} ms, VmRSS $(mb "$rss2") MB, VmHWM $(mb "$hwm2") MB"
	kill $D
	wait $D 2>/dev/null || true
}

# config STATE-FILE: camcomplyd.conf for the cameras on stdin (URLs).
config() {
	echo "credentials audit admin $T/pw"
	awk '{ print "camera " $1 " credentials audit" }'
	echo "poll-interval 3600"
	echo "timeout 5"
	echo "concurrency 64"
	echo "state-file $1"
	echo "policy $top/data/policy.xml"
}

for n in $sizes; do
	for i in $(seq 0 $((n - 1))); do
		echo "hikvision-wsse@127.7.$((i / 100 / 250)).$((i / 100 % 250 + 1)):0,user=admin,password-file=$T/pw"
	done >"$T/fleet"
	rm -f "$T/ready"
	"$build/tests/sim/camsim" -d "$top/tests/sim/profiles" -f "$T/fleet" \
		-r "$T/ready" -l /dev/null >"$T/sim.out" 2>&1 &
	PIDS="$!"
	wait_until 120 test -e "$T/ready" || { cat "$T/sim.out"; exit 1; }
	awk '{ print $2 }' "$T/ready" >"$T/targets"
	config "$T/state.sim" <"$T/targets" >"$T/c.conf"
	daemon "$n" "$T/c.conf"

	t0=$(date +%s%N)
	# shellcheck disable=SC2046 # one argument per target, as an operator would
	/usr/bin/time -v -o "$T/time" "$build/camcomply" scan --json \
		--policy "$top/data/policy.xml" --concurrency 64 --timeout 5 \
		--user admin --password-file "$T/pw" $(cat "$T/targets") \
		>"$T/scan.json" 2>"$T/scan.err" || true
	ms=$((($(date +%s%N) - t0) / 1000000))
	maxrss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$T/time")
	ok=$(grep -c '"status": *"ok"' "$T/scan.json" || true)
	echo "bench-memory: camcomply scan --json, $n targets ($ok ok), ${ms} ms:" \
	    "max RSS $(mb "$maxrss") MB"
	stop_all
done

[ "$big" -gt 0 ] && [ -s "$T/state.sim" ] || exit 0
# BIG rows: one identified camera's line of the state file, made BIG
# cameras at 127.10.0.1 onwards (port 9: nothing listens).
awk -v n="$big" 'NR == 1 { print; next }
	NR == 2 {
		for (i = 0; i < n; i++) {
			a = sprintf("127.%d.%d.%d", 10 + int(i / 62500),
			    int(i / 250) % 250, i % 250 + 1)
			l = ""
			for (f = 1; f <= NF; f++) {
				v = $f
				if (v ~ /^index=/)
					v = "index=" (i + 1)
				else if (v ~ /^key=/)
					v = "key=http://" a ":9/onvif/device_service"
				else if (v ~ /^address=/)
					v = "address=" a
				else if (v ~ /^(serial|hostname)=./)
					v = v "-" i
				l = l (f > 1 ? " " : "") v
			}
			print l
		}
		exit
	}' "$T/state.sim" >"$T/state.big"
sed -n 's/^dev .* key=\([^ ]*\) .*/\1/p' "$T/state.big" |
	config "$T/state.big" >"$T/c.conf"
daemon "$big (restored, unreachable)" "$T/c.conf"
