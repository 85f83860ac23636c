#!/bin/bash
# One elapsed-time deadline bounds each camera's whole exchange, whatever
# the peer does: 16 https endpoints that drip their TLS handshake at 40 B/s
# and 16 that drip an endless HTTP header, next to 10 healthy cameras, in
# one camcomplyd with the default 32 workers and a 3 s timeout.  The
# healthy cameras are all polled within one timeout of the round's start,
# and no poll holds a worker longer than the timeout plus one second (each
# poll's time is measured by the daemon and logged; the figures are shown).
. "$(dirname "$0")/lib.sh"
NET=${NET:-127.2.61} GOOD=${GOOD:-127.2.62}
. "$(dirname "$0")/lib-snmp.sh"
TIMEOUT=3
PW=$(password_file audit audit-pass)

specs=()
for i in $(seq 1 16); do
	specs+=("generic@$NET.1:0,tls=yes,fault=tls-drip,drip-ms=25")
	specs+=("generic@$NET.2:0,fault=header-drip,fault-scope=all,drip-ms=25")
done
h=1
for p in hikvision-wsse hikvision-digest dahua uniview axis bosch hanwha \
    reolink ezviz cpplus; do
	specs+=("$p@$GOOD.$h:$CAM_PORT,user=audit,password-file=$PW")
	h=$((h + 1))
done
start_sim "${specs[@]}"
ready=$(ls "$T"/sim-ready.* | head -n 1)
expect "camsim serves 42 endpoints" 42 "$(wc -l <"$ready")"

{
	echo "credentials audit audit $PW"
	awk '{ print "camera " $2 " credentials audit" }' "$ready"
	cat <<EOC
poll-interval 300
timeout $TIMEOUT
state-file $T/state
policy $top_srcdir/data/policy.xml
EOC
} >"$T/camcomplyd.conf"
DAEMON_ARGS="-D camcomply:poll"
start_stack "$T/camcomplyd.conf"
results() { grep -c ' result [0-9]* ' "$T/daemon.log"; }
first_round_done() { [ "$(results)" -ge 42 ]; }
# The round cannot take longer than two deadlines (42 jobs, 32 workers).
wait_until $((3 * TIMEOUT + 5)) first_round_done ||
	fail "the first round did not complete"

# "result IDX URL: STATUS in N ms, round +M ms" -> "URL STATUS N M"
sed -nE 's/.* result [0-9]+ ([^ ]+): ([a-z-]+) in ([0-9]+) ms, round \+(-?[0-9]+) ms.*/\1 \2 \3 \4/p' \
	"$T/daemon.log" >"$T/results"
max_held=$(awk '{ if ($3 > m) m = $3 } END { print m + 0 }' "$T/results")
limit=$((TIMEOUT * 1000 + 1000 * SLOW))
echo "# longest poll: $max_held ms (limit $limit ms)"
expect "no poll held a worker longer than timeout + $SLOW s" yes \
    "$([ "$max_held" -le $limit ] && echo yes || echo "no ($max_held ms)")"
good_last=$(awk -v g="//$GOOD." 'index($1, g) { if ($4 > m) m = $4 } END { print m + 0 }' \
	"$T/results")
echo "# last healthy camera answered at round +$good_last ms"
expect "the 10 healthy cameras are ok" 10 \
    "$(awk -v g="//$GOOD." 'index($1, g) && $2 == "ok"' "$T/results" | wc -l)"
expect "... all within one timeout of the round's start" yes \
    "$([ "$good_last" -le $((TIMEOUT * 1000 * SLOW)) ] && echo yes || echo "no (+$good_last ms)")"
expect "the 32 dripping endpoints time out" 32 \
    "$(awk -v g="//$NET." 'index($1, g) && $2 == "timeout"' "$T/results" | wc -l)"
drip_min=$(awk -v g="//$NET." 'index($1, g) { if (m == "" || $3 < m) m = $3 } END { print m + 0 }' \
	"$T/results")
expect "... each after the whole deadline, not an idle timer (>= $((TIMEOUT * 1000 - 100)) ms)" \
    yes "$([ "$drip_min" -ge $((TIMEOUT * 1000 - 100)) ] && echo yes || echo "no ($drip_min ms)")"
expect "the MIB shows them timeout(2)" 32 "$(swalk $ENTRY.21 | awk '$2 == 2' | wc -l)"

# Stopping does not wait for the dripping polls' deadlines: a new round
# puts 32 of them in flight again, with a deadline of STOP_TIMEOUT, and
# SIGTERM cuts them short.  That deadline is long, so that a daemon which
# waited for it cannot pass for one that did not: what stopping costs
# besides (the first TLS polls load the system's CA bundle, the state file's
# fsync) took up to 2.5 s on a loaded 2-core machine, more than half of a
# 3 s timeout.
STOP_TIMEOUT=30
sed -i "s/^timeout $TIMEOUT\$/timeout $STOP_TIMEOUT/" "$T/camcomplyd.conf"
n0=$(results)
kill -HUP "$DAEMON_PID"
more_results() { [ "$(results)" -ge $((n0 + 10)) ]; }
wait_until $((TIMEOUT + 5)) more_results || fail "no second round"
t0=$(date +%s%N)
kill -TERM "$DAEMON_PID"
# Stopped: the module says so once its polls are cut short (what follows,
# the host's own shutdown and a sanitized build's leak check at exit, is
# not the module's); then the process ends.
stopped() { grep -q "$DAEMON_STOPPED" "$T/daemon.log"; }
wait_until $((STOP_TIMEOUT + 5)) stopped || fail "the daemon did not say it stopped"
stop_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
# Exited: no process, or a zombie not yet reaped by this shell.
gone() { case $(ps -o stat= -p "$DAEMON_PID") in '' | Z*) return 0 ;; esac; return 1; }
wait_until $((STOP_TIMEOUT + 5)) gone || fail "the daemon did not stop"
echo "# stopped in $stop_ms ms with dripping polls in flight"
expect "it stops well within the polls' timeout ($stop_ms ms < $((STOP_TIMEOUT * 1000 / 3)) ms)" yes \
    "$([ "$stop_ms" -lt $((STOP_TIMEOUT * 1000 / 3)) ] && echo yes || echo no)"
finish
