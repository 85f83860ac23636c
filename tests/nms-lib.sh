# tests/nms-lib.sh: the camera estate the NMS tests monitor.  Sourced after
# tests/lib.sh and tests/lib-snmp.sh, with NET (a loopback /24 prefix such
# as 127.2.20) set.  A restricted camera on a sensitive site ($NET.1), a
# compliant one beside it ($NET.2), and any extra camsim SPECs given in
# NMS_EXTRA_CAMS (PROFILE@ADDR:$CAM_PORT,..., each configured with the
# site's credentials); a working copy of the policy that waive_hik edits.

CHECK_CAMCOMPLY=$top_builddir/check_camcomply
[ -x "$CHECK_CAMCOMPLY" ] || { echo "ERROR: check_camcomply not built"; exit 99; }
NMS_PW=$(password_file site site-pass)
HIK_SERIAL=$(profile_value hikvision-wsse serial)
NMS_CAMS=2

nms_cameras() {
	# shellcheck disable=SC2086
	start_sim "hikvision-wsse@$NET.1:$CAM_PORT,user=admin,password-file=$NMS_PW" \
		"axis@$NET.2:$CAM_PORT,user=admin,password-file=$NMS_PW" \
		${NMS_EXTRA_CAMS:-}
}

# nms_start: cameras, snmpd (sinking traps to TRAP_PORT; the caller
# starts the receiver first), camcomplyd, and wait for its first round.
# With NMS_HIK_LATER=1 the restricted camera is left out of the
# configuration until HIK_LINE is appended to it.
nms_start() {
	local hik spec extra=
	copy_policy "$T"
	nms_cameras
	# CAM_PORT is the cameras' from here on (lib.sh: start_sim).
	HIK_LINE="camera $NET.1:$CAM_PORT credentials site"
	hik=$HIK_LINE
	[ -z "${NMS_HIK_LATER:-}" ] || hik="# $HIK_LINE: added later"
	for spec in ${NMS_EXTRA_CAMS:-}; do
		spec=${spec#*@}
		extra="${extra}camera ${spec%%:*}:$CAM_PORT credentials site
"
	done
	cat >"$T/camcomplyd.conf" <<EOC
credentials site admin $NMS_PW
site secure $NET.0/29 sensitive
site office $NET.8/29 general
$hik
camera $NET.2:$CAM_PORT credentials site
${extra}policy $T/policy.xml
state-file $T/state
poll-interval 300
timeout 3
EOC
	start_snmpd
	start_daemon "$T/camcomplyd.conf"
	wait_until 20 rounds_at_least 1 ||
		{ fail "camcomplyd: no first poll round"; exit 1; }
	HIK=$(index_of "http://$NET.1:$CAM_PORT/onvif/device_service")
}

# hik_action_is N: the restricted camera's camDeviceAction is N.
hik_action_is() { [ "$(column 19 "$HIK")" = "$1" ]; }

# waive_hik: a waiver for the restricted camera's serial, as an operator
# would write it into the policy, then SIGHUP and wait for the re-poll.
waive_hik() {
	sed -i "s|<waivers/>|<waivers><waiver serial=\"$HIK_SERIAL\" expires=\"2099-12-31\" reference=\"NMS-TEST-1\"/></waivers>|" \
		"$T/policy.xml"
	kill -HUP "$DAEMON_PID"
	wait_until 20 hik_action_is 1 || fail "waiver not applied after SIGHUP"
}

# unwaive_hik: take the waiver back out.
unwaive_hik() {
	sed -i 's|<waivers>.*</waivers>|<waivers/>|' "$T/policy.xml"
	kill -HUP "$DAEMON_PID"
	wait_until 20 hik_action_is 4 || fail "waiver not withdrawn after SIGHUP"
}
