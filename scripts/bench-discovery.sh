#!/bin/bash
# Benchmark: WS-Discovery on test hosts of our own (network namespaces).
#  1. 240 simulated cameras on one bridge: time from camcomplyd's start to
#     all 240 rows (one multicast probe round), and to their first poll;
#  2. a Hello: time from a new camera's start to its restricted trap;
#  3. a flood of 40,000 spoofed Hellos from four hosts at once: how many
#     were read, rate-limited and dropped, and snmpget latency meanwhile.
# Root only; every address lives in namespaces this script creates.
# Usage: bench-discovery.sh BUILD-DIR
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
top_srcdir=$top top_builddir=$build
export top_srcdir top_builddir
. "$top/tests/lib.sh"
SNMP_PORT=12911 TRAP_PORT=12912
. "$top/tests/lib-netns.sh"
netns_init wsdb
. "$top/tests/lib-snmp.sh"
WSDSEND=$build/tests/sim/wsdsend
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

NET=10.233.0
netns_switch
netns_host nms $NET 2
netns_host cams $NET 10 239
for i in 1 2 3 4; do netns_host "evil$i" $NET $((250 + i)); done
NS_RUN="ip netns exec $NETNS_NMS"
PW=$(password_file audit audit-pass)

profiles=(hikvision-wsse dahua axis hanwha uniview cpplus generic ezviz)
specs=()
for h in $(seq 10 249); do
	p=${profiles[$((h % ${#profiles[@]}))]}
	specs+=("$p@$NET.$h:80,user=audit,password-file=$PW")
done
ip netns exec "$NETNS_CAMS" "$CAMSIM" -w -d "$PROFILES" -r "$T/ready" \
	-l "$T/sim.log" "${specs[@]}" >>"$T/sim.out" 2>&1 &
wait_for_file "$T/ready" 20 || { cat "$T/sim.out"; exit 1; }

cat >"$T/c.conf" <<EOC
site lab $NET.0/24 sensitive
credentials audit audit $PW
discover multicast all
discover-credentials audit
poll-interval 600
timeout 5
state-file $T/state
policy $top/data/policy.xml
EOC
t0=$(date +%s%N)
start_stack "$T/c.conf"
at_least() { [ "$(sget "$1")" -ge "$2" ] 2>/dev/null; }
wait_until 30 at_least $DISC.10.0 240 || echo "bench-discovery: only $(sget $DISC.10.0) of 240 found"
found=$(ms "$t0")
# Every discovered camera is polled as soon as it is found.
pending() { swalk $ENTRY.21 | awk '$2 == 11' | wc -l; }
all_polled() { [ "$(pending)" = 0 ]; }
wait_until 120 all_polled
polled=$(ms "$t0")
echo "bench-discovery: 240 cameras: all rows $found ms after snmpd and camcomplyd were started, all polled at $polled ms" \
	"($(swalk $ENTRY.21 | awk '$2 == 1' | wc -l) ok)"

ip -n "$NETNS_CAMS" addr add $NET.250/24 dev eth0
before=$(trap_count 1)
t0=$(date +%s%N)
ip netns exec "$NETNS_CAMS" "$CAMSIM" -w -d "$PROFILES" -r "$T/ready.late" \
	-l "$T/sim.log" "hikvision-wsse@$NET.250:80,user=audit,password-file=$PW" \
	>>"$T/sim.out" 2>&1 &
wait_until 10 traps_at_least 1 $((before + 1))
echo "bench-discovery: Hello to camRestrictedDeviceDetected at snmptrapd: $(ms "$t0") ms"

# Spoofed Hellos (their XAddr is another host), each with a fresh UUID.
cat >"$T/spoof.xml" <<EOX
<?xml version="1.0" encoding="UTF-8"?>
<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><e:Header><a:MessageID>urn:uuid:@UUID@</a:MessageID><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Hello</a:Action></e:Header><e:Body><d:Hello><a:EndpointReference><a:Address>urn:uuid:@UUID@</a:Address></a:EndpointReference><d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>onvif://www.onvif.org/name/HIKVISION%20DS-2CD2143G2-I</d:Scopes><d:XAddrs>http://$NET.11/onvif/device_service</d:XAddrs></d:Hello></e:Body></e:Envelope>
EOX
c() { sget $DISC.$1.0; }
got0=$(c 1) lim0=$(c 6) spf0=$(c 4)
t0=$(date +%s%N)
for i in 1 2 3 4; do
	ns=$(netns_name "evil$i")
	ip netns exec "$ns" "$WSDSEND" -u -n 10000 -i $NET.$((250 + i)) \
		239.255.255.250 "$T/spoof.xml" &
	FLOODS="${FLOODS:-} $!"
done
sum=0 worst=0 n=0
while kill -0 $FLOODS 2>/dev/null; do
	s=$(date +%s%N)
	sget $SUMMARY.4.0 >/dev/null
	us=$(( ($(date +%s%N) - s) / 1000 ))
	sum=$((sum + us)) n=$((n + 1))
	[ $us -gt $worst ] && worst=$us
done
wait $FLOODS
sent_ms=$(ms "$t0")
sleep 1
echo "bench-discovery: flood of 40000 spoofed Hellos from 4 hosts in $sent_ms ms:" \
	"$(( $(c 1) - got0 )) read, $(( $(c 6) - lim0 )) rate-limited, $(( $(c 4) - spf0 )) dropped as spoofed" \
	"(the rest lost in socket buffers); rows $(sget $SUMMARY.4.0)"
[ $n -gt 0 ] && echo "bench-discovery: snmpget during the flood: $n samples," \
	"$((sum / n / 1000)).$(( (sum / n) % 1000 / 100 )) ms mean, $((worst / 1000)) ms worst"
FAILS=0
