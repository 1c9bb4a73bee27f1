#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Configure the assembled tree once; later runs reuse the build directory
# (meson regenerates itself when a meson.build changes).
set -euo pipefail
. "$(dirname "$0")/common.sh"
lock_cache

configure_qemu "$BLD" || die "configure failed (see $BLD/configure.log)"
