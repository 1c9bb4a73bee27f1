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
ABLD=$CACHE/asan-build
rm -rf "$logdir"
mkdir -p "$logdir"

want="--target-list=$TARGETS --enable-asan --enable-ubsan"
if [ ! -f "$ABLD/build.ninja" ] || [ "$(cat "$ABLD/.ptimer-ng-config" 2>/dev/null)" != "$want" ]; then
    log "configuring the ASan + UBSan build in $ABLD"
    rm -rf "$ABLD"
    mkdir -p "$ABLD"
    (cd "$ABLD" && "$SRC/configure" --python=/usr/bin/python3 --disable-docs \
        --disable-werror --disable-install-blobs --disable-download $want) \
        > "$logdir/configure.log" 2>&1 || {
        tail -n 30 "$logdir/configure.log" >&2
        echo "not ok 1 - ASan + UBSan configure failed" > "$logdir/configure.tap"
        echo "configure $logdir/configure.tap"
        exit 0
    }
    echo "$want" > "$ABLD/.ptimer-ng-config"
fi

[ -n "${PTIMER_SANITIZE_CONFIGURE_ONLY:-}" ] && exit 0

# Reports end the process (so the test sees it) and are printed whole.
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=0:print_summary=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1:print_summary=1:suppressions=$TOP/scripts/ubsan.supp
if [ -n "$short" ]; then
    "$TOP/scripts/meson-tests.sh" "$ABLD" "$logdir" arm
    exit 0
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
