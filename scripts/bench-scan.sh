#!/bin/bash
# Benchmark: scan 200 simulated cameras of which 20 are black-holed (accept
# and never answer).  Reports wall time against the per-camera timeout.
# Loopback only (127.5.0.0/24).  Usage: bench-scan.sh BUILD-DIR [TIMEOUT]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
timeout=${2:-3}
T=$(mktemp -d)
trap 'kill $SIM 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
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
