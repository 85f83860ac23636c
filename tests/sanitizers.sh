# tests/sanitizers.sh: run-time options for a build configured with
# --enable-sanitizers (AddressSanitizer, UBSan, LeakSanitizer); harmless
# for any other build, whose programs never read them.  Sourced, not run:
# by the test harness (AM_TESTS_ENVIRONMENT, so the Check unit tests get
# them too) and by tests/lib.sh, which also sends each integration test's
# reports to a file in its temp dir and fails the test on any.
#
# The first error stops the program with SIGABRT (abort_on_error), so the
# test that ran it fails; UBSan is already fatal at compile time
# (-fno-sanitize-recover=undefined).  Leaks are errors too, less those
# that Net-SNMP, libxml2 and OpenSSL keep until exit (tests/lsan.supp:
# third-party only).  A caller's own settings come after ours and win.

if [ -z "${CAMCOMPLY_SANITIZERS_ENV:-}" ]; then
	CAMCOMPLY_SANITIZERS_ENV=1
	ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}
	UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}
	LSAN_OPTIONS=suppressions=$top_srcdir/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}
	export CAMCOMPLY_SANITIZERS_ENV ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
fi
