# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build both ptimer cores as objects for a harness that links one or both
# of them (bench.sh, diff.sh); sourced after common.sh, not run.
#
# build_cores DIR: in DIR, stubs.o (tests/unit/ptimer-test-stubs.c),
# ours.o (the assembled tree's core) and upstream.o (QEMU 10.0's core,
# from the pristine tag), each compiled with the command line the QEMU
# build uses for hw/core/ptimer.c (its flags, its trace backend).  Sets
# $work to DIR, $cflags, and $link (what a ptimer unit test links with).
#
# cc_one OUT SRC [DIR]: compile a harness (or a core) the same way, with
# DIR searched first for quoted includes.

# The QEMU build's own command line for hw/core/ptimer.c, less its
# output and dependency options and its source.
core_cflags() {
    (cd "$BLD" && python3 - <<'PY'
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
}

cc_one() {
    local out=$1 src=$2 inc=${3:-}
    (cd "$BLD" && eval cc ${inc:+-iquote "$inc"} $cflags -iquote "$SRC/tests/unit" \
        -Itrace -I. -Iqapi -c -o "$out" "$src")
}

build_cores() {
    work=$1
    [ -f "$BLD/libqemuutil.a" ] || die "build QEMU first (make build)"
    rm -rf "$work"
    mkdir -p "$work/upstream/include/hw" "$work/upstream/hw/core"
    git -C "$SRC" show pristine:include/hw/ptimer.h > "$work/upstream/include/hw/ptimer.h"
    git -C "$SRC" show pristine:hw/core/ptimer.c > "$work/upstream/hw/core/ptimer.c"
    cflags=$(core_cflags)
    [ -n "$cflags" ] || die "no compile command for hw/core/ptimer.c in $BLD"
    link=$(cd "$BLD" && ninja -t commands tests/unit/ptimer-test 2>/dev/null | tail -n 1 |
           tr ' ' '\n' | grep -E '\.(a|o|so)$|^-l|^-pthread$|^-Wl,' | grep -v 'ptimer' |
           tr '\n' ' ')
    cc_one "$work/stubs.o" "$SRC/tests/unit/ptimer-test-stubs.c"
    cc_one "$work/ours.o" "$SRC/hw/core/ptimer.c"
    cc_one "$work/upstream.o" "$work/upstream/hw/core/ptimer.c" "$work/upstream/include"
}
