#!/usr/bin/python3
"""unauth-client.py: a client of camsim's unauthenticated surfaces that
camcomply did not write, for tests/sim-unauth.sh: sends one SADP or DHIP
probe (or any bytes) over UDP, or one RTSP request over TCP, and writes
every reply to OUT.N (the bytes as received) with a line per reply on
standard output:

    from ADDR:PORT len N file OUT.N

  unauth-client.py sadp DEST PORT OUT [--types VERB] [--uuid UUID]
      [--src ADDR] [--wait S] [--count N] [--group IFADDR]
  unauth-client.py dhip DEST PORT OUT [--method M] [--unframed]
      [--src ADDR] [--wait S] [--count N] [--group IFADDR]
      [--broadcast IFADDR]
  unauth-client.py udp DEST PORT OUT FILE [--src ADDR] [--wait S]
      [--count N]
  unauth-client.py rtsp DEST PORT OUT METHOD [--auth VALUE] [--cseq N]
      [--max BYTES] [--wait S]

UDP: waits S seconds (default 1.5) for every reply, or until --count N
replies came.  RTSP: reads until the
blank line that ends the headers (plus Content-Length bytes), --max bytes
(default 65536) or S seconds, whichever comes first, and prints
"eof", "max" or "timeout" after the reply line.  Only the standard
library; no credentials unless --auth is given.
"""
import socket
import struct
import sys
import time
import uuid as uuidlib


def opts(argv, names):
    out, rest, i = {}, [], 0
    while i < len(argv):
        if argv[i].startswith("--") and argv[i][2:] in names:
            if names[argv[i][2:]]:
                out[argv[i][2:]] = argv[i + 1]
                i += 2
            else:
                out[argv[i][2:]] = True
                i += 1
        else:
            rest.append(argv[i])
            i += 1
    return out, rest


def sadp_probe(types, uid):
    return ('<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>%s</Uuid>'
            '<Types>%s</Types></Probe>' % (uid, types)).encode()


def dhip_probe(method, unframed):
    body = ('{"method":"%s","params":{"mac":"","uni":1}}\n' % method).encode()
    if unframed:
        return body
    n = len(body)
    return (struct.pack("<I", 32) + b"DHIP" + struct.pack("<II", 0, 0) +
            struct.pack("<II", n, 0) + struct.pack("<II", n, 0) + body)


def udp(dest, port, out, data, o):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if "group" in o or "broadcast" in o:
        ifaddr = o.get("group") or o.get("broadcast")
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                     socket.inet_aton(ifaddr))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        s.bind((ifaddr, 0))
    else:
        s.bind((o.get("src", "0.0.0.0"), 0))
    s.sendto(data, (dest, port))
    end = time.time() + float(o.get("wait", "1.5"))
    k, count = 0, int(o.get("count", "0"))
    while count == 0 or k < count:
        left = end - time.time()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            b, frm = s.recvfrom(65536)
        except socket.timeout:
            break
        k += 1
        name = "%s.%d" % (out, k)
        with open(name, "wb") as f:
            f.write(b)
        print("from %s:%d len %d file %s" % (frm[0], frm[1], len(b), name))
        sys.stdout.flush()


def rtsp(dest, port, out, method, o):
    cseq = o.get("cseq", "2")
    req = "%s rtsp://%s:%d/ RTSP/1.0\r\nCSeq: %s\r\n" % (method, dest, port,
                                                       cseq)
    req += "User-Agent: unauth-client\r\n"
    if "auth" in o:
        req += "Authorization: %s\r\n" % o["auth"]
    if method == "DESCRIBE":
        req += "Accept: application/sdp\r\n"
    req += "\r\n"
    mx = int(o.get("max", "65536"))
    s = socket.create_connection((dest, port), timeout=5)
    s.sendall(req.encode())
    end = time.time() + float(o.get("wait", "3"))
    buf, why = b"", "timeout"
    while len(buf) < mx:
        left = end - time.time()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            b = s.recv(min(65536, mx - len(buf)))
        except socket.timeout:
            break
        if not b:
            why = "eof"
            break
        buf += b
        head, sep, body = buf.partition(b"\r\n\r\n")
        if sep:
            clen = 0
            for line in head.split(b"\r\n")[1:]:
                k, _, v = line.partition(b":")
                if k.strip().lower() == b"content-length":
                    clen = int(v.strip() or b"0")
            if len(body) >= clen and clen < mx:
                why = "done"
                break
    else:
        why = "max"
    name = out + ".1"
    with open(name, "wb") as f:
        f.write(buf)
    print("from %s:%d len %d file %s" % (dest, port, len(buf), name))
    print(why)
    s.close()


def main(argv):
    names = {"types": 1, "uuid": 1, "src": 1, "wait": 1, "group": 1,
             "broadcast": 1, "method": 1, "unframed": 0, "auth": 1,
             "cseq": 1, "max": 1, "count": 1}
    o, a = opts(argv[1:], names)
    if len(a) < 4:
        sys.exit(__doc__)
    kind, dest, port, out = a[0], a[1], int(a[2]), a[3]
    if kind == "sadp":
        uid = o.get("uuid", str(uuidlib.uuid4()).upper())
        udp(dest, port, out, sadp_probe(o.get("types", "inquiry"), uid), o)
    elif kind == "dhip":
        udp(dest, port, out,
            dhip_probe(o.get("method", "DHDiscover.search"),
                       "unframed" in o), o)
    elif kind == "udp":
        with open(a[4], "rb") as f:
            udp(dest, port, out, f.read(), o)
    elif kind == "rtsp":
        rtsp(dest, port, out, a[4], o)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
