#!/bin/bash
# discovery-flood.sh with the MIB module inside snmpd (camcomply.so, dlmod):
# a Hello flood and a full table cannot hide cameras, in snmpd's process.
CAMCOMPLY_HOST=snmpd NET=10.231.15 \
	exec "$(dirname "$0")/discovery-flood.sh"
