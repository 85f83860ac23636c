#!/bin/bash
# unauth-daemon.sh with the MIB module inside snmpd (camcomply.so, dlmod):
# the collectors after ONVIF, what they send and what the MIB, the traps
# and the state file keep, across restarts of snmpd.  Its own /24 (the
# snmpd-mode wrappers take 127.2.7x); ports are picked free (tests/lib.sh).
CAMCOMPLY_HOST=snmpd NET=127.2.79 \
	exec "$(dirname "$0")/unauth-daemon.sh"
