#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run every test of the project on the assembled, built tree and end with
# one line "N passed, N failed".  Counted, one per case:
#   - the series checks (applies from pristine, lossless refresh),
#   - scripts/checkpatch.pl on every patch of the mail series,
#   - every TAP case of the unit tests (QEMU's ptimer-test, our test-ptimer)
#     and of the qtests of ptimer devices (with the fuzzer's and the
#     migration test's short forms), for every target, run through
#     "meson test" in the build directory;
#   - the same under ASan + UBSan for Arm (no sanitizer report allowed);
#   - a boot of Debian's armhf kernel on vexpress-a9 (timers, icount
#     accuracy, record/replay identical).
set -uo pipefail
. "$(dirname "$0")/common.sh"
lock_cache

logdir=$OUTDIR/test-logs
rm -rf "$logdir"
mkdir -p "$logdir"
pass=0 fail=0 skip=0
tally() {   # tally NAME < TAP
    local line p=0 f=0 s=0
    while IFS= read -r line; do
        case $line in
            "not ok "*)  f=$((f + 1)); printf '  FAIL %s: %s\n' "$1" "$line" ;;
            "ok "*"# SKIP"*|"ok "*"# skip"*) s=$((s + 1)) ;;
            "ok "*)      p=$((p + 1)) ;;
        esac
    done
    printf '%-44s %5d passed %3d failed %3d skipped\n' "$1" $p $f $s
    pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
}

# 1. The series.
"$TOP/scripts/check-series.sh" > "$logdir/series.tap" 2>&1
tally "series (apply, round-trip)" < "$logdir/series.tap"

# 2. checkpatch on the mail series.
"$TOP/scripts/series.sh" > "$logdir/series.log" 2>&1 || { cat "$logdir/series.log"; echo "not ok - make series" > "$logdir/checkpatch.tap"; }
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
done >> "$logdir/checkpatch.tap"
tally "checkpatch.pl (series)" < "$logdir/checkpatch.tap"

# No in-tree device may go back to PTIMER_POLICY_LEGACY.
legacy=$(cd "$SRC" && git grep -l 'PTIMER_POLICY_LEGACY' -- 'hw/*.c' ':!hw/core/ptimer.c' || true)
if [ -z "$legacy" ]; then
    echo "ok 1 - no device model uses PTIMER_POLICY_LEGACY"
else
    echo "not ok 1 - PTIMER_POLICY_LEGACY used by: $(echo $legacy)"
fi > "$logdir/legacy.tap"
tally "no PTIMER_POLICY_LEGACY in hw/" < "$logdir/legacy.tap"

# 3. Unit tests and qtests through meson (the migration qtest also
# migrates to and from a stock build: build it, arm only, cached).
"$TOP/scripts/boot-matrix.sh" --build-stock > "$logdir/stock-build.log" 2>&1 ||
    tail -n 20 "$logdir/stock-build.log"
[ -x "$CACHE/stock-build/qemu-system-arm" ] &&
    export PTIMER_STOCK_QEMU=$CACHE/stock-build/qemu-system-arm
"$TOP/scripts/meson-tests.sh" "$BLD" "$logdir" > "$logdir/meson-summary.txt"
while read -r name path; do
    tally "$name" < "$path"
done < "$logdir/meson-summary.txt"

# 4. The same tests, Arm only and a short fuzz, under ASan + UBSan
# (make check-sanitize runs every target).
"$TOP/scripts/sanitize.sh" --short "$logdir/sanitize" > "$logdir/sanitize-summary.txt"
while read -r name path; do
    tally "asan: $name" < "$path"
done < "$logdir/sanitize-summary.txt"

# 5. A real guest: Debian's kernel on vexpress-a9, record/replay identical.
"$TOP/scripts/boot-matrix.sh" --check > "$logdir/boot.tap" 2>&1
tally "boot vexpress-a9 (ng, icount, rr)" < "$logdir/boot.tap"

# A skipped case is neither a pass nor a failure: shown, not counted.
[ $skip -gt 0 ] && echo "($skip skipped cases, listed above, not counted)"
echo
echo "$pass passed, $fail failed"
[ $fail = 0 ]
