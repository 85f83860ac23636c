#!/bin/bash
# notify-burst.sh with the MIB module inside snmpd (camcomply.so, dlmod):
# 3,000 restricted cameras in one round, notifications paced and counted,
# snmpd answering throughout.  (The stopped-master part is the subagent's.)
CAMCOMPLY_HOST=snmpd NET=127.2.78 \
	exec "$(dirname "$0")/notify-burst.sh"
