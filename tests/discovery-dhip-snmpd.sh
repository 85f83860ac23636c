#!/bin/bash
# discovery-dhip.sh with the MIB module inside snmpd (camcomply.so, dlmod):
# snmpd, with the module, on the NMS test host.
CAMCOMPLY_HOST=snmpd SNMP_PORT=12795 TRAP_PORT=12796 NET=10.231.18 \
	exec "$(dirname "$0")/discovery-dhip.sh"
