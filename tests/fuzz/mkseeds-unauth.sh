#!/bin/sh
# tests/fuzz/mkseeds-unauth.sh: record seeds of fuzz_sadp, fuzz_dhip,
# fuzz_unauth and fuzz_tls from the camera simulator's surfaces without
# credentials.  Not run by the build or CI; rerun it when camsim's replies
# change, then commit what it wrote under tests/fuzz/corpus.
#
#   tests/fuzz/mkseeds-unauth.sh BUILD-DIR    (any build with camsim)
#
# Loopback only (127.3.77.0/24).  Replies are read with
# tests/sim/unauth-client.py (SADP, DHIP, RTSP), a few lines of Python
# (HTTP: every request the HTTP collector makes) and openssl s_client (the
# certificate).  Each seed is in its target's input format (see the
# targets' opening comments).  Needs python3 and openssl.
set -eu
build=$(cd "${1:?usage: $0 BUILD-DIR}" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
corp=$src/tests/fuzz/corpus
client=$src/tests/sim/unauth-client.py
T=$(mktemp -d "${TMPDIR:-/tmp}/mkseeds-unauth.XXXXXX")
SIM=
trap '[ -n "$SIM" ] && kill $SIM 2>/dev/null; rm -rf "$T"' EXIT INT TERM
mkdir -p "$corp/fuzz_sadp" "$corp/fuzz_dhip" "$corp/fuzz_unauth" \
	"$corp/fuzz_tls"
N=127.3.77
ASAN_OPTIONS=detect_leaks=0 "$build/tests/sim/camsim" -d \
	"$src/tests/sim/profiles" -r "$T/ready" -l "$T/sim.log" \
	"hikvision-wsse@$N.1:0,onvif=off,sadp-port=auto,rtsp-port=auto,https-port=auto" \
	"dahua@$N.2:0,onvif=off,dhip-port=auto,rtsp-port=auto,https-port=auto" \
	"axis@$N.3:0,onvif=401,rtsp-port=auto,https-port=auto" \
	"hanwha@$N.5:0,onvif=off,rtsp-port=auto" \
	"uniview@$N.6:0,onvif=off,rtsp-port=auto" \
	"intelbras@$N.8:0,onvif=off,dhip-port=auto" \
	"avycon@$N.9:0,onvif=off,sadp-port=auto" \
	"generic@$N.10:0,onvif=off,rtsp-port=auto" >"$T/sim.out" 2>&1 &
SIM=$!
i=0
while [ ! -s "$T/ready" ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || { cat "$T/sim.out"; exit 1; }
	sleep 0.05
done

# field PROFILE KEY: a port from the camera's ready line ("http": its own).
field() {
	awk -v p="$1@" -v k="$2" 'index($1, p) == 1 {
		if (k == "http") { sub(/.*:/, "", $1); print $1; exit }
		for (i = 3; i <= NF; i++)
			if (index($i, k "=") == 1) { print substr($i, length(k) + 2); exit }
	}' "$T/ready"
}
addr() { awk -v p="$1@" 'index($1, p) == 1 { sub(/^[^@]*@/, "", $1); sub(/:.*/, "", $1); print $1 }' "$T/ready"; }
# prefix FILE BYTES...: FILE with the given octal bytes in front.
prefix() {
	pf=$1
	shift
	{ printf "$@"; cat "$pf"; } >"$pf.p" && mv "$pf.p" "$pf"
}
say() { echo "$1: $(wc -c <"$1") bytes"; }

for cam in hikvision-wsse avycon; do
	python3 "$client" sadp "$(addr $cam)" "$(field $cam sadp)" "$T/sadp" \
		--wait 1 --count 1 >/dev/null
	cp "$T/sadp.1" "$corp/fuzz_sadp/$cam" && say "$corp/fuzz_sadp/$cam"
done
for cam in dahua intelbras; do
	python3 "$client" dhip "$(addr $cam)" "$(field $cam dhip)" "$T/dhip" \
		--wait 1 --count 1 >/dev/null
	f=$corp/fuzz_dhip/$cam
	cp "$T/dhip.1" "$f" && prefix "$f" '\000' && say "$f"
	# The body alone, for the target to frame (options bit 0).
	tail -c +33 "$T/dhip.1" >"$f-body" && prefix "$f-body" '\001' &&
		say "$f-body"
done
for cam in hikvision-wsse dahua axis hanwha uniview generic; do
	for m in OPTIONS DESCRIBE; do
		python3 "$client" rtsp "$(addr $cam)" "$(field $cam rtsp)" \
			"$T/rtsp" "$m" --wait 2 >/dev/null || continue
		f=$corp/fuzz_unauth/rtsp-$cam-$m
		# RTSP, cuts at 16 and 256.
		cp "$T/rtsp.1" "$f" && prefix "$f" '\001\000\020\001\000' &&
			say "$f"
	done
done

cat >"$T/http.py" <<'PY'
# Every request of unauth_http.c, raw replies to OUT-N (to the close).
import socket, sys
host, port, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
body = (b'{"method":"global.login","params":{"userName":"admin",'
        b'"password":"","clientType":"Web3.0","loginType":"Direct"},"id":1}')
reqs = [("GET", "/"), ("GET", "/ISAPI/System/deviceInfo"),
        ("GET", "/cgi-bin/magicBox.cgi?action=getSystemInfo"),
        ("GET", "/LAPI/V1.0/System/DeviceBasicInfo"),
        ("GET", "/axis-cgi/basicdeviceinfo.cgi"),
        ("GET", "/stw-cgi/system.cgi?msubmenu=deviceinfo&action=view"),
        ("POST", "/RPC2_Login")]
for n, (m, p) in enumerate(reqs):
    s = socket.create_connection((host, port), timeout=3)
    r = ("%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: camcomply\r\n"
         "Accept: */*\r\nConnection: close\r\n" % (m, p, host)).encode()
    if m == "POST":
        r += b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body
    else:
        r += b"\r\n"
    s.sendall(r)
    got = b""
    while True:
        try:
            b = s.recv(65536)
        except OSError:
            break
        if not b:
            break
        got += b
    s.close()
    open("%s-%d" % (out, n), "wb").write(got)
PY
for cam in hikvision-wsse dahua axis hanwha uniview generic; do
	python3 "$T/http.py" "$(addr $cam)" "$(field $cam http)" "$T/http"
	for n in 0 1 2 3 4 5 6; do
		[ -s "$T/http-$n" ] || continue
		# Identical replies (a 404 for every path) once only.
		sum=$(cksum <"$T/http-$n")
		grep -qx "$sum" "$T/sums" 2>/dev/null && continue
		echo "$sum" >>"$T/sums"
		f=$corp/fuzz_unauth/http-$cam-$n
		# HTTP, read to the end; cuts at 32 and 512.
		cp "$T/http-$n" "$f" && prefix "$f" '\004\000\040\002\000' &&
			say "$f"
	done
done

for cam in hikvision-wsse dahua axis; do
	f=$corp/fuzz_tls/cert-$cam
	openssl s_client -connect "$(addr $cam):$(field $cam https)" \
		</dev/null 2>/dev/null | openssl x509 -outform DER >"$T/der"
	cp "$T/der" "$f" && prefix "$f" '\000' && say "$f"
done
