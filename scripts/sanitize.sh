#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The ptimer tests under AddressSanitizer + UndefinedBehaviorSanitizer:
# an ASan/UBSan build of the assembled tree (its own cached build
# directory, configured for every target) runs QEMU's ptimer-test, our
# test-ptimer and every ptimer device qtest, the fuzzer included.  Any
# sanitizer report fails the test program that caused it.
#   scripts/sanitize.sh [LOGDIR]          every target (make check-sanitize)
#   scripts/sanitize.sh --short LOGDIR    Arm only (inside make check);
#                                         prints "NAME TAPFILE" lines
# PTIMER_FUZZ_OPS sets the fuzzer's operations per device (default 2000).
set -uo pipefail
. "$(dirname "$0")/common.sh"
lock_cache

short=
[ "${1:-}" = --short ] && { short=1; shift; }
logdir=${1:-$OUTDIR/sanitize}
rm -rf "$logdir"
mkdir -p "$logdir"

if ! configure_qemu "$ABLD" --enable-asan --enable-ubsan; then
    printf 'not ok 1 - ASan + UBSan configure failed (see %s)\n1..1\n' "$ABLD/configure.log" > "$logdir/configure.tap"
    echo "configure $logdir/configure.tap"
    exit 0
fi
sanitizer_env
# the migration test's cross-version cases, where make check built stock
if [ -z "${PTIMER_STOCK_QEMU:-}" ] && [ -x "$CACHE/stock-build/qemu-system-arm" ]; then
    export PTIMER_STOCK_QEMU=$CACHE/stock-build/qemu-system-arm
fi
if [ -n "$short" ]; then
    "$TOP/scripts/meson-tests.sh" "$ABLD" "$logdir" arm
    exit
fi
"$TOP/scripts/meson-tests.sh" "$ABLD" "$logdir" > "$logdir/summary.txt"
pass=0 fail=0
while read -r name path; do
    p=$(grep -c '^ok ' "$path") f=$(grep -c '^not ok ' "$path")
    printf '%-44s %5d passed %3d failed\n' "$name" "$p" "$f"
    grep '^not ok ' "$path" | sed 's/^/  FAIL /'
    pass=$((pass + p)) fail=$((fail + f))
done < "$logdir/summary.txt"
echo
echo "$pass passed, $fail failed"
[ $fail = 0 ]
