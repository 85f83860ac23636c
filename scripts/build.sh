#!/bin/sh
# Configure and build camcomply out of tree in ./build (or $BUILD_DIR).
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
[ -f Makefile ] || "$top/configure" -q
make -s -j"$(nproc)" >/dev/null
