#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Benchmark ptimer-ng's core against the pristine QEMU core: the same
# harness (scripts/ptimer-bench.c) and the same stubs
# (tests/unit/ptimer-test-stubs.c) are linked with each core, and
# valgrind (callgrind) counts the instructions of N operations minus those
# of the set-up alone.  Prints figures; asserts nothing.
set -euo pipefail
. "$(dirname "$0")/common.sh"
lock_cache

command -v valgrind >/dev/null || { apt-get install -y -q valgrind >/dev/null || die "valgrind is needed"; }
[ -f "$BLD/libqemuutil.a" ] || die "build QEMU first (make build)"
work=$OUTDIR/bench
rm -rf "$work"
mkdir -p "$work/upstream/include/hw" "$work/upstream/hw/core"
git -C "$SRC" show pristine:include/hw/ptimer.h > "$work/upstream/include/hw/ptimer.h"
git -C "$SRC" show pristine:hw/core/ptimer.c > "$work/upstream/hw/core/ptimer.c"

# Compile flags of QEMU's own ptimer-test, from the build.
cflags=$(cd "$BLD" && python3 - <<'PY'
import json, shlex
for c in json.load(open("compile_commands.json")):
    if c["file"].endswith("tests/unit/ptimer-test.c"):
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
[ -n "$cflags" ] || die "no compile command for tests/unit/ptimer-test.c in $BLD"
link=$(cd "$BLD" && ninja -t commands tests/unit/ptimer-test 2>/dev/null | tail -n 1 |
       tr ' ' '\n' | grep -E '\.(a|o|so)$|^-l|^-pthread$|^-Wl,' | grep -v 'ptimer' | tr '\n' ' ')

build_one() {   # build_one NAME CORE_C [extra include dir]
    local name=$1 core=$2 inc=${3:-}
    (cd "$BLD" && eval cc $cflags ${inc:+-iquote "$inc/include" -I "$inc/include"} \
        -iquote "$SRC/tests/unit" -o "$work/bench-$name" \
        "$TOP/scripts/ptimer-bench.c" "$SRC/tests/unit/ptimer-test-stubs.c" "$core" \
        $link)
}
build_one ours "$SRC/hw/core/ptimer.c"
build_one upstream "$work/upstream/hw/core/ptimer.c" "$work/upstream"

instr() {   # instr BINARY OP N -> instructions
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" "$2" "$3" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
N=${PTIMER_BENCH_N:-20000}
printf '\n%-14s %14s %14s %8s\n' "operation" "upstream" "ptimer-ng" "ratio"
printf '%-14s %14s %14s %8s\n' "" "instr/op" "instr/op" ""
for op in get_count set_count run_stop begin_commit expiry; do
    for v in upstream ours; do
        a=$(instr "$work/bench-$v" "$op" 0)
        b=$(instr "$work/bench-$v" "$op" "$N")
        eval "r_$v=\$(echo \"scale=1; ($b - $a) / $N\" | bc)"
    done
    printf '%-14s %14s %14s %8s\n' "$op" "$r_upstream" "$r_ours" \
        "$(echo "scale=2; $r_ours / $r_upstream" | bc)x"
done
R=1000000
printf '\ndrift after %d reloads of a 3 MHz periodic timer, limit 1000:\n' $R
printf '  upstream  %s ns\n  ptimer-ng %s ns\n' \
    "$("$work/bench-upstream" drift $R)" "$("$work/bench-ours" drift $R)"
