#!/bin/bash
# mib-served.sh with the MIB module inside snmpd (camcomply.so, dlmod): what
# snmpd serves and sends for the module is what the MIB declares.
CAMCOMPLY_HOST=snmpd SNMP_PORT=12771 TRAP_PORT=12772 NET=127.2.77 \
	exec "$(dirname "$0")/mib-served.sh"
