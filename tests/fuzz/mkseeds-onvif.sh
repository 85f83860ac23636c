#!/bin/sh
# tests/fuzz/mkseeds-onvif.sh: record the seed corpus of fuzz_onvif from the
# camera simulator.  Not run by the build or CI; rerun it when camsim's
# replies change, then commit tests/fuzz/corpus/fuzz_onvif.
#
#   tests/fuzz/mkseeds-onvif.sh BUILD-DIR    (a normal build: camsim, camcomply)
#
# For each camera below, `camcomply scan` identifies it through a small
# recording proxy on loopback; the camera's replies, one per request, are
# written as one fuzz input: an options byte (0: credentials, no hint), then
# the replies separated by "\n@@@\n" (see fuzz_onvif.c).  Loopback only.
set -eu
build=$(cd "${1:?usage: $0 BUILD-DIR}" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
out=$src/tests/fuzz/corpus/fuzz_onvif
T=$(mktemp -d "${TMPDIR:-/tmp}/mkseeds-onvif.XXXXXX")
SIM=
trap '[ -n "$SIM" ] && kill $SIM 2>/dev/null; rm -rf "$T"' EXIT INT TERM
mkdir -p "$out"

cat >"$T/record.py" <<'EOF'
# One connection at a time, as onvif_identify makes them: whatever the
# camera sends between two requests is one reply.
import socket, sys, threading
lport, cport, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
replies, lock, state = [], threading.Lock(), {"new": True}
def save():
    with open(path, "wb") as f:
        f.write(b"\0" + b"\n@@@\n".join(replies))
def pump(src, dst, to_client):
    while True:
        try:
            b = src.recv(65536)
        except OSError:
            b = b""
        if not b:
            try: dst.shutdown(socket.SHUT_WR)
            except OSError: pass
            return
        with lock:
            if to_client:
                if state["new"]:
                    replies.append(b"")
                    state["new"] = False
                replies[-1] += b
                save()
            else:
                state["new"] = True
        dst.sendall(b)
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", lport)); ls.listen(8)
print("ready", flush=True)
while True:
    c, _ = ls.accept()
    s = socket.create_connection(("127.0.0.1", cport))
    threading.Thread(target=pump, args=(c, s, False), daemon=True).start()
    threading.Thread(target=pump, args=(s, c, True), daemon=True).start()
EOF

port=18600
# record NAME PROFILE[,options] [USER PASSWORD]
record() {
	name=$1 spec=$2 user=${3:-} pass=${4:-}
	port=$((port + 2))
	"$build/tests/sim/camsim" -d "$src/tests/sim/profiles" -r "$T/ready" \
		-l "$T/sim.log" "$spec@127.0.0.1:$((port + 1))" >/dev/null 2>&1 &
	SIM=$!
	while [ ! -e "$T/ready" ]; do sleep 0.05; done
	python3 "$T/record.py" "$port" "$((port + 1))" "$out/$name" >"$T/rec" &
	rec=$!
	while ! grep -qs ready "$T/rec"; do sleep 0.05; done
	if [ -n "$user" ]; then
		printf '%s\n' "$pass" >"$T/pw" && chmod 600 "$T/pw"
		"$build/camcomply" scan --no-policy --timeout 3 --user "$user" \
			--password-file "$T/pw" "127.0.0.1:$port" >/dev/null 2>&1 || :
	else
		"$build/camcomply" scan --no-policy --timeout 3 \
			"127.0.0.1:$port" >/dev/null 2>&1 || :
	fi
	kill $rec $SIM 2>/dev/null || :
	wait $rec $SIM 2>/dev/null || :
	# The options byte: 4 is "no credentials".
	[ -n "$user" ] || printf '\004' | dd of="$out/$name" bs=1 count=1 \
		conv=notrunc 2>/dev/null
	SIM=
	rm -f "$T/ready" "$T/rec"
	echo "$name: $(wc -c <"$out/$name") bytes"
}

record hikvision-wsse hikvision-wsse admin hik-wsse-pass
record hikvision-digest hikvision-digest admin hik-digest-pass
record dahua dahua admin dahua-pass
record axis axis root axis-pass
record bosch bosch service bosch-pass
record hanwha hanwha admin hanwha-pass
record reolink reolink admin reolink-pass
record uniview uniview admin uniview-pass
record oem-hikvision oem-hikvision admin oem-hik-pass
record generic-nocreds generic
record wrong-credentials hikvision-wsse,fault=wrong-credentials admin x
record dahua-wrong dahua,fault=wrong-credentials admin x
record basic-only generic,fault=basic-only admin generic-pass
record basic-digest generic,fault=basic-digest admin generic-pass
record digest-basic generic,fault=digest-basic admin generic-pass
record html-401 hikvision-wsse,fault=html-401 admin x
record soap11-only generic,fault=soap11-only admin generic-pass
record clock-skew dahua,fault=clock-skew admin dahua-pass
record lying-clock dahua,fault=lying-clock admin dahua-pass
record chunked axis,fault=chunked root axis-pass
record short-body generic,fault=short-body admin generic-pass
record blank-line generic,fault=blank-line-before-xml-decl admin generic-pass
record extra-elements generic,fault=extra-vendor-elements admin generic-pass
record malformed-xml generic,fault=malformed-xml admin generic-pass
record entity-expansion generic,fault=entity-expansion admin generic-pass
record close-mid-reply generic,fault=close-mid-reply admin generic-pass
