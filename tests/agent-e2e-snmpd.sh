#!/bin/bash
# agent-e2e.sh with the MIB module inside snmpd (camcomply.so, dlmod): rows,
# verdicts, traps, v3, a restart (of snmpd) with stable indexes, SIGHUP
# reloads and a refused configuration kept.  Its own /24 (the snmpd-mode
# wrappers take 127.2.7x); ports are picked free (tests/lib.sh).
CAMCOMPLY_HOST=snmpd NET=127.2.70 \
	exec "$(dirname "$0")/agent-e2e.sh"
