#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Boot Debian's armhf kernel (qemu-system-arm) and arm64 kernel
# (qemu-system-aarch64), each with a busybox initramfs (scripts/guest-init.sh),
# on several boards, on the patched QEMU and on a stock build of the same
# pristine source, and report what the guest's timers did.
#
#   scripts/boot-matrix.sh            the whole matrix (make boot-matrix):
#       1. every board (PTIMER_MATRIX_BOARDS) on stock and ng: one table row
#          per board and build (kernel, clocksource, clockevent, timer IRQs
#          during a guest "sleep", the sleep as the guest and the host saw
#          it, boot wall time, ng/stock ratio);
#          loaded host: every board, stock and ng, PTIMER_MATRIX_RUNS boots
#          each with QEMU pinned to CPU 0 beside two busy loops (timer
#          events arrive late); ng must finish as many as stock;
#       2. record/replay: vexpress-a9 and cubieboard on ng under
#          -icount shift=auto,rr=record, then rr=replay; the console logs
#          must be byte-identical and the replay must finish;
#       3. accuracy: "sleep 1" under -icount shift=4 (every board) and 5
#          (vexpress-a9), sleep=off (see icount_nosleep below), stock and
#          ng: the guest's clock must see 1 s within one kernel tick (the
#          time of a "sleep 0" subtracted).
#       4. 10 kHz intervals (gitlab issue 2703): a periodic SP804
#          (vexpress-a9) and EPIT (sabrelite) timer at 10 kHz under
#          -icount shift=4 and 5, sleep=off, time-stamped by the guest
#          (scripts/guest-interval.c), stock and ng; ng must be exact.
#   scripts/boot-matrix.sh --check    short form, TAP: vexpress-a9 on ng,
#                                     icount shift=4 accuracy, 10 kHz
#                                     intervals at shift=5 (stock's printed
#                                     beside them), one rr pair; sabrelite,
#                                     cubieboard, smdkc210, mcimx6ul-evk,
#                                     imx8mp-evk, xlnx-zcu102 reach /init with
#                                     the expected timers; smdkc210 on a
#                                     loaded host finishes its sleep
#   scripts/boot-matrix.sh --interval only part 4
#   scripts/boot-matrix.sh --build-stock   only build the stock QEMU
#
# The stock QEMU is the commit tagged "pristine" in $SRC, cloned into
# $CACHE/stock-src and built (qemu-system-arm and qemu-system-aarch64) in
# $CACHE/stock-build; both are kept.  Logs go to $OUTDIR/boot-matrix/.
# PTIMER_BOOT_TIMEOUT: seconds before a boot counts as failed (default 120);
# PTIMER_MATRIX_SLEEP: seconds of the measured guest sleep (default 2);
# PTIMER_MATRIX_BOARDS: the boards of the table (default: vexpress-a9 sabrelite
#   cubieboard smdkc210 highbank orangepi-pc mcimx7d-sabre mcimx6ul-evk
#   imx8mp-evk xlnx-zcu102).
# PTIMER_MATRIX_RUNS: boots per board and build for the boot-time medians
#   (default 3);
# PTIMER_INTERVAL_PERIODS: rollovers time-stamped per interval run (default 5000).
set -euo pipefail
. "$(dirname "$0")/common.sh"

mode=${1:-matrix}
limit=${PTIMER_BOOT_TIMEOUT:-120}
nap=${PTIMER_MATRIX_SLEEP:-2}
STOCK_SRC=$CACHE/stock-src
STOCK_BLD=$CACHE/stock-build
NG=$BLD/qemu-system-arm
STOCK=$STOCK_BLD/qemu-system-arm
NG64=$BLD/qemu-system-aarch64
STOCK64=$STOCK_BLD/qemu-system-aarch64
mdir=$OUTDIR/boot-matrix
gdir=$DL/guest
groot=$gdir/root
gdir64=$DL/guest-arm64
groot64=$gdir64/root

# --- 1. stock QEMU: the pristine commit of $SRC, arm + aarch64, cached -------
# Run in a subshell: the cache lock is held for the build only, not the boots.
build_stock() {
    lock_cache
    local want stamp=$STOCK_BLD/.ptimer-ng-stock
    want=$(git -C "$SRC" rev-parse -q --verify 'pristine^{commit}') ||
        die "no tag 'pristine' in $SRC: assemble the tree first (make build)"
    if [ -x "$STOCK" ] && [ -x "$STOCK64" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
        return 0
    fi
    if [ "$(git -C "$STOCK_SRC" rev-parse -q --verify HEAD 2>/dev/null)" != "$want" ]; then
        log "checking out pristine QEMU into $STOCK_SRC"
        rm -rf "$STOCK_SRC" "$STOCK_BLD"
        git clone -q --no-checkout "$SRC" "$STOCK_SRC"
        git -C "$STOCK_SRC" -c advice.detachedHead=false checkout -q pristine
    fi
    # A build configured for arm only (older scripts) is configured again in
    # place, which keeps its objects.
    if [ ! -f "$STOCK_BLD/build.ninja" ] ||
       [ ! -f "$STOCK_BLD/aarch64-softmmu-config-devices.mak" ]; then
        log "configuring stock QEMU in $STOCK_BLD (arm-softmmu, aarch64-softmmu)"
        [ -f "$STOCK_BLD/build.ninja" ] || rm -rf "$STOCK_BLD"
        mkdir -p "$STOCK_BLD"
        (cd "$STOCK_BLD" && "$STOCK_SRC/configure" --python=/usr/bin/python3 --disable-docs \
            --disable-werror --disable-install-blobs --disable-download \
            --target-list=arm-softmmu,aarch64-softmmu > configure.log 2>&1) || {
            tail -n 30 "$STOCK_BLD/configure.log" >&2
            die "stock configure failed (see $STOCK_BLD/configure.log)"
        }
    fi
    log "building stock qemu-system-arm and -aarch64 in $STOCK_BLD (ninja, $(nproc) jobs)"
    ninja -C "$STOCK_BLD" -j "$(nproc)" qemu-system-arm qemu-system-aarch64
    echo "$want" > "$stamp"
}

# --- 2. guest: kernel + busybox (fetched by boot.sh), our initramfs ----------
prepare_guest() {
    if [ ! -f "$gdir/.done" ]; then
        log "guest packages not cached yet: fetching them with scripts/boot.sh"
        "$TOP/scripts/boot.sh" vexpress-a9 > "$mdir/boot-sh.log" 2>&1 ||
            die "scripts/boot.sh failed (see $mdir/boot-sh.log)"
    fi
    kernel=$(find "$groot/boot" -name 'vmlinuz-*' | sort | tail -n 1)
    [ -n "$kernel" ] || die "no vmlinuz-* in $groot/boot (remove $gdir and retry)"
    hz=$(sed -n 's/^CONFIG_HZ=//p' "${kernel/vmlinuz-/config-}" 2>/dev/null)
    hz=${hz:-250}
    local stage=$mdir/initramfs
    initrd=$mdir/initrd.cpio.gz
    stage_initramfs "$stage" "$groot/bin/busybox"
    command -v arm-linux-gnueabihf-gcc > /dev/null ||
        die "arm-linux-gnueabihf-gcc not found (scripts/install-deps.sh installs it)"
    arm-linux-gnueabihf-gcc -static -O2 -Wall -Werror -o "$stage/bin/guest-interval" \
        "$TOP/scripts/guest-interval.c" || die "cannot build scripts/guest-interval.c"
    pack_initramfs "$stage" "$initrd"
}

# The arm64 guest, for the aarch64 boards: fetched and built on first use.
kernel64=
prepare_guest64() {
    if [ ! -f "$gdir64/.done" ]; then
        (fetch_debian_guest arm64 arm64 "$gdir64") > "$mdir/fetch-arm64.log" 2>&1 ||
            die "could not fetch Debian's arm64 kernel and busybox (see $mdir/fetch-arm64.log)"
    fi
    kernel64=$(find "$groot64/boot" -name 'vmlinuz-*' | sort | tail -n 1)
    [ -n "$kernel64" ] || die "no vmlinuz-* in $groot64/boot (remove $gdir64 and retry)"
    local hz64
    hz64=$(sed -n 's/^CONFIG_HZ=//p' "${kernel64/vmlinuz-/config-}" 2>/dev/null)
    [ "${hz64:-250}" = "$hz" ] ||
        die "the armhf and arm64 kernels tick at $hz and $hz64 Hz: the accuracy limit assumes one rate"
    local stage=$mdir/initramfs-arm64
    initrd64=$mdir/initrd-arm64.cpio.gz
    stage_initramfs "$stage" "$groot64/bin/busybox"
    pack_initramfs "$stage" "$initrd64"
    # xlnx-zcu102: QEMU disables the ZynqMP firmware node when no EL3
    # firmware runs, and the 6.1 device tree takes the UART's clock, power
    # domain and pins from that firmware, so the console never probes.
    # Give serial@ff000000 a fixed 100 MHz clock of its own instead.
    local zsrc
    zsrc=$(find "$groot64/usr/lib" -name zynqmp-zcu102-rev1.0.dtb | head -n 1)
    [ -n "$zsrc" ] || die "no zynqmp-zcu102-rev1.0.dtb in the arm64 kernel package"
    command -v fdtput > /dev/null ||
        die "fdtput not found (scripts/install-deps.sh installs device-tree-compiler)"
    zcu_dtb=$mdir/zynqmp-zcu102-uartclk.dtb
    cp "$zsrc" "$zcu_dtb"
    fdtput -c "$zcu_dtb" /ptimer_ng_uart_clk
    fdtput -t s "$zcu_dtb" /ptimer_ng_uart_clk compatible fixed-clock
    fdtput -t x "$zcu_dtb" /ptimer_ng_uart_clk '#clock-cells' 0
    fdtput -t x "$zcu_dtb" /ptimer_ng_uart_clk clock-frequency 5f5e100
    fdtput -t x "$zcu_dtb" /ptimer_ng_uart_clk phandle 7fff
    fdtput -t x "$zcu_dtb" /axi/serial@ff000000 clocks 7fff 7fff
    fdtput -d "$zcu_dtb" /axi/serial@ff000000 power-domains
    fdtput -d "$zcu_dtb" /axi/serial@ff000000 pinctrl-0
    fdtput -d "$zcu_dtb" /axi/serial@ff000000 pinctrl-names
}

# board -> device tree, kernel console, serial options, expected timers;
# arch: arm (armhf kernel, qemu-system-arm) or aarch64 (arm64 kernel,
# qemu-system-aarch64)
board_setup() {
    mem=512 arch=arm
    case "$1" in
        vexpress-a9) dtb=vexpress-v2p-ca9.dtb     console=ttyAMA0 serial=(-serial stdio)
                     expect="arm,sp804/local_timer" ;;
        sabrelite)   dtb=imx6q-sabrelite.dtb      console=ttymxc1 serial=(-serial null -serial stdio)
                     expect="mxc_timer1/local_timer" ;;
        cubieboard)  dtb=sun4i-a10-cubieboard.dtb console=ttyS0   serial=(-serial stdio)
                     expect="timer/sun4i_tick" ;;
        smdkc210)    dtb=exynos4210-smdkv310.dtb  console=ttySAC1 serial=(-serial null -serial stdio)
                     expect="mct-frc/mct_tick0" ;;
        highbank)    dtb=highbank.dtb             console=ttyAMA0 serial=(-serial stdio)
                     expect="arm,sp804/local_timer" ;;
        # These two guests prefer the Arm generic timer (not a ptimer);
        # their boards still run the changed models (A10 PIT and
        # watchdog; i.MX GPT, EPIT and WDOG).
        orangepi-pc) dtb=sun8i-h3-orangepi-pc.dtb console=ttyS0   serial=(-serial stdio)
                     expect="arch_sys_counter/arch_sys_timer" mem=1024 ;;
        mcimx7d-sabre) dtb=imx7d-sdb.dtb          console=ttymxc0 serial=(-serial stdio)
                     expect="arch_sys_counter/arch_sys_timer" ;;
        # The i.MX GPT is both clocksource and clockevent here.
        mcimx6ul-evk) dtb=imx6ul-14x14-evk.dtb    console=ttymxc0 serial=(-serial stdio)
                     expect="mxc_timer1/mxc_timer1" ;;
        # arm64 boards: the guest uses the generic timer here too; the
        # boards carry the i.MX GPT and WDOG (imx8mp-evk) and the ZynqMP
        # CAN, CSU DMA and DisplayPort models (xlnx-zcu102).
        imx8mp-evk)  dtb=imx8mp-evk.dtb           console=ttymxc1,115200 serial=(-serial null -serial stdio)
                     expect="arch_sys_counter/arch_sys_timer" mem=2048 arch=aarch64 ;;
        xlnx-zcu102) dtb=zynqmp-zcu102-uartclk.dtb console=ttyPS0,115200 serial=(-serial stdio)
                     expect="arch_sys_counter/arch_sys_timer" mem=2048 arch=aarch64 ;;
        *) die "unknown board '$1'" ;;
    esac
    if [ $arch = arm ]; then
        bkernel=$kernel binitrd=$initrd
        dtb_path=$(find "$groot/usr/lib" -name "$dtb" | head -n 1)
    else
        [ -n "$kernel64" ] || prepare_guest64
        bkernel=$kernel64 binitrd=$initrd64
        dtb_path=$(find "$groot64/usr/lib" "$mdir" -maxdepth 3 -name "$dtb" | head -n 1)
    fi
    [ -n "$dtb_path" ] || die "no $dtb in the kernel package (remove $gdir and retry)"
}

# --- 3. one boot ---------------------------------------------------------------
# Copy the console to stdout's reader; note the host time of /init's markers.
stamp_lines() {
    local line
    while IFS= read -r line; do
        case $line in *PTIMER-NG-*) printf '%s %s\n' "${line%$'\r'}" "$EPOCHREALTIME" ;; esac
    done >> "$1"
}

# boot NAME QEMU BOARD SLEEP [QEMU-OPTION...]: boot BOARD on QEMU; the console
# goes to $mdir/NAME.log, QEMU's stderr to NAME.err, host times of /init's
# markers to NAME.stamps.  Boards that only halt are stopped by us once the
# kernel says so.  Sets boot_rc (QEMU's exit status, 124: timed out).
running=
extra_append=
pin=()
boot() {
    local name=$1 qemu=$2 board=$3 secs=$4
    shift 4
    board_setup "$board"
    # The same build's qemu-system-aarch64 for the arm64 boards.
    [ $arch = arm ] || qemu=${qemu/qemu-system-arm-/qemu-system-aarch64-}
    [ -x "$qemu" ] || die "$qemu not found"
    local log=$mdir/$name.log err=$mdir/$name.err stamps=$mdir/$name.stamps pidf=$mdir/$name.pid
    local append="console=$console panic=-1 rdinit=/init${extra_append:+ $extra_append}"
    [ "$secs" = 0 ] || append="$append ptimer_sleep=$secs"
    rm -f "$pidf"
    : > "$log"
    echo "start $EPOCHREALTIME" > "$stamps"
    (
        set +e +o pipefail
        timeout -k 5 "$limit" ${pin[@]+"${pin[@]}"} "$qemu" -M "$board" -m "$mem" -display none -no-reboot \
            "${serial[@]}" -kernel "$bkernel" -dtb "$dtb_path" -initrd "$binitrd" \
            -append "$append" -pidfile "$pidf" "$@" < /dev/null 2> "$err" |
            tee "$log" | stamp_lines "$stamps"
        exit "${PIPESTATUS[0]}"
    ) &
    local job=$! done_at=
    running=$pidf
    while kill -0 $job 2>/dev/null; do
        sleep 0.1
        if [ -z "$done_at" ]; then
            grep -q PTIMER-NG-INIT-DONE "$log" && done_at=$SECONDS
            continue
        fi
        if grep -q 'reboot: ' "$log" || ((SECONDS - done_at > 5)); then
            sleep 0.5
            kill "$(cat "$pidf" 2>/dev/null)" 2>/dev/null || true
            break
        fi
    done
    boot_rc=0
    wait $job || boot_rc=$?
    running=
}
busy=()
stop_running() {
    [ -z "$running" ] || kill "$(cat "$running" 2>/dev/null)" 2>/dev/null || true
    [ ${#busy[@]} = 0 ] || kill "${busy[@]}" 2>/dev/null || true
}
trap stop_running EXIT

# loaded_boot NAME QEMU BOARD SLEEP [QEMU-OPTION...]: boot() with QEMU
# pinned to host CPU 0 beside two busy loops pinned there too, so that
# its timer events run late (the "overdue" window an idle host never
# opens).
loaded_boot() {
    local i
    for i in 1 2; do
        taskset -c 0 sh -c 'while :; do :; done' &
        busy+=($!)
    done
    pin=(taskset -c 0)
    boot "$@"
    pin=()
    kill "${busy[@]}" 2>/dev/null || true
    wait "${busy[@]}" 2>/dev/null || true
    busy=()
}

# --- 4. what the guest reported ------------------------------------------------
gval() { tr -d '\r' < "$mdir/$1.log" | sed -n "s/^$2: //p" | head -n 1; }
stamp() { awk -v m="$2" '$1 == m { print $2; exit }' "$mdir/$1.stamps"; }
reached() { grep -q PTIMER-NG-INIT-DONE "$mdir/$1.log"; }
# seconds between two host stamps, or "-"
host_span() {
    local a b
    a=$(stamp "$1" "$2") b=$(stamp "$1" "$3")
    if [ -n "$a" ] && [ -n "$b" ]; then awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b - a }'
    else echo -; fi
}
# the guest's sleep: "duration excess" in s; excess = duration - control - requested
guest_sleep() {
    local s c
    s=$(gval "$1" sleep) c=$(gval "$1" sleep-control)
    [ -n "$s" ] && [ -n "$c" ] || { echo "- -"; return; }
    echo "$s $c" | awk '{ d = ($3 - $2) / 1e9; printf "%.4f %.4f", d, d - ($6 - $5) / 1e9 - $1 }'
}
# timer IRQs during the sleep, "twd+5 timer+0"
sleep_irqs() {
    tr -d '\r' < "$mdir/$1.log" | sed -n 's/^sleep-irq: //p' |
        awk '{ n = $3 - $2; w = $NF; if (w == "interrupts") { w = $1; sub(/:$/, "", w) }
               if (n || $1 !~ /^IPI/) { printf "%s%s+%d", sep, w, n; sep = " " } }'
}
console_tail() {
    echo "--- last console lines of $1 ($mdir/$1.log) ---"
    tr -d '\r' < "$mdir/$1.log" | tail -n 25
    [ ! -s "$mdir/$1.err" ] || { echo "--- QEMU stderr ---"; tail -n 5 "$mdir/$1.err"; }
    echo "---"
}

# --- 5. record/replay and accuracy -------------------------------------------
# rr_pair BOARD: sets rr_record, rr_replay, rr_same (ok/FAIL) and rr_note
rr_pair() {
    local b=$1 file=$mdir/rr-$1.bin
    rm -f "$file"
    boot "rr-record-$b" "$NG" "$b" 1 -icount shift=auto,rr=record,rrfile="$file"
    rr_record=ok rr_replay=ok rr_same=ok
    reached "rr-record-$b" || rr_record=FAIL
    boot "rr-replay-$b" "$NG" "$b" 1 -icount shift=auto,rr=replay,rrfile="$file"
    { [ "$boot_rc" != 124 ] && reached "rr-replay-$b"; } || rr_replay=FAIL
    cmp -s "$mdir/rr-record-$b.log" "$mdir/rr-replay-$b.log" || rr_same=FAIL
    rr_note="$(wc -c < "$mdir/rr-record-$b.log") console bytes, rr file $(du -k "$file" | cut -f1) KiB,"
    rr_note="$rr_note record $(host_span "rr-record-$b" start PTIMER-NG-INIT-DONE)s,"
    rr_note="$rr_note replay $(host_span "rr-replay-$b" start PTIMER-NG-INIT-DONE)s"
}
# The accuracy and interval runs use -icount with sleep=off: the virtual
# clock then moves with the instructions executed only.  With the default
# sleep=on, an idle guest's virtual time follows the host's, and a warp
# that the host runs late carries the clock past the next deadline (QEMU
# adds the host time that elapsed, not capped at the deadline): on a busy
# host, timer events then run tens of microseconds late (ptimer_expired
# traces of vexpress-a9 boots pinned beside a busy loop showed MPCore
# timer events up to 93 us late), and one make check run saw a 10 kHz
# rollover 30 us late.  Host load must not move these checks.
# icount_nosleep SHIFT: the -icount argument of these runs
icount_nosleep() {
    echo "shift=$1,sleep=off"
}

# accuracy NAME QEMU SHIFT BOARD: sets acc_excess (ms) and acc_ok (ok/FAIL)
accuracy() {
    boot "$1" "$2" "$4" 1 -icount "$(icount_nosleep "$3")"
    local g
    g=$(guest_sleep "$1")
    acc_excess=${g#* }
    acc_ok=FAIL
    [ "$acc_excess" = - ] || {
        awk -v e="$acc_excess" -v h="$hz" 'BEGIN { exit !(e >= -1 / h && e <= 1 / h) }' && acc_ok=ok
        acc_excess=$(awk -v e="$acc_excess" 'BEGIN { printf "%+.1f", e * 1000 }')
    }
}

# interval NAME QEMU SHIFT BOARD: a 10 kHz periodic timer seen by the guest
# under -icount shift=SHIFT (gitlab issue 2703), scripts/guest-interval.c.
# Sets iv_line (what the guest printed, less "interval: "), iv_ok (ok/FAIL)
# and iv_why.  Every guest time stamp is within "bracket" ns after the true
# rollover, so every one-period interval must be nominal +- bracket and the
# mean over the span nominal +- 2 bracket / periods (at least 0.1 ns, the
# printed precision).
interval() {
    extra_append="ptimer_interval=$4,$iv_periods"
    boot "$1" "$2" "$4" 0 -icount "$(icount_nosleep "$3")"
    extra_append=
    iv_line=$(gval "$1" interval)
    iv_ok=FAIL iv_why="no interval line"
    [ -n "$iv_line" ] || return 0
    set -- $iv_line
    [ "${4:-}" = periods ] && [ "${16:-}" = bracket ] || { iv_why="guest: $iv_line"; return 0; }
    iv_why=$(awk -v nom="$3" -v n="$5" -v mean="$7" -v lo="${11}" -v hi="${13}" -v br="${17}" 'BEGIN {
        tol = 2 * br / n; if (tol < 0.1) tol = 0.1
        if (lo < nom - br || hi > nom + br) print "one-period intervals " lo ".." hi " ns, nominal " nom " +- " br
        else if (mean - nom > tol || nom - mean > tol) print "mean " mean " ns, nominal " nom " +- " tol }')
    [ -n "$iv_why" ] || iv_ok=ok
}
iv_periods=${PTIMER_INTERVAL_PERIODS:-5000}

mkdir -p "$mdir"
case "$mode" in
    --build-stock) (build_stock); exit 0 ;;
    --check)       ;;
    matrix|--interval) (build_stock) ;;
    *) die "usage: $0 [--check | --interval | --build-stock]" ;;
esac
[ -x "$NG" ] || die "$NG not found: build QEMU first (make build)"
# Boot copies: a rebuild in the shared build directory must not pull the
# binary away in the middle of the run.
[ -x "$NG64" ] || die "$NG64 not found: build QEMU first (make build)"
mkdir -p "$mdir/bin"
cp "$NG" "$mdir/bin/qemu-system-arm-ng"
cp "$NG64" "$mdir/bin/qemu-system-aarch64-ng"
NG=$mdir/bin/qemu-system-arm-ng
rm -f "$mdir/bin/qemu-system-arm-stock" "$mdir/bin/qemu-system-aarch64-stock"
if [ "$mode" != --check ] || [ -x "$STOCK" ]; then
    cp "$STOCK" "$mdir/bin/qemu-system-arm-stock"
    [ ! -x "$STOCK64" ] || cp "$STOCK64" "$mdir/bin/qemu-system-aarch64-stock"
    STOCK=$mdir/bin/qemu-system-arm-stock
else
    STOCK=
fi
prepare_guest
tick_ms=$(awk -v h="$hz" 'BEGIN { printf "%g", 1000 / h }')

# interval_table: the 10 kHz timer of vexpress-a9 and sabrelite under
# -icount shift=4 and 5, stock and ng; appends to iv_lines and fail
interval_table() {
    local run b shift build q
    for run in vexpress-a9:4 vexpress-a9:5 sabrelite:4 sabrelite:5; do
        b=${run%:*} shift=${run#*:}
        for build in stock ng; do
            q=$NG
            [ $build = ng ] || q=$STOCK
            log "10 kHz interval: $b shift=$shift on $build"
            interval "interval$shift-$build-$b" "$q" $shift $b
            iv_lines+=("$(printf '%-12s shift=%s %-5s %-4s %s' $b $shift $build $iv_ok "${iv_line:-$iv_why}")")
            if [ $build = ng ] && [ $iv_ok != ok ]; then
                fail+=("$b, icount shift=$shift: ng's 10 kHz intervals: $iv_why")
                reached "interval$shift-$build-$b" || console_tail "interval$shift-$build-$b" >&2
            elif [ $iv_ok != ok ]; then
                iv_lines+=("  (stock: $iv_why)")
            fi
        done
    done
}
iv_lines=()
fail=()
print_intervals() {
    echo "10 kHz periodic timer seen by the guest (-icount shift=N, $iv_periods periods; ns):"
    printf '  %s\n' "${iv_lines[@]}"
    echo "  (ok: every one-period interval within nominal +- bracket, the guest's time-stamp"
    echo "   uncertainty, and the mean over the span within 2 brackets / periods)"
}
if [ "$mode" = --interval ]; then
    interval_table
    print_intervals
    [ ${#fail[@]} = 0 ] || { printf 'FAILED: %s\n' "${fail[@]}"; exit 1; }
    exit 0
fi

# --- --check: TAP -------------------------------------------------------------
if [ "$mode" = --check ]; then
    n=0 failed=0
    tap() {     # tap OK? DESCRIPTION
        n=$((n + 1))
        if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
    }
    b=vexpress-a9
    boot "ng-$b" "$NG" $b "$nap"
    board_setup $b
    if reached "ng-$b"; then tap ok "$b (ng) reaches /init"; else
        tap FAIL "$b (ng) reaches /init (QEMU exit $boot_rc)"; console_tail "ng-$b" | sed 's/^/# /'; fi
    got="$(gval "ng-$b" clocksource)/$(gval "ng-$b" clockevent)"
    [ "$got" = "$expect" ] && r=ok || r=FAIL
    tap $r "$b (ng) timers: $got (want $expect)"
    read -r d e <<< "$(guest_sleep "ng-$b")"
    h=$(host_span "ng-$b" PTIMER-NG-SLEEP-BEGIN PTIMER-NG-SLEEP-END)
    # The guest's own clock only: a sleep never ends early.  How long it
    # took on the host is printed, not tested (host load moves it); the
    # timing test is the icount one below, against QEMU's virtual clock.
    r=FAIL
    [ "$d" = - ] ||
        awk -v d="$d" -v n="$nap" 'BEGIN { exit !(d >= n) }' && r=ok
    tap $r "$b (ng) sleep $nap: guest ${d}s, not less"
    echo "# host wall clock over the sleep: ${h}s (not a test)"
    accuracy "icount4-ng-$b" "$NG" 4 $b
    tap $acc_ok "$b (ng) icount shift=4: sleep 1 off by ${acc_excess} ms (limit one tick, ${tick_ms} ms)"
    for build in stock ng; do
        q=$NG
        if [ $build = stock ]; then
            [ -n "$STOCK" ] || continue
            q=$STOCK
        fi
        interval "interval5-$build-$b" "$q" 5 $b
        if [ $build = stock ]; then
            echo "# stock, for comparison (not a test): ${iv_line:-$iv_why}"
        else
            tap $iv_ok "$b (ng) icount shift=5: 10 kHz SP804 intervals exact (${iv_line:-$iv_why})"
            [ $iv_ok = ok ] || echo "# $iv_why"
        fi
    done
    # One short boot per other board family, and the Exynos board and the
    # i.MX6UL (whose Linux runs clocksource and clockevent on the GPT) on
    # a loaded host: their ticks are reprogrammed while a timer event is
    # late.
    for ob in sabrelite cubieboard smdkc210 mcimx6ul-evk imx8mp-evk xlnx-zcu102; do
        boot "ng-$ob" "$NG" $ob 0
        board_setup $ob
        got="$(gval "ng-$ob" clocksource)/$(gval "ng-$ob" clockevent)"
        if reached "ng-$ob"; then tap ok "$ob (ng) reaches /init"; else
            tap FAIL "$ob (ng) reaches /init (QEMU exit $boot_rc)"; console_tail "ng-$ob" | sed 's/^/# /'; fi
        [ "$got" = "$expect" ] && r=ok || r=FAIL
        tap $r "$ob (ng) timers: $got (want $expect)"
    done
    for ob in smdkc210 mcimx6ul-evk; do
        loaded_boot "loaded-ng-$ob" "$NG" $ob "$nap"
        read -r d e <<< "$(guest_sleep "loaded-ng-$ob")"
        if reached "loaded-ng-$ob" && [ "$d" != - ]; then
            tap ok "$ob (ng) on a loaded host: boots, sleep $nap returns (guest ${d}s)"
        else
            tap FAIL "$ob (ng) on a loaded host: boots, sleep $nap returns (QEMU exit $boot_rc)"
            console_tail "loaded-ng-$ob" | sed 's/^/# /'
        fi
    done
    rr_pair $b
    tap $rr_record "$b (ng) rr=record reaches /init"
    tap $rr_replay "$b (ng) rr=replay finishes (limit ${limit}s)"
    tap $rr_same "$b (ng) record and replay consoles byte-identical ($rr_note)"
    echo "1..$n"
    exit $failed
fi

# --- the matrix ----------------------------------------------------------------
t0=$SECONDS
read -r -a boards <<< "${PTIMER_MATRIX_BOARDS:-vexpress-a9 sabrelite cubieboard smdkc210 highbank orangepi-pc mcimx7d-sabre mcimx6ul-evk imx8mp-evk xlnx-zcu102}"
fail=()
declare -A row
runs=${PTIMER_MATRIX_RUNS:-3}
declare -A times
median() { tr ' ' '\n' | grep -v '^-*$' | sort -g | awk '{ v[NR] = $1 } END {
    if (!NR) print "-"; else if (NR % 2) print v[(NR + 1) / 2]
    else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for b in "${boards[@]}"; do
    for ((run = 1; run <= runs; run++)); do
        # alternate which build boots first, so that neither gets a warmer host
        order="stock ng"
        ((run % 2)) || order="ng stock"
        for build in $order; do
            q=$NG
            [ $build = ng ] || q=$STOCK
            name=$build-$b
            ((run == 1)) || name=$build-$b-$run
            log "booting $b on $build (run $run of $runs)"
            boot "$name" "$q" "$b" "$nap"
            if ! reached "$name"; then
                console_tail "$name" >&2
                fail+=("$b on $build did not finish /init (QEMU exit $boot_rc, run $run)")
            fi
            times[$build-$b]="${times[$build-$b]:-} $(host_span "$name" start PTIMER-NG-INIT-REACHED)"
        done
    done
    for build in stock ng; do
        read -r d e <<< "$(guest_sleep "$build-$b")"
        row[$build-$b]=$(echo "${times[$build-$b]}" | median)
        printf -v "line_$build${b//-/_}" '%-12s %-5s %-16s %-13s %-12s %-28s %7s %7s %7s' \
            "$b" "$build" "$(gval "$build-$b" kernel)" "$(gval "$build-$b" clocksource)" \
            "$(gval "$build-$b" clockevent)" "$(sleep_irqs "$build-$b")" "$d" \
            "$(host_span "$build-$b" PTIMER-NG-SLEEP-BEGIN PTIMER-NG-SLEEP-END)" "${row[$build-$b]}"
    done
done

log "loaded host"
loaded_lines=()
for b in "${boards[@]}"; do
    for build in stock ng; do
        q=$NG
        [ $build = ng ] || q=$STOCK
        k=0 sl=
        for ((run = 1; run <= runs; run++)); do
            loaded_boot "loaded-$build-$b-$run" "$q" "$b" "$nap"
            read -r d e <<< "$(guest_sleep "loaded-$build-$b-$run")"
            if reached "loaded-$build-$b-$run" && [ "$d" != - ]; then
                k=$((k + 1)) sl="$sl $d"
            else
                sl="$sl hung"
            fi
        done
        loaded_lines+=("$(printf '%-12s %-5s %d of %d finished; guest sleep s:%s' $b $build $k $runs "$sl")")
        if [ $build = stock ]; then
            stock_k=$k
        elif [ $k -lt $stock_k ]; then
            fail+=("$b on a loaded host: ng finished $k of $runs boots, stock $stock_k")
        fi
    done
done

log "record/replay"
rr_lines=()
for b in vexpress-a9 cubieboard; do
    rr_pair $b
    rr_lines+=("$(printf '%-12s record %-4s replay %-4s identical %-4s (%s)' "$b" $rr_record $rr_replay $rr_same "$rr_note")")
    [ "$rr_record$rr_replay$rr_same" = okokok ] || {
        fail+=("record/replay on $b: record $rr_record, replay $rr_replay, identical $rr_same")
        diff <(tr -d '\r' < "$mdir/rr-record-$b.log") <(tr -d '\r' < "$mdir/rr-replay-$b.log") | head -n 20 >&2 || true
    }
done

log "10 kHz intervals under icount"
interval_table

log "accuracy under icount"
acc_lines=()
for run in "${boards[@]/%/:4}" vexpress-a9:5; do
    b=${run%:*} shift=${run#*:}
    for build in stock ng; do
        q=$NG
        [ $build = ng ] || q=$STOCK
        accuracy "icount$shift-$build-$b" "$q" $shift $b
        acc_lines+=("$(printf '%-12s shift=%s %-5s sleep 1 off by %8s ms  %s' $b $shift $build "$acc_excess" $acc_ok)")
        if [ $build = stock ]; then
            stock_ok=$acc_ok
        elif [ $acc_ok != ok ] && [ $stock_ok = ok ]; then
            fail+=("$b, icount shift=$shift: ng's sleep 1 off by ${acc_excess} ms (stock within a tick)")
        elif [ $acc_ok != ok ]; then
            acc_lines+=("  (known: stock is off too on $b; not a ptimer-ng regression)")
        fi
    done
done

echo
echo "=== ptimer-ng boot matrix ($(basename "$kernel")${kernel64:+ and $(basename "$kernel64")}, guest sleep ${nap}s, HZ=$hz) ==="
printf '%-12s %-5s %-16s %-13s %-12s %-28s %7s %7s %7s %8s\n' board build kernel clocksource \
    clockevent "timer IRQs in sleep" "guest s" "host s" "boot s" "ng/stock"
for b in "${boards[@]}"; do
    v=line_stock${b//-/_}
    echo "${!v}"
    v=line_ng${b//-/_}
    ratio=$(awk -v s="${row[stock-$b]}" -v n="${row[ng-$b]}" \
        'BEGIN { if (s + 0 > 0 && n + 0 > 0) printf "%.2f", n / s; else print "-" }')
    printf '%s %8s\n' "${!v}" "$ratio"
done
echo "  (boot s: host time from QEMU start to /init, median of $runs boots, stock and ng"
echo "   alternating; guest s: the sleep on the guest's clock; host s: the host's time"
echo "   between the guest's markers around the sleep; both from the first boot)"
for b in "${boards[@]}"; do
    echo "  boot s, every run: $b stock${times[stock-$b]}, ng${times[ng-$b]}"
done
echo
echo "loaded host (QEMU pinned to CPU 0 beside two busy loops; guest sleep ${nap}s, limit ${limit}s):"
printf '  %s\n' "${loaded_lines[@]}"
echo
echo "record/replay (ng, -icount shift=auto):"
printf '  %s\n' "${rr_lines[@]}"
echo
echo "accuracy (-icount shift=N: a guest 'sleep 1' less 1 s and a 'sleep 0'; limit one tick = ${tick_ms} ms):"
printf '  %s\n' "${acc_lines[@]}"
echo
print_intervals
echo
echo "matrix time: $((SECONDS - t0)) s, logs in $mdir"
if [ ${#fail[@]} -gt 0 ]; then
    printf 'FAILED: %s\n' "${fail[@]}"
    exit 1
fi
echo "result: all boards reached /init, record/replay identical, icount sleeps within one tick, 10 kHz intervals exact"
