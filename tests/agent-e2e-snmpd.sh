#!/bin/bash
# agent-e2e.sh with the MIB module inside snmpd (camcomply.so, dlmod): rows,
# verdicts, traps, v3, a restart (of snmpd) with stable indexes, SIGHUP
# reloads and a refused configuration kept.  Its own ports and /24 (the
# snmpd-mode wrappers take 127xx ports and 127.2.7x).
CAMCOMPLY_HOST=snmpd SNMP_PORT=12701 TRAP_PORT=12702 NET=127.2.70 \
	exec "$(dirname "$0")/agent-e2e.sh"
