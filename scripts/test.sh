#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run every test of the project on the assembled, built tree and end with
# one line "N passed, N failed".  Counted, one per case:
#   - the series checks (applies from pristine, lossless refresh),
#   - scripts/checkpatch.pl on every patch of the mail series,
#   - every TAP case of the unit tests (QEMU's ptimer-test, our test-ptimer)
#     and of the qtests of ptimer devices, for every target, run through
#     "meson test" in the build directory;
#   - a boot of Debian's armhf kernel on vexpress-a9 (timers, icount
#     accuracy, record/replay identical).
set -uo pipefail
. "$(dirname "$0")/common.sh"
lock_cache

logdir=$OUTDIR/test-logs
rm -rf "$logdir"
mkdir -p "$logdir"
pass=0 fail=0 skip=0
tally() {   # tally NAME < TAP
    local line p=0 f=0 s=0
    while IFS= read -r line; do
        case $line in
            "not ok "*)  f=$((f + 1)); printf '  FAIL %s: %s\n' "$1" "$line" ;;
            "ok "*"# SKIP"*|"ok "*"# skip"*) s=$((s + 1)) ;;
            "ok "*)      p=$((p + 1)) ;;
        esac
    done
    printf '%-44s %5d passed %3d failed %3d skipped\n' "$1" $p $f $s
    pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
}

# 1. The series.
"$TOP/scripts/check-series.sh" > "$logdir/series.tap" 2>&1
tally "series (apply, round-trip)" < "$logdir/series.tap"

# 2. checkpatch on the mail series.
"$TOP/scripts/series.sh" > "$logdir/series.log" 2>&1 || { cat "$logdir/series.log"; echo "not ok - make series" > "$logdir/checkpatch.tap"; }
i=0
for p in "$OUTDIR"/series/0*.patch; do
    [ -f "$p" ] || continue
    case $p in *0000-cover-letter.patch) continue ;; esac
    i=$((i + 1))
    if (cd "$SRC" && ./scripts/checkpatch.pl --no-color "$p") > "$logdir/checkpatch-$i.log" 2>&1; then
        echo "ok $i - checkpatch $(basename "$p")"
    else
        echo "not ok $i - checkpatch $(basename "$p") (see $logdir/checkpatch-$i.log)"
    fi
done >> "$logdir/checkpatch.tap"
tally "checkpatch.pl (series)" < "$logdir/checkpatch.tap"

# No in-tree device may go back to PTIMER_POLICY_LEGACY.
legacy=$(cd "$SRC" && git grep -l 'PTIMER_POLICY_LEGACY' -- 'hw/*.c' ':!hw/core/ptimer.c' || true)
if [ -z "$legacy" ]; then
    echo "ok 1 - no device model uses PTIMER_POLICY_LEGACY"
else
    echo "not ok 1 - PTIMER_POLICY_LEGACY used by: $(echo $legacy)"
fi > "$logdir/legacy.tap"
tally "no PTIMER_POLICY_LEGACY in hw/" < "$logdir/legacy.tap"

# 3. Unit tests and qtests through meson.
ours=$(cd "$TOP" && ls tests/qtest/*.c 2>/dev/null | xargs -r -n1 basename | sed 's/\.c$//')
names=$(meson test -C "$BLD" --list 2>/dev/null | sed 's/^.* \/ //' |
        python3 -c '
import sys
wanted = set(sys.argv[1:])
for line in sys.stdin:
    name = line.strip()
    if name.split("/")[-1] in wanted:
        print(name)
' ptimer-test test-ptimer $UPSTREAM_PTIMER_QTESTS $ours | sort -u)
[ -n "$names" ] || { echo "no ptimer tests found in $BLD"; names=""; }
targets=$(for n in $names; do case $n in qtest-*) echo "${n%%/*}" ;; esac; done | sort -u | sed 's/^qtest-//')
log "building the tests: $(echo $names | wc -w) test programs"
ninja -C "$BLD" -k 0 $(for n in $names; do test_program "$n"; done | sort -u) \
    $(for t in $targets; do echo "qemu-system-$t"; done) > "$logdir/ninja.log" 2>&1 ||
    grep -E 'error|FAILED' "$logdir/ninja.log" | head -n 20
runnable=
for n in $names; do
    if [ -x "$BLD/$(test_program "$n")" ]; then
        runnable="$runnable $n"
    else
        echo "not ok 1 - $n did not build (see $logdir/ninja.log)" > "$logdir/build-${n//\//_}.tap"
        tally "$n" < "$logdir/build-${n//\//_}.tap"
    fi
done
names=$runnable
log "meson test: $(echo $names)"
rm -f "$BLD/meson-logs/ptimer-ng.json"
[ -z "$names" ] ||
    meson test -C "$BLD" --no-rebuild --num-processes "$(nproc)" --logbase ptimer-ng $names > "$logdir/meson.log" 2>&1
python3 - "$BLD/meson-logs/ptimer-ng.json" "$logdir" $names <<'PY' > "$logdir/meson-summary.txt"
import json, os, sys
logfile, logdir, names = sys.argv[1], sys.argv[2], sys.argv[3:]
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
            f.write("not ok 1 - %s did not run\n" % name)
        else:
            out = rec.get("stdout") or ""
            cases = [l for l in out.splitlines() if l.startswith(("ok ", "not ok "))]
            f.write("\n".join(cases) + "\n")
            if rec["result"] not in ("OK", "EXPECTEDFAIL") and not any(
                    l.startswith("not ok") for l in cases):
                f.write("not ok %d - %s ended %s\n" % (len(cases) + 1, name, rec["result"]))
            if not cases and rec["result"] == "OK":
                f.write("not ok 1 - %s ran no case\n" % name)
    print(name, path)
PY
while read -r name path; do
    tally "$name" < "$path"
done < "$logdir/meson-summary.txt"

# 4. A real guest: Debian's kernel on vexpress-a9, record/replay identical.
"$TOP/scripts/boot-matrix.sh" --check > "$logdir/boot.tap" 2>&1
tally "boot vexpress-a9 (ng, icount, rr)" < "$logdir/boot.tap"

echo
if [ $skip -gt 0 ]; then
    echo "$pass passed, $fail failed, $skip skipped"
else
    echo "$pass passed, $fail failed"
fi
[ $fail = 0 ]
