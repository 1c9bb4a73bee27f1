#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Assemble the patched tree in $SRC as a git repository:
#   1. "pristine QEMU <version>"  (tag: pristine)
#   2. the core (tag: overlay): every file we own whole (hw/, include/,
#      tests/, docs/ of this repo) plus patches/core.diff, the hooks those
#      files need in upstream files (trace-events, meson, MAINTAINERS, docs
#      index), with patches/core.msg as its commit message; so it builds on
#      its own like every later patch
#   3. git am patches/*.patch
# The tree is updated in place (git only rewrites files that changed), so the
# build directory stays warm.  Nothing is done when the inputs did not change.
set -euo pipefail
. "$(dirname "$0")/common.sh"
lock_cache

pristine=$("$TOP/scripts/fetch.sh")
version=$(cat "$pristine/VERSION")

g() { git -C "$SRC" -c core.autocrlf=false -c advice.detachedHead=false "$@"; }

if [ ! -d "$SRC/.git" ] || ! g rev-parse -q --verify pristine >/dev/null; then
    log "creating the pristine git tree for QEMU $version"
    rm -rf "$SRC"
    mkdir -p "$SRC"
    # debian/ and .pc/ are packaging, not QEMU; Debian's patches stay applied.
    tar -C "$pristine" --exclude=./debian --exclude=./.pc -cf - . | tar -C "$SRC" -xf -
    g init -q -b ptimer-ng
    g add -A -f .
    g commit -q -m "pristine QEMU $version" -m "Debian source package qemu $version+ds, with Debian's patches applied."
    g tag pristine
fi

# Everything under the QEMU top-level folders we use is a file we own whole.
owned=$(cd "$TOP" && git ls-files -co --exclude-standard -- hw include tests docs 2>/dev/null | sort)
inputs=$( { echo "$version"; cd "$TOP"; for f in $owned patches/core.* patches/*.patch; do
              if [ -f "$f" ]; then echo "$f"; cat "$f"; fi; done; } | sha256sum | cut -d' ' -f1)
stamp=$SRC/.git/ptimer-ng-inputs
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$inputs" ] &&
   [ -z "$(g status --porcelain --untracked-files=no)" ]; then
    log "assembled tree is up to date ($(g rev-list --count pristine..HEAD) commits on pristine QEMU $version)"
    exit 0
fi

g am --abort >/dev/null 2>&1 || true
# Remember the files the last assembly changed (content hash and mtime):
# those that come out identical get their mtime back, so ninja does not
# rebuild what did not change.
keep=$(mktemp)
g diff --name-only pristine HEAD 2>/dev/null | while read -r f; do
    [ -f "$SRC/$f" ] && printf '%s %s %s\n' "$(stat -c %Y "$SRC/$f")" \
        "$(g hash-object -- "$f")" "$f"
done > "$keep"
g checkout -q -f -B ptimer-ng pristine
g tag -d overlay >/dev/null 2>&1 || true
if [ -n "$owned" ] || [ -f "$TOP/patches/core.diff" ]; then
    for f in $owned; do
        mkdir -p "$SRC/$(dirname "$f")"
        cmp -s "$TOP/$f" "$SRC/$f" || cp "$TOP/$f" "$SRC/$f"
    done
    [ -z "$owned" ] || g add -f -- $owned
    if [ -f "$TOP/patches/core.diff" ]; then
        g apply --index "$TOP/patches/core.diff" ||
            die "patches/core.diff (the core's hooks in upstream files) does not apply"
    fi
    g commit -q -F "$TOP/patches/core.msg"
fi
g tag -f overlay >/dev/null

n=0
for p in "$TOP"/patches/*.patch; do
    [ -f "$p" ] || continue
    if ! out=$(g am -q --keep-cr --committer-date-is-author-date "$p" 2>&1); then
        file=$(printf '%s\n' "$out" | sed -n 's/^error: patch failed: \([^:]*\):.*/\1/p; s/^error: \([^:]*\): does not exist in index/\1/p' | head -n 1)
        g am --abort >/dev/null 2>&1 || true
        printf '%s\n' "$out" | sed 's/^/    /' >&2
        die "patch $(basename "$p") does not apply${file:+ (conflict in $file)}"
    fi
    n=$((n + 1))
done
while read -r mtime hash f; do
    if [ -f "$SRC/$f" ] && [ "$(g hash-object -- "$f")" = "$hash" ]; then
        touch -d "@$mtime" "$SRC/$f"
    fi
done < "$keep"
rm -f "$keep"
g update-index -q --refresh >/dev/null || true
echo "$inputs" > "$stamp"
log "assembled: pristine QEMU $version + $( [ -n "$owned" ] && echo "$(echo $owned | wc -w) owned files + " )$n patches"
