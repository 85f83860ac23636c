#!/bin/bash
# Many sites (issue 15): one Zabbix 6.0 server, two sites each behind its
# own active Zabbix proxy.  Every host is a network namespace this test
# makes (tests/lib-netns.sh) on one bridge, 10.241.0.0/24:
#   hq     10.241.0.1   PostgreSQL (unix socket only), zabbix_server
#                       (port 10051), the frontend API (php -S on hq's
#                       own loopback)
#   north  10.241.0.11  cameras 10.241.11.x, snmpd (AgentX master),
#   south  10.241.0.12  camcomplyd, snmptrapd + camcomply-trap-zabbix,
#                       zabbix_proxy (sqlite3, StartSNMPTrapper=1); cameras
#                       10.241.12.x on south
# A site's snmpd, snmptrapd and cameras listen on that site's own loopback
# and lo addresses only: nothing but the proxy's connection to hq:10051
# leaves a site.  The server cannot reach a site's snmpd and runs no SNMP
# trapper (StartSNMPTrapper=0), so whatever it learns about a site's
# cameras came through that site's proxy.  tests/nms_zabbix_proxy.py
# registers the proxies, imports the shipped template, makes one host per
# site monitored by its proxy, adds each site's restricted camera and
# checks LLD, the restricted-camera triggers and the trap items per site.
#
# zabbix-proxy-sqlite3 conflicts with zabbix-server-pgsql (one of them per
# machine, as Debian packages them): the proxy comes from the package's
# files unpacked by scripts/deps.sh into /opt/zabbix-proxy-sqlite3 (or an
# installed zabbix_proxy, or $ZABBIX_PROXY).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-netns.sh"
PGBIN=/usr/lib/postgresql/15/bin
ZSQL=/usr/share/zabbix-server-pgsql
ZPROXY_ROOT=/opt/zabbix-proxy-sqlite3
if [ -z "${ZABBIX_PROXY:-}" ]; then
	if [ -x $ZPROXY_ROOT/usr/sbin/zabbix_proxy ]; then
		ZABBIX_PROXY=$ZPROXY_ROOT/usr/sbin/zabbix_proxy
	else
		ZABBIX_PROXY=$(command -v zabbix_proxy) || ZABBIX_PROXY=
	fi
fi
ZPSCHEMA=
for f in $ZPROXY_ROOT/usr/share/zabbix-proxy-sqlite3/schema.sql.gz \
	/usr/share/zabbix-proxy-sqlite3/schema.sql.gz; do
	[ -f "$f" ] && { ZPSCHEMA=$f; break; }
done
[ -n "$ZABBIX_PROXY" ] && [ -n "$ZPSCHEMA" ] ||
	skip "zabbix_proxy not found (scripts/deps.sh unpacks zabbix-proxy-sqlite3 into $ZPROXY_ROOT)"
command -v sqlite3 >/dev/null || skip "sqlite3 not installed (Debian package sqlite3)"
command -v zabbix_server >/dev/null && [ -f $ZSQL/schema.sql.gz ] ||
	skip "zabbix_server not installed (Debian package zabbix-server-pgsql)"
[ -f /usr/share/zabbix/api_jsonrpc.php ] ||
	skip "Zabbix frontend not installed (Debian package zabbix-frontend-php)"
command -v php >/dev/null || skip "php not installed (Debian package php-cli)"
php -m 2>/dev/null | grep -qx pgsql || skip "PHP has no pgsql (Debian package php-pgsql)"
[ -x $PGBIN/initdb ] || skip "PostgreSQL 15 not installed (Debian package postgresql)"
[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3"
[ "$(id -u)" = 0 ] || skip "needs root (namespaces; PostgreSQL and Zabbix run as their system users)"
netns_init zbxp
. "$(dirname "$0")/lib-snmp.sh"
. "$(dirname "$0")/lib-zabbix.sh"

WAN=10.241.0
HQ=$WAN.1
ZBXPORT=10051 # hq's own namespace: nothing else listens there
WEBPORT=8080
PGPORT=5432   # names the unix socket only
T0=$(date +%s%N)

netns_switch
netns_host hq $WAN 1
netns_host north $WAN 11
netns_host south $WAN 12
HQ_RUN="ip netns exec $NETNS_HQ"

# Everything the zabbix and postgres users read or write is in $T.
chmod 755 "$T"
Z=$T/hq
mkdir -p "$Z/pg" "$Z/pgsock" "$Z/log" "$Z/run" "$Z/tmp" "$Z/snmp"
chown postgres:postgres "$Z/pg" "$Z/pgsock"
chown zabbix:zabbix "$Z/run" "$Z/tmp" "$Z/snmp"
chmod 1777 "$Z/log"
cd "$T" || exit 99

# Stop the proxies and zabbix_server before PostgreSQL (the syncers hang
# otherwise), then the sites' daemons and the namespaces (lib-netns.sh),
# then lib.sh's cleanup.
PROXY_PIDS=
proxy_cleanup() {
	local p
	[ -n "${PHP_PGID:-}" ] && kill -- "-$PHP_PGID" 2>/dev/null
	for p in $PROXY_PIDS ${ZBX_PID:-}; do kill "$p" 2>/dev/null; done
	for p in $PROXY_PIDS ${ZBX_PID:-}; do wait "$p" 2>/dev/null; done
	[ -f "$Z/pg/postmaster.pid" ] &&
		runuser -u postgres -- $PGBIN/pg_ctl -D "$Z/pg" -m fast -w stop >/dev/null 2>&1
	cd /
	_netns_on_exit
}
trap proxy_cleanup EXIT

netns_exec north ping -c1 -W2 $HQ >/dev/null &&
	netns_exec south ping -c1 -W2 $HQ >/dev/null ||
	{ fail "the sites do not reach hq"; exit 1; }

# ---- hq: PostgreSQL, schema, zabbix_server, API -------------------------------
zbx_database $HQ_RUN || exit 1

# The server polls nothing itself and reads no trap file: every value of a
# site comes from its proxy.  Proxy-related frequencies are the active
# proxies' own (zabbix_proxy.conf below).
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
ListenPort=$ZBXPORT
StartPollers=1
StartPollersUnreachable=1
StartTrappers=2
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
StartSNMPTrapper=0
CacheUpdateFrequency=1
HousekeepingFrequency=0
Timeout=3
EOC
zbx_up() { grep -q 'started \[trapper #1\]' "$Z/log/zabbix_server.log"; }
$HQ_RUN env MIBS= SNMP_PERSISTENT_DIR="$Z/snmp" SNMPCONFPATH="$Z/snmp" \
	zabbix_server -f -c "$Z/zabbix_server.conf" >"$Z/log/zabbix_server.out" 2>&1 &
ZBX_PID=$!
wait_until 60 _up_or_gone "$ZBX_PID" zbx_up
zbx_up || { tail -n 20 "$Z/log/zabbix_server.log" "$Z/log/zabbix_server.out"; fail "zabbix_server did not start"; exit 1; }

# The frontend API (Debian hard-codes /etc/zabbix/zabbix.conf.php: serve a
# hard-linked copy with that one file replaced), on hq's loopback.
zbx_frontend camcomply-hq || { fail "cannot relocate the frontend config"; exit 1; }
API=http://127.0.0.1:$WEBPORT/api_jsonrpc.php
api_up() {
	$HQ_RUN curl -sf -H 'Content-Type: application/json-rpc' \
		-d '{"jsonrpc":"2.0","method":"apiinfo.version","params":{},"id":1}' \
		"$API" | grep -q '"result"'
}
# Workers outlive their parent: own process group, killed as a group.
PHP_CLI_SERVER_WORKERS=2 $HQ_RUN setsid php -d memory_limit=512M -d post_max_size=16M \
	-d max_execution_time=300 -d date.timezone=UTC -S 127.0.0.1:$WEBPORT -t "$Z/web" \
	>"$Z/log/php.log" 2>&1 &
PHP_PGID=$!
wait_until 20 _up_or_gone "$PHP_PGID" api_up
api_up || { cat "$Z/log/php.log"; fail "Zabbix API did not come up"; exit 1; }
echo "# hq ready in $(ms_since "$T0") ms"

# ---- a site: cameras, snmpd, camcomplyd, snmptrapd, zabbix_proxy ---------------
# start_site NAME CAMNET RESTRICTED_PROFILE@HOST COMPLIANT_PROFILE@HOST
# The restricted camera (CAMNET.HOST on the site's sensitive /29) is in
# camcomplyd's configuration only as a comment until the driver adds it;
# the compliant one sits on the general /29 (CAMNET.8-15).
SITES_JSON=
start_site() {
	local name=$1 net=$2 rprof=${3%@*} rhost=${3#*@} cprof=${4%@*} chost=${4#*@}
	local ns S pw run h pid dpid
	ns=$(netns_name "$name")
	run="ip netns exec $ns"
	S=$T/$name
	mkdir -p "$S/persist" "$S/conf" "$S/zbx/run" "$S/zbx/tmp" "$S/zbx/snmp" "$S/traps"
	chown -R zabbix:zabbix "$S/zbx"
	chmod 1777 "$S/traps"
	: >"$S/conf/snmp.conf"
	for h in "$rhost" "$chost"; do
		ip -n "$ns" addr add "$net.$h/32" dev lo || { fail "$name: address $net.$h"; exit 1; }
	done
	pw=$S/pw.site
	printf 'site-pass-%s\n' "$name" >"$pw"
	chmod 600 "$pw"

	$run "$CAMSIM" -d "$PROFILES" -r "$S/sim.ready" -l "$S/sim.log" \
		"$rprof@$net.$rhost:80,user=admin,password-file=$pw" \
		"$cprof@$net.$chost:80,user=admin,password-file=$pw" \
		>"$S/sim.out" 2>&1 &
	pid=$!
	PIDS="$PIDS $pid"
	_wait_ready "$S/sim.ready" "$pid" 10 || { cat "$S/sim.out"; fail "$name: camsim"; exit 1; }

	# snmptrapd -> camcomply-trap-zabbix -> this site's proxy's trap file.
	cat >"$S/snmptrapd.conf" <<EOC
authCommunity log,execute public
traphandle default $top_srcdir/contrib/zabbix/camcomply-trap-zabbix $S/traps/snmptraps.log
EOC
	: >"$S/traps.log"
	$run env SNMP_PERSISTENT_DIR="$S/persist" SNMPCONFPATH="$S/conf" MIBS= \
		snmptrapd -f -C -c "$S/snmptrapd.conf" -On -Lf "$S/traps.log" \
		udp:127.0.0.1:162 >"$S/snmptrapd.out" 2>&1 &
	pid=$!
	PIDS="$PIDS $pid"
	wait_until 10 _up_or_gone "$pid" grep -q 'NET-SNMP version' "$S/traps.log"
	grep -q 'NET-SNMP version' "$S/traps.log" || { cat "$S/snmptrapd.out"; fail "$name: snmptrapd"; exit 1; }

	cat >"$S/snmpd.conf" <<EOC
master agentx
agentXSocket unix:$S/agentx.sock
agentXPerms 0600 0700
agentXTimeout 1
agentXRetries 0
rocommunity public 127.0.0.1
trap2sink 127.0.0.1:162 public
EOC
	: >"$S/snmpd.log"
	$run env SNMP_PERSISTENT_DIR="$S/persist" SNMPCONFPATH="$S/conf" MIBS= \
		snmpd -f -Lo -C -c "$S/snmpd.conf" -I -smux -p "$S/snmpd.pid" \
		udp:127.0.0.1:161 >>"$S/snmpd.log" 2>&1 &
	pid=$!
	PIDS="$PIDS $pid"
	wait_until 10 _up_or_gone "$pid" grep -q '^NET-SNMP version' "$S/snmpd.log"
	grep -q '^NET-SNMP version' "$S/snmpd.log" || { cat "$S/snmpd.log"; fail "$name: snmpd"; exit 1; }

	cp "$top_srcdir/data/policy.xml" "$top_srcdir/data/policy.xsd" "$S/"
	cat >"$S/camcomplyd.conf" <<EOC
credentials site admin $pw
site $name-secure $net.0/29 sensitive
site $name-office $net.8/29 general
# camera $net.$rhost:80 credentials site
camera $net.$chost:80 credentials site
policy $S/policy.xml
state-file $S/state
poll-interval 300
timeout 3
EOC
	$run env SNMP_PERSISTENT_DIR="$S/persist" SNMPCONFPATH="$S/conf" MIBS= \
		"$CAMCOMPLYD" -f -Lf "$S/daemon.log" -x "unix:$S/agentx.sock" \
		-c "$S/camcomplyd.conf" &
	dpid=$!
	PIDS="$PIDS $dpid"
	wait_until 20 site_rounds "$run" 1 ||
		{ cat "$S/daemon.log"; fail "$name: camcomplyd: no first poll round"; exit 1; }

	# The proxy: active (it connects to hq; nothing connects into the site).
	sqlite3 "$S/zbx/proxy.db" < <(zcat "$ZPSCHEMA") || { fail "$name: proxy schema"; exit 1; }
	chown zabbix:zabbix "$S/zbx/proxy.db"
	cat >"$S/zbx/zabbix_proxy.conf" <<EOC
ProxyMode=0
Server=$HQ:$ZBXPORT
Hostname=proxy-$name
ListenIP=127.0.0.1
LogType=file
LogFile=$S/zbx/zabbix_proxy.log
LogFileSize=0
PidFile=$S/zbx/run/zabbix_proxy.pid
SocketDir=$S/zbx/run
TmpDir=$S/zbx/tmp
DBName=$S/zbx/proxy.db
ConfigFrequency=2
DataSenderFrequency=1
HeartbeatFrequency=1
StartPollers=1
StartPollersUnreachable=1
StartPreprocessors=1
StartHistoryPollers=1
StartTrappers=1
StartPingers=0
StartDiscoverers=0
StartHTTPPollers=0
StartSNMPTrapper=1
SNMPTrapperFile=$S/traps/snmptraps.log
HousekeepingFrequency=0
Timeout=3
UnavailableDelay=5
UnreachableDelay=5
EOC
	$run env MIBS= SNMP_PERSISTENT_DIR="$S/zbx/snmp" SNMPCONFPATH="$S/zbx/snmp" \
		"$ZABBIX_PROXY" -f -c "$S/zbx/zabbix_proxy.conf" >"$S/zbx/zabbix_proxy.out" 2>&1 &
	pid=$!
	PROXY_PIDS="$PROXY_PIDS $pid"
	wait_until 30 _up_or_gone "$pid" grep -q 'started \[snmp trapper #1\]' "$S/zbx/zabbix_proxy.log"
	grep -q 'started \[snmp trapper #1\]' "$S/zbx/zabbix_proxy.log" ||
		{ tail -n 20 "$S/zbx/zabbix_proxy.log" "$S/zbx/zabbix_proxy.out"; fail "$name: zabbix_proxy"; exit 1; }

	SITES_JSON="$SITES_JSON${SITES_JSON:+,}{\"name\":\"$name\",\"net\":\"$net\",\"restricted\":\"$net.$rhost\",\"compliant\":\"$net.$chost\",\"conf\":\"$S/camcomplyd.conf\",\"pid\":$dpid,\"serial\":\"$(profile_value "$rprof" serial)\",\"trapfile\":\"$S/traps/snmptraps.log\"}"
	echo "# site $name ready ($(ms_since "$T0") ms)"
}
# site_rounds "ip netns exec NS" N: that site's camcomplyd has done N rounds.
site_rounds() {
	local r
	r=$($1 snmpget -v2c -c public -r0 -t2 -On -Oqv 127.0.0.1:161 $SUMMARY.13.0 2>/dev/null)
	case "$r" in '' | *[!0-9]*) return 1 ;; esac
	[ "$r" -ge "$2" ]
}

start_site north 10.241.11 hikvision-wsse@1 axis@9
start_site south 10.241.12 dahua@2 hanwha@10

# Nothing of a site answers from hq: SNMP only inside the site.
CHECKS=$((CHECKS + 1))
if $HQ_RUN snmpget -v2c -c public -r0 -t1 -On $WAN.11:161 $SUMMARY.13.0 >/dev/null 2>&1; then
	fail "north's snmpd answers from hq"
else
	echo "ok - hq cannot poll a site's snmpd: only the proxy does"
fi

t=$(date +%s%N)
$HQ_RUN /usr/bin/python3 "$top_srcdir/tests/nms_zabbix_proxy.py" "$API" \
	"$top_srcdir/contrib/zabbix/camcomply_template.yaml" "[$SITES_JSON]" \
	>"$T/zabbix-e2e.out" 2>&1
rc=$?
cat "$T/zabbix-e2e.out"
CHECKS=$((CHECKS + $(grep -c '^ok - ' "$T/zabbix-e2e.out")))
if [ "$rc" != 0 ]; then
	fail "Zabbix through proxies end to end (see above)"
	tail -n 30 "$Z/log/zabbix_server.log" "$T"/*/zbx/zabbix_proxy.log
fi
echo "# e2e $(ms_since "$t") ms; whole test $(ms_since "$T0") ms"
finish
