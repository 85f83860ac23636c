#!/bin/bash
# The cameras' process (camsim) killed and restarted in the middle of poll
# rounds, FAULT_CYCLES times (3): the cameras it served go unreachable and
# come back, with exactly one camDeviceUnreachable and one
# camDeviceReachable per camera and cycle, and nothing for the others.
#
# Cameras on 127.2.94.0/24: FAULT_CAMS (100) restricted Hikvision cameras
# in a camsim of their own, on a port of their own (the one killed with
# SIGKILL and restarted on the same port), and beside them, in a second
# camsim that lives throughout, 20 compliant Axis cameras and one that
# never answers.  That one holds every round open for the poll timeout
# (2 s), so a kill or a restart shortly after a round begins always lands
# in the middle of it: the cameras polled before it answer, those after do
# not (or, on the restart, the other way round), and the next round finds
# the rest.  Rounds are started by SIGHUP (a reload polls at once); the
# delay after it is random (FAULT_SEED, printed).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-snmp.sh"
# Its bounds are wall-clock ones (reconnects, rounds, walks after a kill):
# CI's sanitizer phase, 5 to 20 times slower, skips it (FAULT_SANITIZED_SKIP,
# allowed there by scripts/test.sh); the check phase runs it whole.
[ "${CAMCOMPLY_SANITIZERS:-no}" = yes ] && [ -n "${FAULT_SANITIZED_SKIP:-}" ] &&
	skip "a wall-clock-bound fault test in a sanitized build (FAULT_SANITIZED_SKIP)"
NET=${NET:-127.2.94}
CYCLES=${FAULT_CYCLES:-3} NB=${FAULT_CAMS:-100} NA=20
SEED=${FAULT_SEED:-$(( ($$ + $(date +%s)) % 32768 ))}
RANDOM=$SEED
echo "# seed $SEED: FAULT_SEED=$SEED replays this schedule"
[ "$NB" -le 120 ] || NB=120
PW=$(password_file audit hik-wsse-pass)

# The two camsims: A lives throughout, B is the one killed.
start_sim "axis@$NET.1+$NA:$CAM_PORT,user=admin,password-file=$PW" \
	"bosch@$NET.250:$CAM_PORT,fault=no-answer,listen=shared"
pick_port B_PORT || exit 99
B_SPEC="hikvision-wsse@$NET.101+$NB:$B_PORT,user=admin,password-file=$PW"
start_b() {
	local ready=$T/b-ready.$RANDOM
	"$CAMSIM" -d "$PROFILES" -r "$ready" -l /dev/null "$B_SPEC" \
		>>"$T/b.out" 2>&1 &
	B_PID=$!
	PIDS="$PIDS $B_PID"
	_wait_ready "$ready" "$B_PID" 10 ||
		{ cat "$T/b.out"; fail "camsim B did not start"; exit 1; }
}
kill_b() {
	kill -9 "$B_PID"
	wait "$B_PID" 2>/dev/null
	_forget "$B_PID"
}
start_b

# One "camera" line per camera.
{
	echo "credentials audit admin $PW"
	for i in $(seq 1 $NA) 250; do
		echo "camera $NET.$i:$CAM_PORT credentials audit"
	done
	for i in $(seq 101 $((100 + NB))); do
		echo "camera $NET.$i:$B_PORT credentials audit"
	done
	cat <<EOF
site core $NET.0/24 core
poll-interval 3600
timeout 2
concurrency 8
notification-rate 1000
state-file $T/state
policy $top_srcdir/data/policy.xml
EOF
} >"$T/cc.conf"
ALL=$((NA + 1 + NB))
start_stack "$T/cc.conf"
wait_until 30 rounds_at_least 1 || { fail "no first round"; exit 1; }

# idx_of_port PORT: the indexes of the rows of cameras on PORT.
swalk "$ENTRY.4" >"$T/urls"
idx_of_port() {
	grep -v "$NET\.250:" "$T/urls" |
		awk -v p=":$1/" 'index($2, p) { n = split($1, a, "."); print a[n] }' |
		sort -n
}
idx_of_port "$B_PORT" >"$T/b-rows"
idx_of_port "$CAM_PORT" >"$T/a-rows"
expect "every camera has a row" "$ALL" "$(grep -c . "$T/urls")"
expect "B's and A's answering cameras" "$NB $NA" \
	"$(wc -l <"$T/b-rows") $(wc -l <"$T/a-rows")"
# status_count PORT STATUS: rows of PORT's cameras with that poll status.
status_count() {
	swalk "$ENTRY.21" | awk -v rows="$T/$1-rows" -v s="$2" '
		FILENAME == rows { r[$1] = 1; next }
		{ n = split($1, a, "."); if ((a[n] in r) && $2 == s) c++ }
		END { print c + 0 }' "$T/$1-rows" -
}
expect "camsim B's cameras answer: ok(1)" "$NB" "$(status_count b 1)"

# round N: a SIGHUP starts round N; for wait_until, the next ones.
rounds=1
hups() { grep -c 'reloading' "$T/daemon.log"; }
hups_above() { [ "$(hups)" -gt "$1" ]; }
hup_round() { # HUP, wait for the reload to be under way
	local h
	h=$(hups)
	kill -HUP "$DAEMON_PID"
	rounds=$((rounds + 1))
	wait_until 5 hups_above "$h" || fail "no reload"
}
end_round() {
	wait_until 30 rounds_at_least "$rounds" || fail "round $rounds did not end"
}
msleep() { sleep "$(($1 / 1000)).$(printf '%03d' $(($1 % 1000)))"; }
queue_empty() { [ "$(sget $SUMMARY.16.0)" = 0 ]; }
notes_in() { # notes_in NOTIF ROWS-FILE: per row, how many (all rows)
	grep "$NOTIF\.$1\b" "$T/traps.log" | grep -o "$ENTRY\.2\.[0-9]* " |
		sed 's/.*\.//' | sort -n | uniq -c |
		awk -v rows="$2" 'FILENAME == rows { r[$1] = 0; next }
			($2 in r) { r[$2] = $1 }
			END { for (i in r) print i, r[i] }' "$2" - | sort -n
}
# each NOTIF ROWS N: every row of ROWS has had N of NOTIF.
each() { ! notes_in "$1" "$2" | awk -v n="$3" '$2 != n' | grep -q .; }

for c in $(seq 1 "$CYCLES"); do
	# Killed mid-round: the rest of this round and the next find them
	# gone.
	hup_round
	d=$((RANDOM % 200))
	msleep "$d"
	r0=$(sget $SUMMARY.13.0)
	kill_b
	mid=$([ "$(sget $SUMMARY.13.0)" = "$r0" ] && echo mid || echo after)
	end_round
	echo "# cycle $c: camsim B killed ${d} ms into round $rounds ($mid), $(status_count b 3) of $NB unreachable at its end"
	[ "$mid" = mid ] || fail "cycle $c: the kill was not mid-round"
	hup_round
	end_round
	wait_until 10 queue_empty || fail "cycle $c: the queue did not drain"
	wait_until 10 each 4 "$T/b-rows" "$c" || true
	expect "cycle $c: every B camera unreachable(3)" "$NB" \
		"$(status_count b 3)"
	expect "cycle $c: one camDeviceUnreachable per B camera" "" \
		"$(notes_in 4 "$T/b-rows" | awk -v n="$c" '$2 != n' | head -n 3)"
	expect "cycle $c: no camDeviceReachable yet" "" \
		"$(notes_in 5 "$T/b-rows" | awk -v n="$((c - 1))" '$2 != n' | head -n 3)"
	expect "cycle $c: A's cameras still ok(1)" "$NA" "$(status_count a 1)"

	# Restarted mid-round: back, some in this round, the rest in the
	# next.
	hup_round
	d=$((RANDOM % 200))
	msleep "$d"
	r0=$(sget $SUMMARY.13.0)
	start_b
	mid=$([ "$(sget $SUMMARY.13.0)" = "$r0" ] && echo mid || echo after)
	end_round
	echo "# cycle $c: camsim B back ${d} ms into round $rounds ($mid), $(status_count b 1) of $NB ok at its end"
	[ "$mid" = mid ] || fail "cycle $c: the restart was not mid-round"
	hup_round
	end_round
	wait_until 10 queue_empty || fail "cycle $c: the queue did not drain"
	wait_until 10 each 5 "$T/b-rows" "$c" || true
	expect "cycle $c: every B camera ok(1) again" "$NB" "$(status_count b 1)"
	expect "cycle $c: one camDeviceReachable per B camera" "" \
		"$(notes_in 5 "$T/b-rows" | awk -v n="$c" '$2 != n' | head -n 3)"
	expect "cycle $c: still one camDeviceUnreachable per B camera" "" \
		"$(notes_in 4 "$T/b-rows" | awk -v n="$c" '$2 != n' | head -n 3)"
	[ "$FAILS" = 0 ] || break
done

# The cameras that never went away said nothing of the kind.
expect "no camDeviceReachable for A's cameras" "" \
	"$(notes_in 5 "$T/a-rows" | awk '$2 != 0')"
expect "no camDeviceUnreachable for A's answering cameras" "$NA" \
	"$(notes_in 4 "$T/a-rows" | awk '$2 == 0' | wc -l)"
expect "every row still there" "$ALL" "$(sget $SUMMARY.4.0)"
finish
