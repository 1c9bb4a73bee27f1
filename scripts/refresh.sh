#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Turn the commits of the assembled tree back into this repository:
#   the core commit (tag overlay) -> the whole files it adds or replaces
#                                    (ours: hw/core/ptimer.c, ...),
#                                    patches/core.diff (its hooks in
#                                    upstream files), patches/core.msg
#   every later commit            -> patches/NNNN-subject.patch, less the
#                                    files the commit adds: those are whole
#                                    files of ours, written here as they are
#                                    in that commit
#   patches/placement             -> which commit places each whole file
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
placement=$(mktemp)
trap 'rm -f "$placement"' EXIT

# write_whole COMMIT NAME FILE...: FILEs as they are in COMMIT, placed by NAME
write_whole() {
    local c=$1 name=$2 f
    shift 2
    for f in "$@"; do
        mkdir -p "$dest/$(dirname "$f")"
        g show "$c:$f" > "$dest/$f"
        echo "$name $f" >> "$placement"
    done
}

# The core commit: the files it adds, and the upstream files it replaces
# whole (those this repository holds already); the rest are its hooks.
ours=$(cd "$TOP" && git ls-files -co --exclude-standard -- hw include tests docs)
whole=$( { g diff --name-only --diff-filter=A pristine overlay
           g diff --name-only --diff-filter=M pristine overlay | grep -xF -f <(printf '%s\n' $ours) || true; } | sort -u)
write_whole overlay core $whole
hooks=$(g diff --name-only --diff-filter=M pristine overlay | grep -vxF -f <(printf '%s\n' $whole) || true)
if [ -n "$hooks" ]; then
    g diff pristine overlay -- $hooks > "$dest/patches/core.diff"
else
    rm -f "$dest/patches/core.diff"
fi
g log -1 --format=%B overlay | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' > "$dest/patches/core.msg"

# The series: one patch a commit, without the whole files it adds.
rm -f "$dest"/patches/*.patch
i=0
for c in $(g rev-list --reverse overlay..HEAD); do
    i=$((i + 1))
    added=$(g diff --name-only --diff-filter=A "$c^" "$c")
    p=$(g format-patch -N --zero-commit --no-signature --start-number "$i" -o "$dest/patches" \
          -1 "$c" -- . $(for f in $added; do printf ":(exclude)%s " "$f"; done))
    [ -n "$p" ] || die "commit $i ($(g log -1 --format=%s "$c")) only adds whole files: it needs a hook (a meson.build line) in an upstream file"
    write_whole "$c" "$(basename "$p")" $added
done
# Whole files no commit places any more are not ours any more.
for f in $ours; do
    grep -qxF "$(printf "%s" "$f")" <(cut -d" " -f2 "$placement") || log "warning: $f is placed by no commit of $repo (commit it there, or remove it here)"
done
cp "$placement" "$dest/patches/placement"
log "refreshed: $i patches, core.diff, core.msg and $(wc -l < "$placement") whole files in $dest"
