#!/bin/bash
# camcomply policy check and classify on a policy with jurisdiction: the
# test policy tests/data/policy-juris.xml (lists by jurisdiction and by
# name, zone rules, a maker without <based>, component makers).  No
# network, no camera: the command line as an operator runs it.
. "$(dirname "$0")/lib.sh"
POL=$top_srcdir/tests/data/policy-juris.xml
export CAMCOMPLY_POLICY_SCHEMA=$top_srcdir/data/policy.xsd

out=$("$CAMCOMPLY" policy --oui-registry "" check "$POL" 2>"$T/err")
expect "policy check exits 0 despite the warning" 0 $?
expect_match "a list by jurisdiction and its members" \
	'makers based in CN HK MO and named makers: bigcn odm hkco subco listed \(5\)' "$out"
expect_match "a list by name" 'named makers: bigcn \(1\)' "$out"
expect_match "makers per country" '^  CN  bigcn odm subco$' "$out"
expect_match "a maker based nowhere" '^  \?   nobase$' "$out"
expect_match "the zone rules" \
	'core-prc: core zone, makers based in CN HK MO: disconnect \(while uk is active\)' "$out"
expect_match "component makers" '3 component makers' "$out"
expect_match "a warning for the maker without <based>" \
	"maker 'nobase' has no <based>" "$(cat "$T/err")"

# The same white-label camera on the three zones, the UK list off.
cls() {
	"$CAMCOMPLY" classify --policy "$POL" --oui-registry "" --lists us \
		--manufacturer General --model IPC \
		--firmware V4.02.R11.34500140.10001.131900.00000 \
		--fact http-server=uc-httpd "$@"
}
j=$(cls --zone general --json)
expect_match "white label: attributed to the ODM" '"maker":"odm"' "$j"
expect_match "its jurisdiction" '"jurisdiction":"CN"' "$j"
expect_match "general: the general-prc rule reviews" '"zone_rule":"general-prc"' "$j"
expect_match "general: review" '"action":"review"' "$j"
expect_match "sensitive: nothing (no list, no rule)" 'action      none$' \
	"$(cls --zone sensitive)"
expect_match "core: core-prc is off with uk" 'action      none$' \
	"$(cls --zone core)"
txt=$("$CAMCOMPLY" classify --policy "$POL" --oui-registry "" \
	--manufacturer General --firmware V4.02.R11.34500140.10001.131900.00000 \
	--fact http-server=uc-httpd --zone core)
expect_match "uk on: restricted by jurisdiction" 'lists       uk$' "$txt"
expect_match "uk on: core disconnects" 'action      disconnect$' "$txt"
expect_match "based in" 'based in    CN$' "$txt"
finish
