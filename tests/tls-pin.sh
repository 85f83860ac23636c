#!/bin/bash
# verify-tls pin: trust on first use.  camcomplyd pins the certificate an
# https camera shows first; when the simulator swaps the camera's
# certificate (SIGUSR1), the next poll sends nothing on that connection
# (the camera's capture of every byte it received does not grow), the row
# goes certChanged(12) with both fingerprints in the MIB, and one
# camDeviceCertificateChanged is sent, not one per poll.  A tls-pin line
# accepts the new certificate; `camcomply scan --tls-pin` refuses the same
# way.
. "$(dirname "$0")/lib.sh"
NET=${NET:-127.2.63}
. "$(dirname "$0")/lib-snmp.sh"
PW=$(password_file audit audit-pass)
# The poll's deadline: nothing here is about deadlines, and a TLS poll
# under two busy loops on a loaded 2-core machine overran 3 s (the other
# camera went timeout(2)).  Every wait on a round allows for it.
TIMEOUT=10
start_sim "hikvision-wsse@$NET.1:$CAM_PORT,tls=yes,cert-swap=yes,user=audit,password-file=$PW,capture=$T/cap.1" \
	"dahua@$NET.2:$CAM_PORT,tls=yes,user=audit,password-file=$PW"
SIM_PID=${PIDS##* }
READY=$(ls "$T"/sim-ready.*)
URL1=https://$NET.1:$CAM_PORT/onvif/device_service
URL2=https://$NET.2:$CAM_PORT/onvif/device_service
fp_of() { sed -n "s|.*$1 .*sha256=\\([0-9a-f]*\\).*|\\1|p" "$READY"; }
OLD=$(fp_of "$URL1")
expect_match "camsim reports the certificate's SHA-256" '^[0-9a-f]{64}$' "$OLD"

conf() {
	cat >"$T/camcomplyd.conf" <<EOC
credentials audit audit $PW verify-tls pin
camera $URL1 credentials audit $1
camera $URL2 credentials audit
poll-interval 300
timeout $TIMEOUT
state-file $T/state
policy $top_srcdir/data/policy.xml
EOC
}
conf ""
start_stack "$T/camcomplyd.conf"
wait_until $((TIMEOUT + 10)) polled_at_least 2
I1=$(index_of "$URL1") I2=$(index_of "$URL2")
hexcol() { column "$1" "$2" | tr -d ' \n"' | tr 'A-F' 'a-f'; }
expect "first poll: ok(1)" 1 "$(column 21 "$I1")"
expect "the first certificate is pinned (trust on first use)" "$OLD" "$(hexcol 29 "$I1")"
expect "... and shown as the one presented" "$OLD" "$(hexcol 30 "$I1")"
# The state file is written just after the round, off the SNMP path.
pinned_in_state() { grep -q "pin=$OLD" "$T/state"; }
wait_until 5 pinned_in_state
expect "the state file keeps the pin" 1 "$(grep -c "pin=$OLD" "$T/state")"
before=$(wc -c <"$T/cap.1")
expect_match "the camera heard our (digest) credentials" 'UsernameToken' \
    "$(tr -d '\0' <"$T/cap.1")"

# The camera is swapped (or someone sits in the middle).
kill -USR1 "$SIM_PID"
swapped() { grep -q 'certificate swapped' "$T/sim.log" && [ "$(fp_of "$URL1")" != "$OLD" ]; }
wait_until 10 swapped || fail "camsim did not swap the certificate"
NEW=$(fp_of "$URL1")
round() {
	local r
	r=$(sget $SUMMARY.13.0)
	kill -HUP "$DAEMON_PID"
	wait_until $((TIMEOUT + 10)) rounds_at_least $((r + 1)) || fail "no poll round after SIGHUP"
}
round
expect "after the swap: certChanged(12)" 12 "$(column 21 "$I1")"
expect "the pin is kept" "$OLD" "$(hexcol 29 "$I1")"
expect "the new certificate is shown" "$NEW" "$(hexcol 30 "$I1")"
expect_match "the detail names it" "certificate changed: sha256 $NEW" "$(column 26 "$I1")"
expect "nothing was sent to it: its capture did not grow" "$before" "$(wc -c <"$T/cap.1")"
expect "the other camera is still ok" 1 "$(column 21 "$I2")"
wait_until 5 traps_at_least 7 1
expect "one camDeviceCertificateChanged" 1 "$(trap_count 7)"
trap_text=$(tr -d ' \n' <"$T/traps.log" | tr 'A-F' 'a-f')
expect_match "... carrying the service URL" "$URL1" "$(grep -A20 "$NOTIF\.7" "$T/traps.log")"
expect_match "... and both fingerprints" "$OLD.*$NEW|$NEW.*$OLD" "$trap_text"
round
expect "still certChanged(12) at the next poll" 12 "$(column 21 "$I1")"
expect "... with no second notification" 1 "$(trap_count 7)"
expect "... and still nothing sent" "$before" "$(wc -c <"$T/cap.1")"

# The scan refuses the same way with the old pin.
out=$("$CAMCOMPLY" scan --json --no-policy --timeout $TIMEOUT --tls-pin "$OLD" \
	--user audit --password-file "$PW" "$URL1")
expect "scan --tls-pin OLD: cert-changed" cert-changed "$(jq -r '.[0].status' <<<"$out")"
expect "scan: it reports the new certificate" "$NEW" "$(jq -r '.[0].tls_sha256' <<<"$out")"
expect "scan sent nothing either" "$before" "$(wc -c <"$T/cap.1")"

# The operator accepts the new certificate.
conf "tls-pin $NEW"
round
expect "tls-pin accepts the new certificate: ok(1)" 1 "$(column 21 "$I1")"
expect "... pinned" "$NEW" "$(hexcol 29 "$I1")"
expect_match "... and the camera gets credentials again" '^yes$' \
    "$([ "$(wc -c <"$T/cap.1")" -gt "$before" ] && echo yes)"
expect "no further notification" 1 "$(trap_count 7)"
finish
