#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Bisectability: build every commit of the series in the assembled tree,
# from the core commit to the last patch, and run the unit tests and the
# ptimer device qtests that exist at that commit.  One TAP line a commit.
# Slow (a rebuild and a test run per commit): not part of make check.
# PTIMER_BISECT_FROM=N starts at the N-th commit (1 is the core commit),
# PTIMER_BISECT_TO=M stops after the M-th.
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
done
g checkout -q ptimer-ng
trap - EXIT
[ "$(g rev-parse HEAD)" = "$head" ] || die "could not return to the series head"
echo "1..$n"
[ $failed = 0 ]
