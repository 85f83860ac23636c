#!/bin/bash
# tests/debian-package.sh: the Debian packages, end to end (root, Debian 12).
#
#   1. purge what an earlier run may have left installed;
#   2. build the four packages with dpkg-buildpackage -b from a clean copy
#      of the tree (the committed tree plus uncommitted changes to tracked
#      files, `git stash create`), in this test's temp dir, never in the
#      checkout; the unit tests are left out here (nocheck): the check
#      phase runs them;
#   3. lintian on the .changes: no E: tag;
#   4. install the .debs with apt-get; the files, modes, conffiles and the
#      system user are in place;
#   5. a private snmpd (loopback port, AgentX socket in the temp dir, the
#      installed /etc/snmp/snmpd.conf.d/camcomply.conf with only the socket
#      path and snmpd's user changed) and simulated cameras on
#      127.2.30.0/24; the installed daemon started as the installed unit's
#      ExecStart, as its User= and Group=, with its UMask= (systemd may not
#      run here), with the installed /etc/camcomply/camcomplyd.conf
#      (rewritten for this fleet), its state in /var/lib/camcomply; a walk
#      of the MIB by name with the installed MIB file; the installed
#      check_camcomply;
#   6. camcomply.so from its installed path in another private snmpd
#      (dlmod);
#   7. apt-get purge: no file, folder, user or group is left.
#
# Output: "ok - NAME" or "FAIL: NAME: why" per check (tests/lib.sh), and
# "N checks, N failed" (scripts/test.sh's package phase counts them).
# Everything started is stopped on exit, and the packages are purged.
top=$(cd "$(dirname "$0")/.." && pwd)
export top_srcdir=$top
export top_builddir=${BUILD_DIR:-$top/build}
. "$top/tests/lib.sh"
NET=127.2.30
PKGS="camcomply camcomplyd camcomply-mibs monitoring-plugins-camcomply"
MIB_ARC=.1.3.6.1.4.1.8072.9999.9999.3102
ROUNDS=$MIB_ARC.1.1.13.0
export DEBIAN_FRONTEND=noninteractive
APT="apt-get -q -y -o DPkg::Lock::Timeout=600"

[ "$(id -u)" = 0 ] || skip "needs root (installs packages)"
for t in dpkg-buildpackage lintian dh fakeroot snmpd snmpwalk setpriv git flock; do
	command -v "$t" >/dev/null ||
		skip "$t not installed (scripts/deps.sh installs it)"
done

installed() { dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q ' installed$'; }
# Any of ours in any state (installed, or only config files left).
present() {
	local p
	for p in $PKGS; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -qv 'not-installed' && return 0
	done
	return 1
}
purge_all() {
	local p l=
	for p in $PKGS; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -qv 'not-installed' && l="$l $p"
	done
	# shellcheck disable=SC2086 # one word a package
	[ -z "$l" ] || $APT purge $l >"$T/purge.out" 2>&1
}
# On exit: stop what runs (lib.sh's cleanup), then purge.
pkg_cleanup() {
	stop_pids
	if present; then
		echo "# purging the packages on exit"
		purge_all || cat "$T/purge.out"
	fi
	cleanup
}
trap pkg_cleanup EXIT

check() { # check NAME CMD...: ok when CMD succeeds
	local name=$1
	shift
	CHECKS=$((CHECKS + 1))
	if "$@" >/dev/null 2>&1; then echo "ok - $name"; else fail "$name ($*)"; fi
}
wait_until() { # wait_until SECONDS CMD...: every 50 ms until CMD succeeds
	local n=$(($1 * 20))
	shift
	until "$@" >/dev/null 2>&1; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 0.05
	done
}
alive_and() { # alive_and PID CMD...: CMD succeeds, or PID has ended
	local pid=$1
	shift
	"$@" || ! kill -0 "$pid" 2>/dev/null
}

# The packages, the user camcomply and /etc/camcomply are the machine's:
# two runs on one machine (two checkouts) take turns, the second waiting
# up to 30 minutes for the first.
exec 9>/run/lock/camcomply-debian-package.lock
flock -w 1800 9 || { fail "another run held the package lock for 30 minutes"; exit 1; }

# ---- 1. a previous run's packages ------------------------------------------
if present; then
	echo "# purging packages left installed: $PKGS"
	purge_all || { cat "$T/purge.out"; fail "purge of an earlier install"; exit 1; }
fi
check "nothing of ours installed before the build" eval '! present'

# ---- 2. build from a clean copy --------------------------------------------
ver=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
src=$T/src/camcomply-${ver%-*}
mkdir -p "$src"
# (stash create makes a commit object only when tracked files changed; it
# touches neither the work tree nor the stash list.)
rev=$(GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@localhost \
	GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@localhost \
	git -C "$top" stash create 2>/dev/null)
git -C "$top" archive "${rev:-HEAD}" | tar -x -C "$src" ||
	{ fail "git archive of $top"; exit 1; }
t0=$(date +%s)
# PACKAGE_BUILD_OPTIONS="" runs the unit tests in the build too.
if (cd "$src" && DEB_BUILD_OPTIONS="${PACKAGE_BUILD_OPTIONS-nocheck} parallel=$(nproc)" \
	dpkg-buildpackage -b -us -uc >"$T/build.log" 2>&1); then
	echo "ok - dpkg-buildpackage -b ($(($(date +%s) - t0)) s)"
	CHECKS=$((CHECKS + 1))
else
	tail -n 60 "$T/build.log"
	fail "dpkg-buildpackage -b"
	exit 1
fi
arch=$(dpkg --print-architecture)
changes=$T/src/camcomply_${ver}_$arch.changes
debs=""
for p in $PKGS; do
	f=$T/src/${p}_${ver}_$arch.deb
	[ -f "$f" ] || f=$T/src/${p}_${ver}_all.deb
	check "built $p" test -f "$f"
	debs="$debs $f"
done

# ---- 3. lintian ------------------------------------------------------------
lintian --tag-display-limit 0 "$changes" >"$T/lintian.out" 2>&1
grep -E '^[EW]:' "$T/lintian.out" | sed 's/^/# lintian: /'
echo "# lintian: $(grep -c '^E:' "$T/lintian.out") errors, $(grep -c '^W:' "$T/lintian.out") warnings, $(grep -c '^I:' "$T/lintian.out") info"
check "lintian: no errors" eval "! grep -q '^E:' '$T/lintian.out'"

# ---- 4. install ------------------------------------------------------------
# shellcheck disable=SC2086 # one word a file
if $APT install --no-install-recommends $debs >"$T/install.out" 2>&1; then
	echo "ok - apt-get install of the four packages"
	CHECKS=$((CHECKS + 1))
else
	tail -n 40 "$T/install.out"
	fail "apt-get install"
	exit 1
fi
for p in $PKGS; do check "$p installed" installed "$p"; done
MA=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
SO=/usr/lib/$MA/snmp/dlmod/camcomply.so
PLUGIN=/usr/lib/nagios/plugins/check_camcomply
MIBFILE=/usr/share/snmp/mibs/CAMERA-COMPLIANCE-MIB.txt
UNIT=/lib/systemd/system/camcomplyd.service
check "file $SO (dh_fixperms: 0644)" test -f "$SO"
for f in /usr/bin/camcomply /usr/sbin/camcomplyd "$PLUGIN" \
	/usr/libexec/camcomply/camcomply-trap-nagios; do
	check "executable $f" test -x "$f"
done
for f in "$MIBFILE" "$UNIT" /usr/share/camcomply/policy.xml \
	/usr/share/camcomply/policy.xsd /etc/camcomply/camcomplyd.conf \
	/etc/snmp/snmpd.conf.d/camcomply.conf \
	/usr/share/camcomply/nagios/camcomply.cfg \
	/usr/share/man/man1/camcomply.1.gz /usr/share/man/man5/camcomply-policy.5.gz \
	/usr/share/man/man8/camcomplyd.8.gz /usr/share/man/man5/camcomplyd.conf.5.gz \
	/usr/share/doc/camcomplyd/examples/camcomplyd.conf.sample; do
	check "file $f" test -f "$f"
done
check "no libtool .la beside camcomply.so" test ! -e "${SO%.so}.la"
check "camcomply --help runs" /usr/bin/camcomply --help
pw=$(getent passwd camcomply)
check "system user camcomply" test -n "$pw"
expect_match "camcomply: system uid, nologin, home /var/lib/camcomply" \
	'^camcomply:x:[1-9][0-9]?[0-9]?:[0-9]+:[^:]*:/var/lib/camcomply:/usr/sbin/nologin$' "$pw"
check "group camcomply" getent group camcomply
expect "config owner and mode" "root:camcomply 640" \
	"$(stat -c '%U:%G %a' /etc/camcomply/camcomplyd.conf)"
expect "state dir owner and mode" "camcomply:camcomply 750" \
	"$(stat -c '%U:%G %a' /var/lib/camcomply)"
expect "conffiles of camcomplyd" \
	"/etc/camcomply/camcomplyd.conf /etc/snmp/snmpd.conf.d/camcomply.conf" \
	"$(dpkg-query -W -f='${Conffiles}\n' camcomplyd | awk 'NF { printf "%s%s", s, $1; s = " " }')"
check "Debian's snmpd.conf reads snmpd.conf.d" \
	grep -Eq '^[[:space:]]*includeDir[[:space:]]+/etc/snmp/snmpd\.conf\.d' /etc/snmp/snmpd.conf

# ---- 5. the installed daemon, as the unit runs it ---------------------------
unit_key() { sed -n "s/^$1=//p" "$UNIT" | tail -n 1; }
EXEC=$(unit_key ExecStart)
USER_=$(unit_key User)
GROUP_=$(unit_key Group)
UMASK_=$(unit_key UMask)
expect_match "unit ExecStart is the installed daemon with the installed config" \
	'^/usr/sbin/camcomplyd .*-c /etc/camcomply/camcomplyd\.conf' "$EXEC"
expect "unit User/Group" "camcomply/camcomply" "$USER_/$GROUP_"

# The temp dir: others may pass through (the daemon reaches the AgentX
# socket), not list it.
chmod 0711 "$T"
# The AgentX socket's folder: snmpd (root here) and group camcomply.
install -d -m 0750 -o root -g camcomply "$T/agentx"
SOCK=$T/agentx/master

# Cameras: a restricted one and a compliant one on a sensitive site.
install -m 0600 -o camcomply -g camcomply /dev/null /etc/camcomply/test-cameras.pw
printf 'campass\n' >/etc/camcomply/test-cameras.pw
SIMPW=$(password_file sim campass)
start_sim "hikvision-wsse@$NET.1:$CAM_PORT,user=admin,password-file=$SIMPW" \
	"axis@$NET.2:$CAM_PORT,user=admin,password-file=$SIMPW"
# The installed configuration file, rewritten for this fleet and socket
# (its mode and owner stay the package's).
cat >/etc/camcomply/camcomplyd.conf <<EOF
credentials lab admin /etc/camcomply/test-cameras.pw
site lab $NET.0/24 sensitive
camera http://$NET.1:$CAM_PORT/onvif/device_service credentials lab
camera http://$NET.2:$CAM_PORT/onvif/device_service credentials lab
timeout 5
agentx-socket $SOCK
EOF
expect "config still root:camcomply 640 after the rewrite" "root:camcomply 640" \
	"$(stat -c '%U:%G %a' /etc/camcomply/camcomplyd.conf)"

export SNMP_PERSISTENT_DIR=$T/persist SNMPCONFPATH=$T/snmpconf MIBS=
mkdir -p "$T/persist" "$T/snmpconf"
: >"$T/snmpconf/snmp.conf"
# start_snmpd NAME CONF-LINES...: a private snmpd on SNMP_PORT (picked
# again if another run takes it first); SNMPD_PID.
start_snmpd() {
	local name=$1 try=0
	shift
	while :; do
		pick_port SNMP_PORT || return 1
		{
			printf '%s\n' "$@"
			echo "rocommunity public 127.0.0.1"
		} >"$T/$name.conf"
		: >"$T/$name.log"
		# shellcheck disable=SC2086 # options, one a word
		snmpd -f -Lo -C -c "$T/$name.conf" -I -smux -p "$T/$name.pid" ${SNMPD_OPTS:-} \
			"udp:127.0.0.1:$SNMP_PORT" >>"$T/$name.log" 2>&1 &
		SNMPD_PID=$!
		PIDS="$PIDS $SNMPD_PID"
		wait_until 10 alive_and "$SNMPD_PID" grep -q '^NET-SNMP version' "$T/$name.log"
		grep -q '^NET-SNMP version' "$T/$name.log" && return 0
		kill "$SNMPD_PID" 2>/dev/null
		wait "$SNMPD_PID" 2>/dev/null
		try=$((try + 1))
		if ! grep -q 'Error opening specified endpoint' "$T/$name.log" ||
			[ "$try" -ge 5 ]; then
			break
		fi
	done
	cat "$T/$name.log"
	return 1
}
stop_pid() { kill "$1" 2>/dev/null && wait "$1" 2>/dev/null; }
sget() { snmpget -v2c -c public -r0 -t1 -Oqv "127.0.0.1:$SNMP_PORT" "$@"; }
rounds_done() { local r; r=$(sget "$ROUNDS" 2>/dev/null); [ "${r:-0}" -ge 1 ] 2>/dev/null; }

# The installed snippet, with the socket in the temp dir; snmpd drops to
# Debian-snmp as Debian's snmpd.service has it (-u, -g), so the socket's
# owner and group are the snippet's.
mapfile -t SNIPPET < <(sed -e '/^[[:space:]]*#/d' -e '/^[[:space:]]*$/d' \
	-e "s|unix:/var/agentx/master|unix:$SOCK|" \
	/etc/snmp/snmpd.conf.d/camcomply.conf)
check "snippet: master agentx, socket for group camcomply" \
	eval "printf '%s\n' \"\${SNIPPET[@]}\" | grep -q '^agentXPerms .* camcomply\$'"
SNMPD_OPTS="-u Debian-snmp -g Debian-snmp" start_snmpd snmpd-agentx "${SNIPPET[@]}" ||
	{ fail "snmpd (AgentX master) did not start"; exit 1; }
AGENTX_SNMPD=$SNMPD_PID
expect "AgentX socket as the snippet sets it" "Debian-snmp:camcomply 660" \
	"$(stat -c '%U:%G %a' "$SOCK")"

# ExecStart as the unit has it, logging to a file instead of syslog.
# shellcheck disable=SC2206 # the unit's words
argv=($EXEC)
args=()
for a in "${argv[@]}"; do
	case $a in -L*) args+=(-Lf "$T/camcomplyd.log") ;; *) args+=("$a") ;; esac
done
: >"$T/camcomplyd.log"
chown camcomply:camcomply "$T/camcomplyd.log"
(
	umask "${UMASK_:-0022}"
	cd / && exec setpriv --reuid="$USER_" --regid="$GROUP_" --init-groups \
		--no-new-privs -- "${args[@]}"
) &
DAEMON_PID=$!
PIDS="$PIDS $DAEMON_PID"
if wait_until 60 alive_and "$DAEMON_PID" rounds_done && rounds_done; then
	echo "ok - installed camcomplyd as $USER_ registered and finished a round"
	CHECKS=$((CHECKS + 1))
else
	cat "$T/camcomplyd.log" "$T/snmpd-agentx.log"
	fail "installed camcomplyd: no round through AgentX"
fi
expect "daemon runs as $USER_" "$USER_" "$(ps -o user= -p "$DAEMON_PID" | tr -d ' ')"

# The MIB by name, from the installed file (and the IETF base modules it
# imports, which Debian main does not ship: scripts/ietf-mibs.sh).
IETF=$("$top/scripts/ietf-mibs.sh") || { fail "IETF base MIBs (scripts/ietf-mibs.sh)"; IETF=; }
WALK=$(snmpwalk -v2c -c public -r1 -t2 -M "+$IETF:/usr/share/snmp/mibs" \
	-m CAMERA-COMPLIANCE-MIB "127.0.0.1:$SNMP_PORT" \
	CAMERA-COMPLIANCE-MIB::camComplianceMIB 2>"$T/walk.err")
printf '%s\n' "$WALK" >"$T/walk.out"
expect_match "walk by name: camDeviceManufacturer of the Hikvision camera" \
	'^CAMERA-COMPLIANCE-MIB::camDeviceManufacturer\.[0-9]+ = STRING: "?[Hh][Ii][Kk][Vv][Ii][Ss][Ii][Oo][Nn]' \
	"$(grep 'camDeviceManufacturer' "$T/walk.out")"
expect "walk by name: two camDeviceTable rows" 2 \
	"$(grep -c '^CAMERA-COMPLIANCE-MIB::camDeviceManufacturer\.' "$T/walk.out")"
expect "walk: no MIB parse errors" "" "$(grep -v '^$' "$T/walk.err" | head -n 3)"

# The installed Nagios plugin: CRITICAL (restricted camera, sensitive site).
COMM=$(password_file community public)
OUT=$("$PLUGIN" -H 127.0.0.1 -p "$SNMP_PORT" -P 2c --community-file="$COMM" -t 10)
RC=$?
expect "check_camcomply: CRITICAL (rc)" 2 "$RC"
expect_match "check_camcomply: status line" \
	'^CAMCOMPLY CRITICAL - 1 restricted camera on a sensitive site' "$(head -n 1 <<<"$OUT")"

stop_pid "$DAEMON_PID"
check "state file written as camcomply" \
	eval "[ \"\$(stat -c %U /var/lib/camcomply/state)\" = camcomply ]"
stop_pid "$AGENTX_SNMPD"

# ---- 6. camcomply.so in snmpd (dlmod) --------------------------------------
# snmpd runs as root here: a password file of root's.
{
	echo "credentials lab admin $SIMPW"
	echo "site lab $NET.0/24 sensitive"
	echo "camera http://$NET.1:$CAM_PORT/onvif/device_service credentials lab"
	echo "timeout 5"
	echo "state-file $T/dlmod.state"
} >"$T/dlmod.conf"
export CAMCOMPLY_CONFIG=$T/dlmod.conf
if start_snmpd snmpd-dlmod "dlmod camcomply $SO" "dontLogTCPWrappersConnects yes"; then
	if wait_until 60 alive_and "$SNMPD_PID" rounds_done && rounds_done; then
		echo "ok - camcomply.so from $SO in snmpd: a round done"
		CHECKS=$((CHECKS + 1))
	else
		cat "$T/snmpd-dlmod.log"
		fail "camcomply.so in snmpd: no round"
	fi
	R=$(snmpwalk -v2c -c public -r1 -t2 -On "127.0.0.1:$SNMP_PORT" "$MIB_ARC.1.2" 2>&1)
	expect_match "dlmod: the camera's row" 'HIKVISION|Hikvision' "$R"
	stop_pid "$SNMPD_PID"
else
	fail "snmpd with dlmod camcomply did not start"
fi
unset CAMCOMPLY_CONFIG

# ---- 7. purge --------------------------------------------------------------
stop_pids
if purge_all; then
	echo "ok - apt-get purge"
	CHECKS=$((CHECKS + 1))
else
	cat "$T/purge.out"
	fail "apt-get purge"
fi
for p in $PKGS; do check "$p gone (dpkg -L)" eval "! dpkg -L $p"; done
for f in /etc/camcomply /var/lib/camcomply /etc/snmp/snmpd.conf.d/camcomply.conf \
	"$SO" "$PLUGIN" "$MIBFILE" /usr/share/camcomply /usr/libexec/camcomply \
	/usr/sbin/camcomplyd /usr/bin/camcomply "$UNIT"; do
	check "gone: $f" test ! -e "$f"
done
check "user camcomply removed" eval '! getent passwd camcomply'
check "group camcomply removed" eval '! getent group camcomply'
finish
