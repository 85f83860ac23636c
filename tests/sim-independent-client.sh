#!/bin/sh
# sim-independent-client.sh: an ONVIF client we did not write must accept
# camsim's cameras as real ones.  Reads GetDeviceInformation with the npm
# "onvif" package (agsh/onvif) over loopback from three cameras, one per
# way of authenticating: WS-Security with replay protection (axis), HTTP
# Digest after an HTML 401 (hikvision-digest), WS-Security signed on a
# camera clock three hours ahead with a strict 5 s check (dahua,
# fault=clock-skew), and asserts manufacturer, model, firmware and serial.
#
# Needs node and the npm package onvif, installed beforehand (for example
# `npm install -g onvif@0.8.3`); exits 77 (skip) if they are missing.
# Environment: CAMSIM (the binary), CAMSIM_PROFILE_DIR, NODE_PATH.
set -u

camsim=${CAMSIM:-./tests/sim/camsim}
# Under automake's harness srcdir is set; else camsim's built-in default.
if [ -n "${CAMSIM_PROFILE_DIR:-}" ]; then
	profiles=$CAMSIM_PROFILE_DIR
elif [ -n "${srcdir:-}" ]; then
	profiles=$srcdir/tests/sim/profiles
else
	profiles=
fi

if ! command -v node >/dev/null 2>&1; then
	echo "SKIP: node is not installed (Debian package nodejs)"
	exit 77
fi
if command -v npm >/dev/null 2>&1; then
	NODE_PATH=${NODE_PATH:+$NODE_PATH:}$(npm root -g 2>/dev/null)
	export NODE_PATH
fi
if ! node -e "require('onvif')" >/dev/null 2>&1; then
	echo "SKIP: the npm package 'onvif' is not installed" \
	    "(npm install -g onvif@0.8.3)"
	exit 77
fi
if [ ! -x "$camsim" ]; then
	echo "FAIL: $camsim not built"
	exit 1
fi

tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

printf 'independent-pass\n' >"$tmp/pw"
chmod 600 "$tmp/pw"
"$camsim" ${profiles:+-d "$profiles"} -r "$tmp/ready" -l "$tmp/camsim.log" \
    axis@127.0.0.1:0 \
    "hikvision-digest@127.0.0.1:0,password-file=$tmp/pw" \
    dahua@127.0.0.1:0,fault=clock-skew &
pid=$!

# Wait for the ready file (written once every listener is bound).
i=0
while [ ! -s "$tmp/ready" ]; do
	if ! kill -0 "$pid" 2>/dev/null || [ $i -ge 200 ]; then
		echo "FAIL: camsim did not become ready"
		cat "$tmp/camsim.log" 2>/dev/null
		exit 1
	fi
	i=$((i + 1))
	sleep 0.05
done

url_of() {
	awk -v p="$1@" 'index($1, p) == 1 { print $2; exit }' "$tmp/ready"
}

cat >"$tmp/client.js" <<'EOF'
// Usage: node client.js URL USER PASSWORD -> one JSON line of device info.
const { Cam } = require('onvif');
const u = new URL(process.argv[2]);
const cam = new Cam({ hostname: u.hostname, port: Number(u.port),
    path: u.pathname, username: process.argv[3],
    password: process.argv[4], timeout: 5000, autoconnect: false });
const fail = (what, err) => {
	console.error(what + ': ' + (err && err.message ? err.message : err));
	process.exit(1);
};
cam.getSystemDateAndTime((err) => {
	if (err) fail('GetSystemDateAndTime', err);
	cam.getDeviceInformation((err2, info) => {
		if (err2) fail('GetDeviceInformation', err2);
		console.log(JSON.stringify(info));
	});
});
EOF

failed=0
check() {	# profile user password manufacturer model firmware serial
	url=$(url_of "$1")
	out=$(node "$tmp/client.js" "$url" "$2" "$3" 2>&1)
	expect=$(node -e 'const [m, mo, f, s] = process.argv.slice(1);
	    console.log(JSON.stringify({ manufacturer: m, model: mo,
	    firmwareVersion: f, serialNumber: s }));' "$4" "$5" "$6" "$7")
	got=$(printf '%s' "$out" | node -e 'let d = "";
	    process.stdin.on("data", (c) => d += c).on("end", () => {
	    try { const i = JSON.parse(d); console.log(JSON.stringify({
	    manufacturer: i.manufacturer, model: i.model,
	    firmwareVersion: i.firmwareVersion,
	    serialNumber: i.serialNumber })); } catch (e) { console.log(d); }
	    });')
	if [ "$got" = "$expect" ]; then
		echo "PASS: $1: $got"
	else
		echo "FAIL: $1: expected $expect"
		echo "      got $out"
		failed=1
	fi
}

check axis root axis-pass AXIS P3818-PVE 11.9.60 B8A44FA04F26
check hikvision-digest admin independent-pass HIKVISION DS-2CD2143G2-I \
    "V5.7.13 build 230706" DS-2CD2143G2-I20230915AAWRJ71234567
check dahua admin dahua-pass Dahua IPC-HDW1025C \
    "2.800.0000016.0.R, Build Date 2021-07-20" 4K02C31PAZ5A8F1

if [ $failed -ne 0 ]; then
	echo "--- camsim log"
	cat "$tmp/camsim.log"
fi
exit $failed
