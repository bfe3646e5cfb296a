#!/bin/sh
# Regenerate the build system from configure.ac and Makefile.am.
set -e
cd "$(dirname "$0")"
mkdir -p m4
autoreconf --install --force
# The TAP driver is not copied by autoreconf; the tests speak TAP.
cp -f "$(automake --print-libdir)/tap-driver.sh" build-aux/
