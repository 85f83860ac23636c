#!/bin/bash
# secrets.sh with the MIB module inside snmpd (camcomply.so, dlmod): no
# password in the state file, snmpd's log (debug tokens on), the MIB, the
# traps, or snmpd's /proc cmdline and environ; snmpd stops cleanly with
# signals arriving during its shutdown.
CAMCOMPLY_HOST=snmpd NET=127.2.75 \
	exec "$(dirname "$0")/secrets.sh"
