#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Write the mail-ready series (core commit + device patches, with a cover
# letter) to $OUTDIR/series and list it.
set -euo pipefail
. "$(dirname "$0")/common.sh"

g() { git -C "$SRC" "$@"; }
g rev-parse -q --verify overlay >/dev/null || die "no assembled tree (run make build first)"
out=$OUTDIR/series
rm -rf "$out"
mkdir -p "$out"
n=$(g rev-list --count pristine..HEAD)
[ "$n" -gt 0 ] || die "the series is empty"
g format-patch -q --cover-letter --thread=shallow --zero-commit -o "$out" pristine..HEAD

version=$(g show pristine:VERSION)
cover=$(ls "$out"/0000-cover-letter.patch)
# The cover letter's counts come from the built tests ("-l" lists the
# cases of a GTest program without running them).
tests=$(meson test -C "$BLD" --list 2>/dev/null | sed 's/^.* \/ //' | grep -E '^(qtest-[a-z0-9]+/)?[A-Za-z0-9_-]+$' || true)
progs=$(for t in $tests; do test_program "$t"; done | sort -u)
[ -z "$progs" ] || ninja -C "$BLD" -k 0 $progs > "$out/.ninja-tests.log" 2>&1 || true
OUTDIR=$OUTDIR UPSTREAM="$UPSTREAM_PTIMER_QTESTS" python3 - "$cover" "$version" "$n" "$TOP/patches/cover-letter.txt" "$SRC" "$BLD" "$TOP" $tests <<'PY'
import functools, os, re, subprocess, sys
path, version, n, template, src, bld, top = sys.argv[1:8]
tests = sys.argv[8:]
targets = {}
for t in tests:
    if t.startswith("qtest-"):
        arch, prog = t[6:].split("/", 1)
        targets.setdefault(prog, []).append(arch)

@functools.lru_cache(maxsize=None)
def cases(prog):
    """Number of cases of a qtest program, over every target it runs on."""
    total, seen = 0, False
    for arch in targets.get(prog, []):
        exe = os.path.join(bld, "tests/qtest", prog)
        qemu = os.path.join(bld, "qemu-system-" + arch)
        if not (os.access(exe, os.X_OK) and os.access(qemu, os.X_OK)):
            continue
        env = dict(os.environ, QTEST_QEMU_BINARY=qemu)
        try:
            out = subprocess.run([exe, "-l"], env=env, capture_output=True,
                                 text=True, timeout=120).stdout
        except subprocess.TimeoutExpired:
            continue
        total += sum(1 for l in out.splitlines() if l.startswith("/"))
        seen = True
    return total if seen else None

def unit_cases(prog):
    exe = os.path.join(bld, "tests/unit", prog)
    if not os.access(exe, os.X_OK):
        return None
    out = subprocess.run([exe, "-l"], capture_output=True, text=True).stdout
    return sum(1 for l in out.splitlines() if l.startswith("/"))

def git(*args):
    return subprocess.run(["git", "-C", src] + list(args), capture_output=True,
                          text=True, check=True).stdout

commits = git("rev-list", "--reverse", "overlay..HEAD").split()
lines = []
for i, c in enumerate(commits, start=2):
    subject = git("log", "-1", "--format=%s", c).strip()
    diff = git("show", "--format=", c, "--", "tests/qtest/meson.build")
    added, removed = [], set()
    for l in diff.splitlines():
        if l.startswith("-") and not l.startswith("---"):
            removed.update(re.findall(r"'([A-Za-z0-9_-]+-test)'", l))
        elif l.startswith("+") and not l.startswith("+++"):
            added += [p for p in re.findall(r"'([A-Za-z0-9_-]+-test)'", l)
                      if p not in added]
    added = [p for p in added if p not in removed]
    lines.append("%2d/%s %s" % (i, n, subject))
    for p in added:
        k = cases(p)
        lines.append("      %s: %s on %s" % (
            p, "%d cases" % k if k is not None else "not built",
            ", ".join(sorted(targets.get(p, ["-"])))))
ours = [f[:-2] for f in os.listdir(os.path.join(top, "tests/qtest")) if f.endswith(".c")]
qtests = sorted(set(targets) & (set(ours) | set(os.environ["UPSTREAM"].split())))
qcount = [(p, cases(p)) for p in qtests]
evidence = [
    "  tests/unit/ptimer-test (QEMU's, unmodified): %s cases" % unit_cases("ptimer-test"),
    "  tests/unit/test-ptimer (reference model, random sequences, "
    "migration): %s cases" % unit_cases("test-ptimer"),
    "  qtests of ptimer devices: %d programs, %d cases" % (
        len(qcount), sum(k or 0 for _, k in qcount)),
    "  every patch builds and passes these on its own (make bisect),",
    "  and make bisect fuzzes each commit's ASan + UBSan build, 10^4",
    "  MMIO operations per device;",
    "  checkpatch.pl is clean on every patch; make check-sanitize runs",
    "  all of it under ASan + UBSan, make fuzz 10^5 operations per device.",
]
text = open(path).read()
blurb = open(template).read().rstrip("\n")
blurb = blurb.replace("@VERSION@", version).replace("@N@", n)
blurb = blurb.replace("@DEVICES@", "\n".join(lines))
blurb = blurb.replace("@TESTS@", "\n".join(evidence))
without = os.path.join(os.environ["OUTDIR"], "bisect", "without.txt")
if os.path.exists(without) and os.path.getsize(without):
    rows = ["  %2s/%s %s" % (l.split(" ", 1)[0], n, l.split(" ", 1)[1].rstrip())
            for l in open(without) if l.strip()]
else:
    rows = ["  (not measured in this build: run make bisect)"]
blurb = blurb.replace("@WITHOUT@", "\n".join(rows))
text = text.replace("*** SUBJECT HERE ***",
                    "ptimer-ng: exact, transaction-driven ptimer for QEMU %s" % version)
text = text.replace("*** BLURB HERE ***", blurb)
open(path, "w").write(text)
PY

# Whose series: the sender's identity (git config user.name and
# user.email, as "git format-patch -s" would use) replaces the project's
# placeholder identity in From: and Signed-off-by:.
project="$GIT_AUTHOR_NAME <$GIT_AUTHOR_EMAIL>"
sender_name=$(cd "$TOP" && git config user.name || true)
sender_email=$(cd "$TOP" && git config user.email || true)
if [ -n "$sender_name" ] && [ -n "$sender_email" ]; then
    sender="$sender_name <$sender_email>"
    SENDER=$sender PROJECT=$project python3 - "$out"/0*.patch <<'PY'
import os, sys
old, new = os.environ["PROJECT"], os.environ["SENDER"]
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    text = text.replace("From: " + old + "\n", "From: " + new + "\n")
    text = text.replace("Signed-off-by: " + old + "\n", "Signed-off-by: " + new + "\n")
    open(path, "w", encoding="utf-8").write(text)
PY
    log "signed off by $sender (git config user.name / user.email)"
else
    log "no git identity set (git config user.name / user.email): the series is signed off by the project identity, $project; set yours before mailing it"
fi

missing=0
for p in "$out"/0*.patch; do
    case $p in *0000-cover-letter.patch) continue ;; esac
    grep -q '^Signed-off-by: ' "$p" || { log "no Signed-off-by: $(basename "$p")"; missing=1; }
done
log "series for QEMU $version in $out:"
ls -1 "$out" >&2
[ $missing = 0 ] || die "patches without Signed-off-by"
