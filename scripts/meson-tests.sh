#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build and run, through "meson test" in build directory BLD, the unit
# tests of ptimer and the qtests of ptimer devices (QEMU's and ours):
#   scripts/meson-tests.sh BLD LOGDIR [TARGET...]
# With TARGETs (e.g. arm), only the qtests of those targets run.  Writes
# one TAP file per test program in LOGDIR and prints "NAME TAPFILE" lines.
# A test program that did not build, did not run, ended badly without a
# failing case, ran no case, or (in a sanitizer build) printed a sanitizer
# report gets a "not ok" line; a program the run must include (the unit
# tests, and without TARGETs every ptimer qtest) that is not registered
# gets a "not ok" suite of its own.  The TAP plan of each program is kept
# (scripts/test.sh checks it against the results).
set -uo pipefail
. "$(dirname "$0")/common.sh"
lock_cache

bld=$1 logdir=$2
shift 2
mkdir -p "$logdir"
ours=$(cd "$TOP" && ls tests/qtest/*.c 2>/dev/null | xargs -r -n1 basename | sed 's/\.c$//')
# The test list comes from meson's introspection data: bring it up to date
# with the tree first (after make bisect it can describe another commit).
ninja -C "$bld" build.ninja > "$logdir/regenerate.log" 2>&1 || true
names=$(meson test -C "$bld" --list 2>/dev/null | sed 's/^.* \/ //' |
        python3 -c '
import sys
wanted = set(sys.argv[2:])
only = set(sys.argv[1].split())
for line in sys.stdin:
    name = line.strip()
    if name.split("/")[-1] not in wanted:
        continue
    if only and name.startswith("qtest-") and name.split("/")[0][6:] not in only:
        continue
    print(name)
' "$*" ptimer-test test-ptimer $UPSTREAM_PTIMER_QTESTS $ours | sort -u)
# Every program the run is meant to include must be registered: the unit
# tests always, and (without a target filter) each of our qtests and
# QEMU's ptimer qtests on at least one target.
expected="ptimer-test test-ptimer"
[ $# -gt 0 ] || expected="$expected $UPSTREAM_PTIMER_QTESTS $ours"
for e in $expected; do
    if ! grep -qE "^(qtest-[a-z0-9]+/)?$e\$" <<< "$(printf '%s\n' $names)"; then
        printf 'not ok 1 - %s is not registered with meson in %s\n1..1\n' "$e" "$bld" \
            > "$logdir/missing-$e.tap"
        echo "$e $logdir/missing-$e.tap"
    fi
done
targets=$(for n in $names; do case $n in qtest-*) echo "${n%%/*}" ;; esac; done | sort -u | sed 's/^qtest-//')
log "building the tests in $bld: $(echo $names | wc -w) test programs"
ninja -C "$bld" -k 0 $(for n in $names; do test_program "$n"; done | sort -u) \
    $(for t in $targets; do echo "qemu-system-$t"; done) > "$logdir/ninja.log" 2>&1 ||
    grep -E 'error|FAILED' "$logdir/ninja.log" | head -n 20 >&2
runnable=
for n in $names; do
    if [ -x "$bld/$(test_program "$n")" ]; then
        runnable="$runnable $n"
    else
        printf 'not ok 1 - %s did not build (see %s)\n1..1\n' "$n" "$logdir/ninja.log" > "$logdir/build-${n//\//_}.tap"
        echo "$n $logdir/build-${n//\//_}.tap"
    fi
done
names=$runnable
log "meson test in $bld: $(echo $names)"
rm -f "$bld/meson-logs/ptimer-ng.json"
[ -z "$names" ] ||
    meson test -C "$bld" --no-rebuild --num-processes "$(nproc)" --logbase ptimer-ng $names > "$logdir/meson.log" 2>&1
python3 - "$bld/meson-logs/ptimer-ng.json" "$logdir" $names <<'PY'
import json, os, re, sys
logfile, logdir, names = sys.argv[1], sys.argv[2], sys.argv[3:]
report = re.compile(r"runtime error:|ERROR: AddressSanitizer|ERROR: LeakSanitizer|"
                    r"SUMMARY: UndefinedBehaviorSanitizer")
seen = {}
if os.path.exists(logfile):
    for line in open(logfile):
        rec = json.loads(line)
        seen[rec["name"].split(" / ", 1)[-1]] = rec
for name in names:
    path = os.path.join(logdir, "meson-" + name.replace("/", "_") + ".tap")
    rec = seen.get(name)
    with open(path, "w") as f:
        if rec is None:
            f.write("not ok 1 - %s did not run\n1..1\n" % name)
        else:
            out = rec.get("stdout") or ""
            err = rec.get("stderr") or ""
            cases = [l for l in out.splitlines() if l.startswith(("ok ", "not ok "))]
            plans = [l for l in out.splitlines() if re.match(r"1\.\.\d+", l)]
            if rec["result"] == "SKIP" and not cases:
                # the whole program skipped itself (exit 77): one skip
                f.write("ok 1 # SKIP %s skipped itself: %s\n1..1\n" %
                        (name, (err.strip().splitlines() or ["no reason printed"])[-1][:200]))
                print(name, path)
                continue
            f.write("".join(l + "\n" for l in plans + cases))
            if rec["result"] not in ("OK", "EXPECTEDFAIL") and not any(
                    l.startswith("not ok") for l in cases):
                f.write("not ok %d - %s ended %s\n" % (len(cases) + 1, name, rec["result"]))
            if not cases and rec["result"] == "OK":
                f.write("not ok 1 - %s ran no case\n" % name)
            hits = [l for l in (out + "\n" + err).splitlines() if report.search(l)]
            if hits:
                f.write("not ok %d - sanitizer report: %s\n" % (len(cases) + 2, hits[0][:200]))
    print(name, path)
PY
