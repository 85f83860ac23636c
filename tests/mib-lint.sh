#!/bin/sh
# tests/mib-lint.sh: CAMERA-COMPLIANCE-MIB is valid SMIv2, and
# scripts/mibgen.awk, which the C code's numbers come from, reads it as
# libsmi and Net-SNMP do.
#
# - smilint -l 6 -s prints nothing (smilint exits 0 even on errors, so the
#   output is what is checked);
# - snmptranslate parses the module without a word on stderr;
# - mibgen.awk finds the same nodes and textual conventions as smidump,
#   none more, none fewer;
# - for each node, libsmi and Net-SNMP give the OID mibgen.awk gives, and
#   libsmi the same kind and MAX-ACCESS; each enumeration (a textual
#   convention's or an object's own, BITS too) has the labels and numbers
#   mibgen.awk gives, as Net-SNMP reads them.
#
# The IETF base modules come from scripts/ietf-mibs.sh (a local copy, or
# erlang-snmp fetched with apt-get download).  Self-contained: needs no
# build product, so it also runs from a bare source tree.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
MIB=$top_srcdir/mibs/CAMERA-COMPLIANCE-MIB.txt
MODULE=CAMERA-COMPLIANCE-MIB
T=$(mktemp -d "${TMPDIR:-/tmp}/camcomply-mib.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
FAILS=0
CHECKS=0

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
expect() {
	CHECKS=$((CHECKS + 1))
	if [ "$2" = "$3" ]; then
		echo "ok - $1"
	else
		fail "$1: want '$2', got '$3'"
	fi
}

[ -f "$MIB" ] || { echo "ERROR: $MIB missing"; exit 99; }
command -v smilint >/dev/null ||
	skip "smilint not installed (Debian package smitools)"
command -v smiquery >/dev/null ||
	skip "smiquery not installed (Debian package smitools)"
command -v snmptranslate >/dev/null ||
	skip "snmptranslate not installed (Debian package snmp)"
IETF=$("$top_srcdir/scripts/ietf-mibs.sh") ||
	skip "cannot obtain the IETF base MIBs (SNMPv2-SMI, SNMPv2-TC, SNMPv2-CONF, INET-ADDRESS-MIB): see the message above; set CAMCOMPLY_IETF_MIBS to a folder holding them"

# NET-SNMP-MIB (netSnmpPlaypen) comes with Net-SNMP itself.
NETSNMP_MIBS=
for d in $(net-snmp-config --default-mibdirs 2>/dev/null | tr ':' ' ') \
    /usr/share/snmp/mibs /usr/local/share/snmp/mibs; do
	if [ -f "$d/NET-SNMP-MIB.txt" ]; then
		NETSNMP_MIBS=$d
		break
	fi
done
[ -n "$NETSNMP_MIBS" ] || skip "NET-SNMP-MIB.txt not found (Debian package snmp)"
MIBPATH=$top_srcdir/mibs:$IETF:$NETSNMP_MIBS
echo "# MIB path: $MIBPATH"

# ---- libsmi ---------------------------------------------------------------
out=$(SMIPATH=$MIBPATH smilint -l 6 -s "$MIB" 2>&1)
CHECKS=$((CHECKS + 1))
if [ -z "$out" ]; then
	echo "ok - smilint -l 6 -s is silent"
else
	fail "smilint -l 6 -s:"
	printf '%s\n' "$out"
fi

# ---- Net-SNMP --------------------------------------------------------------
# Keep Net-SNMP's persistent and config files in the temp dir; load only
# this module (and what it imports), so stderr is about it alone.
SNMP_PERSISTENT_DIR=$T SNMPCONFPATH=$T MIBS=''
export SNMP_PERSISTENT_DIR SNMPCONFPATH MIBS
# Net-SNMP announces creating this on stderr: have it already there.
mkdir "$T/cert_indexes"
snmptranslate -M "$MIBPATH" -m "$MODULE" -Tp "$MODULE::camComplianceMIB" \
    >"$T/tree" 2>"$T/tree.err"
rc=$?
CHECKS=$((CHECKS + 1))
if [ "$rc" = 0 ] && [ ! -s "$T/tree.err" ] && [ -s "$T/tree" ]; then
	echo "ok - snmptranslate -Tp parses the module"
else
	fail "snmptranslate -Tp (rc $rc):"
	cat "$T/tree.err"
fi

# ---- what mibgen.awk reads in the MIB --------------------------------------
# name kind oid parent sub access syntax base constraint values (tabs)
awk -v mode=list -f "$top_srcdir/scripts/mibgen.awk" "$MIB" >"$T/list" ||
	{ echo "FAIL: mibgen.awk cannot read $MIB"; exit 1; }

# The same identifiers as smidump (libsmi's kinds: a MODULE-IDENTITY is a
# node, an entry a row, a textual convention a type).
awk -F '\t' '{
	k = $2 == "module" ? "node" : $2 == "entry" ? "row" : $2 == "tc" ? "type" : $2
	print $1, k, ($3 == "-" ? "" : $3)
}' "$T/list" | sed 's/ *$//' | sort >"$T/ours"
SMIPATH=$MIBPATH smidump -f identifiers "$MIB" 2>&1 |
	awk -v m="$MODULE" '$1 == m { print $2, $3, $4 }' | sed 's/ *$//' |
	sort >"$T/libsmi"
CHECKS=$((CHECKS + 1))
if [ "$(wc -l <"$T/ours")" -gt 0 ] && cmp -s "$T/ours" "$T/libsmi"; then
	echo "ok - mibgen.awk and smidump list the same $(wc -l <"$T/ours") identifiers"
else
	fail "mibgen.awk (<) and smidump (>) disagree:"
	diff "$T/ours" "$T/libsmi"
fi

# Node by node: OID from both parsers, kind and access from libsmi.
while IFS='	' read -r name kind oid _parent _sub access _syntax _base _cons vals; do
	[ "$kind" = tc ] && continue
	got=$(snmptranslate -M "$MIBPATH" -m "$MODULE" -On "$MODULE::$name" 2>&1)
	expect "snmptranslate $name" ".$oid" "$got"
	SMIPATH=$MIBPATH smiquery node "$MODULE::$name" >"$T/node" 2>&1
	expect "smiquery $name" "$oid" "$(sed -n 's/^ *OID: *//p' "$T/node")"
	case $kind in
	module) kind=node ;;
	entry) kind=row ;;
	esac
	expect "smiquery $name kind" "$kind" \
	    "$(sed -n 's/^ *NodeKind: *//p' "$T/node")"
	if [ "$kind" = notification ]; then
		want=$(printf '%s\n' "$vals" | tr ',' '\n' | sed 's/^[0-9]*=//')
		got=$(sed -n '/^ *Objects:/,/^ *[A-Za-z]*: /p' "$T/node" |
			sed -n 's/.*::\(.*\)/\1/p')
		expect "smiquery $name objects" "$want" "$got"
	fi
	[ "$access" = - ] && continue
	expect "smiquery $name access" "$access" \
	    "$(sed -n 's/^ *Access: *//p' "$T/node")"
done <"$T/list"

# Syntax of every scalar and column as Net-SNMP resolves it through the
# textual conventions: base type, size or range, enumeration (BITS too).
while IFS='	' read -r name kind _oid _p _s _a syntax base cons vals; do
	case $kind in scalar|column) ;; *) continue ;; esac
	want=$base
	[ "$cons" = - ] || want="$want (${cons#*:})"
	[ "$vals" = - ] || want="$want {$(printf '%s\n' "$vals" | tr ',' '\n' |
		awk -F= '{ printf "%s%s(%s)", (NR > 1 ? ", " : ""), $2, $1 }')}"
	got=$(snmptranslate -M "$MIBPATH" -m "$MODULE" -Td "$MODULE::$name" 2>&1 |
		sed -n 's/^ *SYNTAX[[:space:]]*//p' | sed 's/ *$//; s/ | /|/g')
	expect "$name syntax ($syntax)" "$want" "$got"
done <"$T/list"

# Each textual convention's enumeration, as libsmi reads it.
while IFS='	' read -r name kind _oid _p _s _a _syntax base _cons vals; do
	if [ "$kind" != tc ] || [ "$base" != INTEGER ]; then continue; fi
	want=$(printf '%s\n' "$vals" | tr ',' '\n' |
		awk -F= '{ printf "%s%s(%s)", (NR > 1 ? " " : ""), $2, $1 }')
	got=$(SMIPATH=$MIBPATH smiquery type "$MODULE::$name" 2>&1 |
		sed -n 's/^ *Numbers: *//p')
	expect "$name values (libsmi)" "$want" "$got"
done <"$T/list"

echo "$CHECKS checks, $FAILS failed"
[ "$CHECKS" -gt 0 ] || { echo "FAIL: no checks ran"; exit 1; }
[ "$FAILS" = 0 ]
