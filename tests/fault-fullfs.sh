#!/bin/bash
# The state folder on a full filesystem: a tiny tmpfs (FAULT_FS_KB, 256
# KiB), mounted in a mount namespace of the test's own (unshare -m: the
# mount is gone with the test, nothing leaks), filled to the last block
# once camcomplyd has saved its state there.  Then:
# - the saves that follow fail, each with "state: cannot write ...: No
#   space left on device" logged, and leave no temp file behind;
# - the previous state file stays as it was, byte for byte, and loads: a
#   camcomplyd started on it (the full filesystem still full) has every
#   camera, each with the index it had;
# - the daemon keeps serving: snmpget and snmpwalk answer, every row;
# - once space is freed, the next save succeeds (the file is rewritten,
#   whole, and loads).
# Needs the right to make a mount namespace and mount a tmpfs (root, or a
# user namespace that maps root): skipped (77) otherwise.
if [ -z "${FAULT_FULLFS_NS:-}" ]; then
	for how in "-m" "-r -m"; do
		# shellcheck disable=SC2086 # how: unshare's options
		unshare $how --propagation private \
			sh -c 'd=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs "$d" &&
				umount "$d"; r=$?; rmdir "$d"; exit $r' 2>/dev/null ||
			continue
		# shellcheck disable=SC2086
		FAULT_FULLFS_NS=1 exec unshare $how --propagation private \
			bash "$0" "$@"
	done
	echo "SKIP: cannot mount a tmpfs in a mount namespace (unshare -m; root or user namespaces needed)"
	exit 77
fi
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-snmp.sh"
NET=${NET:-127.2.93}
N=${FAULT_CAMS:-40} KB=${FAULT_FS_KB:-256}
PW=$(password_file audit hik-wsse-pass)

SD=$T/statedir
mkdir "$SD"
mount -t tmpfs -o "size=${KB}k,mode=0700" tmpfs "$SD" ||
	skip "cannot mount a tmpfs on $SD"
# The mount goes before the temp dir does (lib.sh's cleanup removes it).
# Processes stop newest first (stop_pids: the daemon before its master, or
# Net-SNMP leaks a session at shutdown in a sanitized build).
unmount_first() {
	stop_pids
	umount "$SD" 2>/dev/null
	cleanup
}
trap unmount_first EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_sim "hikvision-wsse@$NET.1+$N:$CAM_PORT,user=admin,password-file=$PW"
{
	echo "credentials audit admin $PW"
	for i in $(seq 1 "$N"); do
		echo "camera $NET.$i:$CAM_PORT credentials audit"
	done
	cat <<EOF
site core $NET.0/24 core
poll-interval 3600
timeout 5
state-file $SD/state
policy $top_srcdir/data/policy.xml
EOF
} >"$T/cc.conf"
start_stack "$T/cc.conf"
wait_until 30 rounds_at_least 1 || { fail "no first round"; exit 1; }
saved() { [ -s "$SD/state" ] && grep -c '^dev ' "$SD/state" | grep -qx "$N"; }
wait_until 10 saved || fail "no state saved with every camera"
# The indexes, by camera.
urls() { swalk "$ENTRY.4" | sed 's/^.*\.\([0-9]*\) /\1 /' | sort; }
urls >"$T/ref"
expect "every camera has a row" "$N" "$(wc -l <"$T/ref")"
cp "$SD/state" "$T/state.before"
ino0=$(stat -c %i "$SD/state")
size=$(wc -c <"$SD/state")
echo "# state file: $size bytes on a $KB KiB tmpfs"

# Full: every block taken (dd stops at ENOSPC), then the inodes' room too.
dd if=/dev/zero of="$SD/fill" bs=4k 2>/dev/null
avail=$(df -k --output=avail "$SD" | tail -n 1 | tr -d ' ')
echo "# filled: ${avail} KiB left"
errors() { grep -c "state: cannot write $SD/state: No space left on device" "$T/daemon.log"; }
errors_above() { [ "$(errors)" -gt "$1" ]; }
hups() { grep -c 'reloading' "$T/daemon.log"; }
hups_above() { [ "$(hups)" -gt "$1" ]; }

# Two saves asked for (a SIGHUP saves, and its round's end saves again).
for k in 1 2; do
	e=$(errors)
	h=$(hups)
	r=$(sget $SUMMARY.13.0)
	kill -HUP "$DAEMON_PID"
	wait_until 5 hups_above "$h" || fail "save $k: no reload"
	wait_until 10 rounds_at_least $((r + 1)) || fail "save $k: no round"
	wait_until 10 errors_above "$e" ||
		fail "save $k: no 'No space left on device' logged"
	expect "save $k: the state file as it was" same \
		"$(cmp -s "$T/state.before" "$SD/state" &&
			[ "$(stat -c %i "$SD/state")" = "$ino0" ] && echo same)"
	expect "save $k: no temp file left" "" "$(ls "$SD" | grep -v '^fill$\|^state$')"
	# Still serving.
	expect "save $k: snmpget answers" "$N" "$(sget $SUMMARY.4.0)"
	expect "save $k: snmpwalk has every row" "$N" "$(urls | wc -l)"
done
echo "# $(errors) failed saves logged, e.g.: $(grep -m 1 'cannot write' "$T/daemon.log")"

# The previous state loads: a new camcomplyd on it, the disk still full
# (its clean stop's save fails too, and is logged).
e=$(errors)
stop_daemon
_forget "$DAEMON_PID"
expect "the stop's save failed, logged" 1 "$(( $(errors) - e ))"
expect "the state file as it was after the stop" same \
	"$(cmp -s "$T/state.before" "$SD/state" && echo same)"
mv "$T/daemon.log" "$T/daemon.log.1"
start_daemon "$T/cc.conf"
started() { grep -q 'camcomply started' "$T/daemon.log"; }
wait_until 10 started || fail "camcomplyd did not start on the full disk"
expect "the state loads: every camera" "1" \
	"$(grep -c "camcomply started: $N camera" "$T/daemon.log")"
expect "no corrupt state" "" "$(grep -i corrupt "$T/daemon.log")"
wait_until 10 sget_ok $SUMMARY.4.0 || fail "not registered after the restart"
expect "same rows, same indexes" same \
	"$(urls | cmp -s - "$T/ref" && echo same)"

# Space freed: the next save succeeds.
rm -f "$SD/fill"
e=$(errors)
h=$(hups)
kill -HUP "$DAEMON_PID"
wait_until 5 hups_above "$h" || fail "no reload after space was freed"
ino=$(stat -c %i "$SD/state")
changed() { [ "$(stat -c %i "$SD/state")" != "$ino" ]; } # renamed in place
wait_until 10 changed || fail "no save after space was freed"
expect "no error after space was freed" 0 "$(( $(errors) - e ))"
expect "the new state is whole: every camera" "$N" "$(grep -c '^dev ' "$SD/state")"
stop_daemon
_forget "$DAEMON_PID"
mv "$T/daemon.log" "$T/daemon.log.2"
start_daemon "$T/cc.conf"
wait_until 10 started || fail "camcomplyd did not start on the new state"
expect "the new state loads: every camera" "1" \
	"$(grep -c "camcomply started: $N camera" "$T/daemon.log")"
finish
