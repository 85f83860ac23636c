#!/bin/bash
# The audit password never leaves in a recoverable form, whatever a hostile
# listener asks for: a 401 with only Basic, Basic then Digest, Digest then
# Basic, over http and https, on the identity calls or on every call (so
# that GetSystemDateAndTime succeeds first and the challenge comes after,
# or comes at once).  Every byte each listener receives is captured and
# searched for the password, base64 of "user:password" and an
# "Authorization: Basic" header: first for `camcomply scan`, then for
# camcomplyd polling a camera that announced itself by WS-Discovery and
# got the discover-credentials (in a test namespace).
. "$(dirname "$0")/lib.sh"
NET=${NET:-127.2.60}
USER=audit PASS='Tr0ub4dor&3-hostile-auth'
PW=$(password_file audit "$PASS")
B64=$(printf '%s:%s' "$USER" "$PASS" | base64 -w0)
# base64 of the pair at each of the three alignments it can take inside a
# longer base64 run: whatever came before, one of these appears.
B64_ALIGNED="$B64
$(printf 'x%s:%s' "$USER" "$PASS" | base64 -w0 | cut -c5-)
$(printf 'xx%s:%s' "$USER" "$PASS" | base64 -w0 | cut -c5-)"

# leak_free NAME FILE: none of the password's forms is in FILE.
leak_free() {
	local hit=
	grep -aqF -- "$PASS" "$2" && hit="the password"
	while read -r b; do
		[ -n "$b" ] && grep -aqF -- "${b%??}" "$2" && hit="base64 of user:password"
	done <<<"$B64_ALIGNED"
	grep -aqiE 'authorization:[[:space:]]*basic' "$2" && hit="an Authorization: Basic header"
	expect "$1: nothing recoverable in what it received" "" "$hit"
}

# number  options                                  scan status   detail
CASES="
1  fault=basic-only                              auth-failed   camera offers only HTTP Basic; refused
2  fault=basic-only,fault-scope=all              auth-failed   camera offers only HTTP Basic; refused
3  fault=basic-digest                            ok            -
4  fault=digest-basic                            ok            -
5  fault=basic-digest,fault-scope=all            ok            -
6  tls=yes,fault=basic-only                      auth-failed   camera offers only HTTP Basic; refused
7  tls=yes,fault=digest-basic                    ok            -
8  tls=yes,fault=basic-only,fault-scope=all      auth-failed   camera offers only HTTP Basic; refused
"
specs=() targets=()
while read -r n opt st detail; do
	[ -n "$n" ] || continue
	specs+=("generic@$NET.$n:$CAM_PORT,user=$USER,password-file=$PW,capture=$T/cap.$n,$opt")
done <<<"$CASES"
start_sim "${specs[@]}"
while read -r n opt st detail; do
	[ -n "$n" ] || continue
	case $opt in
	tls=yes*) targets+=("https://$NET.$n:$CAM_PORT/onvif/device_service") ;;
	*) targets+=("$NET.$n:$CAM_PORT") ;;
	esac
done <<<"$CASES"

out=$("$CAMCOMPLY" scan --json --no-policy --timeout 4 --user "$USER" \
	--password-file "$PW" "${targets[@]}" 2>"$T/scan.err")
i=0
while read -r n opt st detail; do
	[ -n "$n" ] || continue
	expect "scan $n ($opt): status" "$st" "$(jq -r ".[$i].status" <<<"$out")"
	[ "$detail" = - ] ||
		expect "scan $n: detail" "$detail" "$(jq -r ".[$i].error" <<<"$out")"
	# The capture works: each listener heard the client.
	expect_match "scan $n: the listener captured the requests" \
	    'GetSystemDateAndTime|GetDeviceInformation' "$(tr -d '\0' <"$T/cap.$n")"
	case $st in
	ok) expect_match "scan $n: identified through HTTP Digest" \
	    'Authorization: Digest' "$(tr -d '\0' <"$T/cap.$n")" ;;
	esac
	leak_free "scan $n" "$T/cap.$n"
	i=$((i + 1))
done <<<"$CASES"
{ printf '%s' "$out"; cat "$T/scan.err"; } >"$T/scan.all"
leak_free "scan's output" "$T/scan.all"

# ---- the daemon, with discover-credentials, in a namespace of its own ----
. "$(dirname "$0")/lib-netns.sh"
netns_init hauth
. "$(dirname "$0")/lib-snmp.sh"
LAN=${LAN:-10.231.6}
netns_switch
netns_host nms $LAN 2
netns_host cams $LAN 10 1
NS_RUN="ip netns exec $NETNS_NMS"
# Two "cameras" announce themselves: one wants Basic only, one offers Basic
# and Digest (same realm) and accepts Digest.
ip netns exec "$NETNS_CAMS" "$CAMSIM" -w -d "$PROFILES" -r "$T/ready.lan" \
	-l "$T/sim-lan.log" \
	"generic@$LAN.10:80,user=$USER,password-file=$PW,capture=$T/dcap.10,fault=basic-only,fault-scope=all" \
	"hikvision-wsse@$LAN.11:80,user=$USER,password-file=$PW,capture=$T/dcap.11,fault=basic-digest" \
	>>"$T/sim.out" 2>&1 &
wait_for_file "$T/ready.lan" || { cat "$T/sim.out"; fail "camsim did not start"; exit 1; }

cat >"$T/camcomplyd.conf" <<EOC
site lan $LAN.0/24 general
credentials audit $USER $PW
discover multicast all
discover-credentials audit
poll-interval 30
timeout 3
state-file $T/state
policy $top_srcdir/data/policy.xml
EOC
start_stack "$T/camcomplyd.conf"
wait_until 15 disc_devices_at_least 2
wait_until 15 polled_at_least 2
status_of() { column 21 "$(index_of "http://$1:80/onvif/device_service")"; }
expect "daemon: the Basic-only listener is authFailed(4)" 4 "$(status_of $LAN.10)"
expect "daemon: ... with the reason" '"camera offers only HTTP Basic; refused"' \
    "$(column 26 "$(index_of "http://$LAN.10:80/onvif/device_service")")"
expect "daemon: the Basic+Digest camera is identified over Digest, ok(1)" 1 \
    "$(status_of $LAN.11)"
leak_free "daemon: Basic-only listener" "$T/dcap.10"
leak_free "daemon: Basic+Digest camera" "$T/dcap.11"
{ cat "$T/daemon.log" "$T/state" 2>/dev/null; swalk $MIB_ARC; } >"$T/daemon.all"
leak_free "daemon: its log, state and MIB" "$T/daemon.all"
finish
