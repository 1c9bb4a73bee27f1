#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Turn the commits of the assembled tree back into this repository:
#   the core commit (tag overlay) -> our whole files + patches/core.diff +
#                                    patches/core.msg
#   every later commit            -> patches/NNNN-subject.patch
# With --to DIR, write into DIR instead (used by the round-trip check).
# assemble.sh followed by refresh.sh reproduces the repository byte for byte.
set -euo pipefail
. "$(dirname "$0")/common.sh"

repo=$SRC dest=$TOP
while [ $# -gt 0 ]; do
    case $1 in
        --repo) repo=$2; shift 2 ;;
        --to) dest=$2; shift 2 ;;
        *) die "usage: refresh.sh [--repo GITDIR] [--to DIR]" ;;
    esac
done
g() { git -C "$repo" "$@"; }
g rev-parse -q --verify overlay >/dev/null || die "no assembled tree in $repo (run make build first)"
[ -z "$(g status --porcelain --untracked-files=no)" ] ||
    die "the assembled tree has uncommitted changes: commit them in $repo first"

mkdir -p "$dest/patches"
# Files we own whole: added by the core commit, or replacing upstream's
# (those listed in this repository already).
owned=$( { g diff --name-only --diff-filter=A pristine overlay
           (cd "$TOP" && git ls-files -co --exclude-standard -- hw include tests docs); } |
         sort -u)
for f in $owned; do
    if g cat-file -e "overlay:$f" 2>/dev/null; then
        mkdir -p "$dest/$(dirname "$f")"
        g show "overlay:$f" > "$dest/$f"
    fi
done
hooks=$(g diff --name-only --diff-filter=M pristine overlay | grep -vxF -f <(printf '%s\n' $owned) || true)
if [ -n "$hooks" ]; then
    g diff pristine overlay -- $hooks > "$dest/patches/core.diff"
else
    rm -f "$dest/patches/core.diff"
fi
g log -1 --format=%B overlay | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' > "$dest/patches/core.msg"

rm -f "$dest"/patches/*.patch
g format-patch -q -N --zero-commit --no-signature -o "$dest/patches" overlay..HEAD
log "refreshed: $(ls "$dest"/patches/*.patch 2>/dev/null | wc -l) patches, core.diff, core.msg and $(echo $owned | wc -w) owned files in $dest"
