#!/bin/bash
# deadline-drip.sh with the MIB module inside snmpd (camcomply.so, dlmod):
# the same deadline per camera, measured by the module and logged through
# snmpd's log (-D camcomply:poll given to snmpd).
CAMCOMPLY_HOST=snmpd NET=127.2.72 GOOD=127.2.73 \
	exec "$(dirname "$0")/deadline-drip.sh"
