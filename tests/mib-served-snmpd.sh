#!/bin/bash
# mib-served.sh with the MIB module inside snmpd (camcomply.so, dlmod): what
# snmpd serves and sends for the module is what the MIB declares.
CAMCOMPLY_HOST=snmpd NET=127.2.77 \
	exec "$(dirname "$0")/mib-served.sh"
