#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Differential test of ptimer-ng's core against QEMU 10.0's: links
# scripts/ptimer-diff.c with both cores in one program, 10.0's global
# symbols renamed ptimer_* -> up_ptimer_* with objcopy (its code is
# compiled from the pristine tag, never copied), and runs random call
# sequences on both.  Every disagreement must match a documented
# difference (docs/devel/ptimer.rst, "Differences from QEMU 10.0").
# Prints TAP, one case per mode and seed (see scripts/ptimer-diff.c):
# in mode "clean" no call can reach a documented difference and any
# disagreement fails the case; every other mode lets one difference in,
# and its case fails if that difference never shows.
#
# Usage: diff.sh [SEQUENCES-PER-SEED]   (default 20000; seeds 1 and 2)
set -euo pipefail
. "$(dirname "$0")/common.sh"
lock_cache
. "$TOP/scripts/cores.sh"

nseq=${1:-20000}
build_cores "$OUTDIR/diff"
renames=$work/renames
nm --defined-only -g "$work/upstream.o" | awk '{print $3}' |
    sed -n 's/^\(.*ptimer.*\)$/\1 up_\1/p' > "$renames"
grep -q '^ptimer_transaction_commit up_' "$renames" || die "no ptimer symbols in $work/upstream.o"
objcopy --redefine-syms="$renames" "$work/upstream.o" "$work/upstream-renamed.o"
# Anything else both cores define would clash at the link.
clash=$(comm -12 <(nm --defined-only -g "$work/ours.o" | awk '{print $3}' | sort) \
                 <(nm --defined-only -g "$work/upstream-renamed.o" | awk '{print $3}' | sort))
[ -z "$clash" ] || die "both cores define: $clash"
cc_one "$work/harness.o" "$TOP/scripts/ptimer-diff.c"
(cd "$BLD" && eval cc -o "$work/ptimer-diff" "$work/harness.o" "$work/stubs.o" \
    "$work/ours.o" "$work/upstream-renamed.o" $link)

# "clean" must agree everywhere; each other mode must show the
# difference it lets in (else the mode, or the docs, are wrong).
n=0
for mode in clean late same-period stale zero-load wrap-limit; do
    for seed in 1 2; do
        n=$((n + 1))
        out=$work/$mode-$seed.log
        rc=0
        "$work/ptimer-diff" "$mode" "$seed" "$nseq" > "$out" 2>&1 || rc=$?
        summary=$(tail -n 1 "$out")
        if [ $mode = clean ]; then
            [ $rc = 0 ] && ok=ok || { ok="not ok"; head -n 60 "$out" | sed 's/^/# /'; }
            echo "$ok $n - $summary; 0 expected"
        else
            case $rc:$summary in
                0:*" 0 of "*|[1-9]*) ok="not ok" ;;
                *) ok=ok ;;
            esac
            echo "$ok $n - $summary; the difference is expected"
        fi
    done
done
echo "1..$n"
