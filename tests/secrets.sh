#!/bin/bash
# A camera password never leaves the password file: not into the state
# file, the daemon's log (debug tokens on), the MIB, the traps, camcomply
# scan's output, nor /proc/PID/cmdline or environ of camcomplyd or of a
# running scan; and neither process can dump core.  The real stack: snmpd
# as AgentX master, snmptrapd, camsim cameras on 127.2.40.0/24 that accept
# the password (WS-Security and HTTP Digest) and that refuse it
# (fault=wrong-credentials), one that never answers (it holds a poll and
# the scan open while /proc is read), and camcomplyd.  secrets-snmpd.sh
# runs it with the module inside snmpd: the daemon is snmpd then.
. "$(dirname "$0")/lib.sh"
NET=${NET:-127.2.40}
. "$(dirname "$0")/lib-snmp.sh"

# The secret, in a shell variable only: never exported, so nothing this
# test starts inherits it.  What must not appear: the password, and
# base64 of it and of user:password (HTTP Basic, a WS-Security
# PasswordText encoded by mistake).
SECRET=Zk7-canary-pw-91QX
PW=$(password_file cam "$SECRET")
NEEDLES=("$SECRET" "$(printf '%s' "$SECRET" | base64 -w0)"
	"$(printf 'admin:%s' "$SECRET" | base64 -w0)")

# no_leak NAME FILE...: none of the needles in any of the files, which
# must exist and hold something (an empty file proves nothing).
no_leak() {
	local name=$1 f n hit=""
	shift
	for f in "$@"; do
		[ -s "$f" ] || { fail "$name: $f is missing or empty"; return; }
		for n in "${NEEDLES[@]}"; do
			grep -qaF -- "$n" "$f" && hit="$hit $f"
		done
	done
	CHECKS=$((CHECKS + 1))
	if [ -z "$hit" ]; then echo "ok - $name: no password"; else fail "$name: password in$hit"; fi
}

# alive PID: running, not a zombie waiting for us.
alive() {
	local st
	st=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null)
	[ -n "$st" ] && [ "$st" != Z ]
}

# proc_snapshot PID NAME: copy what /proc shows of PID to $T/NAME.*
# (cmdline, environ, limits, and the owner of environ) while it runs.
# environ of a process that is not dumpable is root's and mode 0400: a
# test not run as root cannot read it, and neither can anyone else.
proc_snapshot() {
	local f
	stat -c %u "/proc/$1/environ" >"$T/$2.owner"
	for f in cmdline environ limits; do
		if [ "$f" = environ ] && [ "$(id -u)" != 0 ] &&
			[ "$(cat "$T/$2.owner")" = 0 ]; then
			echo "(root's: not readable here)" >"$T/$2.environ"
			continue
		fi
		tr '\0' '\n' <"/proc/$1/$f" >"$T/$2.$f" ||
			{ fail "$2: cannot read /proc/$1/$f"; return 1; }
	done
	alive "$1" || { fail "$2 ended while /proc was read"; return 1; }
}

# no_core NAME: its limits say Max core file size 0 (soft and hard).
no_core() {
	expect_match "$1: Max core file size 0" '^Max core file size +0 +0 ' \
		"$(grep '^Max core file size' "$T/$1.limits")"
}

start_sim "hikvision-wsse@$NET.1:$CAM_PORT,user=admin,password-file=$PW" \
	"hikvision-digest@$NET.2:$CAM_PORT,user=admin,password-file=$PW" \
	"generic@$NET.3:$CAM_PORT,user=admin,password-file=$PW,fault=wrong-credentials" \
	"hikvision-digest@$NET.4:$CAM_PORT,user=admin,password-file=$PW,fault=wrong-credentials" \
	"bosch@$NET.5:$CAM_PORT,user=admin,password-file=$PW,fault=no-answer"
cat >"$T/camcomplyd.conf" <<EOF
credentials site admin $PW
site secure $NET.0/29 sensitive
camera $NET.1:$CAM_PORT credentials site
camera $NET.2:$CAM_PORT credentials site
camera $NET.3:$CAM_PORT credentials site
camera $NET.4:$CAM_PORT credentials site
camera $NET.5:$CAM_PORT credentials site
policy $top_srcdir/data/policy.xml
state-file $T/state
poll-interval 300
timeout 3
EOF

# ---- camcomplyd, with every camcomply debug token on ----------------------
# (With CAMCOMPLY_HOST=snmpd the daemon is snmpd running camcomply.so: its
# log, its /proc and its shutdown are snmpd's; see tests/lib-snmp.sh.)
start_trapd
start_snmpd
DAEMON_ARGS="-D camcomply"
start_daemon "$T/camcomplyd.conf" >"$T/daemon.out" 2>&1
wait_until 20 rounds_at_least 1 ||
	{ cat "$T/daemon.log"; fail "$DAEMON_NAME: no first poll round"; exit 1; }
proc_snapshot "$DAEMON_PID" daemon
# camcomplyd, or snmpd with camcomply.so in it: camera passwords are in
# its memory, so it cannot dump core (the module turns that off in snmpd).
no_core daemon
# As root the daemon is root's anyway: its /proc says nothing then.
[ "$(id -u)" = 0 ] ||
	expect "$DAEMON_NAME: /proc/PID/environ is root's (not dumpable)" 0 "$(cat "$T/daemon.owner")"

# The password was used where right and refused where wrong: the checks
# below are about a daemon that really handled it.
status_of() { column 21 "$(index_of "http://$NET.$1:$CAM_PORT/onvif/device_service")"; }
expect "WS-Security camera: poll ok(1)" 1 "$(status_of 1)"
expect "Digest camera: poll ok(1)" 1 "$(status_of 2)"
expect "WS-Security camera refusing the password: authFailed(4)" 4 "$(status_of 3)"
expect "Digest camera refusing the password: authFailed(4)" 4 "$(status_of 4)"
expect_match "camsim saw a WS-Security login refused" "$NET\\.3:$CAM_PORT .*auth=wsse-bad-password" "$(cat "$T/sim.log")"
expect_match "camsim saw a Digest login refused" "$NET\\.4:$CAM_PORT .*auth=digest-bad" "$(cat "$T/sim.log")"
expect_match "the daemon's debug output is on" 'camcomply:poll' "$(cat "$T/daemon.log")"
wait_until 5 traps_at_least 1 1 || fail "no camRestrictedDeviceDetected trap"

swalk "$MIB_ARC" >"$T/walk.txt"
$NS_RUN snmpwalk -v2c -c public -r0 -t2 -On -Ox "127.0.0.1:$SNMP_PORT" "$MIB_ARC" >"$T/walk-hex.txt"
expect_match "the walk covers the table" "$ENTRY\\.21\\." "$(cat "$T/walk.txt")"
# The hex walk with every byte run together (wrapped lines and all).
hex=$(printf '%s' "$SECRET" | od -An -tx1 | tr -d ' \n' | tr 'a-f' 'A-F')
if tr -cd '0-9A-F' <"$T/walk-hex.txt" | grep -q "$hex"; then
	fail "password in the hex walk of the MIB"
else
	CHECKS=$((CHECKS + 1)); echo "ok - hex walk of the MIB: no password"
fi

# A password file opened to the group: the reload is refused, saying why.
chmod 640 "$PW"
kill -HUP "$DAEMON_PID"
wait_until 5 grep -q 'reload refused' "$T/daemon.log" || fail "reload with a 0640 password file not refused"
expect_match "the refusal names the file and the fix" "password file $PW has mode 0640.*chmod 600" "$(cat "$T/daemon.log")"
chmod 600 "$PW"

# Stop it while a poll is held by the silent camera, with more signals
# during the teardown: it must exit cleanly, and write the state file.
reloads_at_least() { [ "$(grep -c reloading "$T/daemon.log")" -ge "$1" ]; }
kill -HUP "$DAEMON_PID"
wait_until 5 reloads_at_least 2 || fail "no second reload"
kill -TERM "$DAEMON_PID"
wait_until 5 grep -q "$DAEMON_STOPPING" "$T/daemon.log" || fail "no stopping"
n=1000
while alive "$DAEMON_PID" && [ "$n" -gt 0 ]; do
	kill -TERM "$DAEMON_PID" 2>/dev/null
	kill -HUP "$DAEMON_PID" 2>/dev/null
	n=$((n - 1))
	sleep 0.01
done
wait "$DAEMON_PID"
expect "$DAEMON_NAME exits 0 with signals arriving during its shutdown" 0 "$?"
expect_match "state file written" '^dev index=' "$(cat "$T/state")"
# Nothing on stdout/stderr is the best case; give no_leak a line to read.
echo "(end of output)" >>"$T/daemon.out"

no_leak "$DAEMON_NAME: state file, log, stdout/stderr" "$T/state" "$T/daemon.log" "$T/daemon.out"
no_leak "MIB walk (strings and hex), trap log" "$T/walk.txt" "$T/walk-hex.txt" "$T/traps.log"
no_leak "$DAEMON_NAME: /proc cmdline and environ" "$T/daemon.cmdline" "$T/daemon.environ"

# ---- camcomply scan ---------------------------------------------------------
# As root the scan runs as nobody: /proc/PID of a process that is not
# dumpable belongs to root, which shows that PR_SET_DUMPABLE 0 was set.
run_as=() scan=$CAMCOMPLY
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || skip "setpriv not installed (util-linux)"
	run_as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
	chmod 711 "$T"
	chown nobody "$PW"
	# nobody may not reach the build tree (a checkout under /root is
	# mode 0700): a copy of the binary in the test's own directory.
	cp "$CAMCOMPLY" "$T/camcomply"
	scan=$T/camcomply
	"${run_as[@]}" test -x "$scan" ||
		skip "nobody cannot reach $T (TMPDIR=${TMPDIR:-/tmp}): give others search permission on it"
fi
targets=()
for i in 1 2 3 4 5; do targets+=("$NET.$i:$CAM_PORT"); done
"${run_as[@]}" "$scan" scan --json --no-policy --timeout 5 --user admin \
	--password-file "$PW" "${targets[@]}" >"$T/scan.json" 2>"$T/scan.err" &
SCAN_PID=$!
PIDS="$PIDS $SCAN_PID"
# The silent camera has the scan's identity request: the password has
# been read and used, and the scan is still running.
held() { [ "$(grep -c "$NET\\.5:$CAM_PORT .*fault=no-answer" "$T/sim.log")" -ge "$1" ]; }
before=$(grep -c "$NET\\.5:$CAM_PORT .*fault=no-answer" "$T/sim.log")
wait_until 10 held $((before + 1)) || fail "the scan never reached the silent camera"
proc_snapshot "$SCAN_PID" scan
no_core scan
expect "scan: /proc/PID/environ is root's (not dumpable)" 0 "$(cat "$T/scan.owner")"
wait "$SCAN_PID"
expect "scan: exit 1 (some cameras failed)" 1 "$?"
expect "scan: the WS-Security camera identified" ok \
	"$(jq -r ".[] | select(.target == \"$NET.1:$CAM_PORT\") | .status" "$T/scan.json")"
expect "scan: the Digest camera identified" ok \
	"$(jq -r ".[] | select(.target == \"$NET.2:$CAM_PORT\") | .status" "$T/scan.json")"
expect "scan: the refusing camera: auth-failed" auth-failed \
	"$(jq -r ".[] | select(.target == \"$NET.3:$CAM_PORT\") | .status" "$T/scan.json")"
echo "(end of output)" >>"$T/scan.err"
no_leak "camcomply scan: JSON output, stderr" "$T/scan.json" "$T/scan.err"
no_leak "camcomply scan: /proc cmdline and environ" "$T/scan.cmdline" "$T/scan.environ"

# The checks above are only as good as their needles: they must find the
# password where it is.
printf 'x %s y\n' "$(printf 'admin:%s' "$SECRET" | base64 -w0)" >"$T/planted"
( NEEDLES=("${NEEDLES[@]}"); FAILS=0; no_leak planted "$T/planted" >/dev/null; [ "$FAILS" = 1 ] )
expect "no_leak finds a planted base64 user:password" 0 "$?"
finish
