#!/bin/bash
# Benchmark: the first poll round of 1,000, 10,000 and 100,000 restricted
# cameras (camsim's hikvision-wsse on 127.50.0.1 onwards, one shared
# socket), with a real snmpd (AgentX master, trap2sink to a real
# snmptrapd) and the MIB module as camcomplyd or inside snmpd.  For each
# size it prints:
#   - the first round's time, from the module's start to
#     camPollRoundsCompleted.0 = 1;
#   - GET latency during the round (median, p99, max, unanswered) of
#     sysUpTime.0 (snmpd's own) and camPollRoundsCompleted.0 (the
#     module's), one of each every BENCH_PROBE_MS with a 1 s timeout; the
#     prober is a small SNMPv2c client over UDP (below), so the figures are
#     the agent's, not a process start's;
#   - notifications received by snmptrapd, and camNotificationsSent,
#     Suppressed, Queued at the round's end and once the queue drained;
#   - the module host's VmRSS and VmHWM, and CPU seconds of it, snmpd and
#     camsim over the round;
#   - the time of an snmpbulkwalk of camDeviceVerdict after the round.
# Each size runs once per case of BENCH_CASES:
#   onvif    the cameras answer ONVIF with the credentials configured
#            (the daemon's 'probe auto' leaves them to ONVIF alone);
#   unauth   ONVIF off (camsim onvif=off: a 404), credentials still
#            configured, and 'probe all': every camera is named by the
#            collectors needing no credentials (SADP and RTSP on shared
#            ports of camsim, its web server on the HTTP port; DHIP and
#            HTTPS find closed ports, as on a Hikvision without HTTPS);
#   both     ONVIF on and 'probe all': ONVIF, then the collectors.
# and prints the cost of a camera in each: the round's time per camera,
# the time one worker spends on one (round x concurrency / cameras), and
# the module host's CPU time per camera.
# Loopback only.  Not a test: it reports, it does not judge.
#
# Usage: bench-round.sh BUILD-DIR
# Environment:
#   BENCH_SIZES="1000 10000 100000"   camera counts
#   BENCH_CASES="onvif"               onvif, unauth and/or both (above)
#   BENCH_PROBES=                     camcomplyd.conf probes (default all)
#   BENCH_CONCURRENCY=64              camcomplyd.conf concurrency
#   BENCH_TIMEOUT=10                  camcomplyd.conf timeout (seconds)
#   BENCH_HOST=subagent|snmpd         camcomplyd, or camcomply.so in snmpd
#   BENCH_PROBE_MS=50                 probe period
#   BENCH_ROUND_MAX=1800              give up on a round after this (s)
#   BENCH_PERF=1                      perf record the module's host during
#                                     each round; print its top symbols
#   BENCH_KEEP=1                      keep the temp dir, say where
#   BENCH_SNMP_PORT=12961 BENCH_TRAP_PORT=12962
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
SIZES=${BENCH_SIZES:-1000 10000 100000}
CASES=${BENCH_CASES:-onvif}
for c in $CASES; do
	case "$c" in onvif | unauth | both) ;; *)
		echo "bench-round: BENCH_CASES holds onvif, unauth or both" >&2
		exit 2
		;;
	esac
done
CONC=${BENCH_CONCURRENCY:-64}
TIMEOUT=${BENCH_TIMEOUT:-10}
HOST=${BENCH_HOST:-subagent}
PROBE_MS=${BENCH_PROBE_MS:-50}
ROUND_MAX=${BENCH_ROUND_MAX:-1800}
SNMP_PORT=${BENCH_SNMP_PORT:-12961}
TRAP_PORT=${BENCH_TRAP_PORT:-12962}
case "$HOST" in subagent | snmpd) ;; *)
	echo "bench-round: BENCH_HOST is subagent or snmpd" >&2
	exit 2
	;;
esac
MODULE=$build/.libs/camcomply.so
[ "$HOST" = subagent ] || [ -e "$MODULE" ] ||
	{ echo "bench-round: no $MODULE" >&2; exit 2; }
for c in snmpd snmptrapd snmpget snmpbulkwalk python3; do
	command -v $c >/dev/null ||
		{ echo "bench-round: $c needed" >&2; exit 2; }
done

T=$(mktemp -d "${TMPDIR:-/tmp}/bench-round.XXXXXX")
PIDS=""
stop_all() {
	local p
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	PIDS=""
}
# BENCH_KEEP=1: keep the temp dir (logs, perf.data, traps) and say where.
if [ "${BENCH_KEEP:-0}" = 1 ]; then
	trap 'stop_all; echo "bench-round: kept $T"' EXIT
else
	trap 'stop_all; rm -rf "$T"' EXIT
fi
export SNMP_PERSISTENT_DIR="$T/persist" SNMPCONFPATH="$T/conf" MIBS=
mkdir -p "$T/persist" "$T/conf"
: >"$T/conf/snmp.conf"

E=.1.3.6.1.4.1.8072.9999.9999.3102
SUMMARY=$E.1.1
VERDICT=$E.1.2.1.15
NOTIF=$E.0
NET_FIRST=127.50.0.1 # the cameras: 127.50.0.1 onwards (127.50.0.0/15)
printf 'hik-wsse-pass\n' >"$T/pw"
chmod 600 "$T/pw"

# wait_until SECONDS CMD...: retry every 50 ms (readiness, not a sleep).
wait_until() {
	local n=$(($1 * 20))
	shift
	until "$@" >/dev/null 2>&1; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 0.05
	done
}
sget() { snmpget -v2c -c public -r1 -t5 -On -Oqv "127.0.0.1:$SNMP_PORT" "$@"; }
queue_empty() { [ "$(sget $SUMMARY.16.0)" = 0 ]; }
traps() { grep -c "$NOTIF\." "$D/traps.log"; }
all_arrived() { [ "$(traps)" -ge "$(sget $SUMMARY.14.0)" ]; }
cpu_s() { awk '{ printf "%.1f", ($14 + $15) / 100 }' "/proc/$1/stat" 2>/dev/null; }
mem() { awk '/^(VmRSS|VmHWM)/ { printf "%s %d MB ", $1, $2 / 1024 }' "/proc/$1/status"; }
hwm() { awk '/^VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }

# The prober: SNMPv2c GETs over UDP, BER by hand (no MIBs, no library, no
# process per GET).  Probes until camPollRoundsCompleted.0 >= 1 or the
# deadline; GETs lost count from the first answer or from the moment
# snmpd said it runs (UPFILE), whichever is first.
cat >"$T/probe.py" <<'EOF'
import socket, sys, time
import os
port, period, t0file, maxs, out = int(sys.argv[1]), float(sys.argv[2]) / 1000, \
    sys.argv[3], float(sys.argv[4]), sys.argv[5]
OIDS = [("sysUpTime.0", ".1.3.6.1.2.1.1.3.0"),
        ("camPollRoundsCompleted.0", sys.argv[6] + ".13.0")]
upfile = sys.argv[7]  # exists once snmpd is up: a GET lost from then counts

def tlv(t, v):
    n = len(v)
    ln = bytes([n]) if n < 128 else \
        bytes([0x80 | ((n.bit_length() + 7) // 8)]) + n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([t]) + ln + v

def integer(i):
    return tlv(2, i.to_bytes(max(1, (i.bit_length() + 8) // 8), "big", signed=True))

def oid(s):
    p = [int(x) for x in s.strip(".").split(".")]
    b = bytearray([40 * p[0] + p[1]])
    for x in p[2:]:
        enc = [x & 0x7F]
        x >>= 7
        while x:
            enc.append(0x80 | (x & 0x7F))
            x >>= 7
        b += bytes(reversed(enc))
    return tlv(6, bytes(b))

def get(rid, o):
    vb = tlv(0x30, tlv(0x30, oid(o) + b"\x05\x00"))
    pdu = tlv(0xA0, integer(rid) + integer(0) + integer(0) + vb)
    return tlv(0x30, integer(1) + tlv(4, b"public") + pdu)

def dec(b, i):
    t, n = b[i], b[i + 1]
    i += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(b[i:i + k], "big")
        i += k
    return t, b[i:i + n], i + n

def parse(b):
    _, msg, _ = dec(b, 0)
    _, _, i = dec(msg, 0)
    _, _, i = dec(msg, i)
    _, pdu, _ = dec(msg, i)
    _, rid, j = dec(pdu, 0)
    _, _, j = dec(pdu, j)
    _, _, j = dec(pdu, j)
    _, vbl, _ = dec(pdu, j)
    _, vb, _ = dec(vbl, 0)
    _, _, k = dec(vb, 0)
    vt, val, _ = dec(vb, k)
    v = int.from_bytes(val, "big") if vt in (2, 0x41, 0x42, 0x43) else None
    # 0x80-0x82: noSuchObject and kin, snmpd's answer while no module serves
    return int.from_bytes(rid, "big", signed=True), v, vt >= 0x80

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect(("127.0.0.1", port))
rid, lat, lost, first, done = 1000, {n: [] for n, _ in OIDS}, {n: 0 for n, _ in OIDS}, None, None
slow, absent, gone, back = [], 0, None, None
open(out + ".ready", "w").close()  # ready: the host may start (writes t0file)
while not os.path.exists(t0file):
    time.sleep(0.005)
t0 = int(open(t0file).read())
while done is None and time.time() - t0 / 1e9 < maxs:
    tick = time.monotonic()
    for name, o in OIDS:
        rid += 1
        sent = time.monotonic()
        got = None
        try:
            s.send(get(rid, o))
            while got is None and time.monotonic() - sent < 1.0:
                s.settimeout(max(0.001, 1.0 - (time.monotonic() - sent)))
                r = parse(s.recv(65535))
                if r[0] == rid:
                    got = r
        except (socket.timeout, ConnectionRefusedError, IndexError):
            pass
        ms = (time.monotonic() - sent) * 1000
        at = (time.time_ns() - t0) / 1e9 - ms / 1000
        if got is None:
            if first is not None or os.path.exists(upfile):
                lost[name] += 1
                slow.append((ms, at, name + " unanswered"))
            continue
        if ms >= 100:
            slow.append((ms, at, name))
        if first is None:
            first = (time.time_ns() - t0) / 1e9
        if name.startswith("camPoll") and got[2]:
            # snmpd answered for the module: not registered (yet, or again)
            absent += 1
            gone = at if gone is None else gone
            back = at
            continue
        lat[name].append(ms)
        if name.startswith("camPoll") and got[1] is not None and got[1] >= 1:
            done = (time.time_ns() - t0) / 1e9
    time.sleep(max(0, tick + period - time.monotonic()))

def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * p))] if v else float("nan")

with open(out, "w") as f:
    f.write("round %s first_answer %s\n" % (
        "%.1f" % done if done is not None else "unfinished",
        "%.2f" % first if first is not None else "never"))
    for name, _ in OIDS:
        v = lat[name]
        f.write("%s %d %d %.1f %.1f %.1f\n" % (name, len(v), lost[name],
                pct(v, 0.5), pct(v, 0.99), max(v) if v else float("nan")))
    for ms, at, name in sorted(slow, reverse=True)[:8]:
        f.write("slow %.0f ms at %.2f s: %s\n" % (ms, at, name))
    if absent:
        f.write("absent %d %.2f %.2f\n" % (absent, gone, back))
EOF

start_trapd() {
	printf 'authCommunity log public\n' >"$D/snmptrapd.conf"
	: >"$D/traps.log"
	snmptrapd -f -C -c "$D/snmptrapd.conf" -On -Lf "$D/traps.log" \
		"udp:127.0.0.1:$TRAP_PORT" >"$D/snmptrapd.out" 2>&1 &
	PIDS="$PIDS $!"
	wait_until 10 grep -q 'NET-SNMP version' "$D/traps.log"
}

# start_snmpd [dlmod]: the master; with dlmod, the module inside it.
start_snmpd() {
	cat >"$D/snmpd.conf" <<EOC
master agentx
agentXSocket unix:$D/agentx.sock
agentXPerms 0600 0700
agentXTimeout 1
agentXRetries 0
rocommunity public 127.0.0.1
trap2sink 127.0.0.1:$TRAP_PORT public
EOC
	[ $# = 0 ] || echo "dlmod camcomply $MODULE" >>"$D/snmpd.conf"
	: >"$D/snmpd.log"
	CAMCOMPLY_CONFIG=$D/camcomplyd.conf snmpd -f -Lo -C -c "$D/snmpd.conf" \
		-I -smux "udp:127.0.0.1:$SNMP_PORT" >>"$D/snmpd.log" 2>&1 &
	SNMPD=$!
	PIDS="$PIDS $SNMPD"
}

# perf_start PID / perf_stop: sample the module's host during the round.
perf_start() {
	[ "${BENCH_PERF:-0}" = 1 ] || return 0
	perf record -q -e cpu-clock -F 499 -g -p "$1" -o "$D/perf.data" \
		>"$D/perf.out" 2>&1 &
	PERF=$!
}
perf_stop() {
	[ "${BENCH_PERF:-0}" = 1 ] || return 0
	kill -INT "$PERF" 2>/dev/null
	wait "$PERF" 2>/dev/null
}
# perf_print PID: the whole process's top symbols, then its main thread's
# (the one that answers SNMP).
perf_print() {
	[ "${BENCH_PERF:-0}" = 1 ] || return 0
	echo "  perf: $HOST over the round (cpu-clock, 499 Hz), top symbols:"
	perf report -i "$D/perf.data" --stdio --no-children --sort symbol \
		-g none --percent-limit 2 2>/dev/null | grep -v '^#' |
		grep -v '^$' | head -n 15 | sed 's/^/    /'
	echo "  ... of its main thread (SNMP, the store), by the share of its samples:"
	perf report -i "$D/perf.data" --stdio --no-children --tid "$1" \
		--sort symbol -g none --percent-limit 2 2>/dev/null |
		grep -v '^#' | grep -v '^$' | head -n 15 | sed 's/^/    /'
}

# camera_lines CASE: camcomplyd.conf's camera lines from the ready file;
# with the collectors, each camera's HTTP, SADP and RTSP ports.
camera_lines() {
	awk -v c="$1" '{
		o = ""
		if (c != "onvif") {
			split($2, u, "[:/]")
			o = " http-port " u[5]
			for (i = 3; i <= NF; i++)
				if ($i ~ /^(rtsp|sadp|dhip)=/) {
					split($i, kv, "=")
					o = o " " kv[1] "-port " kv[2]
				}
		}
		print "camera " $2 " credentials audit" o
	}' "$D/ready"
}

# sim_spec N CASE: camsim's cameras for the case.
sim_spec() {
	local s="hikvision-wsse@$NET_FIRST+$1:0,user=admin,password-file=$T/pw"
	case $2 in
	unauth) s="$s,onvif=off,sadp-port=auto,rtsp-port=auto" ;;
	both) s="$s,sadp-port=auto,rtsp-port=auto" ;;
	esac
	echo "$s"
}

# write_config CASE: camcomplyd.conf for the cameras of the ready file.
write_config() {
	local cs=$1
	{
		echo "credentials audit admin $T/pw"
		echo "site core 127.50.0.0/15 core"
		echo "poll-interval 86400"
		echo "timeout $TIMEOUT"
		echo "concurrency $CONC"
		echo "state-file $D/state"
		echo "policy $top/data/policy.xml"
		if [ "$cs" = onvif ]; then
			echo "probe auto"
		else
			echo "probe all"
		fi
		[ -z "${BENCH_PROBES:-}" ] || echo "probes $BENCH_PROBES"
		camera_lines "$cs"
	} >"$D/camcomplyd.conf"
}

# start_round N CASE: the cameras, snmptrapd, the prober, snmpd and the
# module, until the prober ends (the round is over, or ROUND_MAX); then
# the CPU times (SIM_CPU, HOST_CPU, SNMPD_CPU) and the host's pid (HPID).
start_round() {
	local n=$1 cs=$2
	# nice 19: the cameras are not on the NMS host; on this 2-core box
	# camsim would otherwise take the CPU the agent is measured on
	# (BENCH_SIM_NICE=0 to see that).
	nice -n "${BENCH_SIM_NICE:-19}" \
	"$build/tests/sim/camsim" -d "$top/tests/sim/profiles" -r "$D/ready" \
		-l /dev/null \
		"$(sim_spec "$n" "$cs")" >"$D/sim.out" 2>&1 &
	SIM=$!
	PIDS="$PIDS $SIM"
	wait_until 60 test -e "$D/ready" || { cat "$D/sim.out"; return 1; }
	write_config "$cs"
	start_trapd
	# The prober first, so that it sees the round from its start.
	python3 "$T/probe.py" "$SNMP_PORT" "$PROBE_MS" "$D/t0" "$ROUND_MAX" \
		"$D/probe" "$SUMMARY" "$D/snmpd.up" &
	PROBE=$!
	wait_until 30 test -e "$D/probe.ready" || return 1
	if [ "$HOST" = subagent ]; then
		start_snmpd
		wait_until 10 grep -q '^NET-SNMP version' "$D/snmpd.log" ||
			{ cat "$D/snmpd.log"; return 1; }
		date +%s%N >"$D/snmpd.up"
		date +%s%N >"$D/t0.tmp" && mv "$D/t0.tmp" "$D/t0"
		"$build/camcomplyd" -f -Lf "$D/daemon.log" \
			-x "unix:$D/agentx.sock" -c "$D/camcomplyd.conf" &
		HPID=$!
		PIDS="$PIDS $HPID"
	else
		date +%s%N >"$D/t0.tmp" && mv "$D/t0.tmp" "$D/t0"
		start_snmpd dlmod
		HPID=$SNMPD
		# snmpd runs (it logs this before the module's start timer fires).
		wait_until 10 grep -q '^NET-SNMP version' "$D/snmpd.log" &&
			date +%s%N >"$D/snmpd.up"
	fi
	perf_start "$HPID"
	wait "$PROBE"
	SIM_CPU=$(cpu_s "$SIM") HOST_CPU=$(cpu_s "$HPID") SNMPD_CPU=$(cpu_s "$SNMPD")
	perf_stop "$HPID"
}

# report_round N CASE: what start_round measured, and after the round: the
# notification queue, the table, a walk; one line of the summary.
report_round() {
	local n=$1 cs=$2 host=$HPID t0 line r drained first up host_cpu
	read -r _ r _ first <"$D/probe"
	echo "bench-round: $n cameras, case $cs ($HOST, concurrency $CONC, timeout ${TIMEOUT}s," \
	     "load $(cut -d' ' -f1-3 /proc/loadavg)):"
	up=""
	[ "$HOST" = snmpd ] && [ -s "$D/snmpd.up" ] &&
		up="; snmpd up at $((($(cat "$D/snmpd.up") - $(cat "$D/t0")) / 1000000)) ms"
	echo "  first round: ${r} s from the module's start (first GET answered" \
	     "at ${first} s$up)"
	while read -r name cnt lost med p99 max; do
		echo "  GET $name during the round: $cnt answered, $lost unanswered;" \
		     "median $med ms, p99 $p99 ms, max $max ms"
	done < <(sed -n '2,3p' "$D/probe")
	echo "  (answered: by the module itself; noSuchObject answers of snmpd" \
	     "are counted apart)"
	grep -q '^slow' "$D/probe" &&
		echo "  GETs of 100 ms or more (time from the module's start):" &&
		grep '^slow' "$D/probe" | sed 's/^slow /    /'
	grep -q '^absent' "$D/probe" &&
		awk '/^absent/ { printf "  camPollRoundsCompleted.0: snmpd answered" \
		    " noSuchObject %d time(s), between %s s and %s s: the module" \
		    " was not registered (starting, or dropped)\n", $2, $3, $4 }' \
		    "$D/probe"
	grep -q 'master disconnected' "$D/daemon.log" 2>/dev/null &&
		echo "  the master dropped the AgentX session" \
		     "$(grep -c 'master disconnected' "$D/daemon.log") time(s)" \
		     "(a GET to the subagent timed out: agentXTimeout 1)"
	if [ "$HOST" = snmpd ]; then
		host_cpu="snmpd ${HOST_CPU} s (the module inside)"
	else
		host_cpu="camcomplyd ${HOST_CPU} s, snmpd ${SNMPD_CPU} s"
	fi
	echo "  $HOST $(mem "$host")after the round; CPU over the round:" \
	     "${host_cpu}, camsim ${SIM_CPU} s"
	case $r in
	unfinished) ;;
	*) awk -v r="$r" -v n="$n" -v c="$CONC" -v cpu="$HOST_CPU" 'BEGIN {
		printf "  per camera: %.2f ms of the round; %.1f ms of a" \
		    " worker (round x %d / cameras); %.2f ms CPU of the" \
		    " module host\n", r * 1000 / n, r * 1000 * c / n, c,
		    cpu * 1000 / n }' ;;
	esac
	echo "  notifications at the round's end: snmptrapd got $(traps)" \
	     "(camRestrictedDeviceDetected $(grep -c "$NOTIF\.1\b" "$D/traps.log")," \
	     "camComplianceSummary $(grep -c "$NOTIF\.8\b" "$D/traps.log"));" \
	     "Sent $(sget $SUMMARY.14.0) Suppressed $(sget $SUMMARY.15.0)" \
	     "Queued $(sget $SUMMARY.16.0)"
	drained=no
	wait_until 120 queue_empty && drained=yes
	wait_until 10 all_arrived # what was sent reaches snmptrapd
	echo "  ... queue drained: $drained; snmptrapd got $(traps)" \
	     "(camComplianceSummary $(grep -c "$NOTIF\.8\b" "$D/traps.log"));" \
	     "Sent $(sget $SUMMARY.14.0) Suppressed $(sget $SUMMARY.15.0)"
	echo "  table: camDevicesTotal $(sget $SUMMARY.4.0)," \
	     "camDevicesRestricted $(sget $SUMMARY.6.0)," \
	     "camDevicesUnreachable $(sget $SUMMARY.8.0)"
	t0=$(date +%s%N)
	line=$(snmpbulkwalk -v2c -c public -r0 -t10 -Cr50 -On -Oq \
		"127.0.0.1:$SNMP_PORT" "$VERDICT" 2>&1 | grep -c "^$VERDICT\.")
	t0=$((($(date +%s%N) - t0) / 1000000))
	echo "  snmpbulkwalk of camDeviceVerdict (max-repetitions 50): $line rows" \
	     "in $t0 ms; $HOST $(mem "$host")after"
	# One line for the table at the end.
	awk -v n="$n" -v cs="$cs" -v hwm="$(hwm "$host")" -v walk="$t0" \
	    -v cpu="$HOST_CPU" '
	    /^round/ { r = $2 }
	    /^sysUpTime/ { s = $5 " / " $3 }
	    /^camPoll/ { m = $5 " / " $3 }
	    /^absent/ { a = $2 }
	    END { pc = r ~ /^[0-9.]+$/ ? sprintf("%.2f", r * 1000 / n) : "-"
		printf "%8s %7s %9s %7s %8.2f %14s %14s %9s %8s %8s\n", n, cs,
		r, pc, cpu * 1000 / n, s, m, a + 0, hwm, walk }' \
	    "$D/probe" >>"$T/summary"
	perf_print "$host"
	stop_all
}

run() {
	D=$T/$1.$2
	mkdir -p "$D"
	start_round "$1" "$2" || return 1
	report_round "$1" "$2"
	stop_all
}

echo "bench-round: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg);" \
     "sizes $SIZES; cases $CASES"
for n in $SIZES; do
	for cs in $CASES; do
		run "$n" "$cs" ||
			{ echo "bench-round: $n cameras, case $cs: failed"; stop_all; }
	done
done
[ -s "$T/summary" ] || exit 1
echo "bench-round: summary ($HOST, concurrency $CONC; GET p99 ms / unanswered;" \
     "noSuchObject: module GETs snmpd answered for it)"
echo "  (ms/cam: the round's time per camera; cpu ms/cam: the module host's)"
printf '%8s %7s %9s %7s %8s %14s %14s %9s %8s %8s\n' cameras case "round s" \
    "ms/cam" "cpu ms" "sysUpTime" "module GET" noSuchObj "HWM MB" "walk ms"
cat "$T/summary"
