#!/bin/sh
# Install dependencies, build, and run every test (make check), then the
# fuzzers' smoke test (scripts/fuzz-smoke.sh; SKIP_FUZZ=1 leaves it out).
# Ends with one line "N passed, N failed" counted from automake's logs and
# one per fuzz target.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}
"$top/scripts/deps.sh" || exit 1
"$top/scripts/build.sh" || { echo "0 passed, 1 failed"; exit 1; }
cd "$build"
make -j"$(nproc)" check >check.out 2>&1
rc=$?
tail -n 30 check.out
# Every test's .trs file carries its result; failures show their log.
pass=0 fail=0 skip=0
for t in $(find . -name '*.trs' | sort); do
	r=$(sed -n 's/^:test-result: //p' "$t" | head -n 1)
	case "$r" in
	PASS|XFAIL) pass=$((pass + 1)) ;;
	SKIP) skip=$((skip + 1)) ;;
	*) fail=$((fail + 1))
	   echo "---- ${t%.trs}.log ----"; tail -n 40 "${t%.trs}.log" ;;
	esac
done
[ "$rc" = 0 ] || [ "$fail" -gt 0 ] || fail=1
# The fuzzers (build-fuzz, clang): FUZZ_SECONDS (60) each, one test each.
if [ "${SKIP_FUZZ:-0}" != 1 ]; then
	n=20
	"$top/scripts/fuzz-smoke.sh" >"$build/fuzz-smoke.out" 2>&1 || n=150
	tail -n "$n" "$build/fuzz-smoke.out"
	f=$(sed -n 's/^fuzz-smoke: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' \
		"$build/fuzz-smoke.out")
	if [ -n "$f" ]; then
		pass=$((pass + ${f% *})) fail=$((fail + ${f#* }))
	else
		fail=$((fail + 1))
	fi
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
