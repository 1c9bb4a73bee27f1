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
[ -n "${PTIMER_BISECT_FROM:-}${PTIMER_BISECT_TO:-}" ] || : > "$without"

# run_qtests TAG PROG...: build the qtests PROG in the checked-out tree and
# run each of their cases on its own (a failed assertion ends a GLib test
# program, so one run would hide the cases after it), on every target they
# are registered for; sets ran_ok, ran_all (cases passed, cases listed) and
# ran_built (0 if one did not build).  Case results go to LOGDIR/TAG-cases.txt.
run_qtests() {
    local tag=$1 names name prog arch case out
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
            if out=$(cd "$BLD" && QTEST_QEMU_BINARY=./qemu-system-$arch \
                    timeout 300 "$prog" --tap -p "$case" 2>&1) &&
               printf '%s\n' "$out" | grep -q '^ok ' &&
               ! printf '%s\n' "$out" | grep -q '^not ok '; then
                ran_ok=$((ran_ok + 1))
                echo "ok $case" >> "$logdir/$tag-cases.txt"
            else
                echo "FAIL $case: $(printf '%s\n' "$out" | grep -m1 -E 'ERROR|not ok|Bail' | cut -c1-200)" \
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
    if meson test -C "$BLD" --no-rebuild --num-processes "$(nproc)" $tests \
            > "$logdir/$n-test.log" 2>&1; then
        echo "ok $n - $subject ($(echo $tests | wc -w) test programs)"
    else
        echo "not ok $n - $subject (see $logdir/$n-test.log)"
        failed=$((failed + 1))
    fi
    # The qtests this commit adds or changes, at the commit and then
    # without it (its parent with the commit's version of those qtests).
    added=$(g diff --name-only --diff-filter=AM "$c^" "$c" -- 'tests/qtest/*-test.c')
    [ "${PTIMER_BISECT_WITHOUT:-1}" != 0 ] && [ "$n" -gt 1 ] || continue
    if [ -z "$added" ]; then
        case $subject in
            hw/*) echo "$n $subject: no qtest case of its own (its message says why)" |
                      tee -a "$without" | sed 's/^/# without: /' ;;
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
    echo "$n $subject: $line" | tee -a "$without" | sed 's/^/# without: /'
done
g checkout -q ptimer-ng
trap - EXIT
[ "$(g rev-parse HEAD)" = "$head" ] || die "could not return to the series head"
echo "1..$n"
[ $failed = 0 ]
