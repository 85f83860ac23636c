#!/bin/sh
# scripts/fuzz-smoke.sh: the fuzzers' CI smoke test.  Configures a build
# folder of its own with clang and --enable-fuzzers (ASan, UBSan, LSan),
# builds it, and runs every libFuzzer target of tests/fuzz for
# FUZZ_SECONDS (60) on its seed corpus (`make fuzz`).
#
#   scripts/fuzz-smoke.sh            FUZZ_SECONDS=300 scripts/fuzz-smoke.sh
#
# FUZZ_BUILD_DIR   the build folder (build-fuzz in the source tree, apart from ./build)
# FUZZ_TARGETS     fewer targets, e.g. "fuzz_wsd fuzz_onvif"
# FUZZ_JOBS        make's jobs for the build (nproc)
# Needs the Debian packages clang and libclang-rt-14-dev (scripts/deps.sh).
#
# Exit status: 0 every target ran clean; 1 a target crashed, leaked or
# timed out (its input is kept in BUILD/tests/fuzz/artifacts/TARGET); 2 no
# fuzz build could be made.  The last line says which, as
# "fuzz-smoke: N passed, N failed" or "fuzz-smoke: ERROR: why".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$top/build-fuzz}
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}

die() {
	echo "fuzz-smoke: ERROR: $*"
	exit 2
}

command -v clang >/dev/null 2>&1 ||
	die "clang not found (Debian: clang libclang-rt-14-dev; scripts/deps.sh)"
cd "$top" || die "no source tree at $top"
if [ ! -x configure ] || [ configure.ac -nt configure ] ||
	[ Makefile.am -nt Makefile.in ] ||
	[ tests/fuzz/fuzz.am -nt Makefile.in ]; then
	{ autoreconf -fi >/dev/null 2>&1 || autoreconf -fi; } ||
		die "autoreconf failed"
fi
mkdir -p "$build" && cd "$build" || die "cannot make $build"
# A folder configured without the option (or by another compiler) is redone.
if ! grep -q '^FUZZ_LDFLAGS = -fsanitize=fuzzer' Makefile 2>/dev/null; then
	CC=clang "$top/configure" -q --enable-fuzzers >configure.out 2>&1 || {
		tail -n 20 configure.out
		die "configure --enable-fuzzers failed (see $build/config.log)"
	}
fi
echo "fuzz-smoke: building in $build ($jobs jobs)"
make -j"$jobs" >make.out 2>&1 || {
	tail -n 40 make.out
	die "the fuzz build failed (see $build/make.out)"
}
out=$build/fuzz.out
set -- FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
[ -n "${FUZZ_TARGETS:-}" ] && set -- "$@" FUZZ_TARGETS="$FUZZ_TARGETS"
make fuzz "$@" 2>&1 | tee "$out"
summary=$(sed -n 's/^fuzz: \([0-9]* passed, [0-9]* failed\)$/\1/p' "$out" |
	tail -n 1)
[ -n "$summary" ] || die "make fuzz stopped before any result (see $out)"
echo "fuzz-smoke: $summary"
case $summary in *" 0 failed") exit 0 ;; *) exit 1 ;; esac
