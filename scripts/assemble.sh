#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Assemble the patched tree in $SRC as a git repository:
#   1. "pristine QEMU <version>"  (tag: pristine)
#   2. the core commit (tag: overlay): the whole files patches/placement
#      gives to "core" (the core and its header) plus patches/core.diff,
#      the core's hooks in upstream files (trace-events, MAINTAINERS, ...),
#      with patches/core.msg as its commit message;
#   3. git am patches/*.patch, one commit each; a commit also adds the
#      whole files that patches/placement gives to its patch (a qtest goes
#      in with the patch that registers it).
# Every file of this repository under hw/, include/, tests/ and docs/ is a
# whole file of ours and must be placed in exactly one commit.
# The tree is updated in place (git only rewrites files that changed), so the
# build directory stays warm.  Nothing is done when the inputs did not change.
set -euo pipefail
. "$(dirname "$0")/common.sh"
lock_cache

pristine=$("$TOP/scripts/fetch.sh")
version=$(cat "$pristine/VERSION")
placement=$TOP/patches/placement

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

# Every whole file we own, and the commit that places it.
owned=$(cd "$TOP" && git ls-files -co --exclude-standard -- hw include tests docs 2>/dev/null | sort)
[ -f "$placement" ] || die "patches/placement is missing"
placed=$(awk 'NF == 2 { print $2 }' "$placement" | sort)
unplaced=$(comm -23 <(printf '%s\n' $owned) <(printf '%s\n' $placed) | grep . || true)
[ -z "$unplaced" ] || die "not placed in any commit (add '<patch> <file>' lines to patches/placement): $(echo $unplaced)"
missing=$(comm -13 <(printf '%s\n' $owned) <(printf '%s\n' $placed) | grep . || true)
[ -z "$missing" ] || die "patches/placement names files that are not here: $(echo $missing)"
dups=$(printf '%s\n' $placed | uniq -d)
[ -z "$dups" ] || die "placed twice in patches/placement: $(echo $dups)"
files_of() { awk -v p="$1" '$1 == p { print $2 }' "$placement"; }
for p in $(awk 'NF == 2 && $1 != "core" { print $1 }' "$placement" | sort -u); do
    [ -f "$TOP/patches/$p" ] || die "patches/placement names a patch that is not there: $p"
done

inputs=$( { echo "$version"; cd "$TOP"; for f in $owned patches/placement patches/core.* patches/*.patch; do
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
g clean -q -f -- $owned >/dev/null 2>&1 || true
g tag -d overlay >/dev/null 2>&1 || true

# place P: copy the whole files placement gives to P into the tree, staged.
place() {
    local f files
    files=$(files_of "$1")
    [ -n "$files" ] || return 1
    for f in $files; do
        mkdir -p "$SRC/$(dirname "$f")"
        cmp -s "$TOP/$f" "$SRC/$f" || cp "$TOP/$f" "$SRC/$f"
    done
    g add -f -- $files
}

place core || true
if [ -f "$TOP/patches/core.diff" ]; then
    g apply --index "$TOP/patches/core.diff" ||
        die "patches/core.diff (the core's hooks in upstream files) does not apply"
fi
g commit -q -F "$TOP/patches/core.msg"
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
    if place "$(basename "$p")"; then
        GIT_COMMITTER_DATE=$(g log -1 --format=%aI) g commit -q --amend --no-edit --no-verify
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
log "assembled: pristine QEMU $version + core + $n patches ($(echo $owned | wc -w) whole files placed)"
