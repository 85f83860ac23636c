#!/bin/bash
# Every simulator profile through the ONVIF client and the policy: each
# camera on 127.2.1.N with its own credentials.  What the client reports
# must equal what the profile file says, and the verdict must be the one the
# policy owes that maker.
. "$(dirname "$0")/lib.sh"
NET=127.2.1

# profile -> expected verdict, maker (the policy's answer for that camera)
declare -A WANT=(
	[hikvision-digest]="restricted hikvision"
	[hikvision-wsse]="restricted hikvision"
	[ezviz]="restricted hikvision"
	[oem-hikvision]="restricted hikvision"
	[dahua]="restricted dahua"
	[cpplus]="restricted dahua"
	[uniview]="restricted uniview"
	[axis]="compliant axis"
	[bosch]="compliant bosch"
	[hanwha]="compliant hanwha"
	[reolink]="restricted reolink"
	[generic]="unidentified "
	[avycon]="restricted hikvision"
	[annke]="restricted hikvision"
	[intelbras]="restricted dahua"
	[amcrest]="restricted dahua"
	[lorex]="restricted dahua"
	[milesight]="restricted milesight"
	# ONVIF alone gives only its firmware shape (suspected, not enough):
	# scan-unauth.sh adds its web server and names Xiongmai.
	[xiongmai-label]="unidentified "
)
specs=() i=0
for p in "${!WANT[@]}"; do
	i=$((i + 1))
	ADDR[$i]=$NET.$i; NAME[$i]=$p
	specs+=("$p@$NET.$i:$CAM_PORT")
done
n=$i
[ "$n" -eq "$(ls "$PROFILES"/*.profile | wc -l)" ] ||
	fail "a profile has no expectation here"
start_sim "${specs[@]}"

for i in $(seq 1 $n); do
	p=${NAME[$i]}
	pw=$(password_file "$p" "$(profile_value "$p" password)")
	out=$("$CAMCOMPLY" scan --json --timeout 5 --policy "$top_srcdir/data/policy.xml" \
		--user "$(profile_value "$p" user)" --password-file "$pw" "${ADDR[$i]}:$CAM_PORT")
	j() { printf '%s' "$out" | jq -r ".[0].$1"; }
	expect "$p: status" ok "$(j status)"
	expect "$p: manufacturer" "$(profile_value "$p" manufacturer)" "$(j manufacturer)"
	expect "$p: model" "$(profile_value "$p" model)" "$(j model)"
	expect "$p: firmware" "$(profile_value "$p" firmware)" "$(j firmware)"
	serial=$(profile_value "$p" serial)
	[ "$serial" = "@address" ] && serial=$(echo "${ADDR[$i]}" | tr -d .)
	expect "$p: serial" "$serial" "$(j serial)"
	expect "$p: hardware id" "$(profile_value "$p" hardware_id)" "$(j hardware_id)"
	expect "$p: first MAC" "$(profile_value "$p" mac | awk '{print tolower($1)}')" "$(j 'macs[0]')"
	expect "$p: every MAC" "$(grep -c '^mac[[:space:]]*=' "$PROFILES/$p.profile")" "$(j 'macs|length')"
	expect "$p: every scope" "$(grep -c '^scope[[:space:]]*=' "$PROFILES/$p.profile")" "$(j 'scopes|length')"
	case "$(profile_value "$p" auth)" in
	digest) want_auth=http-digest ;;
	none) want_auth=none ;;
	*) want_auth=ws-security ;;
	esac
	expect "$p: auth" "$want_auth" "$(j auth)"
	expect_match "$p: clock offset known" '^-?[0-9]+$' "$(j clock_offset_s)"
	expect "$p: verdict and maker" "${WANT[$p]}" "$(j verdict) $(j maker)"
	expect_match "$p: reason names signals" '.{10,}' "$(j reason)"
done

# Without credentials, a camera that wants them says so (and is not locked).
out=$("$CAMCOMPLY" scan --json --no-policy --timeout 5 "$NET.1:$CAM_PORT" "$NET.2:$CAM_PORT")
expect "no credentials: status" "no-credentials no-credentials" \
	"$(printf '%s' "$out" | jq -r '[.[].status]|join(" ")')"
# The password never shows up in what camsim logged.
grep -q -- '-pass' "$T/sim.log" && fail "a password reached camsim's log"
finish
