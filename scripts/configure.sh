#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Configure the assembled tree once; later runs reuse the build directory
# (meson regenerates itself when a meson.build changes).
set -euo pipefail
. "$(dirname "$0")/common.sh"
lock_cache

want="--target-list=$TARGETS"
if [ -f "$BLD/build.ninja" ] && [ "$(cat "$BLD/.ptimer-ng-config" 2>/dev/null)" = "$want" ]; then
    exit 0
fi
log "configuring QEMU in $BLD ($TARGETS)"
rm -rf "$BLD"
mkdir -p "$BLD"
cd "$BLD"
"$SRC/configure" --python=/usr/bin/python3 --disable-docs --disable-werror \
    --disable-install-blobs --disable-download "$want" > configure.log 2>&1 || {
    tail -n 30 configure.log >&2
    die "configure failed (see $BLD/configure.log)"
}
echo "$want" > .ptimer-ng-config
