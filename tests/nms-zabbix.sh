#!/bin/bash
# Zabbix 6.0 (Debian's zabbix-server-pgsql and frontend) in the test's temp
# dir: PostgreSQL 15 on a unix socket, zabbix_server in the foreground, the
# API through `php -S`, snmptrapd feeding the SNMP trapper through
# contrib/zabbix/camcomply-trap-zabbix.  tests/nms_zabbix.py imports the
# shipped template and checks discovery, triggers by zone, recovery on a
# waiver, and the camRestrictedDeviceDetected trap item.  Cameras on
# 127.2.22.0/24.
. "$(dirname "$0")/lib.sh"
NET=127.2.22
# PostgreSQL listens on its unix socket only: PGPORT merely names it (in
# $Z/pgsock).  zabbix_server's and the frontend's TCP ports are picked free
# (tests/lib.sh) when they start.
PGPORT=5432
. "$(dirname "$0")/lib-snmp.sh"
NMS_HIK_LATER=1
NMS_EXTRA_CAMS="dahua@$NET.9:$CAM_PORT,user=admin,password-file=$T/pw.site"
. "$(dirname "$0")/nms-lib.sh"
. "$(dirname "$0")/lib-zabbix.sh"
PGBIN=/usr/lib/postgresql/15/bin
ZSQL=/usr/share/zabbix-server-pgsql
command -v zabbix_server >/dev/null && [ -f $ZSQL/schema.sql.gz ] ||
	skip "zabbix_server not installed (Debian package zabbix-server-pgsql)"
[ -f /usr/share/zabbix/api_jsonrpc.php ] ||
	skip "Zabbix frontend not installed (Debian package zabbix-frontend-php)"
command -v php >/dev/null || skip "php not installed (Debian package php-cli)"
php -m 2>/dev/null | grep -qx pgsql || skip "PHP has no pgsql (Debian package php-pgsql)"
[ -x $PGBIN/initdb ] || skip "PostgreSQL 15 not installed (Debian package postgresql)"
[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3"
[ "$(id -u)" = 0 ] || skip "needs root (PostgreSQL and zabbix_server run as their system users)"

Z=$T/zabbix
T0=$(date +%s%N)
chmod 755 "$T"
mkdir -p "$Z/pg" "$Z/pgsock" "$Z/log" "$Z/run" "$Z/tmp" "$Z/snmp" "$Z/traps"
chown postgres:postgres "$Z/pg" "$Z/pgsock"
chown zabbix:zabbix "$Z/run" "$Z/tmp" "$Z/snmp"
chmod 1777 "$Z/log" "$Z/traps"
cd "$Z" || exit 99

# Stop zabbix_server before PostgreSQL (its syncers hang otherwise), and
# PostgreSQL itself, before lib.sh's cleanup.
zabbix_cleanup() {
	[ -n "${PHP_PGID:-}" ] && kill -- "-$PHP_PGID" 2>/dev/null
	if [ -n "${ZBX_PID:-}" ]; then
		kill "$ZBX_PID" 2>/dev/null
		wait "$ZBX_PID" 2>/dev/null
	fi
	[ -f "$Z/pg/postmaster.pid" ] &&
		runuser -u postgres -- $PGBIN/pg_ctl -D "$Z/pg" -m fast -w stop >/dev/null 2>&1
	cd /
	cleanup
}
trap zabbix_cleanup EXIT INT TERM

# 1. PostgreSQL and the Zabbix schema.
zbx_database || exit 1

# 2. snmptrapd -> camcomply-trap-zabbix -> the trapper file.
cat >"$T/snmptrapd.conf" <<EOC
authCommunity log,execute public
traphandle default $top_srcdir/contrib/zabbix/camcomply-trap-zabbix $Z/traps/snmptraps.log
EOC
start_trapd "$T/snmptrapd.conf"

# 3. zabbix_server in the foreground (it drops root for the zabbix user),
#    on a free port (another one if that is taken before it binds it).
zbx_conf() {
	cat >"$Z/zabbix_server.conf" <<EOC
LogType=file
LogFile=$Z/log/zabbix_server.log
LogFileSize=0
PidFile=$Z/run/zabbix_server.pid
SocketDir=$Z/run
TmpDir=$Z/tmp
DBHost=$Z/pgsock
DBPort=$PGPORT
DBName=zabbix
DBUser=zabbix
ListenIP=127.0.0.1
ListenPort=$ZBXPORT
StartPollers=2
StartPollersUnreachable=1
StartTrappers=1
StartPingers=0
StartDiscoverers=0
StartHTTPPollers=0
StartTimers=1
StartEscalators=1
StartAlerters=1
StartPreprocessors=1
StartLLDProcessors=1
StartHistoryPollers=1
StartReportWriters=0
StartODBCPollers=0
StartSNMPTrapper=1
SNMPTrapperFile=$Z/traps/snmptraps.log
CacheUpdateFrequency=1
HousekeepingFrequency=0
Timeout=3
UnavailableDelay=5
UnreachableDelay=5
EOC
}
zbx_up() {
	grep -q 'started \[snmp trapper #1\]' "$Z/log/zabbix_server.log" &&
		grep -q 'started \[poller #1\]' "$Z/log/zabbix_server.log"
}
for try in 1 2 3 4 5; do
	pick_port ZBXPORT || exit 99
	zbx_conf
	rm -f "$Z/log/zabbix_server.log"
	env MIBS= SNMP_PERSISTENT_DIR="$Z/snmp" SNMPCONFPATH="$Z/snmp" \
		zabbix_server -f -c "$Z/zabbix_server.conf" >"$Z/log/zabbix_server.out" 2>&1 &
	ZBX_PID=$!
	wait_until 60 _up_or_gone "$ZBX_PID" zbx_up
	zbx_up && break
	kill "$ZBX_PID" 2>/dev/null
	wait "$ZBX_PID" 2>/dev/null
	ZBX_PID=
	grep -q 'Address already in use' "$Z/log/zabbix_server.log" || break
	echo "# zabbix_server: port $ZBXPORT taken meanwhile, another one"
done
zbx_up || { tail -n 20 "$Z/log/zabbix_server.log" "$Z/log/zabbix_server.out"; fail "zabbix_server did not start"; exit 1; }

# 4. The frontend API: Debian hard-codes /etc/zabbix/zabbix.conf.php, so
#    serve a hard-linked copy with that one file replaced.
zbx_frontend camcomply-test || { fail "cannot relocate the frontend config"; exit 1; }
api_up() {
	curl -sf -H 'Content-Type: application/json-rpc' \
		-d '{"jsonrpc":"2.0","method":"apiinfo.version","params":{},"id":1}' \
		"$API" | grep -q '"result"'
}
# Workers outlive their parent: own process group, killed as a group.  On
# a free port (another one if that is taken before php binds it).
for try in 1 2 3 4 5; do
	pick_port WEBPORT || exit 99
	API=http://127.0.0.1:$WEBPORT/api_jsonrpc.php
	PHP_CLI_SERVER_WORKERS=2 setsid php -d memory_limit=512M -d post_max_size=16M \
		-d max_execution_time=300 -d date.timezone=UTC -S 127.0.0.1:$WEBPORT -t "$Z/web" \
		>"$Z/log/php.log" 2>&1 &
	PHP_PGID=$!
	wait_until 20 _up_or_gone "$PHP_PGID" api_up
	api_up && break
	kill -- "-$PHP_PGID" 2>/dev/null
	wait "$PHP_PGID" 2>/dev/null
	PHP_PGID=
	grep -q 'Address already in use' "$Z/log/php.log" || break
	echo "# php: port $WEBPORT taken meanwhile, another one"
done
api_up || { cat "$Z/log/php.log"; fail "Zabbix API did not come up"; exit 1; }
echo "# Zabbix stack ready in $(ms_since "$T0") ms"

# 5. The agent and its cameras (the restricted one not configured yet).
nms_start
echo "$DAEMON_PID" >"$T/daemon.pid"

# 6. Everything else through the API.
t=$(date +%s%N)
/usr/bin/python3 "$top_srcdir/tests/nms_zabbix.py" "$API" \
	"$top_srcdir/contrib/zabbix/camcomply_template.yaml" "$SNMP_PORT" \
	"$T/camcomplyd.conf" "$T/policy.xml" "$DAEMON_PID" "$NET" "$HIK_SERIAL" \
	"$CAM_PORT" \
	>"$T/zabbix-e2e.out" 2>&1
rc=$?
cat "$T/zabbix-e2e.out"
CHECKS=$((CHECKS + $(grep -c '^ok - ' "$T/zabbix-e2e.out")))
[ "$rc" = 0 ] || { fail "Zabbix end to end (see above)"; tail -n 30 "$Z/log/zabbix_server.log"; }
echo "# Zabbix e2e $(ms_since "$t") ms; whole Zabbix stage $(ms_since "$T0") ms"
finish
