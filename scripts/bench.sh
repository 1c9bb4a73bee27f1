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
[ -f "$BLD/libqemuutil.a" ] || die "build QEMU first (make build)"
work=$OUTDIR/bench
rm -rf "$work"
mkdir -p "$work/upstream/include/hw" "$work/upstream/hw/core"
git -C "$SRC" show pristine:include/hw/ptimer.h > "$work/upstream/include/hw/ptimer.h"
git -C "$SRC" show pristine:hw/core/ptimer.c > "$work/upstream/hw/core/ptimer.c"

# The QEMU build's own command line for hw/core/ptimer.c, less its
# output and dependency options and its source.
cflags=$(cd "$BLD" && python3 - <<'PY'
import json, shlex
for c in json.load(open("compile_commands.json")):
    if c["file"].endswith("hw/core/ptimer.c") and "libcommon" in c.get("output", c["command"]):
        args = shlex.split(c["command"])[1:]
        out, skip = [], False
        for a in args:
            if skip:
                skip = False
                continue
            if a in ("-o", "-c", "-MQ", "-MF"):
                skip = True
                continue
            if a == "-MD" or a.endswith(".c"):
                continue
            out.append(a)
        print(" ".join(shlex.quote(a) for a in out))
        break
PY
)
[ -n "$cflags" ] || die "no compile command for hw/core/ptimer.c in $BLD"
link=$(cd "$BLD" && ninja -t commands tests/unit/ptimer-test 2>/dev/null | tail -n 1 |
       tr ' ' '\n' | grep -E '\.(a|o|so)$|^-l|^-pthread$|^-Wl,' | grep -v 'ptimer' | tr '\n' ' ')

cc_one() {  # cc_one OUT SRC [include dir searched first]
    local out=$1 src=$2 inc=${3:-}
    (cd "$BLD" && eval cc ${inc:+-iquote "$inc"} $cflags -iquote "$SRC/tests/unit" \
        -Itrace -I. -Iqapi -c -o "$out" "$src")
}
cc_one "$work/harness.o" "$TOP/scripts/ptimer-bench.c"
cc_one "$work/stubs.o" "$SRC/tests/unit/ptimer-test-stubs.c"
cc_one "$work/ours.o" "$SRC/hw/core/ptimer.c"
cc_one "$work/upstream.o" "$work/upstream/hw/core/ptimer.c" "$work/upstream/include"
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
