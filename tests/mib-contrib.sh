#!/bin/sh
# tests/mib-contrib.sh: the MIB's numbers that the monitoring files in
# contrib/ (and the documentation) repeat are the MIB's, as
# scripts/mibgen.awk reads it.
#
# - every numeric OID under the enterprises arc in contrib/, README.md and
#   doc/ is under CAMERA-COMPLIANCE-MIB's arc and names one of its nodes, a
#   scalar's .0 instance or a column (with a row index or Zabbix's
#   {#SNMPINDEX});
# - the Zabbix template: its trap items' keys match their notification's
#   OID, its value maps are the enumerations of the columns they are named
#   after and the items using them read those columns, the zone names of
#   its discovery script are CamZone's, and the numbers its triggers
#   compare enumerated items with are values of their enumerations;
# - the Nagios trap handler: its column numbers, the notifications it
#   handles (and snmptrapd.conf.nagios hands it), its zone and action name
#   lists and the zone numbers it tests are the MIB's;
# - check_snmp.cfg's table of scalars names their OIDs right.
#
# Needs no build product and no MIB tool: runs from a bare source tree.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
MIB=${CAMCOMPLY_MIB:-$top_srcdir/mibs/CAMERA-COMPLIANCE-MIB.txt}
T=$(mktemp -d "${TMPDIR:-/tmp}/camcomply-contrib.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
CHECKS=0
FAILS=0

awk -v mode=list -f "$top_srcdir/scripts/mibgen.awk" "$MIB" >"$T/list" ||
	{ echo "FAIL: mibgen.awk cannot read $MIB"; exit 1; }

# Shared by the checks below: the MIB (the first file), and ok/bad.
cat >"$T/common.awk" <<'EOF'
function ok(what) { checks++; print "ok - " what }
function bad(what) { checks++; fails++; print "FAIL: " what }
function summary() { print "CHECKS " checks + 0 " FAILS " fails + 0 }
# The OID of node n relative to the module ("1.2.1" for camDeviceEntry).
function rel(n) { return substr(oid[n], length(arc) + 2) }
# The regular expression text for a dotted path, as "1\.2\.1".
function esc(s) { gsub(/\./, "\\.", s); return s }
# The values of an enumerated object as label lists: by[value] = label.
function values(n, by,    k, v, i, kv) {
	split("", by)
	k = split(vals[n], v, ",")
	for (i = 1; i <= k; i++) {
		split(v[i], kv, "=")
		by[kv[1]] = kv[2]
	}
	return k
}
FNR == NR {
	split($0, f, "\t")
	if (f[2] == "tc")
		next
	name[f[3]] = f[1]; oid[f[1]] = f[3]; kind[f[1]] = f[2]
	access[f[1]] = f[6]; vals[f[1]] = f[10]
	if (f[2] == "module") {
		arc = f[3]
		last = f[3]; sub(/.*\./, "", last)
	}
	next
}
EOF

# Every numeric OID under enterprises.
cat >"$T/oids.awk" <<'EOF'
function served(n) { return access[n] == "read-only" || access[n] == "read-write" }
# What o (and the text after it) names, or "".
function what(o, after,    p, i) {
	if (o in name)
		return name[o]
	p = o; sub(/\.[0-9]+$/, "", p); i = substr(o, length(p) + 2)
	if ((p in name) && kind[name[p]] == "scalar" && i == "0" && served(name[p]))
		return name[p] ".0"
	if ((p in name) && kind[name[p]] == "column" && served(name[p]))
		return name[p] "." i
	if (kind[name[o]] == "column" && after ~ /^\.\{#SNMPINDEX\}/)
		return name[o] ".{#SNMPINDEX}"
	return ""
}
FNR == 1 { if (file != "") done(); file = FILENAME; n = 0 }
{
	s = $0
	while (match(s, /1\.3\.6\.1\.4\.1(\.[0-9]+)+/)) {
		o = substr(s, RSTART, RLENGTH)
		s = substr(s, RSTART + RLENGTH)
		n++
		if (o != arc && index(o, arc ".") != 1)
			bad(file ":" FNR ": " o " is not under the MIB's arc " arc)
		else if (what(o, s) == "")
			bad(file ":" FNR ": " o " names no object of the MIB")
		else
			good++
	}
}
function done() {
	if (n > 0 && good == n)
		ok(file ": its " n " OIDs name the MIB's objects")
	good = 0
}
END { if (file != "") done(); summary() }
EOF

# The Zabbix template, one "- uuid:" record at a time.
cat >"$T/zabbix.awk" <<'EOF'
function value_of(line) {
	sub(/^[^:]*: */, "", line)
	gsub(/^'|'$/, "", line)
	return line
}
function flush(    n, cols, c, o, k, key, by, m, i, kv) {
	if (r_oid ~ /^discovery\[/) {
		cols = 0
		o = r_oid
		while (match(o, /\.?[0-9]+(\.[0-9]+)+/)) {
			c = substr(o, RSTART, RLENGTH); sub(/^\./, "", c)
			o = substr(o, RSTART + RLENGTH)
			if (kind[name[c]] != "column")
				bad(r_name ": discovery reads " c ", not a column")
			cols++
		}
		if (cols > 0)
			ok(r_name ": discovery reads " cols " columns")
	} else if (r_oid != "") {
		o = r_oid; sub(/^\./, "", o)
		c = o; sub(/\.(0|\{#SNMPINDEX\})$/, "", c)
		key = r_key; sub(/\[.*/, "", key)
		column_of[key] = name[c]
		if (r_vm != "") {
			sub(/^CAMERA-COMPLIANCE-MIB::/, "", r_vm)
			if (name[c] == r_vm)
				ok(r_name ": reads " r_vm ", as its value map says")
			else
				bad(r_name ": value map " r_vm ", but reads " o " (" name[c] ")")
		}
	}
	if (r_name ~ /^Trap: /) {
		n = r_name; sub(/^Trap: /, "", n)
		k = "\\." esc(last "." rel(n)) "(\\s|$)"
		if (kind[n] == "notification" && index(r_key, k) > 0)
			ok(r_name ": key matches " k)
		else
			bad(r_name ": key " r_key ", want snmptrap[\"" k "\"]")
		trap_key[r_key] = 1
	}
	if (r_map != "") {
		n = r_vmname; sub(/^CAMERA-COMPLIANCE-MIB::/, "", n)
		if (r_map == vals[n] "," && vals[n] != "-")
			ok("value map " r_vmname " is " n "'s enumeration")
		else
			bad("value map " r_vmname ": " r_map " is not " n "'s " vals[n])
	}
	r_name = r_oid = r_key = r_vm = r_map = r_vmname = ""
	in_vm = 0
}
/^ *- uuid:/ { flush(); ind = index($0, "-"); next }
/^ *name:/ {
	if (in_vm) { r_vm = value_of($0); in_vm = 0 }
	else if (index($0, "n") == ind + 2) { r_name = value_of($0); r_vmname = r_name }
}
/^ *valuemap:/ { in_vm = 1 }
/^ *snmp_oid:/ { r_oid = value_of($0) }
/^ *key:/ { r_key = value_of($0) }
/^ *- value:/ { m_value = value_of($0) }
/^ *newvalue:/ { r_map = r_map m_value "=" value_of($0) "," }
/var zones = \{/ {
	s = $0; z = ""
	while (match(s, /'[0-9]+': *'[A-Za-z]+'/)) {
		p = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
		gsub(/[' ]/, "", p); split(p, kv, ":")
		z = z (z == "" ? "" : ",") kv[1] "=" kv[2]
	}
	if (z == vals["camDeviceZone"])
		ok("the discovery script's zone names are CamZone's")
	else
		bad("the discovery script's zones " z ", want " vals["camDeviceZone"])
}
{
	# Enumerated items compared with numbers in trigger expressions.
	s = $0
	while (match(s, /last\([^)]*\/camcomply\.camera\.[a-z]+\[[^]]*\]\)(=|<>)[0-9]+/)) {
		cmp[++ncmp] = substr(s, RSTART, RLENGTH)
		s = substr(s, RSTART + RLENGTH)
	}
	s = $0
	while (match(s, /snmptrap\["[^"]*"\]/)) {
		used[substr(s, RSTART, RLENGTH)] = FNR
		s = substr(s, RSTART + RLENGTH)
	}
}
END {
	flush()
	for (i = 1; i <= ncmp; i++) {
		k = cmp[i]; sub(/.*\//, "", k); sub(/\[.*/, "", k)
		v = cmp[i]; sub(/.*[=>]/, "", v)
		c = column_of[k]
		if (("," vals[c] ",") ~ ("," v "="))
			good_cmp++
		else
			bad("trigger: " cmp[i] ": " v " is not a value of " c " (" vals[c] ")")
	}
	if (ncmp > 0 && good_cmp == ncmp)
		ok("triggers compare " ncmp " enumerated items with values of theirs")
	for (k in used)
		if (!(k in trap_key))
			bad("line " used[k] ": " k " is no trap item's key")
	summary()
}
EOF

# The Nagios trap handler, and snmptrapd.conf.nagios.
cat >"$T/nagios.awk" <<'EOF'
FILENAME ~ /snmptrapd\.conf/ && $1 == "traphandle" {
	o = $2; sub(/^\./, "", o)
	if (kind[name[o]] == "notification")
		handed[name[o]] = 1
	else
		bad("snmptrapd.conf.nagios hands " $2 " over: not a notification")
	next
}
FILENAME ~ /snmptrapd\.conf/ { next }
{
	s = $0
	while (match(s, /names\["[A-Za-z]+"\] = [0-9]+/)) {
		p = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
		split(p, kv, "\"")
		c = kv[3]; sub(/[^0-9]*/, "", c)
		col[c] = "camDevice" kv[2]
		if (kind[col[c]] == "column" && rel(col[c]) == rel("camDeviceEntry") "." c)
			good_col++
		else
			bad("camcomply-trap-nagios: names[\"" kv[2] "\"] = " c ": camDevice" kv[2] " is not column " c)
		ncol++
	}
	s = $0
	while (match(s, /f\[[0-9]+\]/)) {
		used[substr(s, RSTART + 2, RLENGTH - 3)] = FNR
		s = substr(s, RSTART + RLENGTH)
	}
	# The column OIDs it recognises: "<arc>\.<entry>\.<col>\.<index>".
	if (match($0, /\/[0-9]+(\\\.[0-9]+)+\\\.\[0-9\]\+\\\.\[0-9\]\+\$\//)) {
		p = substr($0, RSTART + 1, RLENGTH - 1)
		sub(/\\\.\[0-9\].*/, "", p)
		want = esc(last "." rel("camDeviceEntry"))
		if (p == want)
			ok("camcomply-trap-nagios: column OIDs are under " want)
		else
			bad("camcomply-trap-nagios: column OIDs under " p ", want " want)
		entry_parts = split(last "." rel("camDeviceEntry"), junk, ".")
	}
	if (match($0, /return p\[[0-9]+\]/)) {
		p = substr($0, RSTART + 9, RLENGTH - 10)
		if (p == entry_parts + 1)
			ok("camcomply-trap-nagios: the column is part " p " of the OID")
		else
			bad("camcomply-trap-nagios: p[" p "] is not the column (part " entry_parts + 1 ")")
	}
	# (<arc>\.0\.N|camName): the notifications it handles.
	s = $0
	while (match(s, /\([0-9]+(\\\.[0-9]+)+\|cam[A-Za-z]+\)/)) {
		p = substr(s, RSTART + 1, RLENGTH - 2); s = substr(s, RSTART + RLENGTH)
		split(p, kv, "|")
		if (kv[1] == esc(last "." rel(kv[2])) && kind[kv[2]] == "notification")
			ok("camcomply-trap-nagios: " kv[1] " is " kv[2])
		else
			bad("camcomply-trap-nagios: " kv[1] " is not " kv[2])
		handles[kv[2]] = 1
	}
	# Name lists by value: split("? a b", arr, " ") with arr[var + 1],
	# var = num(f[col]).
	if (match($0, /split\("[^"]*", [a-z]+, " "\)/)) {
		p = substr($0, RSTART, RLENGTH)
		split(p, kv, "\"")
		a = kv[3]; gsub(/[^a-z]/, "", a)
		list[a] = kv[2]
	}
	if (match($0, /[a-z]+ = num\(f\[[0-9]+\]\)/)) {
		s = $0
		while (match(s, /[a-z]+ = num\(f\[[0-9]+\]\)/)) {
			p = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
			v = p; sub(/ .*/, "", v)
			c = p; gsub(/[^0-9]/, "", c)
			var_col[v] = c
		}
	}
	s = $0
	while (match(s, /[a-z]+\[[a-z]+ \+ 1\]/)) {
		p = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
		split(p, kv, "[")
		v = kv[2]; sub(/ .*/, "", v)
		indexed[kv[1]] = v
	}
	# (z == 2 || z == 3 || zone ~ /^(core|sensitive)/)
	if (match($0, /[a-z]+ == [0-9]+ \|\| [a-z]+ == [0-9]+ \|\| [a-z]+ ~ \/\^\([a-z|]+\)\//)) {
		p = substr($0, RSTART, RLENGTH)
		zvar = p; sub(/ .*/, "", zvar)
		ztest = p
	}
}
END {
	if (ncol > 0 && good_col == ncol)
		ok("camcomply-trap-nagios: its " ncol " column numbers are the MIB's")
	for (c in used)
		if (!(c in col))
			bad("camcomply-trap-nagios: line " used[c] ": f[" c "] is no column it names")
	for (a in list) {
		# Lists indexed by a column's value (not, e.g., by a state).
		if (!((a in indexed) && (indexed[a] in var_col)))
			continue
		c = col[var_col[indexed[a]]]
		nlists++
		k = split(list[a], lab, " ")
		values(c, by)
		s = ""
		for (i = 2; i <= k; i++)
			s = s (s == "" ? "" : ",") (i - 1) "=" lab[i]
		if (s == vals[c])
			ok("camcomply-trap-nagios: " a "[] names " c "'s values")
		else
			bad("camcomply-trap-nagios: " a "[] is " s ", " c " is " vals[c])
	}
	if (nlists < 2)
		bad("camcomply-trap-nagios: " nlists + 0 " name lists by column value, want the zones and actions")
	if (ztest != "") {
		c = col[var_col[zvar]]
		values(c, by)
		split(ztest, w, " ")
		zl = ztest; sub(/.*\^\(/, "", zl); sub(/\).*/, "", zl)
		split(zl, l, "|")
		if (by[w[3]] == l[1] && by[w[7]] == l[2])
			ok("camcomply-trap-nagios: " w[3] " and " w[7] " are " l[1] " and " l[2] " in " c)
		else
			bad("camcomply-trap-nagios: " ztest ": " c " is " vals[c])
	}
	for (n in handed)
		if (!(n in handles))
			bad("snmptrapd.conf.nagios hands it " n ", which it ignores")
	for (n in handles)
		if (!(n in handed))
			bad("it handles " n ", which snmptrapd.conf.nagios does not hand it")
	summary()
}
EOF

# check_snmp.cfg's comment table: "camName  .1.1.N.0" under the arc.
cat >"$T/table.awk" <<'EOF'
/^# +cam[A-Za-z]+ +\.[0-9.]+/ {
	n++
	if (kind[$2] == "scalar" && "." rel($2) ".0" == $3)
		good++
	else
		bad(FILENAME ":" FNR ": " $2 " is ." rel($2) ".0, not " $3)
}
END {
	if (n > 0 && good == n)
		ok(FILENAME ": its " n " scalars are at their OIDs")
	summary()
}
EOF

# The groups of checks: name, program, files (from the top of the tree).
cd "$top_srcdir" || exit 99
Z=contrib/zabbix/camcomply_template.yaml
N=contrib/nagios
CHECK_GROUPS="oids zabbix nagios check_snmp"
files() {
	case $1 in
	oids) find contrib README.md doc -type f ! -name '*.am' | sort ;;
	zabbix) echo "$Z" ;;
	nagios) echo "$N/snmptrapd.conf.nagios $N/camcomply-trap-nagios" ;;
	check_snmp) echo "$N/check_snmp.cfg" ;;
	esac
}
prog() { case $1 in check_snmp) echo table.awk ;; *) echo "$1.awk" ;; esac; }

# check GROUP LIST: one group against mibgen.awk's LIST, into $T/out.GROUP.
check() {
	# shellcheck disable=SC2046 # file names without spaces
	awk -f "$T/common.awk" -f "$T/$(prog "$1")" "$2" $(files "$1") \
	    >"$T/out.$1" 2>&1
}

for g in $CHECK_GROUPS; do
	check "$g" "$T/list"
	grep -v '^CHECKS ' "$T/out.$g"
	# shellcheck disable=SC2046 # "CHECKS n FAILS m"
	set -- $(sed -n 's/^CHECKS //p' "$T/out.$g")
	if [ $# != 3 ] || [ "$1" = 0 ]; then
		echo "FAIL: $g: the checks did not run"
		CHECKS=$((CHECKS + 1)) FAILS=$((FAILS + 1))
		continue
	fi
	CHECKS=$((CHECKS + $1)) FAILS=$((FAILS + $3))
done

# The checks can fail: against altered copies of the MIB, the groups named
# must each find something wrong.
# must_fail WHAT SED-EXPRESSION GROUP...
must_fail() {
	what=$1 expr=$2
	shift 2
	sed "$expr" "$MIB" >"$T/altered.txt"
	CHECKS=$((CHECKS + 1))
	if cmp -s "$MIB" "$T/altered.txt" ||
	    ! awk -v mode=list -f scripts/mibgen.awk "$T/altered.txt" \
	    >"$T/list.altered"; then
		echo "FAIL: $what: the MIB could not be altered"
		FAILS=$((FAILS + 1))
		return
	fi
	missed=
	for g in "$@"; do
		check "$g" "$T/list.altered"
		grep -q '^CHECKS [0-9]* FAILS [1-9]' "$T/out.$g" || missed="$missed $g"
	done
	if [ -z "$missed" ]; then
		echo "ok - $what: caught by $*"
	else
		echo "FAIL: $what: not caught by$missed"
		FAILS=$((FAILS + 1))
	fi
}
must_fail "the MIB moved to another arc" \
    's/^\( *::= { netSnmpPlaypen\) [0-9]*/\1 31020/' oids zabbix nagios
must_fail "CamZone renumbered" \
    '/^CamZone ::=/,/^ *}/s/^\( *sensitive\)(3)$/\1(4)/' zabbix nagios
must_fail "camDeviceZone and camDeviceVerdict swapped" \
    's/^\( *::= { camDeviceEntry\) 14 }/\1 99 }/
     s/^\( *::= { camDeviceEntry\) 15 }/\1 14 }/
     s/^\( *::= { camDeviceEntry\) 99 }/\1 15 }/' zabbix nagios
must_fail "camRestrictedOnCore renumbered" \
    's/^\( *::= { camSummary\) 10 }/\1 14 }/' oids check_snmp

echo "$CHECKS checks, $FAILS failed"
[ "$CHECKS" -gt 0 ] || { echo "FAIL: no checks ran"; exit 1; }
[ "$FAILS" = 0 ]
