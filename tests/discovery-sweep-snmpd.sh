#!/bin/bash
# discovery-sweep.sh with the MIB module inside snmpd (camcomply.so, dlmod):
# the unicast sweep of a routed /24 from snmpd's process.
CAMCOMPLY_HOST=snmpd LAN=10.231.12 FAR=10.232.12 \
	exec "$(dirname "$0")/discovery-sweep.sh"
