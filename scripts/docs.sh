#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build QEMU's HTML manual from the assembled tree, in a docs-only build
# directory of its own ($CACHE/docs-build: no targets, no tools), and fail
# on any Sphinx or kernel-doc warning.  Prints the path of the built
# devel/ptimer.html.  "make docs" assembles the tree first.
set -euo pipefail
. "$(dirname "$0")/common.sh"

DOCS=$CACHE/docs-build

# Sphinx 5.3 and the RTD theme 1.2 from bookworm satisfy QEMU 10.0.
missing=()
for p in python3-sphinx python3-sphinx-rtd-theme; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
        missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    need_root
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    mkdir -p "$CACHE"
    aptlog=$CACHE/apt-docs.log
    apt_install() {
        apt-get install -y -q --no-install-recommends "${missing[@]}" \
            >> "$aptlog" 2>&1
    }
    apt_install ||
        { retry 3 apt-get update -q >> "$aptlog" 2>&1 && apt_install; } || {
        tail -n 20 "$aptlog" >&2
        die "could not install ${missing[*]} (see $aptlog)"
    }
fi

[ -x "$SRC/configure" ] || die "no assembled tree in $SRC (run 'make assemble')"

# -Dwerror makes meson pass -W and -Dkerneldoc_werror=1 to sphinx-build;
# configure only defaults to it for git trees, so ask for it.
want="--enable-docs --enable-werror --disable-system --disable-user"
want="$want --disable-tools"
have=$(cat "$DOCS/.ptimer-ng-config" 2>/dev/null || true)
if [ ! -f "$DOCS/build.ninja" ] || [ "$have" != "$want" ]; then
    log "configuring a docs-only build in $DOCS"
    rm -rf "$DOCS"
    mkdir -p "$DOCS"
    # shellcheck disable=SC2086
    (cd "$DOCS" && "$SRC/configure" --python=/usr/bin/python3 $want \
        --disable-install-blobs --disable-download > configure.log 2>&1) || {
        tail -n 30 "$DOCS/configure.log" >&2
        die "configure failed (see $DOCS/configure.log)"
    }
    echo "$want" > "$DOCS/.ptimer-ng-config"
fi

# "html" is the alias of the manual's custom target (docs/docs.stamp);
# the man pages are not needed.
log "building the HTML manual in $DOCS/docs/manual"
start=$(date +%s)
status=0
ninja -C "$DOCS" html > "$DOCS/docs.log" 2>&1 || status=$?
log "sphinx took $(( $(date +%s) - start )) s"
# Sphinx runs with -W, but a warning that does not fail the build (or a
# kernel-doc message) must not slip through either.
pat='WARNING|ERROR|[Ww]arning[:,]|[Ee]rror:|FAILED'
if [ "$status" != 0 ] || grep -qE "$pat" "$DOCS/docs.log"; then
    grep -E -B2 -A5 "$pat" "$DOCS/docs.log" >&2 ||
        tail -n 40 "$DOCS/docs.log" >&2
    die "the manual has warnings or errors (see $DOCS/docs.log)"
fi

page=$DOCS/docs/manual/devel/ptimer.html
[ -f "$page" ] ||
    die "$page was not built (is ptimer in docs/devel/index-internals.rst?)"
log "manual built without warnings"
echo "$page"
