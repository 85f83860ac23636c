#!/bin/bash
# The snmpd master restarted FAULT_RESTARTS times (50) under a running
# camcomplyd, each time in the middle of a poll round (a SIGHUP starts one
# a random moment before) and while notifications are flowing: every
# FAULT_SIGKILL_EVERY-th time (2; 0: never) killed (SIGKILL, its AgentX
# socket file left behind), the other times stopped (SIGTERM).
# FAULT_CAMS (1,000) restricted Hikvision cameras on 127.2.92.0/24 (250
# addresses x 4 shared ports), announced at notification-rate 20 a
# second, so that the 1,000 announcements leave during the restarts.  The
# schedule comes from FAULT_SEED, printed.
#
# After each restart the test checks:
# - camcomplyd reconnects within its AgentX ping interval (1 s,
#   plugin/camcomplyd/main.c): from the new master's start-up banner to
#   the first GET of the MIB it answers, FAULT_RECONNECT_MS (2,500) at
#   most: the first ping after the new master listens, or the second
#   when the first came while it was still starting, and the
#   registrations and this test's own polling every 50 ms, on a loaded
#   2-core machine (the mean is about 850 ms; the maximum over 50
#   restarts was 982 to 1,715 ms in seven runs under make -j2 check);
#   the maximum and the mean are printed;
# - no row lost: camDevicesTotal, and a walk of camDeviceServiceUrl has
#   every camera, each with the index it had before the first restart.
# At the end: no notification reached snmptrapd twice (a notification is
# its type and row), every camera announced at most once (those lost in
# a master killed with them in flight are counted, and printed), and the
# queue drained.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-snmp.sh"
# Its bounds are wall-clock ones (reconnects, rounds, walks after a kill):
# CI's sanitizer phase, 5 to 20 times slower, skips it (FAULT_SANITIZED_SKIP,
# allowed there by scripts/test.sh); the check phase runs it whole.
[ "${CAMCOMPLY_SANITIZERS:-no}" = yes ] && [ -n "${FAULT_SANITIZED_SKIP:-}" ] &&
	skip "a wall-clock-bound fault test in a sanitized build (FAULT_SANITIZED_SKIP)"
command -v snmpbulkwalk >/dev/null ||
	skip "snmpbulkwalk not installed (Debian package snmp)"
[ "$CAMCOMPLY_HOST" = subagent ] ||
	skip "the master restarted under the subagent: CAMCOMPLY_HOST=subagent only"
NET=${NET:-127.2.92}
RESTARTS=${FAULT_RESTARTS:-50} N=${FAULT_CAMS:-1000}
LIMIT_MS=${FAULT_RECONNECT_MS:-2500} EVERY=${FAULT_SIGKILL_EVERY:-2}
[ "$N" -le 1000 ] || N=1000
SEED=${FAULT_SEED:-$(( ($$ + $(date +%s)) % 32768 ))}
RANDOM=$SEED
echo "# seed $SEED: FAULT_SEED=$SEED replays this schedule; $RESTARTS restarts"
PW=$(password_file audit hik-wsse-pass)

for p in 1 2 3 4; do
	echo "hikvision-wsse@$NET.1+250:0,user=admin,password-file=$PW"
done >"$T/fleet"
"$CAMSIM" -d "$PROFILES" -f "$T/fleet" -r "$T/ready" -l /dev/null \
	>>"$T/sim.out" 2>&1 &
PIDS="$PIDS $!"
wait_for_file "$T/ready" 30 || { cat "$T/sim.out"; fail "camsim"; exit 1; }
{
	echo "credentials audit admin $PW"
	head -n "$N" "$T/ready" |
		awk '{ print "camera " $2 " credentials audit" }'
	cat <<EOC
site core $NET.0/24 core
poll-interval 10
timeout 5
concurrency 32
notification-rate 20
notification-queue 100000
state-file $T/state
policy $top_srcdir/data/policy.xml
EOC
} >"$T/cc.conf"

start_stack "$T/cc.conf"
wait_until 60 rounds_at_least 1 || { fail "no first round"; exit 1; }

walk_pairs() {
	snmpbulkwalk -v2c -c public -r0 -t2 -On -Oq "127.0.0.1:$SNMP_PORT" \
		"$ENTRY.4" 2>/dev/null |
		awk -v p="$ENTRY.4." 'index($1, p) == 1 {
			i = substr($1, length(p) + 1); u = $2; gsub(/"/, "", u)
			print i, u }' >"$1"
}
walk_pairs "$T/ref"
expect "every camera has a row" "$N" "$(wc -l <"$T/ref")"
queued() { sget $SUMMARY.16.0; }
echo "# first round done, $(trap_count 1) announced, $(queued) queued"

hups() { grep -c 'reloading' "$T/daemon.log"; }
hups_above() { [ "$(hups)" -gt "$1" ]; }
msleep() { sleep "$(($1 / 1000)).$(printf '%03d' $(($1 % 1000)))"; }
registered() { sget_ok $SUMMARY.4.0; }
max_ms=0 sum_ms=0 lost_rows=0 kills=0
for r in $(seq 1 "$RESTARTS"); do
	# A round under way: SIGHUP (a reload polls every camera at once).
	h=$(hups)
	kill -HUP "$DAEMON_PID"
	wait_until 5 hups_above "$h" || fail "restart $r: no reload"
	msleep $((RANDOM % 300))
	if [ "$EVERY" -gt 0 ] && [ $((r % EVERY)) = 0 ]; then
		kill -9 "$SNMPD_PID"
		kills=$((kills + 1))
	else
		kill "$SNMPD_PID"
	fi
	wait "$SNMPD_PID" 2>/dev/null
	_forget "$SNMPD_PID"
	start_snmpd
	t0=$(date +%s%N)
	if ! wait_until 10 registered; then
		fail "restart $r: camcomplyd did not come back in 10 s"
		break
	fi
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	sum_ms=$((sum_ms + ms))
	[ "$ms" -le "$max_ms" ] || max_ms=$ms
	[ "$ms" -le "$LIMIT_MS" ] ||
		fail "restart $r: reconnected in $ms ms (at most $LIMIT_MS)"
	total=$(sget $SUMMARY.4.0)
	walk_pairs "$T/walk"
	if [ "$total" != "$N" ] || ! cmp -s "$T/ref" "$T/walk"; then
		lost_rows=$((lost_rows + 1))
		fail "restart $r: camDevicesTotal $total, the walk $(wc -l <"$T/walk") rows, $(diff "$T/ref" "$T/walk" | grep -c '^[<>]') differ"
	fi
	echo "# restart $r: reconnected in $ms ms, $(trap_count 1) announced, $(queued) queued"
	[ "$FAILS" -lt 5 ] || break
done
echo "# $RESTARTS restarts ($kills SIGKILL): reconnect max $max_ms ms, mean $((sum_ms / RESTARTS)) ms"
expect "reconnected within ${LIMIT_MS} ms every time (max $max_ms ms)" ok \
	"$([ "$max_ms" -le "$LIMIT_MS" ] && echo ok)"
expect "no row lost or renumbered after any restart" 0 "$lost_rows"

# The rest of the announcements, then: each notification once.
queue_empty() { [ "$(queued)" = 0 ]; }
wait_until $((N / 20 + 30)) queue_empty || fail "the queue did not drain"
sent() { sget $SUMMARY.14.0; }
traps_all() { grep -c "$NOTIF\.[0-9]" "$T/traps.log"; }
arrived() { [ "$(traps_all)" -ge "$(sent)" ]; }
wait_until 5 arrived
grep "$NOTIF\.[0-9]" "$T/traps.log" |
	sed -n "s/.*\($NOTIF\.[0-9]*\).*$ENTRY\.2\.\([0-9]*\) .*/\1 \2/p" |
	sort | uniq -c >"$T/per-note"
dups=$(awk '$1 > 1' "$T/per-note" | head -n 5)
expect "no notification repeated" "" "$dups"
announced=$(grep -c "$NOTIF\.1 " "$T/per-note")
echo "# $(sent) notifications sent, $(traps_all) arrived; $announced of $N cameras announced, $((N - announced)) lost in flight to a master that went"
expect "every camera announced at most once" "" \
	"$(awk -v n="$NOTIF.1" '$2 == n && $1 > 1' "$T/per-note")"
# A notification written into the socket of a master that has gone is
# lost (Net-SNMP logs it).  camcomplyd holds them while the socket says
# the master hung up (4 in 6 restarts went that way before), but the
# master may still go between that check and the write: counted, printed.
epipe=$(grep -c 'send_trap: Failure in sendto' "$T/daemon.log")
echo "# $epipe notification(s) written to a master that had just gone"
[ -z "${FAULT_KEEP:-}" ] || cp -a "$T" "$FAULT_KEEP"
finish
