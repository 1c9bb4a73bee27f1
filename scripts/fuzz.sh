#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The full fuzzing campaign: tests/qtest/ptimer-fuzz-test against every
# target of the ASan + UBSan build, PTIMER_FUZZ_OPS operations per device
# (default 100000), seed PTIMER_FUZZ_SEED (default: the test's own).
# Prints one line per device (machine, seed, operations) and ends with
# "N passed, N failed".  Logs: build/out/fuzz/.  The cache lock is held
# for the build only: the campaign runs copies of the binaries.
set -uo pipefail
. "$(dirname "$0")/common.sh"
lock_cache

logdir=$OUTDIR/fuzz
rm -rf "$logdir"
mkdir -p "$logdir"
export PTIMER_FUZZ_OPS=${PTIMER_FUZZ_OPS:-100000}
configure_qemu "$ABLD" --enable-asan --enable-ubsan ||
    die "configure failed (see $ABLD/configure.log)"
targets=$(echo "$TARGETS" | tr ',' ' ' | sed 's/-softmmu//g')
log "building the sanitizer build's QEMUs and the fuzzer"
ninja -C "$ABLD" tests/qtest/ptimer-fuzz-test \
    $(for t in $targets; do echo "qemu-system-$t"; done) > "$logdir/ninja.log" 2>&1 ||
    die "build failed (see $logdir/ninja.log)"
# Fuzz copies of the binaries and let go of the cache: the campaign takes
# long, and a build meanwhile must neither wait nor swap binaries under it.
bin=$logdir/bin
mkdir -p "$bin"
cp "$ABLD/tests/qtest/ptimer-fuzz-test" "$bin/"
for t in $targets; do cp "$ABLD/qemu-system-$t" "$bin/"; done
exec 9>&-
unset PTIMER_LOCKED
sanitizer_env
pass=0 fail=0
for t in $targets; do
    log "fuzzing the $t devices, $PTIMER_FUZZ_OPS operations each"
    SECONDS=0
    QTEST_QEMU_BINARY=$bin/qemu-system-$t "$bin/ptimer-fuzz-test" --tap \
        > "$logdir/$t.tap" 2> "$logdir/$t.stderr"
    grep -h '^# fuzz ' "$logdir/$t.tap" | sed 's/^# fuzz /  /'
    echo "  ($t: ${SECONDS} s)"
    if grep -E -h 'runtime error:|ERROR: AddressSanitizer' "$logdir/$t.stderr" | head -n 3 | grep .; then
        echo "not ok - sanitizer report on $t (see $logdir/$t.stderr)" >> "$logdir/$t.tap"
    fi
    p=$(grep -c '^ok ' "$logdir/$t.tap") f=$(grep -c '^not ok ' "$logdir/$t.tap")
    grep '^not ok ' "$logdir/$t.tap" | sed 's/^/  FAIL /'
    [ "$p" -gt 0 ] || { f=$((f + 1)); echo "  FAIL $t: no case ran"; }
    pass=$((pass + p)) fail=$((fail + f))
done
echo
echo "$pass passed, $fail failed"
[ $fail = 0 ]
