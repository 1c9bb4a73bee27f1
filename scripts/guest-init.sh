#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# /init of the ptimer-ng boot-test initramfs (busybox, armhf guest).
# Reports what the guest kernel uses for timekeeping, then powers off.
# scripts/boot.sh and scripts/boot-matrix.sh parse the "name: value" lines
# below; keep them stable.
#
# With "ptimer_sleep=N" on the kernel command line it also times a "sleep N":
#   sleep-control: 0 T0 T1    "sleep 0" between two clock reads (the overhead)
#   sleep: N T0 T1            "sleep N" between two clock reads
#   sleep-uptime: U0 U1       /proc/uptime around the "sleep N"
#   sleep-irq: IRQ BEFORE AFTER DESCRIPTION   timer interrupt counts around it
# T* are CLOCK_MONOTONIC in ns ("now at" of /proc/timer_list, else uptime).
# The host time-stamps the PTIMER-NG-SLEEP-BEGIN/END lines around the sleep.
# With "ptimer_interval=BOARD,N" it runs /bin/guest-interval (see below).
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /tmp

echo PTIMER-NG-INIT-REACHED
echo "kernel: $(uname -r)"
echo "uptime: $(cat /proc/uptime)"
echo "clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
cev=/sys/devices/system/clockevents/clockevent0/current_device
if [ -r $cev ]; then
    echo "clockevent: $(cat $cev)"
else
    grep 'Clock Event Device' /proc/timer_list | sort -u | sed 's/^Clock Event Device: */clockevent: /'
fi
timer_irqs() {
    grep -i -E 'timer|twd|sp804|arch_timer|local|mct' /proc/interrupts
}
timer_irqs | sed 's/^/irq: /'

secs=$(sed -n 's/.*ptimer_sleep=\([0-9.]*\).*/\1/p' /proc/cmdline)
if [ -n "$secs" ]; then
    clock_ns() {
        awk '/^now at/ { print $3; f = 1; exit } END { if (!f) exit 1 }' /proc/timer_list 2>/dev/null ||
            awk '{ printf "%.0f\n", $1 * 1e9 }' /proc/uptime
    }
    t0=$(clock_ns); sleep 0; t1=$(clock_ns)
    echo "sleep-control: 0 $t0 $t1"
    timer_irqs > /tmp/irq-before
    read u0 idle < /proc/uptime
    echo PTIMER-NG-SLEEP-BEGIN
    t2=$(clock_ns); sleep "$secs"; t3=$(clock_ns)
    echo PTIMER-NG-SLEEP-END
    read u1 idle < /proc/uptime
    timer_irqs > /tmp/irq-after
    echo "sleep: $secs $t2 $t3"
    echo "sleep-uptime: $u0 $u1"
    # "25:  650  GIC-0 29 Level twd" in both files -> "25: 650 654 GIC-0 29 Level twd"
    awk 'function total(  i, n) { n = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i; return n }
         function desc(  i, d) { i = 2; while (i <= NF && $i ~ /^[0-9]+$/) i++; d = $i
                                 for (i++; i <= NF; i++) d = d " " $i; return d }
         FNR == NR { before[$1] = total(); next }
         { print "sleep-irq: " $1 " " ($1 in before ? before[$1] : 0) " " total() " " desc() }' \
        /tmp/irq-before /tmp/irq-after
fi

# "ptimer_interval=BOARD,N": N periods of a 10 kHz timer, time-stamped by the
# guest (scripts/guest-interval.c); prints one "interval:" line.
iv=$(sed -n 's/.*ptimer_interval=\([a-z0-9-]*\),\([0-9]*\).*/\1 \2/p' /proc/cmdline)
if [ -n "$iv" ]; then
    /bin/guest-interval $iv || echo "interval: failed (exit $?)"
fi
echo PTIMER-NG-INIT-DONE
poweroff -f
