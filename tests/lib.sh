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

cleanup() {
	local san=0
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	sanitizer_reports || san=1
	if [ "$FAILS" = 0 ]; then rm -rf "$T"; else echo "kept $T"; fi
	[ "$san" = 0 ] || exit 1
}
trap cleanup EXIT INT TERM

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

# start_sim SPEC... : start one camsim process serving the given cameras.
start_sim() {
	local ready=$T/sim-ready.$$.$#.$RANDOM
	"$CAMSIM" -d "$PROFILES" -r "$ready" -l "$T/sim.log" "$@" \
		>>"$T/sim.out" 2>&1 &
	PIDS="$PIDS $!"
	wait_for_file "$ready" 10 || {
		cat "$T/sim.out"
		fail "camsim did not become ready"
		exit 1
	}
}

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
