#!/bin/bash
# Benchmark: scan 200 simulated cameras of which 20 are black-holed (accept
# and never answer).  Reports wall time against the per-camera timeout.
# Then 200 cameras over https (Axis profile, a self-signed certificate
# each, no verification): wall and CPU time of the scan, the cost that
# one TLS context per trust setting (not one per poll, each loading the
# system CA bundle) keeps down.
# Loopback only (127.5.0.0/24, 127.5.1-2.0/24).
# Usage: bench-scan.sh BUILD-DIR [TIMEOUT]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
timeout=${2:-3}
T=$(mktemp -d)
SIM="" SIM2=""
trap 'kill $SIM $SIM2 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
printf 'bench-pass\n' >"$T/pw"; chmod 600 "$T/pw"
profiles=(hikvision-wsse dahua axis bosch hanwha uniview ezviz generic)
specs=() targets=()
for i in $(seq 1 200); do
	p=${profiles[$((i % ${#profiles[@]}))]}
	opt=""; [ $((i % 10)) = 0 ] && opt=",fault=no-answer"
	specs+=("$p@127.5.0.$i:8080,user=admin,password-file=$T/pw$opt")
	targets+=("127.5.0.$i:8080")
done
"$build/tests/sim/camsim" -d "$top/tests/sim/profiles" -r "$T/ready" -l /dev/null "${specs[@]}" &
SIM=$!
for _ in $(seq 200); do [ -e "$T/ready" ] && break; sleep 0.05; done
for conc in 32 64; do
	t0=$(date +%s%N)
	"$build/camcomply" scan --json --policy "$top/data/policy.xml" --timeout "$timeout" \
		--concurrency $conc --user admin --password-file "$T/pw" "${targets[@]}" >"$T/out.json" || true
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	ok=$(jq '[.[] | select(.status == "ok")] | length' "$T/out.json")
	to=$(jq '[.[] | select(.status == "timeout")] | length' "$T/out.json")
	live=$(jq '[.[] | select(.status == "ok") | .elapsed_ms] | add' "$T/out.json")
	echo "bench-scan: 200 cameras (20 black-holed), timeout ${timeout}s, concurrency $conc:" \
	     "${ms} ms wall; $ok ok, $to timeout; live cameras $((live / ok)) ms each on average"
done

# https: a socket (and a certificate) per camera.
specs=()
for i in $(seq 1 200); do
	specs+=("axis@127.5.$((1 + i / 200)).$((i % 200 + 1)):0,tls=yes,user=admin,password-file=$T/pw")
done
"$build/tests/sim/camsim" -d "$top/tests/sim/profiles" -r "$T/ready-tls" -l /dev/null "${specs[@]}" &
SIM2=$!
for _ in $(seq 400); do [ -s "$T/ready-tls" ] && [ "$(wc -l <"$T/ready-tls")" = 200 ] && break; sleep 0.05; done
mapfile -t urls < <(awk '{ print $2 }' "$T/ready-tls")
TIMEFORMAT="%R s wall, %U s user, %S s system"
cpu=$( { time "$build/camcomply" scan --json --no-policy --timeout 10 --concurrency 32 \
	--probe none --user admin --password-file "$T/pw" "${urls[@]}" >"$T/tls.json" 2>/dev/null; } 2>&1)
ok=$(jq '[.[] | select(.status == "ok")] | length' "$T/tls.json")
echo "bench-scan: 200 https cameras, concurrency 32: $cpu; $ok ok"
