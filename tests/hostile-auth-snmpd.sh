#!/bin/bash
# hostile-auth.sh with the MIB module inside snmpd (camcomply.so, dlmod):
# the daemon part runs snmpd, with the module, in the test namespace.
CAMCOMPLY_HOST=snmpd NET=127.2.74 LAN=10.231.16 \
	exec "$(dirname "$0")/hostile-auth.sh"
