#!/bin/bash
# discovery-sadp.sh with the MIB module inside snmpd (camcomply.so, dlmod):
# snmpd, with the module, on the NMS test host.
CAMCOMPLY_HOST=snmpd NET=10.231.17 \
	exec "$(dirname "$0")/discovery-sadp.sh"
