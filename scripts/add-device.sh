#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Add prepared device patches to the series, in the order given:
#   scripts/add-device.sh DIR...
# Each DIR holds device.diff (the change to upstream files), <name>-test.c
# (our qtest), commit-msg.txt and, for an Arm device, meson-line.txt (its
# entry for the qtests_arm list; other targets register their qtest in
# tests/qtest/meson.build inside device.diff).  The qtests become files we own; each device becomes one
# commit in the assembled tree (device change + meson entry), and the
# series in patches/ is refreshed from it.
set -euo pipefail
. "$(dirname "$0")/common.sh"
lock_cache

[ $# -gt 0 ] || die "usage: add-device.sh DIR..."
mkdir -p "$TOP/tests/qtest"
for d in "$@"; do
    for f in device.diff commit-msg.txt; do
        [ -f "$d/$f" ] || die "$d: missing $f"
    done
    cp "$d"/*-test.c "$TOP/tests/qtest/"
done
"$TOP/scripts/assemble.sh"

export GIT_AUTHOR_NAME="ptimer-ng" GIT_AUTHOR_EMAIL="ptimer-ng@example.org"
export GIT_COMMITTER_NAME="ptimer-ng" GIT_COMMITTER_EMAIL="ptimer-ng@example.org"
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
for d in "$@"; do
    if [ -s "$d/device.diff" ]; then      # empty: audited, only a qtest
        git -C "$SRC" apply --index "$d/device.diff" 2>/dev/null ||
            git -C "$SRC" apply --index --3way "$d/device.diff" ||
            die "$d/device.diff does not apply"
    fi
    [ -f "$d/meson-line.txt" ] && python3 - "$SRC/tests/qtest/meson.build" "$d/meson-line.txt" <<'PY'
import sys
path, line = sys.argv[1], open(sys.argv[2]).read().rstrip("\n") + "\n"
text = open(path).read()
anchor = "  ['arm-cpu-features',\n   'boot-serial-test']"
if anchor not in text:
    sys.exit("no qtests_arm anchor in " + path)
text = text.replace(anchor, line + anchor, 1)
open(path, "w").write(text)
PY
    git -C "$SRC" add tests/qtest/meson.build
    git -C "$SRC" commit -q -F "$d/commit-msg.txt"
    log "added $(head -n 1 "$d/commit-msg.txt")"
done
"$TOP/scripts/refresh.sh"
