#!/bin/bash
# The daemon's collectors without credentials (issue 14), end to end: a
# real snmpd master, snmptrapd and camcomplyd polling camsim cameras on
# 127.2.118.0/24 (unauth-daemon-snmpd.sh: the module inside snmpd, on
# 127.2.79.0/24), every camera configured with credentials in
# camcomplyd.conf.  Shows:
# - cameras with ONVIF off (a Hikvision, a Dahua whose ONVIF path asks for
#   Digest, the Hikvision OEM AVYCON, the Dahua OEM Amcrest, Axis, Hanwha,
#   a camera naming no maker, a Xiongmai white label whose web server and
#   open DVR-IP port, connected to and not spoken to, name it) are
#   identified by the daemon's probes: in
#   snmptable of camDeviceTable with the verdict, maker, camDeviceBrand,
#   camDeviceSeenBy bits and camDeviceFacts their surfaces owe; one with
#   ONVIF on and 'probe all' shows ONVIF and the collectors together; one
#   with ONVIF on and 'probe auto' is not probed at all;
# - each restricted camera raises exactly one camRestrictedDeviceDetected
#   naming it, and none other does;
# - what the collectors sent, captured by camsim byte for byte (SADP,
#   DHIP, RTSP, HTTP, HTTPS decrypted), carries no credential: no
#   Authorization header, neither the user nor the password in any byte;
#   only ONVIF's own requests (to /onvif/) carry WS-Security or Digest,
#   and the password is in no byte at all, nor its base64, nor in a MIB
#   value (strings and hex), trap, the daemon's debug log or state file;
# - after a restart with 'probe none' the collectors are off (no SADP,
#   DHIP, RTSP or other HTTP request reaches any camera; a new camera with
#   ONVIF off stays unidentified), and the facts of the others survive in
#   the state file (a poll without a probe cannot have brought them), with
#   no second camRestrictedDeviceDetected; a restart with the collectors
#   on again sends none either.
# Deterministic: every wait is a condition with a deadline.
. "$(dirname "$0")/lib.sh"
NET=${NET:-127.2.118}
. "$(dirname "$0")/lib-snmp.sh"
POLICY=$top_srcdir/data/policy.xml

# The credentials: a user and a password that must reach nothing but
# ONVIF (the password not even there: Digest and WS-Security hash it).
# The user is not Dahua's RPC2_Login default (admin), which is sent.
SECRET=Ud8-unauth-canary-pw-X4
USERNAME=ccaudit-5q
PW=$(password_file cam "$SECRET")
NEEDLES=("$SECRET" "$(printf '%s' "$SECRET" | base64 -w0)"
	"$(printf '%s:%s' "$USERNAME" "$SECRET" | base64 -w0)")

# Cameras: N -> "profile onvif-option probe-option".  10 is configured
# only after the restart with 'probe none'.
declare -A CAM=(
	[1]="hikvision-digest off -"
	[2]="dahua 401 -"
	[3]="avycon off -"
	[4]="amcrest off -"
	[5]="axis off -"
	[6]="hanwha off -"
	[7]="generic off -"
	[8]="hikvision-wsse on all"
	[9]="axis on -"
	[10]="hikvision-digest off -"
	[11]="xiongmai-label off -"
)
# N -> verdict (CamVerdict's number), maker, brand and who answered
# (camDeviceSeenBy's bits by name), with the first configuration.
declare -A WANT=(
	[1]="2|hikvision||sadp http https rtsp tls"
	[2]="2|dahua||dhip http https rtsp tls"
	[3]="2|hikvision|AVYCON|sadp http https rtsp tls"
	[4]="2|dahua|Amcrest|http https rtsp tls"
	[5]="1|axis||http https rtsp tls"
	[6]="1|hanwha||http rtsp"
	[7]="3|||http rtsp"
	[8]="2|hikvision||onvif sadp http https rtsp tls"
	[9]="1|axis||onvif"
	[11]="2|xiongmai||http ports"
)
RESTRICTED="1 2 3 4 8 11"
# The cameras of the first configuration; 10 comes with the restart.
FIRST="1 2 3 4 5 6 7 8 9 11"
VERDICT_NAME=([1]=compliant [2]=restricted [3]=unidentified)
declare -A SEEN_BIT=([onvif]=0 [sadp]=1 [dhip]=2 [http]=3 [https]=4 [rtsp]=5 [tls]=6 [ports]=7)

prof() { echo "${CAM[$1]%% *}"; }

# A profile's surfaces, as camsim options with free ports.
surfaces() {
	local f=$PROFILES/$1.profile o=""
	grep -q '^rtsp[[:space:]]*=' "$f" && o="$o,rtsp-port=auto"
	grep -q '^sadp[[:space:]]*=' "$f" && o="$o,sadp-port=auto"
	grep -q '^dhip[[:space:]]*=' "$f" && o="$o,dhip-port=auto"
	grep -q '^https[[:space:]]*=' "$f" && o="$o,https-port=auto"
	grep -q '^xm[[:space:]]*=' "$f" && o="$o,xm-port=auto"
	echo "$o"
}

specs=()
for i in "${!CAM[@]}"; do
	read -r p onvif probe <<<"${CAM[$i]}"
	o=""
	[ "$onvif" = on ] || o=",onvif=$onvif"
	specs+=("$p@$NET.$i:$CAM_PORT$o$(surfaces "$p"),user=$USERNAME,password-file=$PW,capture=$T/cap.$i")
done
start_sim "${specs[@]}"

# Camera 11's DVR-IP port is a free one (no test holds a fixed port): the
# daemon's policy is a copy whose private-port matcher names it instead of
# 34567 (scan-unauth.sh does the same), and its camera line points the
# ports collector at it; the global private-ports is a port nothing
# listens on, so only the camera's own list can find it.
XM=$(grep -h "@$NET.11:" "$T"/sim-ready.* | grep -o ' xm=[0-9]*' | cut -d= -f2)
sed "s/kind=\"private-port\" text=\"34567\"/kind=\"private-port\" text=\"$XM\"/" \
	"$POLICY" >"$T/policy.xml"
cp "$top_srcdir/data/policy.xsd" "$T/"
expect "camera 11's DVR-IP port in the policy copy" 1 \
	"$(grep -c "kind=\"private-port\" text=\"$XM\"" "$T/policy.xml")"
POLICY=$T/policy.xml

# camera_line N: camera N's line of camcomplyd.conf, its collectors'
# ports from the ready file, its own probe option unless MODE is none.
camera_line() {
	local line kv o="" probe
	read -r _ _ probe <<<"${CAM[$1]}"
	line=$(grep -h "@$NET.$1:" "$T"/sim-ready.* | head -n 1)
	for kv in $line; do
		case $kv in
		rtsp=* | sadp=* | dhip=* | https=*)
			o="$o ${kv%%=*}-port ${kv#*=}" ;;
		xm=*) o="$o private-ports ${kv#*=}" ;;
		esac
	done
	# ('probe none' for all: no camera's own probe option then.)
	[ "$probe" = - ] || [ "$MODE" = none ] || o="$o probe $probe"
	echo "camera $NET.$1:$CAM_PORT credentials site http-port $CAM_PORT$o"
}

# config PROBE CAMERAS...  (No camera here is silent, so a generous
# timeout costs nothing, and on a loaded host no collector runs out of its
# share: camDeviceSeenBy is compared bit for bit.)
config() {
	local i m=$1
	MODE=$1
	shift
	{
		echo "credentials site $USERNAME $PW"
		echo "site lab $NET.0/24 general"
		for i in "$@"; do camera_line "$i"; done
		cat <<EOF
policy $POLICY
state-file $T/state
poll-interval 300
timeout 10
probe $m
private-ports 9
EOF
	} >"$T/camcomplyd.conf"
}

# ---- the capture: who sent what ------------------------------------------
# split_capture FILE [OFFSET]: the bytes of FILE from OFFSET on, cut into
# the requests camsim received: HTTP and RTSP requests (start line,
# headers, Content-Length bytes of body), SADP Probes, DHIP frames (their
# header's length), anything else up to the next of those.  ONVIF's own
# requests (HTTP to a path under /onvif/) go to FILE.onvif, all the rest
# to FILE.rest; prints the count of each kind ("onvif=N http=N rtsp=N
# sadp=N dhip=N other=N").  Bytes it cannot place go to FILE.rest, so
# the checks on FILE.rest err on the strict side.
split_capture() {
	perl -e '
	my ($file, $off) = @ARGV;
	open(my $in, "<:raw", $file) or die "$file: $!";
	local $/;
	my $d = <$in> // "";
	$d = substr($d, $off) if $off > 0;
	open(my $on, ">:raw", "$file.onvif") or die;
	open(my $re, ">:raw", "$file.rest") or die;
	my %n = map { $_ => 0 } qw(onvif http rtsp sadp dhip other);
	my $start = qr{[A-Z_]+ \S+ (?:HTTP|RTSP)/\d\.\d\r\n|<\?xml[^>]*\?>\s*<Probe>|\x20\0\0\0DHIP};
	my $p = 0;
	while ($p < length $d) {
		my ($k, $e);
		pos($d) = $p;
		if ($d =~ m{\G[A-Z_]+ (\S+) (HTTP|RTSP)/\d\.\d\r\n}gc) {
			my ($path, $proto) = ($1, $2);
			$e = index($d, "\r\n\r\n", $p);
			$e = $e < 0 ? length $d : $e + 4;
			my $h = substr($d, $p, $e - $p);
			$e += $1 if $h =~ /^Content-Length:[ \t]*(\d+)/mi;
			$k = $proto eq "RTSP" ? "rtsp" :
			    $path =~ m{^(?:https?://[^/]*)?/onvif/} ? "onvif" : "http";
		} elsif ($d =~ m{\G<\?xml[^>]*\?>\s*<Probe>.*?</Probe>}gcs) {
			($k, $e) = ("sadp", pos($d));
		} elsif (substr($d, $p, 8) eq "\x20\0\0\0DHIP" && $p + 32 <= length $d) {
			($k, $e) = ("dhip", $p + 32 + unpack("V", substr($d, $p + 16, 4)));
		} else {
			pos($d) = $p + 1;
			$e = $d =~ m{$start}g ? $-[0] : length $d;
			$k = "other";
		}
		$e = length $d if $e > length $d;
		print { $k eq "onvif" ? $on : $re } substr($d, $p, $e - $p);
		$n{$k}++ unless $k eq "other" && substr($d, $p, $e - $p) =~ /^\s*$/;
		$p = $e;
	}
	print join(" ", map { "$_=$n{$_}" } qw(onvif http rtsp sadp dhip other)), "\n";
	' "$1" "${2:-0}"
}

# count KIND COUNTS: the number split_capture gave for KIND.
count() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

# no_credential_sent N COUNTS: camera N's capture (as split) carries no
# credential outside ONVIF's requests, and no password anywhere.
no_credential_sent() {
	local cap=$T/cap.$1 n bad
	for n in "${NEEDLES[@]}"; do
		grep -aqF -- "$n" "$cap" && fail "camera $1: the password (or its base64) reached the camera"
	done
	grep -aqi 'Authorization:[[:space:]]*Basic' "$cap" &&
		fail "camera $1: HTTP Basic sent"
	bad=$(grep -aci '^Authorization:' "$cap.rest")
	expect "camera $1: no Authorization header outside ONVIF's requests" 0 "$bad"
	bad=$(grep -acF -- "$USERNAME" "$cap.rest")
	expect "camera $1: the user name in no byte sent to the collectors' surfaces" 0 "$bad"
	expect "camera $1: RPC2_Login only with an empty password" "" \
		"$(grep -ao '"password" *: *"[^"]\+"' "$cap.rest")"
	[ "$(count other "$2")" = 0 ] ||
		echo "# camera $1: $(count other "$2") unrecognised stretches (checked as the rest)"
}

# The checks are only as good as the parser: a planted capture, an ONVIF
# request with Digest and then each surface's request carrying the user,
# the password or an Authorization header, must be cut right and fail
# them all.
plant() {
	local body='<s:Envelope>x</s:Envelope>' js="{\"u\":\"$USERNAME\"}"
	printf 'POST /onvif/device_service HTTP/1.1\r\nAuthorization: Digest username="%s"\r\nContent-Length: %d\r\n\r\n%s' \
		"$USERNAME" "${#body}" "$body"
	printf '<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>1</Uuid><Types>inquiry</Types></Probe>'
	perl -e 'print "\x20\0\0\0DHIP", "\0" x 8, pack("VVVV", $ARGV[0], 0, $ARGV[0], 0)' "${#js}"
	printf '%s' "$js"
	printf 'DESCRIBE rtsp://a/ RTSP/1.0\r\nCSeq: 2\r\nAuthorization: Digest x\r\n\r\n'
	js="{\"password\":\"$SECRET\"}"
	printf 'POST /RPC2_Login HTTP/1.1\r\nContent-Length: %d\r\n\r\n%s' "${#js}" "$js"
}
plant >"$T/cap.planted"
c=$(split_capture "$T/cap.planted")
expect "planted capture cut into its requests" \
	"onvif=1 http=1 rtsp=1 sadp=1 dhip=1 other=0" "$c"
( FAILS=0; no_credential_sent planted "$c" >/dev/null; echo "$FAILS" >"$T/planted.fails" )
expect "the checks find every planted credential (password, Authorization, user, RPC2 password)" \
	4 "$(cat "$T/planted.fails")"
expect "the ONVIF request kept apart" 1 "$(grep -ac '^Authorization: Digest username' "$T/cap.planted.onvif")"

# ---- the MIB ---------------------------------------------------------------
# snmptable needs the MIB and the IETF modules it imports.
MIBPATH=
if IETF=$("$top_srcdir/scripts/ietf-mibs.sh" 2>/dev/null); then
	MIBPATH=$top_srcdir/mibs:$IETF
	for d in $(net-snmp-config --default-mibdirs 2>/dev/null | tr ':' ' ') \
		/usr/share/snmp/mibs; do
		[ -f "$d/NET-SNMP-MIB.txt" ] && { MIBPATH=$MIBPATH:$d; break; }
	done
fi

# table FILE: camDeviceTable by snmptable, '|' between fields, the index
# first.
table() {
	$NS_RUN snmptable -v2c -c public -r0 -t5 -M "$MIBPATH" \
		-m CAMERA-COMPLIANCE-MIB -Ci -Cf '|' -CB "127.0.0.1:$SNMP_PORT" \
		CAMERA-COMPLIANCE-MIB::camDeviceTable >"$1" 2>"$1.err"
}

# tcol FILE INDEX NAME: the value of column NAME (camDeviceNAME) in row
# INDEX of a table file.
tcol() {
	awk -F'|' -v idx="$2" -v name="camDevice$3" '
		$1 == "index" { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
		c && $1 == idx { print $c }' "$1"
}

# seen_hex BIT-NAMES...: camDeviceSeenBy's octet as Net-SNMP prints BITS
# without the MIB (two upper-case hex digits).
seen_hex() {
	local b v=0
	for b in "$@"; do v=$((v | (0x80 >> SEEN_BIT[$b]))); done
	printf '%02X' "$v"
}

# column_hex COL INDEX: a camDeviceTable value as hex octets.
column_hex() {
	$NS_RUN snmpget -v2c -c public -r0 -t2 -On -Oqv -Ox "127.0.0.1:$SNMP_PORT" "$ENTRY.$1.$2"
}

url() { echo "http://$NET.$1:$CAM_PORT/onvif/device_service"; }

# check_row N PHASE: camera N's row says what WANT says.
check_row() {
	local i=$1 ph=$2 idx v maker brand seen raw facts p
	IFS='|' read -r v maker brand seen <<<"${WANT[$i]}"
	p=$(prof "$i")
	idx=${IDX[$i]}
	expect "$ph $i $p: verdict" "$v" "$(column 15 "$idx")"
	expect "$ph $i $p: maker" "\"$maker\"" "$(column 16 "$idx")"
	expect "$ph $i $p: brand" "\"$brand\"" "$(column 31 "$idx")"
	# BITS as hex octets (trailing zero octets dropped).
	raw=$(column_hex 32 "$idx" | tr -d '"' | awk '{print $1}')
	# shellcheck disable=SC2086
	expect "$ph $i $p: seen by $seen" "$(seen_hex $seen)" "${raw:-00}"
	facts=$(column 33 "$idx")
	FACTS[$i]=$facts
	# The facts, by collector in a fixed order, cut at 255 octets: the
	# first collector that answered leads.
	first=$(echo "$seen" | tr ' ' '\n' | grep -v '^onvif$' | head -n 1)
	if [ -z "$first" ]; then
		expect "$ph $i $p: no facts" '""' "$facts"
	else
		expect_match "$ph $i $p: facts, $first's first" "^\"$first [a-z-]+=." "$facts"
		expect_match "$ph $i $p: facts within 255 octets" '^.{3,257}$' "$facts"
	fi
	# SADP, DHIP (and Dahua's RPC2_Login) volunteer the serial.
	case $seen$p in *sadp* | *dhip* | *amcrest)
		expect "$ph $i $p: the serial they volunteered" \
			"\"$(profile_value "$p" serial)\"" "$(column 9 "$idx")" ;;
	esac
	# ... and SADP's or DHIP's group says it, whichever reply was read
	# first (DHIP's after RPC2_Login's showed it under http only).
	case $first in sadp | dhip)
		expect_match "$ph $i $p: $first's facts carry the serial" \
			"^\"$first [^;]*serial=$(profile_value "$p" serial)( |;|\")" "$facts" ;;
	esac
}

# traps_naming N: camRestrictedDeviceDetected notifications naming camera N.
# (snmptrapd -Lf logs a notification and its varbinds on one line.)
traps_naming() {
	grep "$NOTIF\.1\b" "$T/traps.log" | grep -c "$ENTRY\.3\.${IDX[$1]} "
}

# ---- first: probe auto, cameras 1-9 -------------------------------------------
# shellcheck disable=SC2086
config auto $FIRST
DAEMON_ARGS="-D camcomply"
start_trapd
start_snmpd
start_daemon "$T/camcomplyd.conf" >"$T/daemon.out" 2>&1
wait_until 10 sget_ok $SUMMARY.4.0 ||
	{ cat "$T/daemon.log"; fail "the MIB module did not register"; exit 1; }
wait_until 30 rounds_at_least 1 ||
	{ cat "$T/daemon.log"; fail "$DAEMON_NAME: no first poll round"; exit 1; }
declare -A IDX FACTS
for i in $FIRST; do IDX[$i]=$(index_of "$(url "$i")"); done
expect_match "ten rows with indexes" '^([0-9]+ ){9}[0-9]+$' \
	"$(for i in $FIRST; do printf '%s ' "${IDX[$i]}"; done | sed 's/ $//')"
for i in $FIRST; do check_row "$i" first; done
expect "ONVIF-off cameras: poll status not ok" "" \
	"$(for i in 1 2 3 4 5 6 7; do [ "$(column 21 "${IDX[$i]}")" = 1 ] && echo "$i"; done)"
expect "ONVIF-on cameras: poll status ok(1)" "1 1" \
	"$(column 21 "${IDX[8]}") $(column 21 "${IDX[9]}")"

# The same rows as an NMS sees them: snmptable with the MIB.
if [ -n "$MIBPATH" ]; then
	table "$T/table"
	[ -s "$T/table" ] || cat "$T/table.err"
	for i in $FIRST; do
		IFS='|' read -r v maker brand seen <<<"${WANT[$i]}"
		idx=${IDX[$i]}
		expect "snmptable $i: verdict maker brand" \
			"${VERDICT_NAME[$v]}|$maker|$brand" \
			"$(tcol "$T/table" "$idx" Verdict)|$(tcol "$T/table" "$idx" Maker)|$(tcol "$T/table" "$idx" Brand)"
		# shellcheck disable=SC2086
		expect "snmptable $i: seen by" "\"$(seen_hex $seen) \"" \
			"$(tcol "$T/table" "$idx" SeenBy | sed 's/^"00 "$/"00 "/')"
		expect "snmptable $i: facts" "${FACTS[$i]}" "\"$(tcol "$T/table" "$idx" Facts)\""
	done
else
	echo "# snmptable skipped: no IETF base MIBs (scripts/ietf-mibs.sh); the columns were read by number"
fi

# Exactly one camRestrictedDeviceDetected per restricted camera, naming it.
nr=$(echo "$RESTRICTED" | wc -w)
wait_until 10 traps_at_least 1 "$nr" || fail "fewer than $nr camRestrictedDeviceDetected"
for i in $FIRST; do
	case " $RESTRICTED " in *" $i "*) w=1 ;; *) w=0 ;; esac
	expect "camRestrictedDeviceDetected naming camera $i ($(prof "$i"))" "$w" "$(traps_naming "$i")"
done
expect "camRestrictedDeviceDetected in all" "$nr" "$(trap_count 1)"

# What each camera received.
for i in $FIRST; do
	c=$(split_capture "$T/cap.$i")
	echo "# camera $i ($(prof "$i")): $c"
	no_credential_sent "$i" "$c"
	case ${WANT[$i]} in *sadp*) expect_match "camera $i: the SADP inquiry reached it" '[1-9]' "$(count sadp "$c")" ;; esac
	case ${WANT[$i]} in *dhip*) expect_match "camera $i: the DHIP search reached it" '[1-9]' "$(count dhip "$c")" ;; esac
	case ${WANT[$i]} in *rtsp*) expect_match "camera $i: RTSP requests reached it" '[1-9]' "$(count rtsp "$c")" ;; esac
	case ${WANT[$i]} in *http*) expect_match "camera $i: the web requests reached it" '[1-9]' "$(count http "$c")" ;; esac
	expect_match "camera $i: ONVIF was asked" '[1-9]' "$(count onvif "$c")"
done
# Camera 11's DVR-IP port: connected to, and not a byte sent on it.
xm_lines() { grep -c "@$NET.11:$CAM_PORT dvr-ip: connection closed${1-}" "$T/sim.log"; }
xm_seen() { [ "$(xm_lines)" -ge 1 ]; }
wait_until 5 xm_seen # camsim logs a connection when the collector closed it
expect_match "camera 11: the ports collector connected to its DVR-IP port" \
	'^[1-9]' "$(xm_lines)"
expect "camera 11: 0 bytes on every DVR-IP connection" "$(xm_lines)" \
	"$(xm_lines ', 0 bytes received')"
# ONVIF named camera 9 and 'probe auto' left it alone.
c=$(split_capture "$T/cap.9")
expect "camera 9 (ONVIF on, probe auto): nothing but ONVIF" "http=0 rtsp=0 sadp=0 dhip=0" \
	"$(echo "$c" | grep -o 'http=[0-9]* rtsp=[0-9]* sadp=[0-9]* dhip=[0-9]*')"
# The captures saw credentials where they belong: the checks above were
# about requests that carried them.
expect_match "ONVIF's own requests carried the user (WS-Security)" '[1-9]' \
	"$(grep -acF -- "$USERNAME" "$T/cap.8.onvif")"
expect_match "the Digest challenge on camera 2's ONVIF path was answered" \
	"^Authorization: Digest .*username=\"$USERNAME\"" "$(grep -a '^Authorization:' "$T/cap.2.onvif" | head -n 1)"

# ---- restart with probe none, and a new camera with ONVIF off ---------------
stop_daemon
declare -A SIZE
for i in $FIRST 10; do SIZE[$i]=$(stat -c %s "$T/cap.$i"); done
XM_BEFORE=$(xm_lines)
# shellcheck disable=SC2086
config none $FIRST 10
start_daemon "$T/camcomplyd.conf" >>"$T/daemon.out" 2>&1
wait_until 10 sget_ok $SUMMARY.4.0 || fail "$DAEMON_NAME did not register again"
wait_until 30 rounds_at_least 1 || fail "no round after the restart"
IDX[10]=$(index_of "$(url 10)")
for i in $FIRST; do
	expect "probe none: camera $i keeps its index" "${IDX[$i]}" "$(index_of "$(url "$i")")"
	check_row "$i" "probe none (facts from the state file)"
done
WANT[10]="3|||"
check_row 10 "probe none"
expect "probe none: camera 10 poll status not ok" 1 \
	"$([ "$(column 21 "${IDX[10]}")" != 1 ] && echo 1)"
for i in $FIRST 10; do
	c=$(split_capture "$T/cap.$i" "${SIZE[$i]}")
	expect "probe none: camera $i got no SADP, DHIP, RTSP or web request" \
		"http=0 rtsp=0 sadp=0 dhip=0" \
		"$(echo "$c" | grep -o 'http=[0-9]* rtsp=[0-9]* sadp=[0-9]* dhip=[0-9]*')"
done
expect_match "probe none: ONVIF still asked camera 10" '[1-9]' "$(count onvif "$c")"
expect "probe none: no connection to camera 11's DVR-IP port" "$XM_BEFORE" "$(xm_lines)"
expect "probe none: still one camRestrictedDeviceDetected per restricted camera" \
	"$nr" "$(trap_count 1)"

# ---- restart with the collectors on: no second announcement -----------------
stop_daemon
# shellcheck disable=SC2086
config auto $FIRST 10
start_daemon "$T/camcomplyd.conf" >>"$T/daemon.out" 2>&1
wait_until 10 sget_ok $SUMMARY.4.0 || fail "$DAEMON_NAME did not register again"
wait_until 30 rounds_at_least 1 || fail "no round after the second restart"
for i in $FIRST; do check_row "$i" "probe auto again"; done
# Camera 10 is a Hikvision: found by the probe now, announced once.
WANT[10]="2|hikvision||sadp http https rtsp tls"
check_row 10 "probe auto again"
wait_until 10 traps_at_least 1 $((nr + 1)) || fail "camera 10 not announced"
expect "camera 10 announced once" 1 "$(traps_naming 10)"
for i in $RESTRICTED; do
	expect "camera $i still announced once" 1 "$(traps_naming "$i")"
done

# ---- the password: nowhere ---------------------------------------------------
swalk "$MIB_ARC" >"$T/walk.txt"
$NS_RUN snmpwalk -v2c -c public -r0 -t2 -On -Ox "127.0.0.1:$SNMP_PORT" "$MIB_ARC" >"$T/walk-hex.txt"
hex=$(printf '%s' "$SECRET" | od -An -tx1 | tr -d ' \n' | tr 'a-f' 'A-F')
if tr -cd '0-9A-F' <"$T/walk-hex.txt" | grep -q "$hex"; then
	fail "password in the hex walk of the MIB"
else
	CHECKS=$((CHECKS + 1)); echo "ok - hex walk of the MIB: no password"
fi
stop_daemon
echo "(end of output)" >>"$T/daemon.out"
for file in "$T/state" "$T/daemon.log" "$T/daemon.out" "$T/traps.log" \
	"$T/walk.txt" "$T/walk-hex.txt" "$T/table"; do
	[ -e "$file" ] || continue
	[ -s "$file" ] || { fail "$file is empty: proves nothing"; continue; }
	hit=
	for n in "${NEEDLES[@]}"; do grep -qaF -- "$n" "$file" && hit=1; done
	expect "no password in $(basename "$file")" "" "$hit"
done
expect_match "the debug log is on (the check above read a real log)" 'camcomply:' "$(cat "$T/daemon.log")"
finish
