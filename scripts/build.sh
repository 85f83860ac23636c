#!/bin/sh
# Configure and build camcomply out of tree in ./build (or $BUILD_DIR).
# CONFIGURE_FLAGS: configure's options (scripts/test.sh: --enable-werror in
# CI, --enable-sanitizers); a build dir configured with others is
# configured again.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}
cd "$top"
if [ ! -x configure ] || [ configure.ac -nt configure ] ||
	[ Makefile.am -nt Makefile.in ]; then
	autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
fi
mkdir -p "$build"
cd "$build"
flags=${CONFIGURE_FLAGS:-}
if [ ! -f Makefile ] || [ "$(cat .configure-flags 2>/dev/null)" != "$flags" ]; then
	# shellcheck disable=SC2086 # options, one a word
	"$top/configure" -q $flags
	printf '%s\n' "$flags" >.configure-flags
fi
make -s -j"$(nproc)" >/dev/null
