#!/bin/sh
# scripts/ietf-mibs.sh: print a folder holding the IETF base MIB modules
# (SNMPv2-SMI, SNMPv2-TC, SNMPv2-CONF, INET-ADDRESS-MIB) that
# CAMERA-COMPLIANCE-MIB imports, so smilint and snmptranslate can check it.
#
# Debian's Net-SNMP ships none of them and snmp-mibs-downloader is in
# non-free.  Debian main's erlang-snmp carries them as plain SMI text: when
# no folder below has them, this fetches that package with
# `apt-get download` (no root, nothing installed), unpacks it with dpkg-deb
# and keeps the modules in a per-user cache.  Looked at in order:
#   $CAMCOMPLY_IETF_MIBS               (an operator's own copy)
#   /usr/share/camcomply-ietf-mibs     (a packaged copy)
#   /usr/share/snmp/mibs/ietf          (snmp-mibs-downloader, if installed)
#   $CACHE = ${XDG_CACHE_HOME:-$HOME/.cache}/camcomply/ietf-mibs
#
# Prints the folder on stdout; exits 1 with the reason on stderr when the
# modules cannot be had.
set -u

have_modules() {
	for m in SNMPv2-SMI SNMPv2-TC SNMPv2-CONF INET-ADDRESS-MIB; do
		found=no
		for ext in "" .txt .mib .my; do
			[ -f "$1/$m$ext" ] && found=yes && break
		done
		[ "$found" = yes ] || return 1
	done
	return 0
}

for d in "${CAMCOMPLY_IETF_MIBS:-}" /usr/share/camcomply-ietf-mibs \
    /usr/share/snmp/mibs/ietf; do
	if [ -n "$d" ] && have_modules "$d"; then
		echo "$d"
		exit 0
	fi
done

if [ -n "${XDG_CACHE_HOME:-}" ]; then
	cache=$XDG_CACHE_HOME/camcomply/ietf-mibs
elif [ -n "${HOME:-}" ] && [ -d "$HOME" ] && [ -w "$HOME" ]; then
	cache=$HOME/.cache/camcomply/ietf-mibs
else
	cache=${TMPDIR:-/tmp}/camcomply-ietf-mibs-$(id -u)
fi
if have_modules "$cache"; then
	echo "$cache"
	exit 0
fi

die() {
	echo "ietf-mibs.sh: $*" >&2
	exit 1
}
command -v apt-get >/dev/null 2>&1 ||
	die "no IETF base MIBs and no apt-get to fetch erlang-snmp; set CAMCOMPLY_IETF_MIBS to a folder holding SNMPv2-SMI, SNMPv2-TC, SNMPv2-CONF and INET-ADDRESS-MIB"
command -v dpkg-deb >/dev/null 2>&1 || die "dpkg-deb not found"
parent=$(dirname "$cache")
mkdir -p "$parent" 2>/dev/null || die "cannot create $parent"
work=$(mktemp -d "$parent/.fetch.XXXXXX") || die "cannot write in $parent"
trap 'rm -rf "$work"' EXIT INT TERM
# apt's download user (_apt) must be able to write the file, or apt warns.
chmod 0755 "$work"
if ! (cd "$work" && apt-get download -q erlang-snmp) >"$work/apt.log" 2>&1; then
	cat "$work/apt.log" >&2
	die "apt-get download erlang-snmp failed (no network to the Debian mirror, or run apt-get update first)"
fi
deb=
for f in "$work"/erlang-snmp_*.deb; do [ -f "$f" ] && deb=$f; done
[ -n "$deb" ] || die "apt-get download left no erlang-snmp .deb"
dpkg-deb -x "$deb" "$work/x" || die "cannot unpack $deb"
src=
for d in "$work"/x/usr/lib/erlang/lib/snmp-*/mibs; do
	have_modules "$d" && src=$d
done
[ -n "$src" ] ||
	die "erlang-snmp has no usr/lib/erlang/lib/snmp-*/mibs with the IETF modules"
mkdir "$work/mibs" || die "cannot write in $work"
cp "$src"/*.mib "$work/mibs/" || die "cannot copy the modules"
# Publish with a rename: another build may be doing the same right now.
# An incomplete folder left in the way is set aside first.
[ -e "$cache" ] && mv -T "$cache" "$work/old" 2>/dev/null
mv -T "$work/mibs" "$cache" 2>/dev/null || have_modules "$cache" ||
	die "cannot publish $cache"
echo "$cache"
