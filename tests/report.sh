#!/bin/bash
# camcomply report (issue 15): the audit report of a simulated fleet read
# from a live agent (a real snmpd master, camcomplyd, SNMP v2c and v3 with
# the passphrases from files), from camcomplyd's state file and from
# `camcomply scan --json` on stdin.  One camera is hostile: its strings are
# markup and spreadsheet formulas.  Checks the CSV (RFC 4180 with Python's
# csv module, every formula neutralised), the JSON (jq) and the HTML in
# headless Chromium, offline: the rendered rows and counts are the agent's,
# the hostile strings show as text, no script of theirs ran; a screenshot
# goes beside the test's log.  Without chromium the HTML part is skipped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-snmp.sh"

NET=${NET:-127.2.47}
PW=$(password_file site site-pass)
mkdir -p "$T/profiles"
cp "$PROFILES"/*.profile "$T/profiles/"
PROFILES=$T/profiles
# The hostile camera: a white box whose strings are markup and formulas.
XSS='<script>alert(1)</script>'
FORMULA='=HYPERLINK("http://x","y")'
sed -e "s|^manufacturer = .*|manufacturer = $FORMULA|" \
	-e "s|^model = .*|model = $XSS|" \
	-e 's|^firmware = .*|firmware = @SUM(1+1) \&amp; "quoted", '"'"'single'"'"'|' \
	-e 's|^serial = .*|serial = +1-2|' \
	"$PROFILES/generic.profile" >"$PROFILES/hostile.profile"

# Remove (sensitive), compliant, investigate (x2, the hostile one),
# disconnect (core) and review (no site: general).
C="user=admin,password-file=$PW"
start_sim "hikvision-wsse@$NET.1:$CAM_PORT,$C" "axis@$NET.2:$CAM_PORT,$C" \
	"generic@$NET.3:$CAM_PORT,$C" "hostile@$NET.4:$CAM_PORT,$C" \
	"dahua@$NET.9:$CAM_PORT,$C" "hikvision-wsse@$NET.17:$CAM_PORT,$C"
copy_policy "$T"
{
	echo "credentials site admin $PW"
	echo "site secure $NET.0/29 sensitive"
	echo "site plant $NET.8/29 core"
	for h in 1 2 3 4 9 17; do echo "camera $NET.$h:$CAM_PORT credentials site"; done
	echo "policy $T/policy.xml"
	echo "state-file $T/state"
	echo "poll-interval 300"
	echo "timeout 3"
} >"$T/camcomplyd.conf"
start_stack "$T/camcomplyd.conf"
wait_until 20 rounds_at_least 1 || fail "first poll round did not complete"
wait_until 10 polled_at_least 6 || fail "not every camera polled"

REPORT=("$CAMCOMPLY" report)
AGENT=snmp://127.0.0.1:$SNMP_PORT
TOTAL=$(sget $SUMMARY.4.0)
expect "the agent has the fleet" 6 "$TOTAL"
expect "snmpwalk rows" "$TOTAL" "$(swalk "$ENTRY.4" | wc -l)"
# How many rows the agent says have action N (camDeviceAction).
actions() { swalk "$ENTRY.19" | awk -v a="$1" '$2 == a' | wc -l; }

# ---- JSON from the live agent, v2c --------------------------------------
"${REPORT[@]}" --format json -c public "$AGENT" >"$T/snmp.json" 2>"$T/err" ||
	fail "report from the agent: $(cat "$T/err")"
expect "json: cameras" "$TOTAL" "$(jq '.cameras | length' "$T/snmp.json")"
expect "json: cameras_total" "$TOTAL" "$(jq '.cameras_total' "$T/snmp.json")"
expect "json: source kind" snmp "$(jq -r '.source_kind' "$T/snmp.json")"
expect_match "json: policy version" '.' "$(jq -r '.policy_version' "$T/snmp.json")"
expect "json: restricted as camDevicesRestricted" "$(sget $SUMMARY.6.0)" \
	"$(jq '[.cameras[] | select(.verdict == "restricted")] | length' "$T/snmp.json")"
for a in none:1 review:2 disconnect:3 remove:4 investigate:5; do
	expect "json: action ${a%:*}" "$(actions "${a#*:}")" \
		"$(jq --arg a "${a%:*}" '[.cameras[] | select(.action == $a)] | length' "$T/snmp.json")"
done
expect "json: remove is hik on the sensitive site" "$NET.1 secure sensitive hikvision CN" \
	"$(jq -r '.cameras[] | select(.action == "remove") | "\(.address) \(.site) \(.zone) \(.maker) \(.jurisdiction)"' "$T/snmp.json")"
expect "json: hostile model as it is" "$XSS" \
	"$(jq -r --arg a "$NET.4" '.cameras[] | select(.address == $a) | .model' "$T/snmp.json")"
expect "json: hostile manufacturer as it is" "$FORMULA" \
	"$(jq -r --arg a "$NET.4" '.cameras[] | select(.address == $a) | .manufacturer' "$T/snmp.json")"

# ---- v3 authPriv, passphrases from files ----------------------------------
AP=$(password_file v3auth authpass123)
XP=$(password_file v3priv privpass123)
"${REPORT[@]}" --format json -v 3 -u ccuser -l authPriv -a SHA -x AES \
	--auth-pass-file "$AP" --priv-pass-file "$XP" "$AGENT" >"$T/v3.json" 2>"$T/err" ||
	fail "report over v3: $(cat "$T/err")"
expect "v3: same cameras as v2c" "$(jq -c '.cameras' "$T/snmp.json")" "$(jq -c '.cameras' "$T/v3.json")"
"${REPORT[@]}" --format json -v 3 -u ccuser -l authPriv -t 1 -r 0 \
	--auth-pass-file "$XP" --priv-pass-file "$XP" "$AGENT" >/dev/null 2>"$T/err"
expect "v3: wrong passphrase fails" 1 "$?"

# ---- CSV ------------------------------------------------------------------
"${REPORT[@]}" --format csv --output "$T/report.csv" -c public "$AGENT" 2>"$T/err" ||
	fail "csv report: $(cat "$T/err")"
expect "csv: mode 0644" 644 "$(stat -c %a "$T/report.csv")"
expect "csv: no temp file left" "" "$(ls "$T" | grep 'report\.csv\.')"
expect "csv: every line ends in CRLF" "$((TOTAL + 1))" "$(grep -c $'\r$' "$T/report.csv")"
csvcheck() {
	python3 - "$1" "$2" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8'), strict=True))
head, body = rows[0], rows[1:]
assert all(len(r) == len(head) for r in body), "ragged rows"
bad = [c for r in body for c in r if c[:1] in ('=', '+', '-', '@', '\t', '\r')]
assert not bad, "formula cells: %r" % bad
cam = [dict(zip(head, r)) for r in body if dict(zip(head, r))['address'] == sys.argv[2]]
assert len(cam) == 1, "hostile camera rows: %d" % len(cam)
print(len(body), cam[0]['manufacturer'], cam[0]['model'], cam[0]['serial'], cam[0]['firmware'], sep='|')
EOF
}
got=$(csvcheck "$T/report.csv" "$NET.4") || fail "csv does not parse: $got"
expect "csv: RFC 4180, formulas neutralised" \
	"$TOTAL|'$FORMULA|$XSS|'+1-2|'@SUM(1+1) &amp; \"quoted\", 'single'" "$got"

# ---- the state file, classified with the daemon's configuration ----------
state_json() {
	"${REPORT[@]}" --format json --config "$T/camcomplyd.conf" "$T/state" 2>"$T/err" |
		jq -c '[.cameras[] | [.address, .site, .zone, .verdict, .action, .maker, .model, .serial]] | sort'
}
snmp_rows=$(jq -c '[.cameras[] | [.address, .site, .zone, .verdict, .action, .maker, .model, .serial]] | sort' "$T/snmp.json")
state_same() { [ "$(state_json)" = "$snmp_rows" ]; }
wait_until 10 state_same || fail "state file report: $(cat "$T/err")"
expect "state file: the agent's rows" "$snmp_rows" "$(state_json)"
expect "state file: kind" "state file" \
	"$("${REPORT[@]}" --format json --config "$T/camcomplyd.conf" "$T/state" | jq -r .source_kind)"
cp "$T/state" "$T/state-copy"
"${REPORT[@]}" --format csv --policy "$T/policy.xml" "$T/state-copy" >/dev/null ||
	fail "state file without the configuration"
expect "the state file is left as it was" "" "$(cmp "$T/state" "$T/state-copy" 2>&1 >/dev/null; ls "$T" | grep corrupt)"

# ---- scan --json on stdin -------------------------------------------------
targets=()
for h in 1 2 3 4 9 17; do targets+=("$NET.$h:$CAM_PORT"); done
"$CAMCOMPLY" scan --json --policy "$T/policy.xml" --user admin --password-file "$PW" \
	--probe none "${targets[@]}" >"$T/scan.json" 2>"$T/err" || fail "scan: $(cat "$T/err")"
for k in verdict action lists maker jurisdiction evidence site zone; do
	expect "scan --json has $k" true "$(jq --arg k "$k" '.[0] | has($k)' "$T/scan.json")"
done
"${REPORT[@]}" --format json - <"$T/scan.json" >"$T/scanrep.json" 2>"$T/err" ||
	fail "report from scan json: $(cat "$T/err")"
expect "scan json: kind" "scan json" "$(jq -r .source_kind "$T/scanrep.json")"
expect "json: evidence and lists are arrays of names, as scan --json has them" \
	"$(jq -c '[.[] | select(.verdict == "restricted") | [.address, .evidence, .lists]] | sort' "$T/scan.json")" \
	"$(jq -c '[.cameras[] | select(.verdict == "restricted") | [.address, .evidence, .lists]] | sort' "$T/scanrep.json")"
expect_match "scan json: the policy that judged it, as the agent's" \
	"^$(jq -r '[.policy_version, .policy_date, .registry_date] | join(" ")' "$T/snmp.json")\$" \
	"$(jq -r '[.policy_version, .policy_date, .registry_date] | join(" ")' "$T/scanrep.json")"
expect "scan json: verdicts as the agent's" \
	"$(jq -c '[.cameras[] | [.address, .verdict, .maker]] | sort' "$T/snmp.json")" \
	"$(jq -c '[.cameras[] | [.address, .verdict, .maker]] | sort' "$T/scanrep.json")"
"${REPORT[@]}" --format csv - <"$T/scan.json" >"$T/scan.csv" || fail "csv from scan json"
got=$(csvcheck "$T/scan.csv" "$NET.4") || fail "scan csv does not parse: $got"
expect_match "scan csv: formula neutralised" "^$TOTAL\|'=HYPERLINK" "$got"

# ---- errors ---------------------------------------------------------------
"${REPORT[@]}" >/dev/null 2>&1
expect "no source: usage" 2 "$?"
"${REPORT[@]}" --format pdf "$T/state" >/dev/null 2>&1
expect "bad format: usage" 2 "$?"
"${REPORT[@]}" /etc/hostname >/dev/null 2>"$T/err"
expect "unrecognised file" 1 "$?"
expect_match "unrecognised file: says so" 'not a camcomplyd state file' "$(cat "$T/err")"
pick_port DEAD || exit 99
"${REPORT[@]}" -c public -t 1 -r 0 "snmp://127.0.0.1:$DEAD" >/dev/null 2>"$T/err"
expect "unreachable agent" 1 "$?"
expect_match "unreachable agent: says so" 'no answer' "$(cat "$T/err")"
"${REPORT[@]}" "$AGENT" >/dev/null 2>&1
expect "v2c without a community: usage" 2 "$?"
"${REPORT[@]}" -v 3 "$AGENT" >/dev/null 2>&1
expect "v3 without a user: usage" 2 "$?"
"${REPORT[@]}" -c public "snmp://127.0.0.1:notaport" >/dev/null 2>&1
expect "bad snmp:// URL: usage" 2 "$?"
printf '[{"model": 1}, 2]' | "${REPORT[@]}" - >/dev/null 2>&1
expect "malformed scan json" 1 "$?"

# ---- HTML in headless Chromium --------------------------------------------
"${REPORT[@]}" --output "$T/report.html" -c public "$AGENT" 2>"$T/err" ||
	fail "html report: $(cat "$T/err")"
expect "html: mode 0644" 644 "$(stat -c %a "$T/report.html")"
expect "html: the hostile strings escaped in the file" 1 \
	"$(grep -c '&lt;script&gt;alert(1)&lt;/script&gt;' "$T/report.html" | tr -c '0-9\n' ' ' | awk '{print ($1 > 0)}')"
expect "html: no fetch (no http(s) URL but the cameras')" "" \
	"$(grep -Eo '(src|href)=|url\(|@import' "$T/report.html")"
grep -qE 'site-pass|authpass123|privpass123' "$T"/*.json "$T"/*.csv "$T/report.html" &&
	fail "a secret is in a report"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	finish || exit 1
	skip "the HTML rendering checks: chromium not installed (Debian package chromium; the rest passed)"
fi
mkdir -p "$T/home" "$T/chrome"
chrome() {
	HOME=$T/home XDG_CONFIG_HOME=$T/home/.config XDG_CACHE_HOME=$T/home/.cache \
		timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--disable-dev-shm-usage --no-first-run --no-default-browser-check \
		--disable-background-networking --disable-sync --disable-extensions \
		--disable-component-update --disable-default-apps --disable-breakpad \
		--disable-domain-reliability --disable-client-side-phishing-detection \
		--metrics-recording-only --mute-audio --user-data-dir="$T/chrome" \
		--proxy-server=127.0.0.1:9 --proxy-bypass-list='<-loopback>' \
		"$@" "file://$T/report.html${FRAGMENT:-}"
}
chrome --dump-dom >"$T/dom.html" 2>"$T/chrome.log" || fail "chromium --dump-dom: $(tail -5 "$T/chrome.log")"
domcheck() {
	python3 - "${1:-$T/dom.html}" <<'EOF'
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(s):
        super().__init__(); s.table = None; s.rows = {}; s.scripts = 0
        s.inbody = False; s.ready = None; s.filters = 0; s.total = None; s.cur = None
    def handle_starttag(s, tag, a):
        a = dict(a)
        if tag == 'html': s.ready = a.get('data-report-js')
        if tag == 'script': s.scripts += 1
        if tag == 'input' and a.get('class') == 'filter': s.filters += 1
        if tag == 'table': s.table = a.get('id'); s.rows.setdefault(s.table, 0)
        if tag == 'tbody': s.inbody = True
        if tag == 'tr' and s.inbody: s.rows[s.table] += 1
        if tag == 'dd' and a.get('id') == 'cameras-total': s.cur = 'total'
    def handle_endtag(s, tag):
        if tag == 'tbody': s.inbody = False
        if tag == 'dd': s.cur = None
    def handle_data(s, d):
        if s.cur == 'total': s.total = d
p = P(); p.feed(open(sys.argv[1], encoding='utf-8').read())
r = p.rows
print(p.ready, p.scripts, p.filters, p.total, r.get('t-all', 0), r.get('t-remove', 0),
      r.get('t-disconnect', 0), r.get('t-review', 0), r.get('t-investigate', 0), r.get('t-summary', 0))
EOF
}
tables=$(( TOTAL > 0 )) # t-all
for a in 2 3 4 5; do [ "$(actions $a)" -gt 0 ] && tables=$((tables + 1)); done
expect "html: rendered DOM (js marker, scripts, filters, rows per section)" \
	"ready 1 $tables $TOTAL $TOTAL $(actions 4) $(actions 3) $(actions 2) $(actions 5) 3" \
	"$(domcheck)"
expect "html: the hostile model shows as text" 1 \
	"$(grep -c '&lt;script&gt;alert(1)&lt;/script&gt;' "$T/dom.html" | awk '{print ($1 > 0)}')"
expect "html: the hostile manufacturer shows as text" 1 \
	"$(grep -cF "$FORMULA" "$T/dom.html" | awk '{print ($1 > 0)}')"
# Without JavaScript (the file as served, before any script ran): the
# same tables, plain (no filter, no marker).
expect "html without JS: the same rows, no filter" \
	"None 1 0 $TOTAL $TOTAL $(actions 4) $(actions 3) $(actions 2) $(actions 5) 3" \
	"$(domcheck "$T/report.html")"
# The page's script at work, as a link opens it: filtered on "hikvision"
# and sorted on the address (column 0), descending.  Shown: exactly the
# rows whose text has the word, in that order; hidden: the rest.
FRAGMENT='#filter=hikvision&sort=-0' chrome --dump-dom >"$T/dom-view.html" 2>>"$T/chrome.log" ||
	fail "chromium --dump-dom (a filtered view): $(tail -5 "$T/chrome.log")"
viewcheck() {
	python3 - "$T/dom-view.html" <<'EOF'
import re, sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(s):
        super().__init__(); s.t = None; s.body = False; s.rows = []; s.cell = None
    def handle_starttag(s, tag, a):
        a = dict(a)
        if tag == 'table': s.t = a.get('id')
        if tag == 'tbody': s.body = True
        if tag == 'tr' and s.body and s.t == 't-all':
            s.rows.append(['hidden' in a, []])
        if tag == 'td' and s.rows and s.body and s.t == 't-all': s.cell = ''
    def handle_endtag(s, tag):
        if tag == 'tbody': s.body = False
        if tag == 'td' and s.cell is not None:
            s.rows[-1][1].append(s.cell); s.cell = None
    def handle_data(s, d):
        if s.cell is not None: s.cell += d
p = P(); p.feed(open(sys.argv[1], encoding='utf-8').read())
key = lambda a: [int(x) if x.isdigit() else x for x in re.split(r'(\d+)', a)]
shown = [c[0] for h, c in p.rows if not h]
want = [c[0] for h, c in p.rows if 'hikvision' in ''.join(c).lower()]
print(len(p.rows), len(shown), shown == sorted(want, key=key, reverse=True),
      all(h == ('hikvision' not in ''.join(c).lower()) for h, c in p.rows))
EOF
}
expect "html: #filter=hikvision&sort=-0 shows the Hikvision rows, by address descending" \
	"$TOTAL $(jq '[.cameras[] | select([.[]] | map(tostring) | join(" ") | ascii_downcase | contains("hikvision"))] | length' "$T/snmp.json") True True" \
	"$(viewcheck)"
LOGDIR=${REPORT_LOG_DIR:-$top_builddir/tests}
mkdir -p "$LOGDIR"
rm -f "$LOGDIR/report.png"
chrome --screenshot="$LOGDIR/report.png" --window-size=1400,1800 \
	>>"$T/chrome.log" 2>&1 || fail "chromium --screenshot: $(tail -5 "$T/chrome.log")"
expect "html: screenshot is a PNG" '89504e470d0a1a0a' \
	"$(head -c 8 "$LOGDIR/report.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')"
expect_match "html: screenshot not empty ($(stat -c %s "$LOGDIR/report.png" 2>/dev/null) bytes)" \
	'^[0-9]{5,}$' "$(stat -c %s "$LOGDIR/report.png" 2>/dev/null)"
echo "# screenshot: $LOGDIR/report.png"
# Printed: A4 (landscape, as its @page says), more than one page for the
# tables, the headings repeated on each.
rm -f "$LOGDIR/report.pdf"
chrome --print-to-pdf="$LOGDIR/report.pdf" --no-pdf-header-footer \
	>>"$T/chrome.log" 2>&1 || fail "chromium --print-to-pdf: $(tail -5 "$T/chrome.log")"
expect "print: a PDF" '%PDF' "$(head -c 4 "$LOGDIR/report.pdf" 2>/dev/null)"
expect_match "print: A4 landscape pages (842 x 595 pt)" \
	'MediaBox ?\[ ?0 0 84[12](\.[0-9]+)? 59[45](\.[0-9]+)? ?\]' \
	"$(grep -ao 'MediaBox *\[[^]]*\]' "$LOGDIR/report.pdf" | head -1)"
finish
