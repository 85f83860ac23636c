#!/bin/bash
# A first round that finds 3,000 restricted cameras at once, with the
# notification queue set small and slow (20 per second, 50 waiting): the
# master keeps answering (sysUpTime.0 within a second throughout), the
# per-camera traps leave paced, the rest are counted in
# camNotificationsSuppressed and one camComplianceSummary gives the counts;
# the table holds all 3,000.  Then the master is stopped (SIGSTOP) during a
# round: polling goes on, camcomplyd's memory stays bounded, and after
# SIGCONT the table and the traps catch up with no camera announced twice.
. "$(dirname "$0")/lib.sh"
NET=${NET:-127.2.80}
. "$(dirname "$0")/lib-snmp.sh"
N=3000 RATE=20 QUEUE=50 STOP_S=${STOP_S:-15}
# --enable-sanitizers: the memory bound below is the daemon's own; ASan
# would add its quarantine of freed blocks (up to 256 MB) to the RSS.
ASAN_OPTIONS=$ASAN_OPTIONS:quarantine_size_mb=0
PW=$(password_file audit hik-wsse-pass)

# 3,000 Hikvision cameras: 30 addresses, 100 ports each (camsim picks).
for a in $(seq 1 30); do
	for p in $(seq 1 100); do
		echo "hikvision-wsse@$NET.$a:0,user=admin,password-file=$PW"
	done
done >"$T/fleet"
"$CAMSIM" -d "$PROFILES" -f "$T/fleet" -r "$T/ready" -l /dev/null \
	>>"$T/sim.out" 2>&1 &
PIDS="$PIDS $!"
wait_for_file "$T/ready" 60 || { cat "$T/sim.out"; fail "camsim"; exit 1; }
expect "camsim serves the fleet" $N "$(wc -l <"$T/ready")"
{
	echo "credentials audit admin $PW"
	awk '{ print "camera " $2 " credentials audit" }' "$T/ready"
	cat <<EOC
site core $NET.0/24 core
poll-interval 3600
timeout 5
concurrency 64
notification-rate $RATE
notification-queue $QUEUE
state-file $T/state
policy $top_srcdir/data/policy.xml
EOC
} >"$T/camcomplyd.conf"
start_stack "$T/camcomplyd.conf"

# Probe the master every 200 ms until the round is over and the queue is
# empty: every probe must be answered within one second.
probe() {
	local bad=0 n=0 q
	while :; do
		snmpget -v2c -c public -r0 -t1 -Oqv "127.0.0.1:$SNMP_PORT" \
			.1.3.6.1.2.1.1.3.0 >/dev/null 2>&1 || bad=$((bad + 1))
		n=$((n + 1))
		q=$(sget $SUMMARY.16.0 2>/dev/null)
		[ "${q:-0}" -le "$QUEUE" ] || echo "queue over: $q" >>"$T/queue-over"
		rounds_at_least 1 && [ "$q" = 0 ] && traps_at_least 8 1 && break
		[ "$n" -lt 1500 ] || break # 5 minutes: give up, fail below
		sleep 0.2 # a probe's pace, not a wait for a condition
	done
	echo "$n $bad" >"$T/probes"
}
probe &
PROBE=$!
PIDS="$PIDS $PROBE" # stopped with the rest if the test ends early
wait_until 120 rounds_at_least 1 || fail "the first round did not end"
wait_until 60 traps_at_least 8 1 || fail "no camComplianceSummary"
wait "$PROBE"
read -r probes unanswered <"$T/probes"
echo "# $probes probes of sysUpTime.0 during the round, $unanswered unanswered"
expect "the master answered every probe within 1 s" 0 "$unanswered"
expect "the queue never held more than $QUEUE" "" "$(cat "$T/queue-over" 2>/dev/null)"
expect "camDevicesRestricted" $N "$(sget $SUMMARY.6.0)"
expect "camRestrictedOnCore" $N "$(sget $SUMMARY.10.0)"

detected=$(trap_count 1) summaries=$(trap_count 8)
sent=$(sget $SUMMARY.14.0) suppressed=$(sget $SUMMARY.15.0)
echo "# traps: $detected camRestrictedDeviceDetected, $summaries summary; sent $sent, suppressed $suppressed"
expect "every restricted camera is sent or counted" $N $((detected + suppressed))
expect "camNotificationsSent counts what snmptrapd got" $((detected + summaries)) "$sent"
expect_match "some were sent one by one (at least the queue's $QUEUE)" '^yes$' \
    "$([ "$detected" -ge "$QUEUE" ] && [ "$detected" -lt $N ] && echo yes)"
expect_match "one camComplianceSummary (or one per burst)" '^[1-3]$' "$summaries"
# The last summary's counts: restricted, and the suppressed total.
last=$(grep "$NOTIF\.8\b" "$T/traps.log" | tail -n 1)
expect_match "the summary says $N restricted" "$SUMMARY\\.6\\.0 = Gauge32: $N" "$last"
expect_match "... and the suppressed count" "$SUMMARY\\.15\\.0 = Counter32: $suppressed" "$last"
# Pacing: never much more than the rate in any one second.
peak=$(grep -o '^[0-9-]* [0-9:]*' "$T/traps.log" | sort | uniq -c | sort -rn |
	awk 'NR == 1 { print $1 }')
echo "# busiest second at snmptrapd: $peak notifications (rate $RATE)"
expect "paced: at most twice the rate in any second" yes \
    "$([ "${peak:-0}" -le $((2 * RATE)) ] && echo yes || echo "no: $peak")"

# ---- the master stopped during a round --------------------------------------
# (Inside snmpd the module has no master but the process it runs in:
# notify-burst-snmpd.sh ends here.)
[ "$CAMCOMPLY_HOST" = subagent ] || { finish; exit; }
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$DAEMON_PID/status"; }
rss0=$(rss)
before=$(trap_count 1)
# A new round (SIGHUP reloads and polls) while the master is stopped.
kill -HUP "$DAEMON_PID"
kill -STOP "$SNMPD_PID"
r0=$(grep -c 'poll round .* completed' "$T/daemon.log")
t0=$(date +%s)
rounds_done() { [ "$(grep -c 'poll round .* completed' "$T/daemon.log")" -gt "$r0" ]; }
# The master stays stopped STOP_S seconds, and longer if the round has not
# completed by then (a loaded machine), until it has or 120 s have passed.
stopped_enough() { [ "$(date +%s)" -ge $((t0 + STOP_S)) ] && rounds_done; }
wait_until 120 stopped_enough
polled_meanwhile=no
rounds_done && polled_meanwhile=yes
rss1=$(rss)
kill -CONT "$SNMPD_PID"
expect "polling went on while the master was stopped" yes "$polled_meanwhile"
echo "# camcomplyd RSS: $rss0 kB before, $rss1 kB after $(( $(date +%s) - t0 ))s of a stopped master"
expect "memory stayed bounded (< +16 MB)" yes \
    "$([ $((rss1 - rss0)) -lt 16384 ] && echo yes || echo "no: +$((rss1 - rss0)) kB")"
wait_until 30 sget_ok $SUMMARY.4.0 || fail "the MIB did not come back"
expect "the table is whole after SIGCONT" $N "$(sget $SUMMARY.4.0)"
expect "no camera announced twice" "$before" "$(trap_count 1)"
dups=$(grep "$NOTIF\.1\b" "$T/traps.log" | grep -o "$ENTRY\.2\.[0-9]*" | sort |
	uniq -d | wc -l)
expect "no row in two camRestrictedDeviceDetected" 0 "$dups"
finish
