#!/bin/bash
# One dead camera costs at most its own timeout, not the scan's: 40 cameras
# of which 8 never answer, 2 s timeout, 16 at a time.
. "$(dirname "$0")/lib.sh"
NET=127.2.3
PW=$(password_file site site-pass)
specs=() targets=()
for i in $(seq 1 40); do
	opt=""
	[ $((i % 5)) = 0 ] && opt=",fault=no-answer"
	specs+=("axis@$NET.$i:$CAM_PORT,user=admin,password-file=$PW$opt")
done
start_sim "${specs[@]}"
for i in $(seq 1 40); do targets+=("$NET.$i:$CAM_PORT"); done
t0=$(date +%s%N)
out=$("$CAMCOMPLY" scan --json --no-policy --timeout 2 --concurrency 16 \
	--user admin --password-file "$PW" "${targets[@]}")
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
j() { printf '%s' "$out" | jq -r "$1"; }
expect "live cameras identified" 32 "$(j '[.[] | select(.status == "ok")] | length')"
expect "dead cameras time out" 8 "$(j '[.[] | select(.status == "timeout")] | length')"
expect "each dead camera costs no more than its timeout" 0 \
	"$(j '[.[] | select(.status == "timeout" and .elapsed_ms > 2500)] | length')"
expect "no live camera waits on a dead one" 0 \
	"$(j '[.[] | select(.status == "ok" and .elapsed_ms > 1000)] | length')"
# 8 dead cameras on 16 workers run side by side: about one timeout in all.
expect_match "whole scan in about one timeout (${ms} ms)" '^[0-9]{4}$' "$ms"
finish
