#!/bin/bash
# tls-pin.sh with the MIB module inside snmpd (camcomply.so, dlmod): trust
# on first use, a swapped certificate refused with nothing sent, one
# notification, and the tls-pin line accepted on snmpd's SIGHUP.
CAMCOMPLY_HOST=snmpd NET=127.2.71 \
	exec "$(dirname "$0")/tls-pin.sh"
