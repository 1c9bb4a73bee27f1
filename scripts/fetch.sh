#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Fetch the pristine QEMU 10.0.x source from Debian trixie (apt-get source),
# with Debian's own patches applied, into the download cache.  Prints the
# path of the unpacked tree on stdout.
set -euo pipefail
. "$(dirname "$0")/common.sh"

mkdir -p "$DL/qemu"
cd "$DL/qemu"

tree=$(find . -maxdepth 1 -type d -name 'qemu-10.0.*' | sort | tail -n 1)
if [ -z "$tree" ]; then
    ver=$(apt-cache showsrc qemu 2>/dev/null |
          awk '/^Version:/ { print $2 }' | grep -E '^1:10\.0\.' | sort -V | tail -n 1 || true)
    [ -n "$ver" ] ||
        die "no QEMU 10.0.x source package in the apt index (need a deb-src entry for trixie; run scripts/install-deps.sh)"
    log "fetching qemu source $ver from Debian (apt-get source)"
    if ! retry 3 apt-get source -q "qemu=$ver" > fetch.log 2>&1; then
        tail -n 5 fetch.log >&2
        die "could not fetch 'qemu=$ver' source from deb.debian.org (see $DL/qemu/fetch.log)"
    fi
    tree=$(find . -maxdepth 1 -type d -name 'qemu-10.0.*' | sort | tail -n 1)
    [ -n "$tree" ] || die "apt-get source did not unpack a qemu-10.0.x tree"
fi
tree=$(cd "$tree" && pwd)
version=$(cat "$tree/VERSION")
case "$version" in
    10.0.*) ;;
    *) die "fetched QEMU $version, but ptimer-ng targets 10.0.x" ;;
esac
log "pristine QEMU $version at $tree"
echo "$tree"
