#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build the configured tree with ninja (progress shown); extra arguments are
# ninja targets.
set -euo pipefail
. "$(dirname "$0")/common.sh"
lock_cache

log "building in $BLD (ninja, $(nproc) jobs)"
ninja -C "$BLD" -j "$(nproc)" "$@"
