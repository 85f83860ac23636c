#!/bin/bash
# nagios4 in the foreground in the test's temp dir, with the shipped object
# definitions (contrib/nagios/camcomply.cfg), runs check_camcomply on a
# schedule against a real snmpd + camcomplyd + simulated cameras on
# 127.2.21.0/24.  status.dat must show CRITICAL naming the restricted
# camera, then OK once it is waived; camRestrictedDeviceDetected must reach
# the passive trap service through snmptrapd and camcomply-trap-nagios.
# The SNMP secrets come from files owned by the nagios user, as the
# shipped objects want; a community file open to others is refused.
. "$(dirname "$0")/lib.sh"
NET=127.2.21
. "$(dirname "$0")/lib-snmp.sh"
. "$(dirname "$0")/nms-lib.sh"
command -v nagios4 >/dev/null || skip "nagios4 not installed (Debian package nagios4-core)"
[ -x /usr/lib/nagios/plugins/check_dummy ] ||
	skip "check_dummy not installed (Debian package monitoring-plugins-basic)"

N=$T/nagios
mkdir -p "$N/rw" "$N/spool" "$N/bin"
# nagios4 runs as the nagios user, which may not read the checkout (a clone
# under /root is mode 0700): it gets copies of the objects and the plugin.
cp "$top_srcdir/contrib/nagios/camcomply.cfg" "$N/camcomply.cfg"
cp "$CHECK_CAMCOMPLY" "$N/bin/check_camcomply"
if [ "$(id -u)" = 0 ]; then nuser=nagios; else nuser=$(id -un); fi
nms_cfg() {
	cat >"$N/nagios.cfg" <<EOC
log_file=$N/nagios.log
cfg_file=$N/camcomply.cfg
cfg_file=$N/site.cfg
object_cache_file=$N/objects.cache
precached_object_file=$N/objects.precache
resource_file=$N/resource.cfg
status_file=$N/status.dat
status_update_interval=1
nagios_user=$nuser
nagios_group=$(id -gn "$nuser")
check_external_commands=1
command_file=$N/rw/nagios.cmd
query_socket=$N/rw/nagios.qh
lock_file=$N/nagios.lock
temp_file=$N/nagios.tmp
temp_path=$N
check_result_path=$N/spool
check_result_reaper_frequency=1
retain_state_information=0
state_retention_file=$N/retention.dat
use_retained_program_state=0
use_retained_scheduling_info=0
service_inter_check_delay_method=n
host_inter_check_delay_method=n
max_service_check_spread=1
max_host_check_spread=1
interval_length=1
enable_notifications=0
log_rotation_method=n
use_syslog=0
date_format=iso8601
EOC
	cat >"$N/resource.cfg" <<EOC
\$USER1\$=/usr/lib/nagios/plugins
\$USER3\$=$N/bin
EOC
	# The secrets, in files only the nagios user can read.
	mkdir -p "$N/secrets"
	printf 'public\n' >"$N/secrets/community"
	printf 'authpass123\n' >"$N/secrets/authpasswd"
	printf 'privpass123\n' >"$N/secrets/privpasswd"
	chmod 600 "$N/secrets"/*
	printf 'public\n' >"$N/secrets/open-community"
	chmod 644 "$N/secrets/open-community"
	# What a site adds: its timeperiod, contacts and one host per agent;
	# interval_length=1 makes the template's check_interval 5 seconds.
	cat >"$N/site.cfg" <<EOC
define timeperiod {
	timeperiod_name	24x7
	alias		24x7
	sunday		00:00-24:00
	monday		00:00-24:00
	tuesday		00:00-24:00
	wednesday	00:00-24:00
	thursday	00:00-24:00
	friday		00:00-24:00
	saturday	00:00-24:00
}
define contact {
	contact_name			nobody
	host_notifications_enabled	0
	service_notifications_enabled	0
	host_notification_period	24x7
	service_notification_period	24x7
	host_notification_options	n
	service_notification_options	n
	host_notification_commands	camcomply_no_trap
	service_notification_commands	camcomply_no_trap
}
define contactgroup {
	contactgroup_name	admins
	members			nobody
}
define host {
	use			camcomply-agent
	host_name		cam-agent
	address			127.0.0.1
	_SNMP_PORT		$SNMP_PORT
	_SNMP_COMMUNITY_FILE	$N/secrets/community
}
define host {
	use			camcomply-agent
	host_name		cam-agent-v3
	address			127.0.0.1
	hostgroups		camcomply-agents-v3
	_SNMP_PORT		$SNMP_PORT
	_SNMP_USER		ccuser
	_SNMP_AUTHPASSWD_FILE	$N/secrets/authpasswd
	_SNMP_PRIVPASSWD_FILE	$N/secrets/privpasswd
}
define host {
	use			camcomply-agent
	host_name		cam-agent-open-file
	address			127.0.0.1
	_SNMP_PORT		$SNMP_PORT
	_SNMP_COMMUNITY_FILE	$N/secrets/open-community
}
EOC
}
nms_cfg
chmod 755 "$T"
chown -R "$nuser" "$N"
out=$(nagios4 -v "$N/nagios.cfg" 2>&1)
expect "nagios4 -v accepts the shipped definitions (rc)" 0 "$?"
expect_match "nagios4 -v: no errors" 'Total Errors: +0' "$out"

# svc_field HOST SERVICE FIELD: a field of that service's block in status.dat.
svc_field() {
	awk -v h="$1" -v s="$2" -v k="$3" '
	/^servicestatus \{/ { b = 1; hh = ""; ss = ""; v = ""; next }
	b && index($0, "\thost_name=") == 1 { hh = substr($0, 12) }
	b && index($0, "\tservice_description=") == 1 { ss = substr($0, 22) }
	b && index($0, "\t" k "=") == 1 { v = substr($0, length(k) + 3) }
	b && /^\t\}/ { if (hh == h && ss == s) print v; b = 0 }' \
		"$N/status.dat" 2>/dev/null
}
state_is() { [ "$(svc_field "$1" "$2" current_state)" = "$3" ]; }
output_has() { svc_field "$1" "$2" long_plugin_output | grep -q -- "$3"; }

# Traps: snmptrapd -> camcomply-trap-nagios -> the command pipe.
cat >"$T/snmptrapd.conf" <<EOC
authCommunity log,execute public
traphandle $NOTIF.1 $top_srcdir/contrib/nagios/camcomply-trap-nagios -H cam-agent $N/rw/nagios.cmd
EOC
start_trapd "$T/snmptrapd.conf"

t0=$(date +%s%N)
nagios4 "$N/nagios.cfg" >"$N/nagios.out" 2>&1 &
PIDS="$PIDS $!"
wait_until 10 test -p "$N/rw/nagios.cmd" || { cat "$N/nagios.out"; fail "nagios4 did not start"; exit 1; }
nms_start

wait_until 30 state_is cam-agent camera-compliance 2 ||
	fail "no CRITICAL in status.dat"
echo "# CRITICAL in status.dat $(( ($(date +%s%N) - t0) / 1000000 )) ms after nagios4 started"
expect_match "status.dat: status line" '^CAMCOMPLY CRITICAL - 1 restricted camera on a sensitive site' \
	"$(svc_field cam-agent camera-compliance plugin_output)"
expect_match "status.dat: names the camera" "CRITICAL: restricted camera $NET\\.1, site secure \\(sensitive\\), maker hikvision \\(based in CN\\), action remove" \
	"$(svc_field cam-agent camera-compliance long_plugin_output)"
expect_match "status.dat: performance data" 'restricted_sensitive=1;;;0' \
	"$(svc_field cam-agent camera-compliance performance_data)"
wait_until 30 state_is cam-agent-v3 camera-compliance 2 || fail "v3 service not CRITICAL"
wait_until 30 state_is cam-agent-open-file camera-compliance 3 ||
	fail "a community file open to others was not refused (UNKNOWN)"
expect_match "status.dat: the open community file named, with the fix" \
	"^CAMCOMPLY UNKNOWN - --community-file: password file $N/secrets/open-community has mode 0644.*chmod 600" \
	"$(svc_field cam-agent-open-file camera-compliance plugin_output)"
wait_until 10 state_is cam-agent camera-compliance-traps 2 ||
	fail "trap did not reach the passive service"
# Named without the MIB: its URL, manufacturer and model, its address as text.
expect_match "trap -> passive result names the camera" "^CAMCOMPLY CRITICAL - restricted camera http://$NET\\.1(:[0-9]+)?/onvif/device_service \\(HIKVISION [^)]+\\) detected on site secure \\(sensitive\\): maker hikvision \\(based in CN\\), address $NET\\.1, serial " \
	"$(svc_field cam-agent camera-compliance-traps plugin_output)"

t0=$(date +%s%N)
waive_hik
wait_until 30 state_is cam-agent camera-compliance 0 ||
	fail "not OK in status.dat after the waiver"
echo "# OK in status.dat $(( ($(date +%s%N) - t0) / 1000000 )) ms after the waiver"
expect_match "status.dat after the waiver: OK" '^CAMCOMPLY OK - 2 cameras, none offending' \
	"$(svc_field cam-agent camera-compliance plugin_output)"
wait_until 30 state_is cam-agent-v3 camera-compliance 0 || fail "v3 service not OK after the waiver"
expect_match "nagios.log has the alert" 'SERVICE ALERT: cam-agent;camera-compliance;CRITICAL;HARD' "$(cat "$N/nagios.log")"
finish
