#!/bin/bash
# Every simulator fault mode through the client: hostile and broken cameras
# get a status an operator can act on, quickly, and never crash the scan.
. "$(dirname "$0")/lib.sh"
NET=127.2.2
PW=$(password_file site site-pass)
cam() { echo "$1@$NET.$2:$CAM_PORT,user=admin,password-file=$PW${3:+,$3}"; }

# number  profile  spec-options                 expected status
CASES="
1  axis             fault=no-answer               timeout
2  axis             fault=slow-drip               timeout
3  axis             fault=close-mid-reply         malformed
4  axis             fault=malformed-xml           malformed
5  axis             fault=huge-body               malformed
6  axis             fault=deep-nesting            malformed
7  axis             fault=entity-expansion        malformed
8  dahua            fault=wrong-credentials       auth-failed
9  dahua            fault=clock-skew              ok
10 dahua            fault=lying-clock             clock-skew
11 dahua            fault=short-body              ok
12 dahua            fault=short-body-keep         ok
13 axis             fault=soap11-only             ok
14 bosch            fault=chunked                 ok
15 hikvision-wsse   fault=html-401,fault-scope=identity  ok
16 hikvision-digest fault=html-401                ok
17 dahua            fault=blank-line-before-xml-decl ok
18 hikvision-wsse   fault=extra-vendor-elements   ok
19 hikvision-wsse   fault=wrong-credentials       auth-failed
20 axis             fault=wrong-credentials       auth-failed
21 hikvision-digest fault=wrong-credentials       auth-failed
"
specs=()
while read -r n p opt want; do
	[ -n "$n" ] || continue
	specs+=("$(cam "$p" "$n" "$opt")")
done <<<"$CASES"
start_sim "${specs[@]}"

targets=()
while read -r n p opt want; do [ -n "$n" ] && targets+=("$NET.$n:$CAM_PORT"); done <<<"$CASES"
t0=$(date +%s)
out=$("$CAMCOMPLY" scan --json --no-policy --timeout 3 --concurrency 32 \
	--user admin --password-file "$PW" "${targets[@]}")
rc=$?
elapsed=$(( $(date +%s) - t0 ))
expect "scan exits 1 when some targets fail" 1 "$rc"
expect_match "all faults together cost about one timeout (${elapsed}s)" '^[3-6]$' "$elapsed"
i=0
while read -r n p opt want; do
	[ -n "$n" ] || continue
	st=$(printf '%s' "$out" | jq -r ".[$i].status")
	err=$(printf '%s' "$out" | jq -r ".[$i].error")
	expect "$p $opt -> $want ($err)" "$want" "$st"
	i=$((i + 1))
done <<<"$CASES"

j() { printf '%s' "$out" | jq -r "$1"; }
expect_match "huge body is cut at a cap" 'larger than|longer than' "$(j '.[4].error')"
expect_match "auth failure names the subcode" 'ter:NotAuthorized' "$(j '.[7].error')"
expect_match "Hikvision DVR style subcode" 'wsse:InvalidSecurity' "$(j '.[18].error')"
expect_match "clock-skew camera: offset about +3 h" '^1(07|08)[0-9]{2}$' "$(j '.[8].clock_offset_s')"
expect "identity survives the short body" "$(profile_value dahua serial)" "$(j '.[10].serial')"
expect "identity read over SOAP 1.1" "$(profile_value axis model)" "$(j '.[12].model')"
expect "Digest after an HTML 401" http-digest "$(j '.[15].auth')"
# Strings from hostile cameras are clean UTF-8 of at most 255 bytes.
expect "no field longer than 255 bytes" 0 \
	"$(j '[.[] | .manufacturer,.model,.firmware,.serial,.error | select(length > 255)] | length')"

# Dahua counts failed logins: one scan is one attempt, never a retry.
before=$(grep -c "dahua@$NET.8:$CAM_PORT .*GetDeviceInformation" "$T/sim.log")
"$CAMCOMPLY" scan --json --no-policy --timeout 3 --user admin --password-file "$PW" "$NET.8:$CAM_PORT" >"$T/one.json"
after=$(grep -c "dahua@$NET.8:$CAM_PORT .*GetDeviceInformation" "$T/sim.log")
expect "a refused credential is tried once per scan" 1 $((after - before))
expect_match "Dahua counts down" 'attempt' "$(jq -r '.[0].error' "$T/one.json")"

# Targets that are not cameras.
# Nothing listens on $NET.99 (this test's own /24).
out=$("$CAMCOMPLY" scan --json --no-policy --timeout 2 "$NET.99:$CAM_PORT" "not a url")
expect "refused port" unreachable "$(j '.[0].status')"
expect "bad target" bad-target "$(j '.[1].status')"
finish
