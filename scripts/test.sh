#!/bin/sh
# scripts/test.sh: install what is needed, build, and run every test: the
# README's test command, and the one CI runs (.ci/run, which sets CI=1).
#
# Phases, in this order, each timed ("phase NAME: N s"); PHASES="check
# sanitizers" runs a subset (deps and build come along when needed):
#   deps        scripts/deps.sh installs the Debian packages
#   format      clang-format --dry-run --Werror on every C file in git
#               (ours: gSOAP's code is generated at build time, not in git)
#   build       ./build (BUILD_DIR), configured with --enable-werror
#   check       make check in ./build: one result per test
#   sanitizers  ./build-sanitizers (SAN_BUILD_DIR), configured with
#               --enable-sanitizers (ASan, UBSan, LSan), and its whole make
#               check: one result per test, named "sanitizers:TEST"
#   distcheck   make distcheck from ./build: the tarball builds out of tree
#               from a read-only source and passes make check: one result
#   package     tests/debian-package.sh (root): the Debian packages built
#               from a clean copy of the tree, lintian, installed, the
#               daemon run as its unit would, the MIB walked, the Nagios
#               plugin, camcomply.so in snmpd, purged: one result per
#               check, named "package:CHECK"; needs ./build (camsim)
#   fuzz        scripts/fuzz-smoke.sh: libFuzzer targets (clang, its own
#               ./build-fuzz), FUZZ_SECONDS each: one result per target;
#               SKIP_FUZZ=1 leaves it out
#
# A skipped test is a skip here; in CI (CI set, not 0 or false) it is a
# failure unless CI_MAY_SKIP below names it with the reason it may skip
# there.  CI runs as root on Debian 12 with every package and network
# namespaces: only the wall-clock-bound fault tests may skip, in the
# sanitizer phase.
#
# The last line printed is always "N passed, N failed, N skipped", summed
# over every phase; the exit status is 0 when nothing failed.
# shellcheck disable=SC3043 # local: dash has it
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}
san_build=${SAN_BUILD_DIR:-$top/build-sanitizers}
jobs=$(nproc)
ci=${CI:-}
[ "$ci" = 0 ] || [ "$ci" = false ] && ci=
PHASES=${PHASES:-deps format build check sanitizers distcheck package fuzz}
[ "${SKIP_FUZZ:-0}" != 1 ] || PHASES=$(echo " $PHASES " | sed 's/ fuzz / /')

# Tests that may skip in CI: "NAME reason", one a line (NAME as counted,
# e.g. tests/foo.sh or sanitizers:tests/foo.sh).
CI_MAY_SKIP="sanitizers:tests/fault-kill.sh wall-clock bounds (kills, walks after a restart): run whole in the check phase
sanitizers:tests/fault-snmpd.sh wall-clock bounds (reconnect within the ping interval): run whole in the check phase
sanitizers:tests/fault-camsim.sh wall-clock bounds (a restart mid-round): run whole in the check phase"

results=$(mktemp "${TMPDIR:-/tmp}/camcomply-results.XXXXXX")
times=""
trap 'rm -f "$results" "$results.skips"' EXIT

# record RESULT NAME [REASON]: RESULT is PASS, FAIL or SKIP.
record() { printf '%s %s %s\n' "$1" "$2" "${3:-}" >>"$results"; }

wants() { case " $PHASES " in *" $1 "*) return 0 ;; esac; return 1; }

# phase NAME CMD...: run a phase, print and keep its time.
phase() {
	local name="$1" t0 rc
	shift
	echo "==== phase $name"
	t0=$(date +%s)
	"$@"
	rc=$?
	t0=$(($(date +%s) - t0))
	echo "phase $name: $t0 s"
	times="$times $name $t0 s,"
	return $rc
}

# count_trs DIR PREFIX: one result per test that make check ran in DIR;
# a failure shows the end of its log, a skip its reason.
count_trs() {
	local t r log why
	for t in $(cd "$1" && find . -path './camcomply-*' -prune -o \
	    -name '*.trs' -print | sed 's|^\./||' | sort); do
		r=$(sed -n 's/^:test-result: //p' "$1/$t" | head -n 1)
		log=$1/${t%.trs}.log
		case "$r" in
		PASS | XFAIL) record PASS "$2${t%.trs}" ;;
		SKIP)
			why=$(grep -m 1 -i 'skip' "$log" 2>/dev/null)
			record SKIP "$2${t%.trs}" "${why:-no reason given}"
			;;
		*)
			record FAIL "$2${t%.trs}"
			echo "---- $log ----"
			tail -n 60 "$log"
			;;
		esac
	done
}

# make_check DIR PREFIX: make check in DIR, counted; a make that fails with
# no failed test (a test program that does not build) is a failure too.
make_check() {
	local rc before
	(cd "$1" && find . -path './camcomply-*' -prune -o -name '*.trs' \
	    -exec rm -f {} +)
	(cd "$1" && make -j"$jobs" check >check.out 2>&1)
	rc=$?
	tail -n 30 "$1/check.out"
	before=$(grep -c '^FAIL' "$results")
	count_trs "$1" "$2"
	if [ "$rc" != 0 ] && [ "$(grep -c '^FAIL' "$results")" = "$before" ]; then
		record FAIL "${2}make-check" "make check exited $rc"
		tail -n 40 "$1/check.out"
	fi
}

do_deps() { "$top/scripts/deps.sh" || record FAIL deps; }

# Our code's warnings are errors (gSOAP's generated code is built apart,
# without them).
do_build() {
	BUILD_DIR=$build CONFIGURE_FLAGS=--enable-werror \
	    "$top/scripts/build.sh" || { record FAIL build "build failed"; return 1; }
}

# Every C file we own, as git knows them (gSOAP's code is generated, not
# committed): one result.
do_format() {
	local out
	if ! command -v clang-format >/dev/null; then
		record SKIP format "clang-format not installed (Debian package clang-format)"
	elif ! git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
		record SKIP format "not a git checkout"
	elif out=$(cd "$top" && git ls-files -z '*.c' '*.h' |
	    xargs -0 clang-format --dry-run --Werror 2>&1) && [ -z "$out" ]; then
		record PASS format
	else
		printf '%s\n' "$out" | head -n 60
		record FAIL format "clang-format: files differ from .clang-format"
	fi
}

do_check() { make_check "$build" ""; }

# The fault tests at their full counts (200 lives, 50 restarts) run in the
# check phase; distcheck, which runs the whole suite again, repeats them at
# a tenth of that to fit CI's 90 minutes; the sanitizer phase skips the
# three bound by wall-clock time (CI_MAY_SKIP).
LIGHT_FAULTS="FAULT_LIVES=${LIGHT_FAULT_LIVES:-20} FAULT_RESTARTS=${LIGHT_FAULT_RESTARTS:-5}"

do_sanitizers() {
	BUILD_DIR=$san_build CONFIGURE_FLAGS=--enable-sanitizers \
	    "$top/scripts/build.sh" ||
		{ record FAIL sanitizers:build "sanitizer build failed"; return 1; }
	export FAULT_SANITIZED_SKIP=1
	make_check "$san_build" sanitizers:
	unset FAULT_SANITIZED_SKIP
}

do_distcheck() {
	# shellcheck disable=SC2086
	if (cd "$build" && export $LIGHT_FAULTS &&
	    make -j"$jobs" distcheck >distcheck.out 2>&1); then
		record PASS distcheck
	else
		tail -n 60 "$build/distcheck.out"
		# What failed inside the tarball's build: each failing test's
		# log, its end (the tree is removed only when distcheck passes).
		for t in $(grep -l '^:test-result: FAIL' \
		    "$build"/camcomply-*/_build/sub/tests/*.trs 2>/dev/null); do
			echo "---- distcheck: ${t%.trs}.log (end)"
			tail -n 40 "${t%.trs}.log"
		done
		record FAIL distcheck "make distcheck failed ($build/distcheck.out)"
	fi
}

# The Debian packages (tests/debian-package.sh): one result per check, from
# its "ok - NAME" and "FAIL: NAME" lines; a skip is one skip, and an exit
# that is not 0 with no failed check (or no check at all) is one failure.
do_package() {
	local out="$build/debian-package.out" rc before
	"$top/tests/debian-package.sh" >"$out" 2>&1
	rc=$?
	before=$(grep -c '^FAIL' "$results")
	if [ "$rc" = 77 ]; then
		record SKIP package "$(grep -m 1 '^SKIP' "$out")"
		return 0
	fi
	grep -E '^(ok - |FAIL: |# lintian: [0-9])' "$out"
	sed -n 's/^ok - //p' "$out" | while IFS= read -r n; do
		record PASS "package:$n"
	done
	sed -n 's/^FAIL: //p' "$out" | while IFS= read -r n; do
		record FAIL "package:$n"
	done
	if [ "$rc" != 0 ] && [ "$(grep -c '^FAIL' "$results")" = "$before" ]; then
		tail -n 60 "$out"
		record FAIL package "tests/debian-package.sh exited $rc ($out)"
	elif [ "$rc" != 0 ]; then
		echo "(log: $out)"
	fi
	grep -q '^ok - ' "$out" || [ "$rc" != 0 ] ||
		record FAIL package "no check ran ($out)"
}

# The fuzzers' smoke test (scripts/fuzz-smoke.sh: its own clang build in
# ./build-fuzz, FUZZ_SECONDS each target): one result per target, from its
# last line "fuzz-smoke: N passed, N failed"; no such line (no fuzz build)
# is one failure.  SKIP_FUZZ=1 leaves the phase out.
do_fuzz() {
	local f="$top/scripts/fuzz-smoke.sh" out="$build/fuzz-smoke.out" n=20 r i
	[ -f "$f" ] || { echo "(no scripts/fuzz-smoke.sh)"; return 0; }
	"$f" >"$out" 2>&1 || n=150
	tail -n "$n" "$out"
	r=$(sed -n 's/^fuzz-smoke: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' \
	    "$out")
	if [ -z "$r" ]; then
		record FAIL fuzz-smoke "$(tail -n 1 "$out")"
		return
	fi
	i=0
	while [ "$i" -lt "${r% *}" ]; do
		i=$((i + 1))
		record PASS "fuzz:$i"
	done
	i=0
	while [ "$i" -lt "${r#* }" ]; do
		i=$((i + 1))
		record FAIL "fuzz:failed-$i" "see $out"
	done
}

t_all=$(date +%s)
wants deps && phase deps do_deps
wants format && phase format do_format
# check, distcheck, package (camsim) and fuzz need ./build; the sanitizer
# build is its own.
if wants check || wants distcheck || wants package || wants fuzz || wants build; then
	phase build do_build ||
		PHASES=$(echo " $PHASES " | sed 's/ check / /; s/ distcheck / /; s/ package / /; s/ fuzz / /')
fi
for p in check sanitizers distcheck package fuzz; do
	wants "$p" && phase "$p" "do_$p"
done

# Skips: in CI, each one not allowed there is a failure.
if [ -n "$ci" ]; then
	grep '^SKIP' "$results" >"$results.skips"
	while read -r r name why; do
		allowed=$(printf '%s\n' "$CI_MAY_SKIP" |
		    awk -v n="$name" '$1 == n { $1 = ""; print substr($0, 2) }')
		if [ -n "$allowed" ]; then
			echo "skip allowed in CI: $name ($why): $allowed"
		else
			echo "FAIL: skipped in CI, which must run it: $name ($why)"
			sed -i "\\|^SKIP $name |d" "$results"
			record FAIL "$name" "skipped in CI"
		fi
	done <"$results.skips"
	rm -f "$results.skips"
fi

grep '^SKIP' "$results" | sed 's/^SKIP /skipped: /'
grep '^FAIL' "$results" | sed 's/^FAIL /failed: /'
pass=$(grep -c '^PASS' "$results")
fail=$(grep -c '^FAIL' "$results")
skip=$(grep -c '^SKIP' "$results")
echo "phase times:$times total $(($(date +%s) - t_all)) s"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
