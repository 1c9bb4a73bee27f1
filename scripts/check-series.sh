#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Two checks on the series, each printed as one "ok"/"not ok" line:
#   1. it applies from pristine, in a scratch clone of the assembled tree;
#   2. refresh.sh over that clone gives back this repository byte for byte.
set -uo pipefail
. "$(dirname "$0")/common.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git clone -q --no-checkout "$SRC" "$tmp/tree" && git -C "$tmp/tree" checkout -q pristine ||
    die "cannot clone $SRC"

if PTIMER_SRC=$tmp/tree "$TOP/scripts/assemble.sh" > "$tmp/assemble.log" 2>&1; then
    echo "ok 1 - series applies from pristine"
else
    sed 's/^/# /' "$tmp/assemble.log"
    echo "not ok 1 - series applies from pristine"
    echo "not ok 2 - refresh round-trip (not tried: series does not apply)"
    echo "1..2"
    exit 1
fi

rc=0
"$TOP/scripts/refresh.sh" --repo "$tmp/tree" --to "$tmp/out" > /dev/null 2>&1 || rc=1
cd "$TOP"
for f in $(git ls-files -co --exclude-standard -- hw include tests docs) patches/core.msg patches/placement \
         $(ls patches/core.diff patches/*.patch 2>/dev/null); do
    if ! cmp -s "$f" "$tmp/out/$f"; then
        echo "# round-trip differs: $f"
        diff -u "$f" "$tmp/out/$f" 2>&1 | head -n 20 | sed 's/^/# /'
        rc=1
    fi
done
for f in $(cd "$tmp/out" && find patches -name '*.patch'); do
    [ -f "$f" ] || { echo "# round-trip adds $f"; rc=1; }
done
if [ $rc = 0 ]; then
    echo "ok 2 - refresh round-trip is lossless"
else
    echo "not ok 2 - refresh round-trip is lossless"
fi
echo "1..2"
exit $rc
