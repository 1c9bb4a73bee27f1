#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run every test of the project on the assembled, built tree and end with
# one line "N passed, N failed, N skipped".  Each suite below is a TAP
# stream; every case counts:
#   - the series checks (applies from pristine, lossless refresh),
#   - scripts/checkpatch.pl on every patch of the mail series,
#   - no device model uses PTIMER_POLICY_LEGACY,
#   - the stock QEMU build the cross-version migration cases need,
#   - every TAP case of the unit tests (QEMU's ptimer-test, our test-ptimer)
#     and of the qtests of ptimer devices (with the fuzzer's and the
#     migration test's short forms), for every target, run through
#     "meson test" in the build directory;
#   - the differential test of our core against 10.0's (scripts/diff.sh);
#   - the same under ASan + UBSan for Arm (no sanitizer report allowed);
#   - a boot of Debian's armhf kernel on vexpress-a9 (timers, icount
#     accuracy, record/replay identical).
# A suite also counts one failure when the step that produced it exited
# non-zero without a failing case, when it printed no result, no TAP plan
# or a plan its results disagree with.  A skipped case is counted as
# skipped and listed with its reason.  The exit status is non-zero on any
# failure.
set -uo pipefail
. "$(dirname "$0")/common.sh"
lock_cache

logdir=$OUTDIR/test-logs
rm -rf "$logdir"
mkdir -p "$logdir"
pass=0 fail=0 skip=0

# suite NAME RC < TAP: count the cases of one suite whose step exited RC
suite() {
    local name=$1 rc=$2 line p=0 f=0 s=0 plan= bad=
    while IFS= read -r line; do
        case $line in
            "not ok "*) f=$((f + 1)); printf '  FAIL %s: %s\n' "$name" "$line" ;;
            "ok "*"# SKIP"*|"ok "*"# skip"*)
                s=$((s + 1)); printf '  SKIP %s: %s\n' "$name" "$line" ;;
            "ok "*) p=$((p + 1)) ;;
            1..0*"# SKIP"*|1..0*"# skip"*)
                plan=1 s=$((s + 1)); printf '  SKIP %s: %s\n' "$name" "$line" ;;
            1..*) [ -z "$plan" ] && plan=${line#1..} && plan=${plan%% *} ||
                      bad="more than one TAP plan" ;;
        esac
    done
    local n=$((p + f + s))
    if [ $n = 0 ]; then
        bad="printed no test result"
    elif [ -z "$plan" ]; then
        bad="printed no TAP plan"
    elif [ -z "$bad" ] && [ "$plan" != $n ]; then
        bad="TAP plan 1..$plan but $n results"
    fi
    [ -z "$bad" ] && [ "$rc" != 0 ] && [ $f = 0 ] && bad="exited with status $rc"
    if [ -n "$bad" ]; then
        f=$((f + 1))
        printf '  FAIL %s: %s\n' "$name" "$bad"
    fi
    printf '%-44s %5d passed %3d failed %3d skipped\n' "$name" $p $f $s
    pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
}

# each STEP PREFIX LIST RC: one suite per "NAME TAPFILE" line of LIST,
# written by a meson step that exited RC; a failure if the step failed or
# listed no test program
each() {
    local step=$1 prefix=$2 list=$3 rc=$4 name path k=0
    while read -r name path; do
        k=$((k + 1))
        suite "$prefix$name" 0 < "$path"
    done < "$list"
    if [ $k = 0 ] || [ "$rc" != 0 ]; then
        printf 'not ok 1 - %s: %d test programs, exit status %s\n1..1\n' "$step" $k "$rc" |
            suite "$step" 0
    fi
}

# 1. The series.
"$TOP/scripts/check-series.sh" > "$logdir/series.tap" 2>&1
suite "series (apply, round-trip)" $? < "$logdir/series.tap"

# 2. checkpatch on the mail series.
"$TOP/scripts/series.sh" > "$logdir/series.log" 2>&1
rc=$?
[ $rc = 0 ] || cat "$logdir/series.log"
i=0
for p in "$OUTDIR"/series/0*.patch; do
    [ -f "$p" ] || continue
    case $p in *0000-cover-letter.patch) continue ;; esac
    i=$((i + 1))
    if (cd "$SRC" && ./scripts/checkpatch.pl --no-color "$p") > "$logdir/checkpatch-$i.log" 2>&1; then
        echo "ok $i - checkpatch $(basename "$p")"
    else
        echo "not ok $i - checkpatch $(basename "$p") (see $logdir/checkpatch-$i.log)"
    fi
done > "$logdir/checkpatch.tap"
echo "1..$i" >> "$logdir/checkpatch.tap"
suite "checkpatch.pl (series)" $rc < "$logdir/checkpatch.tap"

# No in-tree device may go back to PTIMER_POLICY_LEGACY.
legacy=$(cd "$SRC" && git grep -l 'PTIMER_POLICY_LEGACY' -- 'hw/*.c' ':!hw/core/ptimer.c')
rc=$?
if [ $rc = 1 ]; then
    echo "ok 1 - no device model uses PTIMER_POLICY_LEGACY"
else
    echo "not ok 1 - PTIMER_POLICY_LEGACY used by: $(echo $legacy)"
fi > "$logdir/legacy.tap"
echo "1..1" >> "$logdir/legacy.tap"
suite "no PTIMER_POLICY_LEGACY in hw/" 0 < "$logdir/legacy.tap"

# 3. Unit tests and qtests through meson.  The migration qtest also
# migrates to and from a stock build (arm only, cached): its
# cross-version cases are part of the run, so a stock build that fails
# is a failure.
"$TOP/scripts/boot-matrix.sh" --build-stock > "$logdir/stock-build.log" 2>&1
rc=$?
if [ $rc = 0 ] && [ -x "$CACHE/stock-build/qemu-system-arm" ]; then
    export PTIMER_STOCK_QEMU=$CACHE/stock-build/qemu-system-arm
    printf 'ok 1 - stock QEMU built for the cross-version migration cases\n1..1\n'
else
    tail -n 20 "$logdir/stock-build.log"
    printf 'not ok 1 - stock QEMU build (exit %s, see %s)\n1..1\n' $rc "$logdir/stock-build.log"
fi > "$logdir/stock-build.tap"
suite "stock QEMU build" 0 < "$logdir/stock-build.tap"

"$TOP/scripts/meson-tests.sh" "$BLD" "$logdir" > "$logdir/meson-summary.txt"
each "meson tests" "" "$logdir/meson-summary.txt" $?

# Our core against 10.0's on the same random call sequences.
"$TOP/scripts/diff.sh" > "$logdir/diff.tap" 2> "$logdir/diff.log"
suite "differential (ng vs 10.0 core)" $? < "$logdir/diff.tap"

# 4. The same tests, Arm only and a short fuzz, under ASan + UBSan
# (make check-sanitize runs every target).
"$TOP/scripts/sanitize.sh" --short "$logdir/sanitize" > "$logdir/sanitize-summary.txt"
each "asan tests" "asan: " "$logdir/sanitize-summary.txt" $?

# 5. A real guest: Debian's kernel on vexpress-a9, record/replay identical.
"$TOP/scripts/boot-matrix.sh" --check > "$logdir/boot.tap" 2>&1
suite "boot vexpress-a9 (ng, icount, rr)" $? < "$logdir/boot.tap"

echo
echo "$pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
