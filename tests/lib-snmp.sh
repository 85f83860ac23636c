# tests/lib-snmp.sh: a real snmpd AgentX master, snmptrapd and camcomplyd in
# the test's temp dir.  Sourced after tests/lib.sh.  Ports are the caller's
# (SNMP_PORT, TRAP_PORT), one pair per test so tests may run in parallel.

CAMCOMPLYD=$top_builddir/camcomplyd
MIB_ARC=.1.3.6.1.4.1.8072.9999.9999.3102
SUMMARY=$MIB_ARC.1.1
ENTRY=$MIB_ARC.1.2.1
NOTIF=$MIB_ARC.0
V3="-v3 -l authPriv -u ccuser -a SHA -A authpass123 -x AES -X privpass123"

# NS_RUN: a command prefix such as "ip netns exec NS" when the SNMP side runs
# in a test namespace (discovery tests); empty on loopback.
NS_RUN=${NS_RUN:-}

export SNMP_PERSISTENT_DIR="$T/persist" SNMPCONFPATH="$T/conf" MIBS=
mkdir -p "$T/persist" "$T/conf"
: >"$T/conf/snmp.conf"

# wait_until SECONDS CMD...: retry every 50 ms (readiness, not a sleep).
wait_until() {
	local _n=$(( $1 * 20 )); shift
	until "$@" >/dev/null 2>&1; do
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || return 1
		sleep 0.05
	done
}

start_snmpd() {
	cat >"$T/snmpd.conf" <<EOC
master agentx
agentXSocket unix:$T/agentx.sock
agentXPerms 0600 0700
agentXTimeout 1
agentXRetries 0
rocommunity public 127.0.0.1
createUser ccuser SHA "authpass123" AES "privpass123"
rouser ccuser authPriv
trap2sink 127.0.0.1:$TRAP_PORT public
EOC
	: >"$T/snmpd.log"
	$NS_RUN snmpd -f -Lo -C -c "$T/snmpd.conf" -I -smux -p "$T/snmpd.pid" \
		udp:127.0.0.1:$SNMP_PORT >>"$T/snmpd.log" 2>&1 &
	SNMPD_PID=$!
	PIDS="$PIDS $SNMPD_PID"
	wait_until 10 grep -q '^NET-SNMP version' "$T/snmpd.log" ||
		{ cat "$T/snmpd.log"; fail "snmpd did not start"; exit 1; }
}

stop_snmpd() {
	kill "$SNMPD_PID" 2>/dev/null
	wait "$SNMPD_PID" 2>/dev/null
}

start_trapd() {
	cat >"$T/snmptrapd.conf" <<EOC
authCommunity log public
EOC
	: >"$T/traps.log"
	$NS_RUN snmptrapd -f -C -c "$T/snmptrapd.conf" -On -Lf "$T/traps.log" \
		udp:127.0.0.1:$TRAP_PORT >"$T/snmptrapd.out" 2>&1 &
	PIDS="$PIDS $!"
	wait_until 10 grep -q 'NET-SNMP version' "$T/traps.log" ||
		{ cat "$T/snmptrapd.out"; fail "snmptrapd did not start"; exit 1; }
}

# start_daemon CONFIG: camcomplyd in the foreground, logging to $T/daemon.log
# (with $DAEMON_ARGS, if set, among its options).
start_daemon() {
	# shellcheck disable=SC2086 # DAEMON_ARGS: extra words, e.g. "-D TOKEN"
	$NS_RUN "$CAMCOMPLYD" -f -Lf "$T/daemon.log" -x "unix:$T/agentx.sock" \
		${DAEMON_ARGS:-} -c "$1" &
	DAEMON_PID=$!
	PIDS="$PIDS $DAEMON_PID"
}

stop_daemon() {
	kill "$DAEMON_PID" 2>/dev/null
	wait "$DAEMON_PID" 2>/dev/null
}

sget() { $NS_RUN snmpget -v2c -c public -r0 -t2 -On -Oqv "127.0.0.1:$SNMP_PORT" "$@"; }
swalk() { $NS_RUN snmpwalk -v2c -c public -r0 -t2 -On -Oq "127.0.0.1:$SNMP_PORT" "$@"; }

# rounds_at_least N: camPollRoundsCompleted has reached N.
rounds_at_least() {
	_r=$(sget $SUMMARY.13.0 2>/dev/null)
	case "$_r" in ''|*[!0-9]*) return 1 ;; esac
	[ "$_r" -ge "$1" ]
}

# column COL INDEX: one camDeviceTable value.
column() { sget "$ENTRY.$1.$2"; }

# index_of URL: the camDeviceIndex whose camDeviceServiceUrl is URL.
index_of() {
	swalk "$ENTRY.4" | awk -v u="\"$1\"" '$2 == u { n = split($1, a, "."); print a[n] }'
}

# trap_count NOTIFICATION-NUMBER: how many of that notification snmptrapd logged.
trap_count() {
	grep -c "$NOTIF\.$1\b" "$T/traps.log" || true
}

# sget_ok OID: the agent serves OID (snmpget exits 0 even on noSuchObject).
sget_ok() {
	_v=$(sget "$1" 2>/dev/null) || return 1
	case "$_v" in ''|*"No Such"*) return 1 ;; esac
}

# polled_at_least N: N rows or more, none still pending(11) its first poll.
polled_at_least() {
	local st
	st=$(swalk "$ENTRY.21" 2>/dev/null | awk '{print $2}')
	[ "$(printf '%s\n' "$st" | grep -c .)" -ge "$1" ] &&
		! printf '%s\n' "$st" | grep -qx 11
}

# start_stack CONFIG: snmpd, snmptrapd and camcomplyd, until the MIB answers.
start_stack() {
	start_snmpd
	start_trapd
	start_daemon "$1"
	wait_until 10 sget_ok $SUMMARY.4.0 ||
		{ cat "$T/daemon.log"; fail "camcomplyd did not register"; exit 1; }
}

# camDiscovery scalars; disc_devices_at_least N: camDiscDevices reached N.
DISC=$MIB_ARC.1.4
disc_devices_at_least() { [ "$(sget $DISC.10.0)" -ge "$1" ] 2>/dev/null; }

# traps_at_least NOTIFICATION-NUMBER N (for wait_until: re-read each time).
traps_at_least() { [ "$(trap_count "$1")" -ge "$2" ]; }
