#!/bin/sh
# tests/mib-lint.sh: CAMERA-COMPLIANCE-MIB is valid SMIv2 and sits where
# camcomplyd serves it.
#
# - smilint -l 6 -s prints nothing (smilint exits 0 even on errors, so the
#   output is what is checked);
# - libsmi and Net-SNMP's own parser both place every object at the fixed
#   OID the daemon's C code uses;
# - snmptranslate parses the module without a word on stderr.
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
if [ "$rc" = 0 ] && [ ! -s "$T/tree.err" ] &&
    grep -q 'camDeviceTlsCertificate(30)' "$T/tree"; then
	echo "ok - snmptranslate -Tp parses the module"
else
	fail "snmptranslate -Tp (rc $rc):"
	cat "$T/tree.err"
fi

# ---- the OIDs the daemon serves: they must not move ------------------------
# name suffix-under-camComplianceMIB
BASE=1.3.6.1.4.1.8072.9999.9999.3102
cat >"$T/oids" <<'EOF'
camNotifications 0
camRestrictedDeviceDetected 0.1
camDeviceVerdictChanged 0.2
camDeviceFirmwareChanged 0.3
camDeviceUnreachable 0.4
camDeviceReachable 0.5
camDeviceSwapped 0.6
camDeviceCertificateChanged 0.7
camObjects 1
camSummary 1.1
camPolicyVersion 1.1.1
camRegistryDate 1.1.2
camLastPollCompleted 1.1.3
camDevicesTotal 1.1.4
camDevicesCompliant 1.1.5
camDevicesRestricted 1.1.6
camDevicesUnidentified 1.1.7
camDevicesUnreachable 1.1.8
camRestrictedOnSensitive 1.1.9
camRestrictedOnCore 1.1.10
camPolicyDate 1.1.11
camActiveLists 1.1.12
camPollRoundsCompleted 1.1.13
camDeviceTable 1.2
camDeviceEntry 1.2.1
camDeviceIndex 1.2.1.1
camDeviceAddressType 1.2.1.2
camDeviceAddress 1.2.1.3
camDeviceServiceUrl 1.2.1.4
camDeviceEndpoint 1.2.1.5
camDeviceManufacturer 1.2.1.6
camDeviceModel 1.2.1.7
camDeviceFirmware 1.2.1.8
camDeviceSerial 1.2.1.9
camDeviceHardwareId 1.2.1.10
camDeviceMacAddress 1.2.1.11
camDeviceMacVendor 1.2.1.12
camDeviceSite 1.2.1.13
camDeviceZone 1.2.1.14
camDeviceVerdict 1.2.1.15
camDeviceMaker 1.2.1.16
camDeviceEvidence 1.2.1.17
camDeviceReason 1.2.1.18
camDeviceAction 1.2.1.19
camDeviceWaiver 1.2.1.20
camDevicePollStatus 1.2.1.21
camDeviceFirstSeen 1.2.1.22
camDeviceLastSeen 1.2.1.23
camDeviceConfidence 1.2.1.24
camDeviceLists 1.2.1.25
camDevicePollDetail 1.2.1.26
camDeviceDiscovery 1.2.1.27
camDeviceLastAnnounced 1.2.1.28
camDeviceTlsPinned 1.2.1.29
camDeviceTlsCertificate 1.2.1.30
camNotifyObjects 1.3
camDiscovery 1.4
camDiscDatagrams 1.4.1
camDiscMalformed 1.4.2
camDiscOversized 1.4.3
camDiscSpoofed 1.4.4
camDiscOutOfScope 1.4.5
camDiscRateLimited 1.4.6
camDiscIgnored 1.4.7
camDiscCapped 1.4.8
camDiscProbesSent 1.4.9
camDiscDevices 1.4.10
camDiscHostCapped 1.4.11
camNotifyPreviousValue 1.3.1
camConformance 2
camCompliances 2.1
camCompliance 2.1.1
camGroups 2.2
camSummaryGroup 2.2.1
camDeviceGroup 2.2.2
camNotifyObjectsGroup 2.2.3
camNotificationsGroup 2.2.4
camDiscoveryGroup 2.2.5
camTlsGroup 2.2.6
camTlsNotificationsGroup 2.2.7
EOF
while read -r name suffix; do
	want=$BASE.$suffix
	got=$(snmptranslate -M "$MIBPATH" -m "$MODULE" -On "$MODULE::$name" 2>&1)
	expect "snmptranslate $name" ".$want" "$got"
	got=$(SMIPATH=$MIBPATH smiquery node "$MODULE::$name" 2>&1 |
		sed -n 's/^ *OID: *//p')
	expect "smiquery $name" "$want" "$got"
done <"$T/oids"

# The textual conventions the daemon's enums are numbered after.
tc_values() {
	SMIPATH=$MIBPATH smiquery type "$MODULE::$1" 2>&1 |
		sed -n 's/^ *Basetype: *//p'
}
for tc in CamVerdict CamZone CamAction CamPollStatus CamDiscoveryMethod; do
	expect "$tc is an enumeration" "Enumeration" "$(tc_values "$tc")"
done
expect "camDeviceEvidence bits" \
    "manufacturer(0), brand(1), oemBrand(2), model(3), firmware(4), hardwareId(5), serial(6), scope(7), scopeLayout(8), macOui(9), macOuiWeak(10), macOuiModule(11), endpoint(12)" \
    "$(sed -n 's/^ *| *| *| *Values: \(manufacturer.*\)/\1/p' "$T/tree")"
expect "camDevicePollStatus values" \
    "ok(1), timeout(2), unreachable(3), authFailed(4), clockSkew(5), fault(6), httpError(7), malformed(8), tlsError(9), noCredentials(10), pending(11), certChanged(12)" \
    "$(sed -n 's/^ *| *| *| *Values: \(ok(1).*\)/\1/p' "$T/tree")"

echo "$CHECKS checks, $FAILS failed"
[ "$CHECKS" -gt 0 ] || { echo "FAIL: no checks ran"; exit 1; }
[ "$FAILS" = 0 ]
