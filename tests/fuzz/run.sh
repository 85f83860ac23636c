#!/bin/sh
# tests/fuzz/run.sh: run libFuzzer targets, each for FUZZ_SECONDS (60) on a
# temp copy of its seed corpus, one at a time (one process, one job), with
# ASan, UBSan and LeakSanitizer as the build put them in.  `make fuzz` runs
# it; so does scripts/fuzz-smoke.sh.
#
#   run.sh BIN-DIR SRC-DIR TARGET...
#
# BIN-DIR holds the built targets (BUILD/tests/fuzz), SRC-DIR the sources
# (tests/fuzz: corpus/TARGET, dict/TARGET.dict).  A crash (a sanitizer's
# report, a broken invariant: exit 77), a leak, an input slower than 10 s
# (exit 78) or over 2 GB fails the target; its input is kept in
# BIN-DIR/artifacts/TARGET and the end of its log is shown.  Prints each
# target's executions, executions per second, coverage (libFuzzer's final
# cov: and ft:), corpus (inputs/bytes) and peak memory, then
# "fuzz: N passed, N failed"; exits 1 if any failed.
#
# FUZZ_SECONDS   seconds per target (60)
# FUZZ_ARGS      more libFuzzer flags for every target
# FUZZ_KEEP      a folder: each target's grown corpus is copied to
#                FUZZ_KEEP/TARGET (to minimise and commit new seeds)
set -u
bin=${1:?usage: run.sh BIN-DIR SRC-DIR TARGET...}
src=${2:?usage: run.sh BIN-DIR SRC-DIR TARGET...}
shift 2
secs=${FUZZ_SECONDS:-60}
case $secs in '' | *[!0-9]*) echo "run.sh: FUZZ_SECONDS=$secs" >&2; exit 2 ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/camcomply-fuzz-run.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0 failed=0 summary=""

# Largest input per target: a WS-Discovery datagram may be 16 KiB (and
# one just over is refused), an ONVIF exchange a few replies of ~2 KiB.
# (libFuzzer grows its length limit slowly from the seeds' size anyway.)
max_len() {
	case $1 in
	fuzz_wsd) echo 17000 ;;
	fuzz_onvif) echo 32768 ;;
	fuzz_config | fuzz_statefile) echo 8192 ;;
	# SADP and DHIP replies are refused over 16 KiB; a reply head may
	# hold 64 lines of up to 4 KiB, a body anything.
	fuzz_sadp | fuzz_dhip) echo 16500 ;;
	fuzz_unauth) echo 16384 ;;
	*) echo 4096 ;;
	esac
}

# Why a run failed, from its exit status and log.
why() {
	if grep -q 'ERROR: LeakSanitizer' "$2"; then
		echo "leak"
	elif [ "$1" -eq 78 ] || grep -q 'ERROR: libFuzzer: timeout' "$2"; then
		echo "timeout"
	elif grep -q 'ERROR: libFuzzer: out-of-memory' "$2"; then
		echo "out of memory"
	elif grep -q 'invariant broken' "$2"; then
		echo "invariant broken: $(sed -n 's/.*invariant broken: //p' "$2" | head -n 1)"
	else
		echo "crash (exit $1)"
	fi
}

# The last value of "key: N" on libFuzzer's final status line.
field() {
	sed -n "s/.* $1: *\([0-9][0-9]*\).*/\1/p" "$2" | tail -n 1
}

for t in "$@"; do
	exe=$bin/$t
	if [ ! -x "$exe" ]; then
		echo "fuzz: $t: $exe not built" >&2
		failed=$((failed + 1))
		summary="$summary$t: not built\n"
		continue
	fi
	corpus=$tmp/$t
	mkdir -p "$corpus" "$bin/artifacts/$t"
	[ -d "$src/corpus/$t" ] && cp -R "$src/corpus/$t/." "$corpus/"
	# (the loop's list was expanded once: "$@" is free to reuse)
	set -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-error_exitcode=77 -timeout_exitcode=78 -detect_leaks=1 \
		-max_len="$(max_len "$t")" -print_final_stats=1 \
		-artifact_prefix="$bin/artifacts/$t/"
	[ -f "$src/dict/$t.dict" ] && set -- "$@" -dict="$src/dict/$t.dict"
	log=$bin/$t.log
	echo "fuzz: $t for ${secs}s ($(uptime | sed 's/.*load average/load average/'))"
	# shellcheck disable=SC2086
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		"$exe" "$@" ${FUZZ_ARGS:-} "$corpus" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")
	cov=$(field cov "$log") ft=$(field ft "$log")
	corp=$(sed -n 's/.* corp: *\([0-9][0-9]*\/[0-9]*[A-Za-z]*\).*/\1/p' \
		"$log" | tail -n 1)
	line=$(printf '%-14s %9s execs %6s exec/s  cov %5s  ft %6s  corpus %-11s rss %4s MB' \
		"$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" \
		"${corp:-?}" "${rss:-?}")
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
		summary="$summary$line  ok\n"
	else
		failed=$((failed + 1))
		summary="$summary$line  FAILED: $(why "$rc" "$log")\n"
		echo "fuzz: $t FAILED (exit $rc); the end of $log:" >&2
		tail -n 60 "$log" >&2
		echo "fuzz: $t: inputs kept in $bin/artifacts/$t/" >&2
	fi
	if [ -n "${FUZZ_KEEP:-}" ]; then
		mkdir -p "$FUZZ_KEEP/$t" && cp -R "$corpus/." "$FUZZ_KEEP/$t/"
	fi
done
printf '%b' "$summary"
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
