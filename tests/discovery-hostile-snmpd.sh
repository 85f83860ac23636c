#!/bin/bash
# discovery-hostile.sh with the MIB module inside snmpd (camcomply.so,
# dlmod): spoofed, malformed and flooding WS-Discovery change nothing, and
# snmpd, with the module, keeps answering.
CAMCOMPLY_HOST=snmpd NET=10.231.13 \
	exec "$(dirname "$0")/discovery-hostile.sh"
