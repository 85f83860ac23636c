# tests/lib.sh: shared helpers for the shell integration tests.
# Sourced, not run.  Each test gets a private temp dir; everything it starts
# is stopped on exit.  Network traffic stays on loopback.

set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
CAMCOMPLY=$top_builddir/camcomply
CAMSIM=$top_builddir/tests/sim/camsim
PROFILES=$top_srcdir/tests/sim/profiles
T=$(mktemp -d "${TMPDIR:-/tmp}/camcomply-test.XXXXXX")
PIDS=""
FAILS=0
CHECKS=0

# --enable-sanitizers: the options (tests/sanitizers.sh), and every report
# in $T/sanitizer.PID; cleanup shows each and fails the test.
. "$top_srcdir/tests/sanitizers.sh"
ASAN_OPTIONS=$ASAN_OPTIONS:log_path=$T/sanitizer
UBSAN_OPTIONS=$UBSAN_OPTIONS:log_path=$T/sanitizer

# SLOW: how many times a wall-clock bound may stretch: 5 in a build with
# --enable-sanitizers (tests.am says so), where every allocation costs
# more (OpenSSL's, which are many, most of all), else 1.
SLOW=1
[ "${CAMCOMPLY_SANITIZERS:-no}" != yes ] || SLOW=5

# sanitizer_reports: show the reports; false if there were any.
sanitizer_reports() {
	local f rc=0
	for f in "$T"/sanitizer.*; do
		[ -e "$f" ] || continue
		echo "FAIL: sanitizer report ($f):"
		cat "$f"
		FAILS=$((FAILS + 1))
		rc=1
	done
	return $rc
}

# stop_pids: stops what the test started, last started first, each gone
# before the next is told: a subagent leaves its master before the master
# goes (else it meets a dead master at shutdown, where Net-SNMP leaks the
# reply's peer address: LeakSanitizer).
stop_pids() {
	local p rev=
	for p in $PIDS; do rev="$p $rev"; done
	PIDS=
	for p in $rev; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
}

cleanup() {
	local san=0
	stop_pids
	sanitizer_reports || san=1
	if [ "$FAILS" = 0 ]; then rm -rf "$T"; else echo "kept $T"; fi
	[ "$san" = 0 ] || exit 1
}
trap cleanup EXIT
# Killed (make check interrupted, a timeout): exit, which runs cleanup.  A
# trap that only ran cleanup let the test go on without its processes.
trap 'exit 130' INT
trap 'exit 143' TERM

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }

# Wait up to $2 seconds (default 10) for a file to exist: readiness, not sleep.
wait_for_file() {
	local n=$(( ${2:-10} * 20 ))
	while [ ! -e "$1" ] && [ "$n" -gt 0 ]; do
		sleep 0.05
		n=$((n - 1))
	done
	[ -e "$1" ]
}

# ---- ports -------------------------------------------------------------------
# No test has a port of its own: two checkouts (two CI runs) on one machine
# run side by side, as do the tests of one run.  pick_port VAR sets VAR to
# a port that no socket on this machine holds, TCP or UDP, on any address:
# one at random from 20000 up to the bottom of the ephemeral range
# (clients' own ports come from that range, so none takes ours meanwhile),
# proved free by binding it (0.0.0.0, TCP and UDP, no SO_REUSEADDR) and
# letting it go, and not one this test picked before.  Between that probe
# and the daemon's own bind another run may still take the port: the
# starters here and in lib-snmp.sh pick another one on "Address already in
# use", as long as nothing else has been told the port.  free_port prints
# one (in a subshell: it cannot keep it from the test's next pick).
pick_port() {
	local _lo=20000 _hi _span _p _n=100 _elo _ehi
	read -r _elo _ehi </proc/sys/net/ipv4/ip_local_port_range ||
		{ _elo=32768 _ehi=60999; }
	_hi=$((_elo - 1))
	if [ $((_hi - _lo)) -lt 2000 ]; then # an unusual ephemeral range
		_lo=$((_ehi + 1)) _hi=65535
		[ $((_hi - _lo)) -ge 2000 ] || { _lo=20000 _hi=65000; }
	fi
	_span=$((_hi - _lo + 1))
	while [ "$_n" -gt 0 ]; do
		_n=$((_n - 1))
		_p=$((_lo + ((RANDOM << 15) | RANDOM) % _span))
		case " $_PORTS_TAKEN " in *" $_p "*) continue ;; esac
		_port_free "$_p" || continue
		_PORTS_TAKEN="$_PORTS_TAKEN $_p"
		printf -v "$1" '%s' "$_p"
		return 0
	done
	echo "ERROR: no free port found between $_lo and $_hi" >&2
	return 1
}
free_port() {
	local _fp
	pick_port _fp && echo "$_fp"
}
_PORTS_TAKEN=""
# _port_free PORT: nothing holds PORT (perl is Debian's perl-base, essential).
_port_free() {
	perl -MSocket -e '
		my $p = shift;
		for my $type (SOCK_STREAM, SOCK_DGRAM) {
			socket(my $s, PF_INET, $type, 0) or exit 2;
			bind($s, pack_sockaddr_in($p, INADDR_ANY)) or exit 1;
		}' "$1"
}
command -v perl >/dev/null || { echo "ERROR: perl not found (Debian package perl-base)"; exit 99; }

# CAM_PORT: the TCP port of this test's cameras, each on its own loopback
# address (127.2.N.x, a /24 per test).  Set it to choose; otherwise it is
# picked here, and the first start_sim picks again if another run took it
# meanwhile: name it in configuration only after that first start_sim.
if [ -n "${CAM_PORT:-}" ]; then
	_CAM_PORT_SET=1
else
	pick_port CAM_PORT || exit 99
	_CAM_PORT_SET=
fi

# start_sim SPEC... : start one camsim process serving the given cameras;
# until it is ready (or has failed).
start_sim() {
	local ready=$T/sim-ready.$$.$#.$RANDOM try=0 pid old new a args
	while :; do
		: >"$T/sim.try"
		"$CAMSIM" -d "$PROFILES" -r "$ready" -l "$T/sim.log" "$@" \
			>>"$T/sim.try" 2>&1 &
		pid=$!
		_wait_ready "$ready" "$pid" 10
		cat "$T/sim.try" >>"$T/sim.out"
		if [ -e "$ready" ]; then
			PIDS="$PIDS $pid"
			_CAM_PORT_SET=1 # told to the cameras: fixed from now on
			return 0
		fi
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		try=$((try + 1))
		# Our port taken since it was picked: pick another, if no
		# one has been told this one yet.
		if [ -z "$_CAM_PORT_SET" ] && [ "$try" -lt 5 ] &&
			grep -Eq "port $CAM_PORT( \(shared\))?: Address already in use" "$T/sim.try"; then
			old=$CAM_PORT
			pick_port new || break
			echo "# camera port $old taken meanwhile: $new instead"
			args=()
			for a in "$@"; do
				a=${a//:$old,/:$new,}
				[ "${a%:"$old"}" = "$a" ] || a=${a%:"$old"}:$new
				args+=("$a")
			done
			set -- "${args[@]}"
			CAM_PORT=$new
			continue
		fi
		break
	done
	cat "$T/sim.out"
	fail "camsim did not become ready"
	exit 1
}

# _wait_ready FILE PID SECONDS: FILE exists, or PID has ended, or time is up.
_wait_ready() {
	local n=$(( $3 * 20 ))
	while [ ! -e "$1" ] && kill -0 "$2" 2>/dev/null && [ "$n" -gt 0 ]; do
		sleep 0.05
		n=$((n - 1))
	done
	[ -e "$1" ]
}

# start_capture_sim SPEC...: one camsim serving the given cameras, its
# ready file in $READY and what clients send captured below $CAP (both set
# by the test); SIM is its pid.  Until it is ready, or the test ends.
start_capture_sim() {
	# shellcheck disable=SC2153 # READY and CAP: the test's
	"$CAMSIM" -d "$PROFILES" -r "$READY" -l "$T/sim.log" -C "$CAP" \
		"$@" >>"$T/sim.out" 2>&1 &
	SIM=$!
	PIDS="$PIDS $SIM"
	wait_for_file "$READY" 10 || {
		cat "$T/sim.out"
		fail "camsim did not become ready"
		exit 1
	}
}

# ready_line PROFILE@ADDR: the ready file's line ($READY) of that camera.
ready_line() { awk -v p="$1:" 'index($1, p) == 1' "$READY"; }

# A password file as an operator would keep it: mode 0600.
password_file() {
	local f=$T/pw.$1
	printf '%s\n' "$2" >"$f"
	chmod 600 "$f"
	echo "$f"
}

# profile_value PROFILE KEY: the first value of KEY in a profile file.
profile_value() {
	sed -n "s/^$2[[:space:]]*=[[:space:]]*//p" "$PROFILES/$1.profile" |
		head -n 1 | sed 's/[[:space:]]*$//'
}

# expect NAME WANT GOT
expect() {
	CHECKS=$((CHECKS + 1))
	if [ "$2" = "$3" ]; then
		echo "ok - $1"
	else
		fail "$1: want '$2', got '$3'"
	fi
}

# expect_match NAME REGEX GOT
expect_match() {
	CHECKS=$((CHECKS + 1))
	if printf '%s' "$3" | grep -Eq -- "$2"; then
		echo "ok - $1"
	else
		fail "$1: want /$2/, got '$3'"
	fi
}

finish() {
	echo "$CHECKS checks, $FAILS failed"
	[ "$CHECKS" -gt 0 ] || { echo "FAIL: no checks ran"; exit 1; }
	[ "$FAILS" = 0 ]
}

[ -x "$CAMCOMPLY" ] || { echo "ERROR: camcomply not built"; exit 99; }
[ -x "$CAMSIM" ] || { echo "ERROR: camsim not built"; exit 99; }
command -v jq >/dev/null || skip "jq not installed (Debian package jq)"
