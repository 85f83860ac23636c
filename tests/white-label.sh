#!/bin/bash
# A white label under the daemon's default 'probe auto' (issues 14, 16): a
# camera whose ONVIF names a shop brand ("General") that the policy cannot
# attribute, with Xiongmai's firmware shape and web server inside.  ONVIF
# named it, so 'auto' would not have asked the collectors; because the
# policy leaves it unidentified, camcomplyd polls it once more with them
# within the same round: restricted, maker xiongmai, based in CN, seen by
# ONVIF and HTTP, one camRestrictedDeviceDetected.  With 'probe none' the
# same camera stays unidentified and no web request reaches it.
. "$(dirname "$0")/lib.sh"
NET=${NET:-127.2.119}
. "$(dirname "$0")/lib-snmp.sh"

P=xiongmai-label
PW=$(password_file cam "$(profile_value $P password)")
start_sim "$P@$NET.1:$CAM_PORT,user=$(profile_value $P user),password-file=$PW,capture=$T/cap"

# config MODE: camcomplyd.conf with 'probe MODE'.
config() {
	cat >"$T/camcomplyd.conf" <<EOC
credentials site $(profile_value $P user) $PW
site lab $NET.0/24 general
camera $NET.1:$CAM_PORT credentials site http-port $CAM_PORT
policy $top_srcdir/data/policy.xml
state-file $T/state.$1
poll-interval 300
timeout 10
probe $1
EOC
}
# web_requests: requests in the capture that are not ONVIF's.
web_requests() { grep -ac '^GET \|^HEAD ' "$T/cap" || true; }

config none
start_stack "$T/camcomplyd.conf"
wait_until 30 rounds_at_least 1 || { cat "$T/daemon.log"; fail "no first round"; exit 1; }
i=$(index_of "http://$NET.1:$CAM_PORT/onvif/device_service")
expect_match "probe none: a row" '^[0-9]+$' "$i"
expect "probe none: ONVIF answered (ok)" 1 "$(column 21 "$i")"
expect "probe none: unidentified(3)" 3 "$(column 15 "$i")"
expect "probe none: no web request reached the camera" 0 "$(web_requests)"
stop_daemon

config auto
start_daemon "$T/camcomplyd.conf" >>"$T/daemon.out" 2>&1
wait_until 10 sget_ok $SUMMARY.4.0 || fail "the module did not register again"
wait_until 30 rounds_at_least 1 || fail "no round with probe auto"
i=$(index_of "http://$NET.1:$CAM_PORT/onvif/device_service")
# Polls of the round, counted now and again after the checks below: a
# white label is probed once, not in a loop.
n=$(grep -ac 'GetDeviceInformation' "$T/cap")
expect "probe auto: restricted(2) within the first round" 2 "$(column 15 "$i")"
expect "probe auto: maker" '"xiongmai"' "$(column 16 "$i")"
expect "probe auto: based in" '"CN"' "$(column 34 "$i")"
expect_match "probe auto: the reason says what the web server told" 'uc-httpd|web server|http' \
	"$(column 18 "$i")"
expect_match "probe auto: the web server was asked" '^[1-9]' "$(web_requests)"
wait_until 10 traps_at_least 1 1 || fail "no camRestrictedDeviceDetected"
expect "one camRestrictedDeviceDetected" 1 "$(trap_count 1)"
expect "no further polls of the white label" "$n" "$(grep -ac 'GetDeviceInformation' "$T/cap")"
grep -aq "$(profile_value $P password)" "$T/cap" && fail "the password reached the camera in clear"
finish
