#!/bin/sh
# Install what camcomply needs to build, test and demo on Debian 12.
# Idempotent: does nothing when everything is already installed.
set -eu
PKGS="gcc make autoconf automake libtool pkg-config
gsoap libgsoap-dev libsnmp-dev snmpd snmp snmptrapd
libssl-dev zlib1g-dev libxml2-dev libxml2-utils libjson-c-dev libpcre2-dev
check ieee-data smitools iproute2 jq clang-format
monitoring-plugins-basic monitoring-plugins-standard nagios4-core
zabbix-server-pgsql zabbix-frontend-php php8.2-cgi php-cli php-pgsql
postgresql curl openssl python3 chromium sqlite3
clang libclang-rt-14-dev
debhelper dpkg-dev fakeroot lintian"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
# An ONVIF client we did not write, for the simulator's independent check.
need_npm_onvif() {
	command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 &&
		! NODE_PATH=$(npm root -g 2>/dev/null) node -e "require('onvif')" \
			>/dev/null 2>&1
}
# zabbix-proxy-sqlite3 (tests/nms-zabbix-proxy.sh) Conflicts with
# zabbix-server-pgsql: installing it would remove the server.  Its files are
# unpacked instead (dpkg -x, no maintainer scripts, no service) into
# ZPROXY_ROOT; every library it links is already a dependency of the
# server's.  zabbix-proxy-sqlite3 is the package this names.
ZPROXY_ROOT=/opt/zabbix-proxy-sqlite3
need_zproxy() { [ ! -x $ZPROXY_ROOT/usr/sbin/zabbix_proxy ]; }
if [ -z "$missing" ] && ! need_npm_onvif && ! need_zproxy; then
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "camcomply: missing Debian packages:$missing" >&2
	echo "run as root (sudo $0) to install them" >&2
	exit 1
fi
if [ -n "$missing" ]; then
	echo "camcomply: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
if need_zproxy; then
	echo "camcomply: unpacking zabbix-proxy-sqlite3 into $ZPROXY_ROOT (it conflicts with zabbix-server-pgsql)"
	d=$(mktemp -d)
	chmod 755 "$d" # apt's download user writes here
	# (Lists too old for the pool: update them once and try again.)
	if { (cd "$d" && apt-get download -qq zabbix-proxy-sqlite3 >/dev/null 2>&1) ||
		{ apt-get update -qq && (cd "$d" && apt-get download -qq zabbix-proxy-sqlite3 >/dev/null 2>&1); }; } &&
		rm -rf "$ZPROXY_ROOT" && dpkg -x "$d"/zabbix-proxy-sqlite3_*.deb "$ZPROXY_ROOT"; then
		:
	else
		echo "camcomply: zabbix-proxy-sqlite3 not unpacked; tests/nms-zabbix-proxy.sh will be skipped" >&2
	fi
	rm -rf "$d"
fi
if need_npm_onvif; then
	echo "camcomply: installing the npm package onvif (independent ONVIF client for tests)"
	npm install -g --silent onvif@0.8.3 >/dev/null 2>&1 ||
		echo "camcomply: npm install onvif failed; that test will be skipped" >&2
fi
