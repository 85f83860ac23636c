#!/bin/bash
# What the agent serves is what CAMERA-COMPLIANCE-MIB declares: a real
# snmpd master, the MIB module and simulated cameras on 127.2.13.0/24, and
# a walk of camComplianceMIB compared with the MIB (read by
# scripts/mibgen.awk at run time, so a MIB edited after the build counts):
#
# - every read-only scalar answers at .0 and every read-only column has one
#   instance per row, and nothing else is served: no not-accessible or
#   accessible-for-notify object, nothing the MIB does not declare;
# - each value has its SYNTAX's type on the wire (INTEGER, Gauge32 for
#   Gauge32 and Unsigned32, Counter32, OCTET STRING for strings and BITS)
#   and keeps to its enumeration, range or size (DisplayString, DateAndTime,
#   the fingerprints and MAC address of the module's own conventions);
# - each notification snmptrapd receives is declared and carries its
#   OBJECTS, in order, of one row, typed as declared.
#
# The comparisons are then run against altered copies of the MIB (a
# column the agent does not serve, a column it serves missing, a zone it
# sends missing, a notification's OBJECTS changed): each must fail, or the
# comparison proves nothing.
. "$(dirname "$0")/lib.sh"
NET=${NET:-127.2.13}
. "$(dirname "$0")/lib-snmp.sh"
MIB=${CAMCOMPLY_MIB:-$top_srcdir/mibs/CAMERA-COMPLIANCE-MIB.txt}
MIBGEN=$top_srcdir/scripts/mibgen.awk
command -v snmpbulkwalk >/dev/null ||
	skip "snmpbulkwalk not installed (Debian package snmp)"
# name kind oid parent sub access syntax base constraint values (tabs)
awk -v mode=list -f "$MIBGEN" "$MIB" >"$T/list" ||
	{ fail "mibgen.awk cannot read $MIB"; exit 1; }
oid_of() { awk -F '\t' -v n="$1" '$1 == n { print $3 }' "$T/list"; }
oid_re() { oid_of "$1" | sed 's/\./\\./g'; }
ARC=$(oid_of camComplianceMIB)

# Cameras for varied values: restricted over pinned TLS (32-octet
# fingerprints, a MAC address), compliant, unidentified, and an address
# where nothing listens (unreachable, empty strings).
PW=$(password_file site site-pass)
start_sim "hikvision-wsse@$NET.1:$CAM_PORT,tls=yes,user=admin,password-file=$PW" \
	"axis@$NET.2:$CAM_PORT,user=admin,password-file=$PW" \
	"generic@$NET.3:$CAM_PORT,user=admin,password-file=$PW"
cat >"$T/camcomplyd.conf" <<EOF
credentials site admin $PW verify-tls pin
site secure $NET.0/30 sensitive
camera https://$NET.1:$CAM_PORT/onvif/device_service credentials site
camera $NET.2:$CAM_PORT credentials site
camera $NET.3:$CAM_PORT credentials site
camera $NET.9:$CAM_PORT
policy $top_srcdir/data/policy.xml
state-file $T/state
poll-interval 300
timeout 3
EOF
start_stack "$T/camcomplyd.conf"
wait_until 20 polled_at_least 4 || fail "the cameras were not all polled"
wait_until 10 rounds_at_least 1 || fail "no poll round completed"

# The walk: numeric OIDs, every string in hex so its length is known, and
# Net-SNMP's continuation lines of long hex strings joined.  One line per
# varbind: OID, type, value.
snmpbulkwalk -v2c -c public -r0 -t5 -On -Ox "127.0.0.1:$SNMP_PORT" \
    ".$ARC" >"$T/walk.raw" 2>"$T/walk.err" ||
	{ cat "$T/walk.err"; fail "snmpbulkwalk failed"; exit 1; }
awk '
/^\./ {
	if (line != "") print line
	oid = $1; sub(/^\./, "", oid)
	rest = $0; sub(/^[^=]*= */, "", rest)
	if (rest == "\"\"") { type = "STRING"; val = "" }
	else { type = rest; sub(/:.*/, "", type); val = rest; sub(/^[^:]*: */, "", val) }
	line = oid "\t" type "\t" val
	next
}
{ line = line " " $0 }
END { if (line != "") print line }' "$T/walk.raw" | sed 's/[[:space:]]*$//' >"$T/walk"
expect_match "the walk returned varbinds" '^[1-9][0-9]*$' "$(grep -c . "$T/walk")"

# Shared by the comparisons: ok/FAIL lines, and the type Net-SNMP prints
# for an SMI base type (Unsigned32 and Gauge32 share their tag; "STRING"
# stands for Hex-STRING too).
COMMON_AWK='
function ok(what) { checks++; print "ok - " what }
function bad(what) { checks++; fails++; print "FAIL: " what }
function wire(base) {
	if (base == "Unsigned32" || base == "Gauge32") return "Gauge32"
	if (base == "BITS" || base == "OCTET STRING") return "STRING"
	if (base == "TimeTicks") return "Timeticks"
	if (base == "OBJECT IDENTIFIER") return "OID"
	return base
}'

# check_served LIST WALK: compares; prints ok/FAIL lines and a last line
# "CHECKS n FAILS m".
check_served() {
	awk -F '\t' -v arc="$ARC" "$COMMON_AWK"'
function served(a) { return a == "read-only" || a == "read-write" || a == "read-create" }
# The length of a value printed with -Ox (hex octets, or "" for none).
function octets(v,    n, b) { n = split(v, b, " "); return n }
function in_size(n, c,    k, r, i, lohi) {
	k = split(c, r, "|")
	for (i = 1; i <= k; i++) {
		if (split(r[i], lohi, /\.\./) == 2) {
			if (n >= lohi[1] + 0 && n <= lohi[2] + 0) return 1
		} else if (n == r[i] + 0)
			return 1
	}
	return 0
}
FNR == NR {
	# name kind oid parent sub access syntax base constraint values
	if ($2 != "scalar" && $2 != "column") next
	obj[$3] = $1; kind[$1] = $2; access[$1] = $6; base[$1] = $8
	cons[$1] = $9; vals[$1] = $10; syntax[$1] = $7
	if (served($6)) { want[$1] = 1; order[++n] = $1 }
	next
}
{
	o = $1; t = $2; v = $3
	if (index(o, arc ".") != 1) { bad(o " is outside the MIB"); next }
	# The object: the OID less one sub-identifier (.0, or the row index).
	p = o; sub(/\.[0-9]+$/, "", p); inst = substr(o, length(p) + 2)
	if (!(p in obj)) { bad(o ": served, but no object of the MIB"); next }
	name = obj[p]
	if (!(name in want)) { bad(o ": served, but " name " is " access[name]); next }
	if (kind[name] == "scalar" && inst != "0") { bad(o ": a scalar instance other than .0"); next }
	count[name]++
	if (kind[name] == "column") rows[inst] = 1
	w = wire(base[name])
	if (t == "Hex-STRING") t = "STRING"
	if (t != w) { badtype[name] = badtype[name] " " inst ":" t; next }
	if (t == "STRING" && cons[name] ~ /^size:/ && !in_size(octets(v), substr(cons[name], 6)))
		badval[name] = badval[name] " " inst ":" octets(v) "octets"
	if (t == "INTEGER" && vals[name] != "-" && ("," vals[name] ",") !~ ("," v "="))
		badval[name] = badval[name] " " inst ":" v
	if (cons[name] ~ /^range:/ && !in_size(v, substr(cons[name], 7)))
		badval[name] = badval[name] " " inst ":" v
}
END {
	for (r in rows) nrows++
	for (i = 1; i <= n; i++) {
		name = order[i]
		w = kind[name] == "scalar" ? 1 : nrows
		if (count[name] == 0) { bad(name ": declared " access[name] ", not served"); continue }
		if (count[name] != w) bad(name ": " count[name] " instances, want " w)
		else ok(name " served (" w " instance" (w == 1 ? "" : "s") ")")
		if (name in badtype) bad(name " (" syntax[name] "): type on the wire, want " wire(base[name]) ":" badtype[name])
		else ok(name " is " wire(base[name]) " (" syntax[name] ")")
		desc = syntax[name] (cons[name] != "-" ? " " cons[name] : "") \
		    (vals[name] != "-" ? " " vals[name] : "")
		if (name in badval) bad(name " (" desc "): values out of its syntax:" badval[name])
		else if (desc != syntax[name]) ok(name " values keep to " desc)
	}
	print "CHECKS " checks + 0 " FAILS " fails + 0
}' "$1" "$2"
}

# count FILE: a comparison's output as checks of this test.
count() {
	grep -v '^CHECKS ' "$1"
	# shellcheck disable=SC2046 # "CHECKS n FAILS m"
	set -- $(sed -n 's/^CHECKS //p' "$1")
	CHECKS=$((CHECKS + $1))
	FAILS=$((FAILS + $3))
}

check_served "$T/list" "$T/walk" >"$T/check.mib"
count "$T/check.mib"
expect "rows walked" 4 \
    "$(cut -f1 "$T/walk" | grep -c "^$(oid_re camDeviceServiceUrl)\.")"

# check_traps LIST: the notifications snmptrapd received are declared, and
# each carries its OBJECTS in the MIB's order, all of one row, each with its
# type.  Output as check_served's.
check_traps() {
	awk -F '\t' "$COMMON_AWK"'
FNR == NR {
	obj[$3] = $1; base[$1] = $8
	if ($2 == "notification") { notif[$3] = $1; objects[$1] = $10 }
	next
}
/^\.1\.3\.6\.1\.2\.1\.1\.3\.0 / {
	split($2, tv, " = OID: \\.")
	# Sent by snmpd itself when the module runs inside it: coldStart,
	# and nsNotifyShutdown and nsNotifyRestart (NET-SNMP-AGENT-MIB).
	if (tv[2] ~ /^1\.3\.6\.1\.(6\.3\.1\.1\.5\.1|4\.1\.8072\.4\.0\.[23])$/)
		next
	n = notif[tv[2]]
	if (n == "") { bad("notification " tv[2] " is not in the MIB"); next }
	got = ""; row = ""; types = 1
	for (i = 3; i <= NF; i++) {
		split($i, vb, " = "); o = substr(vb[1], 2)
		p = o; sub(/\.[0-9]+$/, "", p); inst = substr(o, length(p) + 2)
		name = p in obj ? obj[p] : o
		got = got (got == "" ? "" : ",") (i - 2) "=" name
		t = vb[2]; sub(/:.*/, "", t); if (t == "Hex-STRING" || t == "\"\"") t = "STRING"
		if (t != wire(base[name])) { types = 0; bad(n ": " name " is " t ", want " wire(base[name])) }
		if (inst != "0" && row == "") row = inst
		else if (inst != "0" && inst != row) bad(n ": " o " is not of row " row)
	}
	seen[n]++
	if (got != objects[n]) bad(n " carries " got ", want its OBJECTS " objects[n])
	else if (seen[n] == 1) ok(n " carries its OBJECTS in order" (types ? ", typed as declared" : ""))
}
END { print "CHECKS " checks + 0 " FAILS " fails + 0 }' "$1" "$T/traps.log"
}

wait_until 10 traps_at_least 1 1 || fail "no camRestrictedDeviceDetected"
check_traps "$T/list" >"$T/check.traps"
count "$T/check.traps"
expect_match "camRestrictedDeviceDetected among them" '^ok - camRestrictedDeviceDetected ' \
    "$(grep camRestrictedDeviceDetected "$T/check.traps")"

# The comparisons can fail.  new_fails BASE ALTERED: the FAIL lines of a
# comparison against an altered MIB that the real one's did not have.
new_fails() {
	grep '^FAIL' "$1" | sort >"$T/fails.base"
	grep '^FAIL' "$2" | sort | comm -13 "$T/fails.base" -
}
# A MIB whose CamZone lacks a value served...
awk '/^CamZone ::= TEXTUAL-CONVENTION/ { tc = 1 }
tc && /^ *sensitive\(3\)$/ { next }
tc && /^ *}/ { tc = 0 }
{ print }' "$MIB" >"$T/zones.txt"
awk -v mode=list -f "$MIBGEN" "$T/zones.txt" >"$T/list.zones"
check_served "$T/list.zones" "$T/walk" >"$T/check.zones"
expect_match "a zone the MIB does not enumerate fails" \
    '^FAIL: camDeviceZone \(CamZone 1=general,2=core\): values out of its syntax:( [0-9]+:3)+$' \
    "$(new_fails "$T/check.mib" "$T/check.zones")"
# ... a MIB with a column the agent does not serve...
awk '/^END$/ {
	print "camDeviceFutureColumn OBJECT-TYPE"
	print "    SYNTAX      DisplayString"
	print "    MAX-ACCESS  read-only"
	print "    STATUS      current"
	print "    DESCRIPTION \"Not served.\""
	print "    ::= { camDeviceEntry 99 }"
}
{ print }' "$MIB" >"$T/more.txt"
awk -v mode=list -f "$MIBGEN" "$T/more.txt" >"$T/list.more"
check_served "$T/list.more" "$T/walk" >"$T/check.more"
expect "a column the MIB adds and the agent does not serve fails" \
    "FAIL: camDeviceFutureColumn: declared read-only, not served" \
    "$(new_fails "$T/check.mib" "$T/check.more")"
# ... and one without a column the agent serves (its definition dropped).
awk '/^camDeviceTlsCertificate OBJECT-TYPE/ { skip = 1 }
!skip { print }
skip && /::=/ { skip = 0 }' "$MIB" >"$T/less.txt"
awk -v mode=list -f "$MIBGEN" "$T/less.txt" >"$T/list.less"
check_served "$T/list.less" "$T/walk" >"$T/check.less"
expect_match "a column the agent serves and the MIB lacks fails" \
    "^FAIL: $(oid_re camDeviceTlsCertificate)\\.[0-9]+: served, but no object of the MIB" \
    "$(new_fails "$T/check.mib" "$T/check.less" | head -n 1)"
expect "... once per row" 4 \
    "$(new_fails "$T/check.mib" "$T/check.less" | grep -c .)"
# ... and a notification whose OBJECTS are not what the agent sends.
awk '/^camRestrictedDeviceDetected NOTIFICATION-TYPE/ { n = 1 }
n && /^ *camDeviceReason$/ { next }
n && /^ *}/ { n = 0 }
{ print }' "$MIB" >"$T/objects.txt"
awk -v mode=list -f "$MIBGEN" "$T/objects.txt" >"$T/list.objects"
check_traps "$T/list.objects" >"$T/check.objects"
expect_match "a notification sent with other OBJECTS than the MIB's fails" \
    '^FAIL: camRestrictedDeviceDetected carries .*,15=camDeviceReason, want its OBJECTS .*,14=camDeviceAction$' \
    "$(new_fails "$T/check.traps" "$T/check.objects")"
finish
