#!/bin/bash
# WS-Discovery is unauthenticated: what a hostile host on the camera LAN
# can send must change nothing and be counted.  Two real simulated cameras,
# an attacker host inside the site range and an outsider beyond it, all
# test namespaces on one bridge.  Spoofed Hellos and ProbeMatches, a Bye in
# a camera's name, a foreign Probe, malformed, oversized and flood
# datagrams: the table, the verdicts and the traps stay as they were, the
# agent keeps answering, and the camDiscovery counters say what was dropped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-netns.sh"
netns_init wsdh
. "$(dirname "$0")/lib-snmp.sh"
WSDSEND=$top_builddir/tests/sim/wsdsend
[ -x "$WSDSEND" ] || { echo "ERROR: wsdsend not built"; exit 99; }

NET=${NET:-10.231.3}
netns_switch
netns_host nms $NET 2
netns_host cams $NET 10 1
netns_host evil $NET 66
netns_host outsider $NET 200
NS_RUN="ip netns exec $NETNS_NMS"

netns_audit_cams "$NETNS_CAMS" "hikvision-wsse@$NET.10:80" "axis@$NET.11:80"

# The site covers .0-.127: the outsider at .200 is on the link but not in it.
disc_conf "$NET.0/25" "credentials audit audit $PW" "discover multicast all" \
	"discover-credentials audit"
start_stack "$T/camcomplyd.conf"
wait_until 15 polled_at_least 2
expect "the two cameras" 2 "$(sget $SUMMARY.4.0)"
wait_until 5 traps_at_least 1 1 # the notification leaves after the poll
expect "one restricted trap" 1 "$(trap_count 1)"
hik=$(index_of "http://$NET.10:80/onvif/device_service")
hik_ep=$(column 5 "$hik")
expect_match "the Hikvision's endpoint" '^"urn:uuid:' "$hik_ep"
hik_ep=${hik_ep//\"/}

# send FROM-NS FROM-ADDR FILE [wsdsend options]: multicast it on the LAN.
send() {
	local ns=$1 addr=$2 file=$3
	shift 3
	ip netns exec "$ns" "$WSDSEND" -i "$addr" "$@" 239.255.255.250 "$file" ||
		fail "wsdsend $file"
}
# step NAME COUNTER-NUMBER INCREMENT FROM-NS FROM-ADDR FILE: send, and the
# counter must rise by INCREMENT.
step() {
	local before
	before=$(counter "$2")
	send "$4" "$5" "$6"
	wait_until 5 counter_at_least "$2" $((before + $3))
	expect "$1: counted" $((before + $3)) "$(counter "$2")"
}

hello() { # hello FILE ACTION XADDR-HOST [RELATES-TO]
	cat >"$1" <<EOX
<?xml version="1.0" encoding="UTF-8"?>
<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><e:Header><a:MessageID>urn:uuid:@UUID@</a:MessageID>${4:+<a:RelatesTo>$4</a:RelatesTo>}<a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/$2</a:Action><d:AppSequence InstanceId="1" MessageNumber="1"/></e:Header><e:Body>$( [ "$2" = ProbeMatches ] && echo '<d:ProbeMatches><d:ProbeMatch>' || echo "<d:$2>")<a:EndpointReference><a:Address>urn:uuid:@UUID@</a:Address></a:EndpointReference><d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>onvif://www.onvif.org/name/HIKVISION%20DS-2CD2143G2-I</d:Scopes><d:XAddrs>http://$3/onvif/device_service</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion>$( [ "$2" = ProbeMatches ] && echo '</d:ProbeMatch></d:ProbeMatches>' || echo "</d:$2>")</e:Body></e:Envelope>
EOX
}

hello "$T/spoof.xml" Hello $NET.11
hello "$T/outside.xml" Hello $NET.200
hello "$T/unsolicited.xml" ProbeMatches $NET.66 urn:uuid:0b5e55ed-0000-4000-8000-000000000000
sed "s|urn:uuid:@UUID@</a:Address>|$hik_ep</a:Address>|; s|Hello|Bye|g" \
	"$T/spoof.xml" >"$T/bye.xml"
sed 's|Hello|Probe|g; s|<d:Scopes>.*</d:XAddrs>||' "$T/spoof.xml" >"$T/probe.xml"
printf 'not XML at all \001\002\377' >"$T/garbage"
head -c 300 "$T/spoof.xml" >"$T/truncated.xml"
cat >"$T/bomb.xml" <<'EOX'
<?xml version="1.0"?><!DOCTYPE e [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body>&d;&d;&d;&d;</e:Body></e:Envelope>
EOX
{ cat "$T/spoof.xml"; head -c 20000 /dev/zero | tr '\0' ' '; } >"$T/big.xml"

step "Hello claiming another host's address" 4 1 "$NETNS_EVIL" $NET.66 "$T/spoof.xml"
step "Hello from outside every range" 5 1 "$NETNS_OUTSIDER" $NET.200 "$T/outside.xml"
step "ProbeMatches answering no Probe of ours" 4 1 "$NETNS_EVIL" $NET.66 "$T/unsolicited.xml"
step "Bye in the Hikvision's name" 4 1 "$NETNS_EVIL" $NET.66 "$T/bye.xml"
expect "... the Hikvision still ok(1)" 1 "$(column 21 "$hik")"
step "garbage" 2 1 "$NETNS_EVIL" $NET.66 "$T/garbage"
step "truncated XML" 2 1 "$NETNS_EVIL" $NET.66 "$T/truncated.xml"
step "entity bomb" 2 1 "$NETNS_EVIL" $NET.66 "$T/bomb.xml"
step "20 KB datagram" 3 1 "$NETNS_EVIL" $NET.66 "$T/big.xml"

# Someone else's Probe: the cameras answer it, camcomplyd never does.
before=$(counter 7)
replies=$(send "$NETNS_EVIL" $NET.66 "$T/probe.xml" -u -l 2)
wait_until 5 counter_at_least 7 $((before + 1))
expect "foreign Probe: counted as ignored" $((before + 1)) "$(counter 7)"
expect_match "foreign Probe: the cameras answered" "from $NET.10:3702" "$replies"
expect "foreign Probe: camcomplyd did not" "" "$(printf '%s\n' "$replies" | grep "from $NET.2:")"

# quiet: no datagram arrived for half a second (probe rounds are over).
quiet() {
	local a
	a=$(counter 1)
	sleep 0.5
	[ "$(counter 1)" = "$a" ]
}
wait_until 10 quiet

# A flood: 3000 spoofed Hellos as fast as one host can send them.
got0=$(counter 1) lim0=$(counter 6) spf0=$(counter 4)
send "$NETNS_EVIL" $NET.66 "$T/spoof.xml" -u -n 3000 &
FLOOD=$!
answered=0
for i in 1 2 3 4 5; do
	sget_ok $SUMMARY.4.0 && answered=$((answered + 1))
done
wait "$FLOOD"
expect "the agent answers during the flood" 5 "$answered"
wait_until 10 quiet
got=$(( $(counter 1) - got0 )) lim=$(( $(counter 6) - lim0 )) spf=$(( $(counter 4) - spf0 ))
echo "# flood: $got datagrams read, $lim rate-limited, $spf spoofed"
expect_match "flood: rate-limited" '^[1-9][0-9]{2,}$' "$lim"
expect "flood: every datagram read is dropped as rate-limited or spoofed" \
    "$got" $((lim + spf))

# Nothing changed.
expect "still two rows" 2 "$(sget $SUMMARY.4.0)"
expect "URLs unchanged" "\"http://$NET.10:80/onvif/device_service\" \"http://$NET.11:80/onvif/device_service\"" \
    "$(swalk $ENTRY.4 | awk '{print $2}' | sort | tr '\n' ' ' | sed 's/ $//')"
expect "still one restricted trap" 1 "$(trap_count 1)"
expect "no unreachable trap" 0 "$(trap_count 4)"
expect "both cameras ok(1)" "1 1" "$(column 21 1) $(column 21 2)"
expect "no camera was capped" 0 "$(counter 8)"
grep -q "$DAEMON_STOPPING\\|assert\\|Segmentation" "$T/daemon.log" &&
	fail "daemon log: $(tail -3 "$T/daemon.log")"
kill -0 "$DAEMON_PID" || fail "$DAEMON_NAME died"

finish
