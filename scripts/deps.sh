#!/bin/sh
# Install what camcomply needs to build, test and demo on Debian 12.
# Idempotent: does nothing when everything is already installed.
set -eu
PKGS="gcc make autoconf automake libtool pkg-config
gsoap libgsoap-dev libsnmp-dev snmpd snmp snmptrapd
libssl-dev zlib1g-dev libxml2-dev libxml2-utils libjson-c-dev libpcre2-dev
check ieee-data smitools iproute2 jq onvif-tools"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "camcomply: missing Debian packages:$missing" >&2
	echo "run as root (sudo $0) to install them" >&2
	exit 1
fi
echo "camcomply: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
