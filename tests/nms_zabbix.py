#!/usr/bin/python3
"""Drive a real Zabbix 6.0 (server + frontend API) against camcomplyd.

Called by tests/nms-zabbix.sh once the stack runs.  Imports exactly the
shipped template, monitors the agent, then changes the estate the way an
operator would (adds the restricted camera to camcomplyd's configuration,
later waives it in the policy) and checks what Zabbix makes of it.
Prints "ok - ..." lines and exits non-zero on the first failure.

usage: nms_zabbix.py API TEMPLATE SNMP_PORT CONF POLICY DAEMON_PID NET SERIAL
                     CAM_PORT
"""
import os
import re
import signal
import sys
import time

sys.dont_write_bytecode = True  # nothing written beside the sources
import zabbix_api as z  # noqa: E402 (after the line above)

API, TEMPLATE, PORT, CONF, POLICY, DPID, NET, SERIAL, CAM_PORT = sys.argv[1:10]
log, ok, call, items = z.log, z.ok, z.call, z.items
wait = z.wait


def triggers(hostid, **filt):
    return call("trigger.get", {"hostids": hostid, "filter": filt,
                                "expandDescription": True, "selectTags": "extend",
                                "output": ["description", "value", "priority"]})


def sighup():
    os.kill(int(DPID), signal.SIGHUP)


z.connect(API)
log("API " + call("apiinfo.version", {}))

# 1. The shipped template, exactly as it is in the source tree.
TPLID = z.import_template(TEMPLATE)
z.disable_server_host()

# 2. The agent as an operator adds it: SNMPv2c, community by macro, fast
#    intervals through the template's macros.
grp = call("hostgroup.create", {"name": "Camera agents"})["groupids"][0]
host = call("host.create", {
    "host": "cam-agent", "groups": [{"groupid": grp}],
    "interfaces": [{"type": 2, "main": 1, "useip": 1, "ip": "127.0.0.1",
                    "dns": "", "port": PORT,
                    "details": {"version": 2, "bulk": 1,
                                "community": "{$SNMP_COMMUNITY}"}}],
    "macros": [{"macro": "{$CAMCOMPLY.POLL.INTERVAL}", "value": "1s"},
               {"macro": "{$CAMCOMPLY.LLD.INTERVAL}", "value": "2s"}],
    "templates": [{"templateid": TPLID}]})["hostids"][0]

wait("summary polled: 2 cameras before the restricted one is added",
     lambda: [i for i in items(host, key_="camcomply.devices.total")
              if i["lastclock"] != "0" and i["lastvalue"] == "2"])

# 3. The restricted camera appears on the sensitive site.
t_add = time.time()
with open(CONF, "a") as f:
    f.write(f"camera {NET}.1:{CAM_PORT} credentials site\n")
sighup()
total = wait("summary polled: 3 cameras",
             lambda: [i for i in items(host, key_="camcomply.devices.total")
                      if i["lastvalue"] == "3"])


def verdict_items():
    return [i for i in items(host, flags=4)
            if i["key_"].startswith("camcomply.camera.verdict[")
            and i["lastclock"] != "0"]


wait("LLD: one discovered entity per camera (3 verdict items with values)",
     lambda: len(verdict_items()) == 3)


def firing(prio, text):
    return [t for t in triggers(host, value=1)
            if t["priority"] == prio and text in t["description"]]


tr = wait("restricted camera on the sensitive site: Disaster fired",
          lambda: firing("5", f"{NET}.1 "))
log(f"firing: {tr[0]['description']}  ({time.time() - t_add:.1f} s after the camera was added)")
tags = {t["tag"]: t["value"] for t in tr[0]["tags"]}
if tags.get("site") != "secure" or tags.get("zone") != "sensitive" \
        or tags.get("camera") != f"{NET}.1":
    raise SystemExit(f"FAIL: trigger tags {tags}")
ok("trigger tagged site=secure zone=sensitive camera=" + tags["camera"])
if tags.get("jurisdiction") != "CN":
    raise SystemExit(f"FAIL: trigger not tagged jurisdiction=CN: {tags}")
ok("trigger tagged jurisdiction=CN: 'every PRC-based camera' is a tag filter")
wait("the maker's jurisdiction item reads CN for one camera",
     lambda: [i for i in items(host, flags=4)
              if i["key_"].startswith("camcomply.camera.jurisdiction[")
              and i["lastvalue"] == "CN"])
wait("restricted camera on a general site: Warning fired",
     lambda: firing("2", f"{NET}.9 "))
others = [t["description"] for t in triggers(host, value=1)
          if NET + ".2 " in t["description"]]
if others:
    raise SystemExit(f"FAIL: the compliant camera raised {others}")
ok("the compliant camera raised nothing")

trap_key = 'snmptrap["\\.3102\\.0\\.1(\\s|$)"]'
trap = wait("camRestrictedDeviceDetected recorded in the trap item",
            lambda: [i for i in items(host, key_=trap_key)
                     if SERIAL in i["lastvalue"]])
log("trap item: " + re.sub(r"\s+", " ", trap[0]["lastvalue"])[:160])
wait("trap trigger fired",
     lambda: firing("4", "camRestrictedDeviceDetected"))
# Readable without the MIB: the handler's CAMERA: line names the camera by
# its service URL, and the trap trigger's event name (the problem) shows it.
url = f"http://{NET}.1:{CAM_PORT}/onvif/device_service"
if f"CAMERA: {url} (" not in trap[0]["lastvalue"]:
    raise SystemExit("FAIL: the trap record does not name " + url)
ok("the trap record names the camera by its URL")
# The trap trigger is one per host: its problem names the camera of the
# trap that fired it, whichever restricted camera that was.
prob = wait("the trap's problem names a camera by its URL and address",
            lambda: [p["name"] for p in call("problem.get", {
                "hostids": host, "output": ["name"]})
                if re.match(rf"Restricted camera http://{re.escape(NET)}\.[0-9]+:"
                            rf"{CAM_PORT}/onvif/device_service \(.* at "
                            rf"{re.escape(NET)}\.[0-9]+ on site ", p["name"])])
log(f"problem: {prob[0]}")

# 4. The camera is waived in the policy: the problem must resolve.
t_w = time.time()
with open(POLICY) as f:
    pol = f.read()
pol = pol.replace("<waivers/>",
                  f'<waivers><waiver serial="{SERIAL}" expires="2099-12-31" '
                  'reference="NMS-TEST-2"/></waivers>')
with open(POLICY, "w") as f:
    f.write(pol)
sighup()
wait("waived: the Disaster problem recovered",
     lambda: not firing("5", f"{NET}.1 "), timeout=60)
log(f"recovered {time.time() - t_w:.1f} s after the waiver")
ev = call("problem.get", {"hostids": host, "severities": [5],
                          "recent": True, "output": ["r_eventid", "name"]})
if not ev or any(p["r_eventid"] == "0" for p in ev):
    raise SystemExit(f"FAIL: problem not resolved: {ev}")
ok("problem.get shows the Disaster problem resolved")
print(f"# zabbix e2e {time.time() - z.T0:.1f} s")
