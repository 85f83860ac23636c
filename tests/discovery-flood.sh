#!/bin/bash
# Discovery cannot be used to hide cameras.  Real simulated cameras and a
# hostile host on one camera LAN (test namespaces on a bridge):
# 1. one host floods 5,000 Hellos, each a new endpoint at a new port and
#    path, while spoofed Byes (and a Hello) in two real cameras' names come
#    from their own addresses: the flooder gets discover-max-per-host rows
#    and no more, the rest is rate-limited or refused and counted, the
#    cameras named in the Byes are polled, answer, and never flap; then a
#    restricted camera plugged in says Hello and is listed, polled and
#    trapped within 5 seconds.
# 2. with discover-max 8, two more flooding hosts fill the table; a real
#    camera that then says Hello still gets a row (the biggest sender's row
#    makes room) and the real cameras keep theirs.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-netns.sh"
netns_init wsdf
. "$(dirname "$0")/lib-snmp.sh"
WSDSEND=$top_builddir/tests/sim/wsdsend
[ -x "$WSDSEND" ] || { echo "ERROR: wsdsend not built"; exit 99; }

NET=${NET:-10.231.5}
netns_switch
netns_host nms $NET 2
netns_host cams $NET 10 1  # .10 generic, .11 axis
netns_host late $NET 30 1  # .30 hikvision-wsse, .31 dahua: plugged in later
netns_host evil $NET 66 2  # .66, .67, .68: the flooders
NS_RUN="ip netns exec $NETNS_NMS"
PER_HOST=4 # discover-max-per-host's default, left unset below
MAX=8

netns_audit_cams "$NETNS_CAMS" "generic@$NET.10:80" "axis@$NET.11:80"

disc_conf "$NET.0/24" "credentials audit audit $PW" "discover multicast all" \
	"discover-credentials audit" "discover-max $MAX"
start_stack "$T/camcomplyd.conf"
wait_until 15 polled_at_least 2
expect "the two cameras" 2 "$(sget $SUMMARY.4.0)"
gen=$(index_of "http://$NET.10:80/onvif/device_service")
axis=$(index_of "http://$NET.11:80/onvif/device_service")
expect_match "both have a row" '^[0-9]+ [0-9]+$' "$gen $axis"
expect "both ok(1)" "1 1" "$(column 21 "$gen") $(column 21 "$axis")"

# traps_for NOTIFICATION-NUMBER INDEX: that notification for that row.
traps_for() {
	grep "$NOTIF\.$1\b" "$T/traps.log" | grep -cF "$ENTRY.3.$2 = " || true
}
# quiet: no datagram arrived for half a second.
quiet() {
	local a
	a=$(counter 1)
	sleep 0.5
	[ "$(counter 1)" = "$a" ]
}
# none_pending: no row is waiting for its first poll (pending(11)).
none_pending() { ! swalk $ENTRY.21 | grep -q ' 11$'; }
status_is() { [ "$(column 21 "$1")" = "$2" ]; }
seen_after() { [ "$(column 23 "$1")" != "$2" ]; }

# hello FILE ACTION ENDPOINT XADDR: a Hello or Bye (no XAddrs in a Bye).
hello() {
	local body
	body="<a:EndpointReference><a:Address>$3</a:Address></a:EndpointReference>"
	[ "$2" = Bye ] || body="$body<d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>onvif://www.onvif.org/name/IPC</d:Scopes><d:XAddrs>$4</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion>"
	cat >"$1" <<EOX
<?xml version="1.0" encoding="UTF-8"?>
<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><e:Header><a:MessageID>urn:uuid:@UUID@</a:MessageID><a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/$2</a:Action><d:AppSequence InstanceId="1" MessageNumber="1"/></e:Header><e:Body><d:$2>$body</d:$2></e:Body></e:Envelope>
EOX
}
# flood FROM COUNT RATE: COUNT Hellos from FROM, each a new endpoint at its
# own port and path, multicast on the LAN.
flood() {
	hello "$T/flood.$1.xml" Hello "urn:uuid:@UUID@" "http://$1:@N@/onvif/@N@"
	ip netns exec "$NETNS_EVIL" "$WSDSEND" -s "$1" -i "$1" -u -n "$2" \
		-r "$3" 239.255.255.250 "$T/flood.$1.xml" || fail "flood from $1"
}
# spoof AS FILE: FILE sent from AS's address (not the sender's own) to
# camcomplyd's listener.
spoof() {
	ip netns exec "$NETNS_EVIL" "$WSDSEND" -s "$1" -u $NET.2 "$2" ||
		fail "spoofed datagram from $1"
}

# ---- 1. one flooding host, spoofed Byes -------------------------------------
gen_ep=$(column 5 "$gen" | tr -d '"') axis_ep=$(column 5 "$axis" | tr -d '"')
hello "$T/bye.gen.xml" Bye "$gen_ep"
hello "$T/hello.gen.xml" Hello "$gen_ep" "http://$NET.10:80/onvif/device_service"
hello "$T/bye.axis.xml" Bye "$axis_ep"
gen_seen=$(column 23 "$gen") axis_seen=$(column 23 "$axis")
got0=$(counter 1) lim0=$(counter 6) spf0=$(counter 4)
flood $NET.66 5000 2000 &
FLOOD=$!
answered=0
for i in 1 2 3 4 5; do
	sget_ok $SUMMARY.4.0 && answered=$((answered + 1))
done
# Bye and Hello in the generic camera's name, a Bye in the Axis's: before
# this change each Bye marked its camera unreachable at once.
spoof $NET.10 "$T/bye.gen.xml"
spoof $NET.10 "$T/hello.gen.xml"
spoof $NET.11 "$T/bye.axis.xml"
wait "$FLOOD"
expect "the agent answers during the flood" 5 "$answered"
wait_until 10 quiet
got=$(( $(counter 1) - got0 )) lim=$(( $(counter 6) - lim0 ))
echo "# flood: $got datagrams read, $lim rate-limited"
expect_match "flood: rate-limited (camDiscRateLimited)" '^[0-9]{4,}$' "$lim"
expect "flood: spoofed Byes from the cameras' own addresses pass" \
	"$spf0" "$(counter 4)"
expect "the flooder has discover-max-per-host rows" $PER_HOST "$(rows_of $NET.66)"
refused=$(grep -o 'discovery: [0-9]* new camera(s) refused' "$T/daemon.log" |
	awk '{ print $2 }' | sort -n | tail -1)
echo "# refused over discover-max-per-host: at least ${refused:-0}"
expect_match "flood: the refusals are counted and logged" '^([2-9][0-9]|[1-9][0-9]{2,})$' \
	"$refused"
expect "flood: camDiscHostCapped counts every refusal (the log only some)" yes \
	"$([ "$(counter 11)" -ge "${refused:-1}" ] && echo yes || echo "no: $(counter 11)")"
expect "no camera was capped" 0 "$(counter 8)"

# The Byes got the cameras polled (the Axis's only by its Bye: no round is
# due), they answered, and nothing flapped.
wait_until 20 seen_after "$axis" "$axis_seen"
expect "Bye: the Axis was polled again" yes \
	"$(seen_after "$axis" "$axis_seen" && echo yes)"
wait_until 20 seen_after "$gen" "$gen_seen"
expect "Bye: the generic camera was polled again" yes \
	"$(seen_after "$gen" "$gen_seen" && echo yes)"
expect "both still ok(1)" "1 1" "$(column 21 "$gen") $(column 21 "$axis")"
for n in 4 5; do
	expect "no notification $n for the generic camera" 0 "$(traps_for $n "$gen")"
	expect "no notification $n for the Axis" 0 "$(traps_for $n "$axis")"
done

# A restricted camera plugged in after the flood says Hello.
before=$(trap_count 1)
t0=$(date +%s%N)
ip netns exec "$NETNS_LATE" "$CAMSIM" -w -d "$PROFILES" -r "$T/ready.hik" \
	-l "$T/sim.log" "hikvision-wsse@$NET.30:80,user=audit,password-file=$PW" \
	>>"$T/sim.out" 2>&1 &
if wait_until 5 traps_at_least 1 $((before + 1)); then
	echo "ok - restricted trap $(( ($(date +%s%N) - t0) / 1000000 )) ms after the camera started"
	CHECKS=$((CHECKS + 1))
else
	fail "no camRestrictedDeviceDetected within 5 s of the Hello"
fi
hik=$(index_of "http://$NET.30:80/onvif/device_service")
expect_match "the new camera has a row" '^[0-9]+$' "$hik"
wait_until 5 status_is "$hik" 1
expect "... polled: ok(1)" 1 "$(column 21 "$hik")"
expect "... restricted(2)" 2 "$(column 15 "$hik")"
expect_match "... its trap names it" "$ENTRY.3.$hik = " \
	"$(grep "$NOTIF\.1\b" "$T/traps.log" | tail -1)"

# ---- 2. a full table (discover-max 8) ---------------------------------------
flood $NET.67 1000 500 &
F1=$!
flood $NET.68 1000 500 &
F2=$!
wait "$F1" "$F2"
wait_until 10 quiet
# Every row polled once: a row being polled cannot make room, and the first
# poll of an unknown endpoint also runs the collectors without credentials
# (up to the timeout), so the new camera's Hello must not race those polls.
wait_until 20 none_pending || fail "rows still pending: $(swalk $ENTRY.21 | grep -c ' 11$')"
expect "the table is full" $MAX "$(counter 10)"
fl=$(( $(rows_of $NET.66) + $(rows_of $NET.67) + $(rows_of $NET.68) ))
echo "# flooders' rows: .66 $(rows_of $NET.66), .67 $(rows_of $NET.67), .68 $(rows_of $NET.68)"
expect "... the flooders have all but the real cameras'" $((MAX - 3)) "$fl"
expect "... the real cameras kept theirs" "1 1 1" \
	"$(rows_of $NET.10) $(rows_of $NET.11) $(rows_of $NET.30)"

capped=$(counter 8)
before=$(trap_count 1)
t0=$(date +%s%N)
ip netns exec "$NETNS_LATE" "$CAMSIM" -w -d "$PROFILES" -r "$T/ready.dahua" \
	-l "$T/sim.log" "dahua@$NET.31:80,user=audit,password-file=$PW" \
	>>"$T/sim.out" 2>&1 &
if wait_until 5 traps_at_least 1 $((before + 1)); then
	echo "ok - full table: restricted trap $(( ($(date +%s%N) - t0) / 1000000 )) ms after the camera started"
	CHECKS=$((CHECKS + 1))
else
	fail "full table: no camRestrictedDeviceDetected within 5 s of the Hello"
fi
dahua=$(index_of "http://$NET.31:80/onvif/device_service")
expect_match "full table: the new camera has a row" '^[0-9]+$' "$dahua"
wait_until 5 status_is "$dahua" 1
expect "... polled: ok(1)" 1 "$(column 21 "$dahua")"
expect "... not capped" "$capped" "$(counter 8)"
expect "... still discover-max rows" $MAX "$(counter 10)"
expect "... a flooder's row made room" $((MAX - 4)) \
	"$(( $(rows_of $NET.66) + $(rows_of $NET.67) + $(rows_of $NET.68) ))"
for a in 66 67 68; do
	expect_match "... $NET.$a has at most $PER_HOST rows" "^[0-$PER_HOST]\$" \
		"$(rows_of $NET.$a)"
done
expect "... the real cameras kept theirs" "1 1 1 1" \
	"$(rows_of $NET.10) $(rows_of $NET.11) $(rows_of $NET.30) $(rows_of $NET.31)"
expect "... and answer" "1 1 1 1" "$(column 21 "$gen") $(column 21 "$axis") $(column 21 "$hik") $(column 21 "$dahua")"
for n in 4 5; do
	expect "no notification $n for the real cameras" "0 0 0 0" \
		"$(traps_for $n "$gen") $(traps_for $n "$axis") $(traps_for $n "$hik") $(traps_for $n "$dahua")"
done
grep -q 'assert\|Segmentation' "$T/daemon.log" &&
	fail "daemon log: $(tail -3 "$T/daemon.log")"
kill -0 "$DAEMON_PID" || fail "$DAEMON_NAME died"

finish
