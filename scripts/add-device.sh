#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Add prepared device patches to the series, in the order given:
#   scripts/add-device.sh DIR...
# Each DIR holds device.diff (the change to upstream files), <name>-test.c
# (our qtest), commit-msg.txt and, for an Arm device, meson-line.txt (its
# entry for the qtests_arm list; other targets register their qtest in
# tests/qtest/meson.build inside device.diff).  Each device becomes one
# commit in the assembled tree (device change, qtest, meson entry); the
# series in patches/ is refreshed from it, which makes the qtest a whole
# file of ours placed in that patch (patches/placement).
set -euo pipefail
. "$(dirname "$0")/common.sh"
lock_cache

[ $# -gt 0 ] || die "usage: add-device.sh DIR..."
for d in "$@"; do
    for f in device.diff commit-msg.txt; do
        [ -f "$d/$f" ] || die "$d: missing $f"
    done
done
"$TOP/scripts/assemble.sh"

for d in "$@"; do
    if [ -s "$d/device.diff" ]; then      # empty: audited, only a qtest
        # The registration in tests/qtest/meson.build is taken from the
        # diff's added lines only, so a diff made on another base works.
        git -C "$SRC" apply --index --exclude=tests/qtest/meson.build "$d/device.diff" ||
            die "$d/device.diff does not apply"
        python3 - "$SRC/tests/qtest/meson.build" "$d/device.diff" <<'PY'
import sys
path, diff = sys.argv[1], open(sys.argv[2]).read().split("\n")
text = open(path).read().split("\n")
inside, before, removed = False, None, None
for line in diff:
    if line.startswith("diff --git"):
        inside = line.endswith("tests/qtest/meson.build")
        continue
    if not inside or line.startswith(("---", "+++", "@@")):
        before = None if line.startswith("@@") else before
        continue
    if line.startswith(" "):
        before, removed = line[1:], None
    elif line.startswith("-"):
        removed = line[1:]
    elif line.startswith("+"):
        added = line[1:]
        if added in text:
            before = added
            continue
        if removed is not None and removed in text:
            # A changed line (an entry appended to a list): edit it in place.
            at = text.index(removed)
            text[at] = added
            removed = None
        elif before and before.strip() and text.count(before) == 1:
            text.insert(text.index(before) + 1, added)
        else:
            sys.exit("cannot place %r in %s" % (added, path))
        before = added
open(path, "w").write("\n".join(text))
PY
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
    cp "$d"/*-test.c "$SRC/tests/qtest/"
    git -C "$SRC" add tests/qtest/meson.build "$SRC"/tests/qtest/*-test.c
    git -C "$SRC" commit -q -F "$d/commit-msg.txt"
    log "added $(head -n 1 "$d/commit-msg.txt")"
done
"$TOP/scripts/refresh.sh"
