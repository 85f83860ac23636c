"""What tests/nms_zabbix.py and tests/nms_zabbix_proxy.py share: a client
of Zabbix 6.0's JSON-RPC API and the test's output lines.

    import zabbix_api as z
    z.connect(API_URL)            # logs in as the frontend's default Admin
    z.call("host.get", {...})     # the result, or exits with FAIL
    z.wait("what", fn, timeout)   # fn() until truthy, or exits with FAIL
"""
import json
import sys
import time
import urllib.request

TPL = "camcomply CAMERA-COMPLIANCE-MIB SNMP"
T0 = time.time()
_api = None
_token = None
_seq = 0


def log(msg):
    print(f"# [{time.time() - T0:6.2f}s] {msg}", flush=True)


def ok(msg):
    print(f"ok - {msg}", flush=True)


def call(method, params):
    global _seq
    _seq += 1
    body = {"jsonrpc": "2.0", "method": method, "params": params, "id": _seq}
    if _token and method not in ("user.login", "apiinfo.version"):
        body["auth"] = _token
    req = urllib.request.Request(_api, json.dumps(body).encode(),
                                 {"Content-Type": "application/json-rpc"})
    with urllib.request.urlopen(req, timeout=60) as r:
        resp = json.load(r)
    if "error" in resp:
        raise SystemExit(f"FAIL: {method}: {resp['error']}")
    return resp["result"]


def connect(api):
    global _api, _token
    _api = api
    _token = call("user.login", {"username": "Admin", "password": "zabbix"})


def wait(what, fn, timeout=60):
    t = time.time()
    while True:
        v = fn()
        if v:
            ok(f"{what} ({time.time() - t:.1f} s)")
            return v
        if time.time() - t > timeout:
            raise SystemExit(f"FAIL: timed out: {what}")
        time.sleep(0.25)


def items(hostid, **filt):
    return call("item.get", {"hostids": hostid, "filter": filt,
                             "output": ["key_", "lastvalue", "lastclock",
                                        "flags", "state", "error"]})


def import_template(path):
    """The template file as it is, imported; its id."""
    rules = {k: {"createMissing": True, "updateExisting": True}
             for k in ("groups", "templates", "items", "triggers",
                       "discoveryRules", "valueMaps")}
    rules["templateLinkage"] = {"createMissing": True}
    with open(path) as f:
        call("configuration.import", {"format": "yaml", "source": f.read(),
                                      "rules": rules})
    tpl = call("template.get", {"filter": {"host": TPL},
                                "output": ["templateid"]})
    if len(tpl) != 1:
        raise SystemExit("FAIL: template not imported")
    ok("configuration.import accepted the shipped template")
    return tpl[0]["templateid"]


def disable_server_host():
    """The frontend's own "Zabbix server" host polls an agent the tests do
    not run: disabled."""
    for h in call("host.get", {"filter": {"host": "Zabbix server"},
                               "output": ["hostid"]}):
        call("host.update", {"hostid": h["hostid"], "status": 1})


if __name__ == "__main__":
    sys.exit("zabbix_api.py is a module of the Zabbix tests")
