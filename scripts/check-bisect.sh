#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Bisectability: build every commit of the series in the assembled tree,
# from the core commit to the last patch, and run the unit tests and the
# ptimer device qtests that exist at that commit.  One TAP line a commit.
# Slow (a rebuild and a test run per commit): not part of make check.
# PTIMER_BISECT_FROM=N starts at the N-th commit (1 is the core commit),
# PTIMER_BISECT_TO=M stops after the M-th.
#
# Tests that fail without their fix: for every commit that adds or changes
# qtests, those qtests are also built and run on the tree before the
# commit (its parent plus the commit's qtest files and their meson
# registration), and
# $OUTDIR/bisect/without.txt gets one line per commit:
#   "N subject: K of M cases fail without it" (M: the cases at the commit),
#   or, for a device patch that adds or changes no qtest,
#   "N subject: no qtest case of its own (its message says why)"
# make series puts that table in the cover letter.
# PTIMER_BISECT_WITHOUT=0 skips this part.
#
# No commit regresses a device: the series head's MMIO fuzzer
# (tests/qtest/ptimer-fuzz-test, built once) runs at every commit against
# the QEMU binaries built there, PTIMER_BISECT_FUZZ_OPS operations per
# device (default 10000; 0 skips it), and once against QEMU 10.0's
# (the stock build, make check builds it).  A device that fails at a
# commit fails the commit unless it fails on 10.0 too (a bug of 10.0 that
# a later patch fixes, not a regression).  $OUTDIR/bisect/fuzz.txt gets
# one line per commit.  The fuzzer runs against the commit's
# AddressSanitizer + UndefinedBehaviorSanitizer build ($ABLD, the build
# directory of make check-sanitize, rebuilt at every commit for the
# targets the commit's tests use), so a memory error or undefined
# behaviour a guest can cause at a commit fails that commit;
# PTIMER_BISECT_ASAN=0 fuzzes the plain binaries instead (faster).
set -uo pipefail
. "$(dirname "$0")/common.sh"
lock_cache

g() { git -C "$SRC" "$@"; }
g rev-parse -q --verify overlay >/dev/null || die "no assembled tree (make build)"
[ -z "$(g status --porcelain --untracked-files=no)" ] || die "$SRC has uncommitted changes"
head=$(g rev-parse HEAD)
logdir=$OUTDIR/bisect
mkdir -p "$logdir"
trap 'g checkout -q ptimer-ng' EXIT

without=$logdir/without.txt
fuzzlog=$logdir/fuzz.txt
[ -n "${PTIMER_BISECT_FROM:-}${PTIMER_BISECT_TO:-}" ] || : > "$without"
[ -n "${PTIMER_BISECT_FROM:-}${PTIMER_BISECT_TO:-}" ] || : > "$fuzzlog"

# record FILE LINE: LINE, which starts with the commit number, replaces
# what an earlier run wrote for that commit; FILE stays in commit order
record() {
    local n=${2%% *}
    { grep -v "^$n " "$1" 2>/dev/null; echo "$2"; } | sort -n -s -k1,1 > "$1.new"
    mv "$1.new" "$1"
}

# case_passed: whether the test program run that left $out and $rc passed
# (exit status 0, an ok line, no not ok line)
case_passed() {
    [ "$rc" = 0 ] && grep -q '^ok ' <<< "$out" && ! grep -q '^not ok ' <<< "$out"
}

# fuzz_run BINARY OUT: the head's fuzzer against qemu-system BINARY, one
# process per device (a QEMU that dies ends its test program); OUT gets
# "ok CASE" or "FAIL CASE (exit status N)" per device, and the output of
# failed ones
fuzz_ops=${PTIMER_BISECT_FUZZ_OPS:-10000}
fuzz_asan=${PTIMER_BISECT_ASAN:-1}
fuzzbin=$logdir/fuzz-bin
fuzz_run() {
    local case out rc
    : > "$2"
    for case in $(QTEST_QEMU_BINARY=$1 "$fuzzbin/ptimer-fuzz-test" -l 2>/dev/null | grep '^/'); do
        out=$(QTEST_QEMU_BINARY=$1 PTIMER_FUZZ_OPS=$fuzz_ops timeout 1800 \
              "$fuzzbin/ptimer-fuzz-test" --tap -p "$case" 2>&1)
        rc=$?
        if case_passed; then
            echo "ok $case" >> "$2"
        else
            echo "FAIL $case (exit status $rc)" >> "$2"
            tail -n 20 <<< "$out" | sed 's/^/#   /' >> "$2"
        fi
    done
}
# fuzz_cases OUT STATUS: the devices of OUT with STATUS ("ok" or "FAIL")
fuzz_cases() {
    sed -n "s|^$2 \(/[^ ]*\).*|\1|p" "$1"
}
if [ "$fuzz_ops" != 0 ]; then
    ninja -C "$BLD" build.ninja tests/qtest/ptimer-fuzz-test > "$logdir/fuzz-ninja.log" 2>&1 ||
        die "the head's fuzzer does not build (see $logdir/fuzz-ninja.log)"
    # 10.0's verdict per device, for every target the stock build has;
    # kept from the last run when the fuzzer and its operations are the same
    if cmp -s "$BLD/tests/qtest/ptimer-fuzz-test" "$fuzzbin/ptimer-fuzz-test" &&
       [ "$(cat "$fuzzbin/ops" 2>/dev/null)" = "$fuzz_ops" ]; then
        log "10.0's fuzz verdicts kept from the last run (same fuzzer and operations)"
    else
        rm -rf "$fuzzbin"
        mkdir -p "$fuzzbin"
        cp "$BLD/tests/qtest/ptimer-fuzz-test" "$fuzzbin/"
        for q in "$CACHE"/stock-build/qemu-system-*; do
            [ -f "$q" ] && [ -x "$q" ] || continue
            fuzz_run "$q" "$fuzzbin/stock-${q##*qemu-system-}.txt"
        done
        echo "$fuzz_ops" > "$fuzzbin/ops"
    fi
    ls "$fuzzbin"/stock-*.txt > /dev/null 2>&1 ||
        log "no stock build: every fuzz failure counts as a regression"
    if [ "$fuzz_asan" != 0 ]; then
        configure_qemu "$ABLD" --enable-asan --enable-ubsan ||
            die "the ASan + UBSan build does not configure (see $ABLD/configure.log)"
        sanitizer_env
        log "fuzzing the ASan + UBSan binaries of each commit ($ABLD)"
    fi
fi
fuzzdir=$BLD fuzzkind=plain
[ "$fuzz_ops" != 0 ] && [ "$fuzz_asan" != 0 ] && fuzzdir=$ABLD fuzzkind="ASan+UBSan"

# run_qtests TAG PROG...: build the qtests PROG in the checked-out tree and
# run each of their cases on its own (a failed assertion ends a GLib test
# program, so one run would hide the cases after it), on every target they
# are registered for; sets ran_ok, ran_all (cases passed, cases listed) and
# ran_built (0 if one did not build).  Case results go to LOGDIR/TAG-cases.txt.
run_qtests() {
    local tag=$1 names name prog arch case out rc
    shift
    ran_ok=0 ran_all=0 ran_built=1
    ninja -C "$BLD" build.ninja > "$logdir/$tag-ninja.log" 2>&1
    names=$(meson test -C "$BLD" --list 2>/dev/null | sed 's/^.* \/ //' |
            grep -E "/($(echo "$@" | tr ' ' '|'))$")
    [ -n "$names" ] || { ran_built=0; return; }
    if ! ninja -C "$BLD" $(for t in $names; do test_program "$t"
            t=${t%%/*}; echo "qemu-system-${t#qtest-}"; done | sort -u) \
            >> "$logdir/$tag-ninja.log" 2>&1; then
        ran_built=0
        return
    fi
    : > "$logdir/$tag-cases.txt"
    for name in $names; do
        arch=${name%%/*} arch=${arch#qtest-} prog=$BLD/$(test_program "$name")
        for case in $(cd "$BLD" && QTEST_QEMU_BINARY=./qemu-system-$arch "$prog" -l 2>/dev/null | grep '^/'); do
            ran_all=$((ran_all + 1))
            out=$(cd "$BLD" && QTEST_QEMU_BINARY=./qemu-system-$arch \
                  timeout 300 "$prog" --tap -p "$case" 2>&1)
            rc=$?
            if case_passed; then
                ran_ok=$((ran_ok + 1))
                echo "ok $case" >> "$logdir/$tag-cases.txt"
            else
                echo "FAIL $case (exit status $rc): $(grep -m1 -E 'ERROR|not ok|Bail' <<< "$out" | cut -c1-200)" \
                    >> "$logdir/$tag-cases.txt"
            fi
        done
    done
}

n=0 failed=0
for c in $(g rev-list --reverse overlay^..HEAD); do
    n=$((n + 1))
    [ "$n" -ge "${PTIMER_BISECT_FROM:-1}" ] || continue
    [ "$n" -le "${PTIMER_BISECT_TO:-$n}" ] || continue
    subject=$(g log -1 --format=%s "$c")
    g checkout -q "$c"
    ninja -C "$BLD" build.ninja > "$logdir/$n-ninja.log" 2>&1
    # The unit tests, QEMU's ptimer device qtests and ours at this commit.
    ours=$(g ls-tree --name-only "$c" tests/qtest/ | sed -n 's|^tests/qtest/\(.*\)\.c$|\1|p' |
           grep -xF -f <(cd "$TOP" && ls tests/qtest/*.c 2>/dev/null | xargs -rn1 basename | sed 's/\.c$//') || true)
    tests=$(meson test -C "$BLD" --list 2>/dev/null | sed 's/^.* \/ //' |
            grep -E "^(ptimer-test|test-ptimer)$|/($(echo $UPSTREAM_PTIMER_QTESTS $ours | tr ' ' '|'))$")
    targets=$(for t in $tests; do
                  case $t in
                      qtest-*) t=${t%%/*}; echo "qemu-system-${t#qtest-}" ;;
                  esac
              done | sort -u; for t in $tests; do test_program "$t"; done)
    if ! ninja -C "$BLD" $targets >> "$logdir/$n-ninja.log" 2>&1; then
        echo "not ok $n - $subject (build failed, see $logdir/$n-ninja.log)"
        failed=$((failed + 1))
        continue
    fi
    verdict=ok why="$(echo $tests | wc -w) test programs"
    if ! meson test -C "$BLD" --no-rebuild --num-processes "$(nproc)" $tests \
            > "$logdir/$n-test.log" 2>&1; then
        verdict="not ok" why="see $logdir/$n-test.log"
    fi
    # The fuzzer, on every target built at this commit
    fuzz_targets=$(echo "$targets" | grep '^qemu-system-')
    if [ "$fuzz_ops" != 0 ] && [ "$fuzzdir" != "$BLD" ] &&
       ! ninja -C "$fuzzdir" $fuzz_targets > "$logdir/$n-asan-ninja.log" 2>&1; then
        echo "not ok $n - $subject (the $fuzzkind build failed, see $logdir/$n-asan-ninja.log)"
        failed=$((failed + 1))
        continue
    fi
    if [ "$fuzz_ops" != 0 ]; then
        fz_all=0 fz_bad=0 fz_old=0 fz_arch=
        for q in $fuzz_targets; do
            a=${q#qemu-system-}
            fuzz_run "$fuzzdir/$q" "$logdir/$n-fuzz-$a.txt"
            fz_arch="$fz_arch $a"
            ran=$(grep -c -E '^(ok|FAIL) ' "$logdir/$n-fuzz-$a.txt")
            fz_all=$((fz_all + ran))
            for d in $(fuzz_cases "$logdir/$n-fuzz-$a.txt" FAIL); do
                if [ -f "$fuzzbin/stock-$a.txt" ] &&
                   grep -qxF "$d" <<< "$(fuzz_cases "$fuzzbin/stock-$a.txt" FAIL)"; then
                    fz_old=$((fz_old + 1))
                else
                    fz_bad=$((fz_bad + 1))
                    echo "# fuzz regression at $n: $d (see $logdir/$n-fuzz-$a.txt)"
                fi
            done
            if [ "$ran" = 0 ]; then
                fz_bad=$((fz_bad + 1))
                echo "# fuzz at $n: no $a device ran (see $logdir/$n-fuzz-$a.txt)"
            fi
        done
        line="$n $subject: fuzz ($fuzzkind) ${fz_arch# }: $fz_all devices x $fuzz_ops ops, $fz_bad regressions"
        [ "$fz_old" = 0 ] || line="$line, $fz_old fail on 10.0 too"
        record "$fuzzlog" "$line"
        echo "# $line"
        if [ "$fz_bad" != 0 ]; then
            verdict="not ok" why="$why; $fz_bad fuzz regressions"
        fi
    fi
    echo "$verdict $n - $subject ($why)"
    [ "$verdict" = ok ] || failed=$((failed + 1))
    # The qtests this commit adds or changes, at the commit and then
    # without it (its parent with the commit's version of those qtests).
    added=$(g diff --name-only --diff-filter=AM "$c^" "$c" -- 'tests/qtest/*-test.c')
    [ "${PTIMER_BISECT_WITHOUT:-1}" != 0 ] && [ "$n" -gt 1 ] || continue
    if [ -z "$added" ]; then
        case $subject in
            hw/*) line="$n $subject: no qtest case of its own (its message says why)"
                  record "$without" "$line"
                  echo "# without: $line" ;;
        esac
        continue
    fi
    progs=$(for f in $added; do basename "$f" .c; done)
    run_qtests "$n-with" $progs
    m=$ran_all
    g checkout -q "$c^"
    g checkout "$c" -- $(g diff --name-only --diff-filter=AM "$c^" "$c" -- tests/qtest) tests/qtest/meson.build
    run_qtests "$n-without" $progs
    g reset -q --hard
    g clean -q -fd -- tests/qtest
    if [ "$ran_built" = 0 ]; then
        line="$m of $m cases fail without it (the qtests do not build without it)"
    else
        line="$((m - ran_ok)) of $m cases fail without it"
    fi
    [ "$m" -gt 0 ] && [ "$ran_ok" = "$m" ] && line="$line: coverage only"
    record "$without" "$n $subject: $line"
    echo "# without: $n $subject: $line"
done
g checkout -q ptimer-ng
trap - EXIT
[ "$(g rev-parse HEAD)" = "$head" ] || die "could not return to the series head"
echo "1..$n"
[ $failed = 0 ]
