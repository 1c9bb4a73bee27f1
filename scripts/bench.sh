#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Benchmark ptimer-ng's core against the pristine QEMU core, side by side
# in one run: the same harness (scripts/ptimer-bench.c) and the same stubs
# (tests/unit/ptimer-test-stubs.c) are linked with each core.  Both cores
# are compiled with the command line the QEMU build itself uses for
# hw/core/ptimer.c (its flags, its trace backend), and the harness runs
# as a guest would (no qtest, no icount: the fast-timer checks run).
#
# valgrind (callgrind) counts the instructions of N operations less those
# of the set-up alone; "core only" also takes off the harness's own cost,
# measured with the same loop without the ptimer calls.  Prints figures;
# asserts nothing.
set -euo pipefail
. "$(dirname "$0")/common.sh"
lock_cache

command -v valgrind >/dev/null || { apt-get install -y -q valgrind >/dev/null || die "valgrind is needed"; }
command -v bc >/dev/null || { apt-get install -y -q bc >/dev/null || die "bc is needed"; }
. "$TOP/scripts/cores.sh"
build_cores "$OUTDIR/bench"
cc_one "$work/harness.o" "$TOP/scripts/ptimer-bench.c"
for v in ours upstream; do
    (cd "$BLD" && eval cc -o "$work/bench-$v" "$work/harness.o" "$work/stubs.o" \
        "$work/$v.o" $link)
done

instr() {   # instr BINARY OP N -> instructions
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" "$2" "$3" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
per_op() {  # per_op BINARY OP -> instructions per operation
    local a b
    a=$(instr "$1" "$2" 0)
    b=$(instr "$1" "$2" "$N")
    echo "scale=1; ($b - $a) / $N" | bc
}
ratio() { echo "scale=2; $1 / $2" | bc | sed 's/^\./0./'; }

N=${PTIMER_BENCH_N:-20000}
printf 'instructions per operation (valgrind --tool=callgrind, N=%d)\n' "$N"
printf '%-16s %9s %9s %6s   %9s %9s %6s\n' "" "total" "" "" "core only" "" ""
printf '%-16s %9s %9s %6s   %9s %9s %6s\n' operation 10.0 ptimer-ng ratio 10.0 ptimer-ng ratio

for op in get_count get_count_fast set_count begin_commit stop_run set_period expiry; do
    up=$(per_op "$work/bench-upstream" "$op")
    ng=$(per_op "$work/bench-ours" "$op")
    h=$(per_op "$work/bench-ours" "empty-$op")
    cu=$(echo "$up - $h" | bc)
    cn=$(echo "$ng - $h" | bc)
    printf '%-16s %9s %9s %5sx   %9s %9s %5sx\n' "$op" "$up" "$ng" "$(ratio "$ng" "$up")" \
        "$cu" "$cn" "$(ratio "$cn" "$cu")"
done
R=1000000
printf '\ndrift after %d reloads of a 3 MHz periodic timer, limit 1000:\n' $R
printf '  10.0      %s ns\n  ptimer-ng %s ns\n' \
    "$("$work/bench-upstream" drift $R)" "$("$work/bench-ours" drift $R)"
