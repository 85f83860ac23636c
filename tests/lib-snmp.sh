# tests/lib-snmp.sh: a real snmpd, snmptrapd and the camcomply MIB module in
# the test's temp dir.  Sourced after tests/lib.sh.  Ports: SNMP_PORT
# (snmpd) and TRAP_PORT (snmptrapd) as the caller set them (environment,
# or before sourcing this), else picked free here (pick_port, tests/lib.sh)
# and picked again if another run takes one before snmpd or snmptrapd binds
# it, until the first start that binds it.  Start snmptrapd first
# (start_stack does): snmpd's configuration names TRAP_PORT, which is fixed
# from then on.  TRAP_TRANSPORT (udp) carries the notifications from snmpd
# to snmptrapd: tcp for a test that counts thousands of them, which UDP
# may lose when snmptrapd's socket buffer overflows on a loaded machine.
#
# CAMCOMPLY_HOST says how the module runs:
#   subagent (default)  camcomplyd, an AgentX subagent of the snmpd that
#                       start_snmpd starts;
#   snmpd               camcomply.so inside snmpd (dlmod).  snmpd is then
#                       the daemon: start_daemon CONFIG (re)starts it with
#                       the dlmod line, CAMCOMPLY_CONFIG=CONFIG in its
#                       environment, $DAEMON_ARGS among its options and its
#                       log in $T/daemon.log; DAEMON_PID is snmpd's (SIGHUP
#                       reloads the module), stop_daemon stops snmpd, and
#                       start_snmpd and stop_snmpd only stand for those.
# The tests' own words stay the same either way.

CAMCOMPLYD=$top_builddir/camcomplyd
CAMCOMPLY_SO=$top_builddir/.libs/camcomply.so
CAMCOMPLY_HOST=${CAMCOMPLY_HOST:-subagent}
case $CAMCOMPLY_HOST in
subagent) ;;
snmpd)
	[ -f "$CAMCOMPLY_SO" ] || { echo "ERROR: camcomply.so not built"; exit 99; }
	echo "# the MIB module runs inside snmpd ($CAMCOMPLY_SO)" ;;
*) echo "ERROR: CAMCOMPLY_HOST=$CAMCOMPLY_HOST: subagent or snmpd"; exit 99 ;;
esac
# --enable-sanitizers: snmpd must load the ASan runtime that camcomply.so
# needs first (it refuses to be loaded later).
SNMPD_PRELOAD=$(readelf -d "$CAMCOMPLY_SO" 2>/dev/null |
	sed -n 's/.*(NEEDED).*\[\(libasan\.so[^]]*\)\]/\1/p')
SNMPD_PRELOAD=${SNMPD_PRELOAD:+env LD_PRELOAD=$SNMPD_PRELOAD}
MIB_ARC=.1.3.6.1.4.1.8072.9999.9999.3102
SUMMARY=$MIB_ARC.1.1
ENTRY=$MIB_ARC.1.2.1
NOTIF=$MIB_ARC.0
V3="-v3 -l authPriv -u ccuser -a SHA -A authpass123 -x AES -X privpass123"

# NS_RUN: a command prefix such as "ip netns exec NS" when the SNMP side runs
# in a test namespace (discovery tests); empty on loopback.
NS_RUN=${NS_RUN:-}

if [ -n "${SNMP_PORT:-}" ]; then
	_SNMP_PORT_SET=1
else
	pick_port SNMP_PORT || exit 99
	_SNMP_PORT_SET=
fi
if [ -n "${TRAP_PORT:-}" ]; then
	_TRAP_PORT_SET=1
else
	pick_port TRAP_PORT || exit 99
	_TRAP_PORT_SET=
fi

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

# _up_or_gone PID CMD...: CMD succeeds, or PID has ended (for wait_until).
_up_or_gone() {
	local pid=$1
	shift
	"$@" || ! kill -0 "$pid" 2>/dev/null
}

# _forget PID: out of PIDS (it has ended; its number may be reused).
_forget() {
	local p l=
	for p in $PIDS; do [ "$p" = "$1" ] || l="$l $p"; done
	PIDS=$l
}

# _repick VAR LOG PATTERN: a start failed; if LOG shows PATTERN (the port
# taken) and VAR (SNMP_PORT or TRAP_PORT) was picked here and never bound,
# pick another (at most 5 times): 0 then, to start again.
_repick() {
	local set=_$1_SET tries=_$1_TRIES new
	[ -z "${!set}" ] && [ "${!tries:-0}" -lt 5 ] && grep -q "$3" "$2" ||
		return 1
	printf -v "$tries" '%s' $((${!tries:-0} + 1))
	pick_port new || return 1
	echo "# $1 ${!1} taken meanwhile: $new instead"
	printf -v "$1" '%s' "$new"
}

# snmpd_conf: what every test's snmpd serves (v2c, v3 authPriv, traps to
# TRAP_PORT) and how the module reaches it: an AgentX socket for
# camcomplyd, or a dlmod line.
snmpd_conf() {
	if [ "$CAMCOMPLY_HOST" = snmpd ]; then
		# (Not a line per request in the daemon's log.)
		echo "dlmod camcomply $CAMCOMPLY_SO"
		echo "dontLogTCPWrappersConnects yes"
	else
		cat <<EOC
master agentx
agentXSocket unix:$T/agentx.sock
agentXPerms 0600 0700
agentXTimeout 1
agentXRetries 0
EOC
	fi
	cat <<EOC
rocommunity public 127.0.0.1
createUser ccuser SHA "authpass123" AES "privpass123"
rouser ccuser authPriv
trap2sink ${TRAP_TRANSPORT:-udp}:127.0.0.1:$TRAP_PORT public
EOC
}

# snmpd_started LOG N: LOG holds more than N start-up banners (a SIGHUP's
# "NET-SNMP version X restarted" is not one).
snmpd_banners() { grep -c '^NET-SNMP version [0-9.]*$' "$1" 2>/dev/null; }
snmpd_started() { [ "$(snmpd_banners "$1")" -gt "$2" ]; }

start_snmpd() {
	[ "$CAMCOMPLY_HOST" = subagent ] || return 0 # start_daemon starts it
	while :; do
		snmpd_conf >"$T/snmpd.conf"
		_TRAP_PORT_SET=1 # named in snmpd.conf
		: >"$T/snmpd.log"
		$NS_RUN snmpd -f -Lo -C -c "$T/snmpd.conf" -I -smux \
			-p "$T/snmpd.pid" udp:127.0.0.1:$SNMP_PORT \
			>>"$T/snmpd.log" 2>&1 &
		SNMPD_PID=$!
		PIDS="$PIDS $SNMPD_PID"
		wait_until 10 _up_or_gone "$SNMPD_PID" \
			grep -q '^NET-SNMP version' "$T/snmpd.log"
		if grep -q '^NET-SNMP version' "$T/snmpd.log"; then
			_SNMP_PORT_SET=1
			return 0
		fi
		kill "$SNMPD_PID" 2>/dev/null
		wait "$SNMPD_PID" 2>/dev/null
		_forget "$SNMPD_PID"
		_repick SNMP_PORT "$T/snmpd.log" 'Error opening specified endpoint' ||
			break
	done
	cat "$T/snmpd.log"
	fail "snmpd did not start"
	exit 1
}

stop_snmpd() {
	[ "$CAMCOMPLY_HOST" = subagent ] || { stop_daemon; return; }
	kill "$SNMPD_PID" 2>/dev/null
	wait "$SNMPD_PID" 2>/dev/null
}

# start_trapd [CONFIG]: snmptrapd on TRAP_PORT, logging to $T/traps.log,
# with CONFIG (default: $T/snmptrapd.conf, written here: log what the
# community public sends); until it listens.  TRAPD_PID is its pid.
start_trapd() {
	local conf=${1:-$T/snmptrapd.conf}
	[ -n "${1:-}" ] || echo 'authCommunity log public' >"$conf"
	while :; do
		: >"$T/traps.log"
		$NS_RUN snmptrapd -f -C -c "$conf" -On -Lf "$T/traps.log" \
			"${TRAP_TRANSPORT:-udp}:127.0.0.1:$TRAP_PORT" >"$T/snmptrapd.out" 2>&1 &
		TRAPD_PID=$!
		PIDS="$PIDS $TRAPD_PID"
		wait_until 10 _up_or_gone "$TRAPD_PID" \
			grep -q 'NET-SNMP version' "$T/traps.log"
		if grep -q 'NET-SNMP version' "$T/traps.log"; then
			_TRAP_PORT_SET=1
			return 0
		fi
		kill "$TRAPD_PID" 2>/dev/null
		wait "$TRAPD_PID" 2>/dev/null
		_forget "$TRAPD_PID"
		# (It says so in its log.)
		_repick TRAP_PORT "$T/traps.log" 'Address already in use' ||
			break
	done
	cat "$T/snmptrapd.out" "$T/traps.log"
	fail "snmptrapd did not start"
	exit 1
}

# start_daemon CONFIG: the module with CONFIG, logging to $T/daemon.log
# (with $DAEMON_ARGS, if set, among the host's options): camcomplyd in the
# foreground, or snmpd (restarted if running) with camcomply.so.
start_daemon() {
	if [ "$CAMCOMPLY_HOST" = snmpd ]; then
		start_daemon_snmpd "$1"
		return
	fi
	# shellcheck disable=SC2086 # DAEMON_ARGS: extra words, e.g. "-D TOKEN"
	$NS_RUN "$CAMCOMPLYD" -f -Lf "$T/daemon.log" -x "unix:$T/agentx.sock" \
		${DAEMON_ARGS:-} -c "$1" &
	DAEMON_PID=$!
	PIDS="$PIDS $DAEMON_PID"
}

# start_daemon_snmpd CONFIG: snmpd loading camcomply.so, until it serves.
# Its stdout and stderr are the caller's, as camcomplyd's are; -A: a
# restart appends to the log (snmpd would truncate it), so that its new
# banner can be counted.
start_daemon_snmpd() {
	local before args
	[ -z "${DAEMON_PID:-}" ] || stop_daemon
	# DAEMON_ARGS: extra words, e.g. "-D TOKEN"; snmpd's -D takes its
	# tokens attached (-DTOKEN): a word after -D would be an address.
	args=${DAEMON_ARGS:-}
	args=${args//-D /-D}
	while :; do
		snmpd_conf >"$T/snmpd.conf"
		_TRAP_PORT_SET=1 # named in snmpd.conf
		before=$(snmpd_banners "$T/daemon.log")
		: >"$T/daemon.try"
		# shellcheck disable=SC2086
		CAMCOMPLY_CONFIG=$1 $NS_RUN $SNMPD_PRELOAD snmpd -f -A \
			-Lf "$T/daemon.log" -C -c "$T/snmpd.conf" -I -smux \
			-p "$T/snmpd.pid" $args udp:127.0.0.1:$SNMP_PORT &
		DAEMON_PID=$!
		SNMPD_PID=$DAEMON_PID
		PIDS="$PIDS $DAEMON_PID"
		wait_until 10 _up_or_gone "$DAEMON_PID" \
			snmpd_started "$T/daemon.log" "${before:-0}"
		if snmpd_started "$T/daemon.log" "${before:-0}"; then
			_SNMP_PORT_SET=1
			return 0
		fi
		kill "$DAEMON_PID" 2>/dev/null
		wait "$DAEMON_PID" 2>/dev/null
		_forget "$DAEMON_PID"
		DAEMON_PID=
		# This attempt's lines of the log (it is appended to).
		sed -n '/./p' "$T/daemon.log" | tail -n 20 >"$T/daemon.try"
		_repick SNMP_PORT "$T/daemon.try" 'Error opening specified endpoint' ||
			break
	done
	cat "$T/daemon.log"
	fail "snmpd did not start"
	exit 1
}

stop_daemon() {
	kill "$DAEMON_PID" 2>/dev/null
	wait "$DAEMON_PID" 2>/dev/null
	[ "$CAMCOMPLY_HOST" = subagent ] || DAEMON_PID=
}

# The daemon's name in messages, and the log line it writes when told to
# stop.
if [ "$CAMCOMPLY_HOST" = snmpd ]; then
	DAEMON_NAME="snmpd (camcomply.so)"
	DAEMON_STOPPING='Received TERM or STOP signal'
	DAEMON_STOPPED='camcomply: stopped'
else
	DAEMON_NAME=camcomplyd
	DAEMON_STOPPING='camcomplyd stopping'
	DAEMON_STOPPED='camcomplyd stopped'
fi

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

# start_stack CONFIG: snmptrapd, snmpd and the module, until the MIB answers.
start_stack() {
	start_trapd # first: snmpd.conf names TRAP_PORT
	start_snmpd
	start_daemon "$1"
	wait_until 10 sget_ok $SUMMARY.4.0 ||
		{ cat "$T/daemon.log"; fail "the MIB module did not register"; exit 1; }
}

# camDiscovery scalars; disc_devices_at_least N: camDiscDevices reached N.
DISC=$MIB_ARC.1.4
disc_devices_at_least() { [ "$(sget $DISC.10.0)" -ge "$1" ] 2>/dev/null; }
# counter N: camDiscovery.N now; counter_at_least N MIN: it reached MIN.
counter() { sget "$DISC.$1.0"; }
counter_at_least() { [ "$(counter "$1")" -ge "$2" ] 2>/dev/null; }
# dropped FROM WHY: the trace log says a datagram from FROM was dropped.
dropped() { grep -q "dropped a datagram from $1: $2" "$T/daemon.log"; }
# rows_of ADDR: rows whose service URL is on ADDR.
rows_of() { swalk "$ENTRY.4" | grep -c "\"http://$1:" || true; }
# ms_since T0: milliseconds since T0 (date +%s%N).
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# disc_conf CIDR LINE...: $T/camcomplyd.conf for site lab (CIDR, zone
# sensitive) with the LINEs, then a 300 s poll interval, a 3 s timeout, the
# state file $T/state and the shipped policy.
disc_conf() {
	{
		printf 'site lab %s sensitive\n' "$1"
		shift
		printf '%s\n' "$@" "poll-interval 300" "timeout 3" \
			"state-file $T/state" "policy $top_srcdir/data/policy.xml"
	} >"$T/camcomplyd.conf"
}

# traps_at_least NOTIFICATION-NUMBER N (for wait_until: re-read each time).
traps_at_least() { [ "$(trap_count "$1")" -ge "$2" ]; }

# copy_policy DIR: the shipped policy and its schema into DIR.  Until the
# policy's makers say where they are based (issue 16's data), Hikvision
# gets a stand-in <based country="CN">, so camDeviceJurisdiction and what
# shows it have something to show; with the data it is left alone.
copy_policy() {
	cp "$top_srcdir/data/policy.xml" "$top_srcdir/data/policy.xsd" "$1/"
	sed -n '/<maker id="hikvision"/,/<\/maker>/p' "$1/policy.xml" |
		grep -q '<based ' ||
		sed -i '/<maker id="hikvision"/a\      <based country="CN" source="ndaa-889" checked="2026-11-30"/>' \
			"$1/policy.xml"
}
