#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Boot Debian's armhf kernel with a busybox initramfs on the QEMU we built and
# summarise which timers the guest ended up using.
#
#   scripts/boot.sh [board]   board: vexpress-a9 (default), sabrelite, cubieboard
#
# PTIMER_BOOT_TIMEOUT: seconds before the boot counts as failed (default 120).
# The kernel and busybox .debs are cached in $DL/guest; the initramfs and the
# console log go to $OUTDIR.
set -euo pipefail
. "$(dirname "$0")/common.sh"

board=${1:-vexpress-a9}
limit=${PTIMER_BOOT_TIMEOUT:-120}
# board -> device tree, kernel console, serial options
case "$board" in
    vexpress-a9) dtb=vexpress-v2p-ca9.dtb     console=ttyAMA0 serial=(-serial stdio) ;;
    sabrelite)   dtb=imx6q-sabrelite.dtb      console=ttymxc1 serial=(-serial null -serial stdio) ;;
    cubieboard)  dtb=sun4i-a10-cubieboard.dtb console=ttyS0   serial=(-serial stdio) ;;
    *) die "unknown board '$board' (supported: vexpress-a9, sabrelite, cubieboard)" ;;
esac

gdir=$DL/guest
groot=$gdir/root
qemu=$BLD/qemu-system-arm
log_file=$OUTDIR/boot-$board.log

# --- 1. guest kernel + busybox from Debian (armhf), cached ----------------
mkdir -p "$gdir" "$OUTDIR"
if [ -f "$gdir/.done" ]; then
    log "reusing guest downloads in $gdir"
else
    fetch_debian_guest armhf armmp "$gdir"
fi
kernel=$(find "$groot/boot" -name 'vmlinuz-*' | sort | tail -n 1)
dtb_path=$(find "$groot/usr/lib" -name "$dtb" | head -n 1)
busybox=$groot/bin/busybox
[ -n "$kernel" ] || die "no vmlinuz-* in $groot/boot (remove $gdir and retry)"
[ -n "$dtb_path" ] || die "no $dtb in the kernel package (remove $gdir and retry)"
[ -x "$busybox" ] || die "no static busybox at $busybox (remove $gdir and retry)"

# --- 2. initramfs -----------------------------------------------------------
stage=$OUTDIR/guest/initramfs
initrd=$OUTDIR/guest/initrd-busybox.cpio.gz
stage_initramfs "$stage" "$busybox"
pack_initramfs "$stage" "$initrd"
log "initramfs: $initrd ($(du -k "$initrd" | cut -f1) KiB), kernel: $(basename "$kernel")"

# --- 3. boot ------------------------------------------------------------------
[ -x "$qemu" ] || die "$qemu not found: build QEMU first (scripts/build.sh)"
version=$("$qemu" --version | head -n 1) || die "$qemu does not run"
log "booting $board (limit ${limit}s), console log: $log_file"
start=$(date +%s.%N)
: > "$log_file"           # empty it now, not when the background job gets to it
timeout "$limit" "$qemu" -M "$board" -m 512 -display none -no-reboot "${serial[@]}" \
    -kernel "$kernel" -dtb "$dtb_path" -initrd "$initrd" \
    -append "console=$console panic=-1 rdinit=/init" < /dev/null >> "$log_file" 2>&1 &
qpid=$!
trap 'kill $qpid 2>/dev/null || true' EXIT      # e.g. on Ctrl-C
tail -s 0.2 -n +1 -f --pid=$qpid "$log_file" &
# Boards without a power-off device only halt: once /init is done, give the
# guest a second to power off by itself, then stop QEMU.
ticks=0 stopped=
while kill -0 $qpid 2>/dev/null; do
    sleep 0.2
    grep -q PTIMER-NG-INIT-DONE "$log_file" || continue
    if ((++ticks > 5)); then
        stopped=1
        kill $qpid 2>/dev/null || true
        break
    fi
done
rc=0
wait $qpid || rc=$?
trap - EXIT
wall=$(echo "$start $(date +%s.%N)" | awk '{ printf "%.1f", $2 - $1 }')
wait                      # for tail to show the last lines
if [ "$rc" = 124 ]; then ending="timed out after ${limit}s"
elif ! grep -q PTIMER-NG-INIT-DONE "$log_file"; then ending="QEMU ended before /init finished"
elif [ -n "$stopped" ]; then ending="guest halted, QEMU stopped by boot.sh"
else ending="guest powered off"
fi

# --- 4. summary ---------------------------------------------------------------
guest() { tr -d '\r' < "$log_file" | sed -n "s/^$1: //p"; }    # /init's "name: value" lines
field() { local v; v=$(guest "$1" | paste -sd, -); echo "${v:--}"; }
# "24:  9  GIC-0 34 Level timer" -> irq, total over the CPU columns, description
irqs=$(guest irq | awk '{ n = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i
                          d = ""; for (; i <= NF; i++) d = d " " $i
                          printf "    %-5s %8d %s\n", $1, n, d }')
shopt -s nullglob
patches=("$TOP"/patches/*.patch)
echo
echo "=== ptimer-ng boot summary ($board) ==="
echo "  QEMU:           $version"
echo "  patches:        ${#patches[@]} in series"
echo "  kernel:         $(basename "$kernel")"
echo "  guest uptime:   $(field uptime | cut -d' ' -f1)s at /init"
echo "  clocksource:    $(field clocksource)"
echo "  clockevent:     $(field clockevent)"
echo "  timer irqs (irq, count, description):"
echo "${irqs:-    (none seen)}"
echo "  boot wall time: ${wall}s ($ending, qemu exit $rc)"
grep -q PTIMER-NG-INIT-REACHED "$log_file" ||
    die "guest did not reach /init ($ending; see $log_file)"
echo "  result:         guest reached /init"
