#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Write the mail-ready series (core commit + device patches, with a cover
# letter) to $OUTDIR/series and list it.
set -euo pipefail
. "$(dirname "$0")/common.sh"

g() { git -C "$SRC" "$@"; }
g rev-parse -q --verify overlay >/dev/null || die "no assembled tree (run make build first)"
out=$OUTDIR/series
rm -rf "$out"
mkdir -p "$out"
n=$(g rev-list --count pristine..HEAD)
[ "$n" -gt 0 ] || die "the series is empty"
g format-patch -q --cover-letter --thread=shallow --zero-commit -o "$out" pristine..HEAD

version=$(g show pristine:VERSION)
cover=$(ls "$out"/0000-cover-letter.patch)
python3 - "$cover" "$version" "$n" <<'PY'
import sys
path, version, n = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(path).read()
text = text.replace("*** SUBJECT HERE ***",
                    "ptimer-ng: exact, transaction-driven ptimer for QEMU %s" % version)
text = text.replace("*** BLURB HERE ***", """\
This series replaces the ptimer core with one that keeps time exactly and
delivers triggers at transaction commit or straight from the timer event
(never from a bottom half), then audits the device models that use it.

Patch 1 is the core, its unit tests, trace events and documentation;
QEMU's tests/unit/ptimer-test.c passes unmodified.  Each later patch
converts one device model and adds a qtest that proves its behaviour,
including that the count and the interrupt status agree across a
rollover.

Based on QEMU %s; %s patches.

Signed-off-by: ptimer-ng <ptimer-ng@example.org>""" % (version, n))
open(path, "w").write(text)
PY

missing=0
for p in "$out"/0*.patch; do
    case $p in *0000-cover-letter.patch) continue ;; esac
    grep -q '^Signed-off-by: ' "$p" || { log "no Signed-off-by: $(basename "$p")"; missing=1; }
done
log "series for QEMU $version in $out:"
ls -1 "$out" >&2
[ $missing = 0 ] || die "patches without Signed-off-by"
