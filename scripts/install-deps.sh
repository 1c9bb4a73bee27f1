#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Install what building and testing patched QEMU 10.0 needs on Debian bookworm.
# Adds trixie as a low-priority source (deb-src for QEMU itself, deb for a
# meson new enough for QEMU 10.0) and installs only what is missing.
set -euo pipefail
. "$(dirname "$0")/common.sh"

need_root

want_pkgs=(build-essential libglib2.0-dev libpixman-1-dev libfdt-dev zlib1g-dev
           ninja-build python3-venv python3-setuptools flex bison ccache cpio
           dpkg-dev git perl valgrind bc gcc-arm-linux-gnueabihf libc6-dev-armhf-cross
           device-tree-compiler)
trixie_pkgs=(meson python3-pycotap)

add_trixie() {
    local changed=0 src=/etc/apt/sources.list.d/ptimer-ng-trixie.sources
    local want
    # Only the host architecture: the guest's armhf packages come from
    # bookworm, and trixie's armhf index is not needed.
    want="Types: deb deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Architectures: $(dpkg --print-architecture)
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
    if [ "$(cat "$src" 2>/dev/null)" != "$want" ]; then
        printf '%s\n' "$want" > "$src"
        changed=1
    fi
    if [ ! -f /etc/apt/preferences.d/ptimer-ng-trixie ]; then
        cat > /etc/apt/preferences.d/ptimer-ng-trixie <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
        changed=1
    fi
    if [ "$changed" = 1 ] || [ ! -f "$CACHE/.apt-updated" ]; then
        log "apt-get update (bookworm + trixie at priority 100)"
        # An index that fails to download (a mirror sync, say) is not fatal:
        # apt keeps the old one, and a missing package fails below by name.
        retry 3 apt-get update -q ||
            log "warning: apt-get update reported errors (see above); going on with the indexes apt has"
        mkdir -p "$CACHE" && touch "$CACHE/.apt-updated"
    fi
}

missing() {
    local p
    for p in "$@"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
            echo "$p"
    done
}

meson_ok() {
    [ -x /usr/bin/meson ] &&
        dpkg --compare-versions "$(dpkg-query -W -f='${Version}' meson 2>/dev/null)" ge 1.5
}

add_trixie
export DEBIAN_FRONTEND=noninteractive
todo=$(missing "${want_pkgs[@]}")
if [ -n "$todo" ]; then
    log "installing: $(echo $todo)"
    retry 3 apt-get install -y -q --no-install-recommends $todo >/dev/null ||
        die "could not install: $(echo $todo)"
fi
if ! meson_ok || [ -n "$(missing "${trixie_pkgs[@]}")" ]; then
    log "installing from trixie: ${trixie_pkgs[*]}"
    retry 3 apt-get install -y -q --no-install-recommends -t trixie "${trixie_pkgs[@]}" >/dev/null ||
        die "could not install ${trixie_pkgs[*]} from trixie"
fi
meson_ok || die "meson >= 1.5 is required, found $(dpkg-query -W -f='${Version}' meson 2>/dev/null || echo none)"
log "dependencies present (meson $(meson --version))"
