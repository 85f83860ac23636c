#!/usr/bin/python3
"""Drive a Zabbix 6.0 server whose sites are monitored by active proxies.

Called by tests/nms-zabbix-proxy.sh (in the hq namespace) once the server,
the API and each site's stack (cameras, snmpd, camcomplyd, snmptrapd,
zabbix_proxy) run.  Registers one proxy per site, imports the shipped
template, creates one host per site monitored by its proxy, then adds each
site's restricted camera to that site's camcomplyd and checks, per site:
LLD entities for both cameras, the restricted camera's Disaster trigger,
and the camRestrictedDeviceDetected trap item and problem naming that
site's camera (and not the other site's).
Prints "ok - ..." lines and exits non-zero on the first failure.

usage: nms_zabbix_proxy.py API TEMPLATE SITES_JSON
  SITES_JSON: [{"name", "net", "restricted", "compliant", "conf", "pid",
                "serial", "trapfile"}, ...]
"""
import json
import os
import re
import signal
import sys
import time

sys.dont_write_bytecode = True  # nothing written beside the sources
import zabbix_api as z  # noqa: E402 (after the line above)

API, TEMPLATE, SITES = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
log, ok, call, items = z.log, z.ok, z.call, z.items


def wait(what, fn, timeout=90):
    return z.wait(what, fn, timeout)


def firing(hostid, prio, text):
    return [t for t in call("trigger.get", {
        "hostids": hostid, "filter": {"value": 1}, "expandDescription": True,
        "output": ["description", "priority"]})
        if t["priority"] == prio and text in t["description"]]


z.connect(API)
log("API " + call("apiinfo.version", {}))

# 1. The shipped template, exactly as it is in the source tree.
TPLID = z.import_template(TEMPLATE)
z.disable_server_host()

# 2. One active proxy per site (status 5), named as its Hostname=, and one
#    host per site monitored by it: the SNMP interface is the site's snmpd
#    as the proxy sees it (the site box's own loopback).
grp = call("hostgroup.create", {"name": "Camera agents"})["groupids"][0]
for s in SITES:
    s["proxy"] = call("proxy.create", {"host": f"proxy-{s['name']}",
                                       "status": 5})["proxyids"][0]
    s["host"] = call("host.create", {
        "host": f"cam-agent-{s['name']}", "groups": [{"groupid": grp}],
        "proxy_hostid": s["proxy"],
        "interfaces": [{"type": 2, "main": 1, "useip": 1, "ip": "127.0.0.1",
                        "dns": "", "port": "161",
                        "details": {"version": 2, "bulk": 1,
                                    "community": "{$SNMP_COMMUNITY}"}}],
        "macros": [{"macro": "{$CAMCOMPLY.POLL.INTERVAL}", "value": "1s"},
                   {"macro": "{$CAMCOMPLY.LLD.INTERVAL}", "value": "2s"}],
        "templates": [{"templateid": TPLID}]})["hostids"][0]
ok("two proxies registered, one host per site monitored by its proxy")

for s in SITES:
    wait(f"{s['name']}: proxy-{s['name']} connected to the server",
         lambda: [p for p in call("proxy.get", {"proxyids": s["proxy"],
                                                "output": ["lastaccess"]})
                  if int(p["lastaccess"]) > 0])
for s in SITES:
    wait(f"{s['name']}: summary polled through the proxy: 1 camera",
         lambda: [i for i in items(s["host"], key_="camcomply.devices.total")
                  if i["lastclock"] != "0" and i["lastvalue"] == "1"])

# 3. Each site's restricted camera appears: into camcomplyd's
#    configuration, SIGHUP (the proxies have their hosts by now, so the
#    notification finds an interface to land on).
t_add = time.time()
for s in SITES:
    with open(s["conf"]) as f:
        conf = f.read()
    with open(s["conf"], "w") as f:
        f.write(conf.replace(f"# camera {s['restricted']}:",
                             f"camera {s['restricted']}:"))
    os.kill(int(s["pid"]), signal.SIGHUP)

for s in SITES:
    wait(f"{s['name']}: summary polled: 2 cameras",
         lambda: [i for i in items(s["host"], key_="camcomply.devices.total")
                  if i["lastvalue"] == "2"])


def verdicts(hostid):
    return [i for i in items(hostid, flags=4)
            if i["key_"].startswith("camcomply.camera.verdict[")
            and i["lastclock"] != "0"]


for s in SITES:
    wait(f"{s['name']}: LLD through the proxy: a verdict item per camera (2)",
         lambda: len(verdicts(s["host"])) == 2)
    names = [i["key_"] for i in verdicts(s["host"])]
    log(f"{s['name']}: {names}")
    # Every item prototype, once per camera, each with a value the proxy
    # collected.
    protos = len(call("itemprototype.get", {"hostids": s["host"],
                                            "output": ["itemid"]}))
    wait(f"{s['name']}: all {protos} discovered items of both cameras "
         "have values",
         lambda: len([i for i in items(s["host"], flags=4)
                      if i["lastclock"] != "0"]) == 2 * protos)

for s in SITES:
    tr = wait(f"{s['name']}: restricted camera {s['restricted']} on the "
              "sensitive site: Disaster fired",
              lambda: firing(s["host"], "5", f"{s['restricted']} "))
    log(f"{s['name']}: {tr[0]['description']}  "
        f"({time.time() - t_add:.1f} s after the camera was added)")
    if f"{s['name']}-secure" not in tr[0]["description"]:
        raise SystemExit(f"FAIL: {s['name']}: trigger names no site: "
                         f"{tr[0]['description']}")
    ok(f"{s['name']}: the trigger names site {s['name']}-secure")
    others = [t["description"] for t in call("trigger.get", {
        "hostids": s["host"], "filter": {"value": 1},
        "expandDescription": True, "output": ["description"]})
        if s["compliant"] + " " in t["description"]]
    if others:
        raise SystemExit(f"FAIL: {s['name']}: the compliant camera raised {others}")
    ok(f"{s['name']}: the compliant camera {s['compliant']} raised nothing")

# 4. The traps: each site's notification through that site's proxy (the
#    server reads no trap file), on that site's host only.
trap_key = 'snmptrap["\\.3102\\.0\\.1(\\s|$)"]'
for s in SITES:
    url = f"http://{s['restricted']}:80/onvif/device_service"
    trap = wait(f"{s['name']}: camRestrictedDeviceDetected in the trap item",
                lambda: [i for i in items(s["host"], key_=trap_key)
                         if f"CAMERA: {url} (" in i["lastvalue"]])
    log(f"{s['name']}: trap item: "
        + re.sub(r"\s+", " ", trap[0]["lastvalue"])[:160])
    if s["serial"] not in trap[0]["lastvalue"]:
        raise SystemExit(f"FAIL: {s['name']}: the trap has no serial {s['serial']}")
    ok(f"{s['name']}: the trap record carries the camera's serial")
    for o in SITES:
        if o is not s and o["restricted"] in trap[0]["lastvalue"]:
            raise SystemExit(f"FAIL: {s['name']}'s trap item has {o['name']}'s camera")
    ok(f"{s['name']}: no other site's camera in its trap item")
    prob = wait(f"{s['name']}: the trap's problem names {url}",
                lambda: [p["name"] for p in call("problem.get", {
                    "hostids": s["host"], "output": ["name"]})
                    if p["name"].startswith(f"Restricted camera {url} (")
                    and f" at {s['restricted']} on site {s['name']}-secure"
                    in p["name"]])
    log(f"{s['name']}: problem: {prob[0]}")

# 5. Proof of the path: every host is the proxy's, and the proxies report
#    their own hosts.
for s in SITES:
    h = call("host.get", {"hostids": s["host"], "output": ["proxy_hostid"]})
    if h[0]["proxy_hostid"] != s["proxy"]:
        raise SystemExit(f"FAIL: {s['name']}: host not monitored by its proxy")
    p = call("proxy.get", {"proxyids": s["proxy"], "selectHosts": ["host"],
                           "output": ["host"]})
    if [x["host"] for x in p[0]["hosts"]] != [f"cam-agent-{s['name']}"]:
        raise SystemExit(f"FAIL: proxy-{s['name']} monitors {p[0]['hosts']}")
ok("each site's host is monitored by its own proxy, and only it")
print(f"# zabbix proxy e2e {time.time() - z.T0:.1f} s")
