#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# /init of the ptimer-ng boot-test initramfs (busybox, armhf guest).
# Reports what the guest kernel uses for timekeeping, then powers off.
# scripts/boot.sh parses the "name: value" lines below; keep them stable.
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null

echo PTIMER-NG-INIT-REACHED
echo "uptime: $(cat /proc/uptime)"
echo "clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
cev=/sys/devices/system/clockevents/clockevent0/current_device
if [ -r $cev ]; then
    echo "clockevent: $(cat $cev)"
else
    grep 'Clock Event Device' /proc/timer_list | sort -u | sed 's/^Clock Event Device: */clockevent: /'
fi
grep -i -E 'timer|twd|sp804|arch_timer|local' /proc/interrupts | sed 's/^/irq: /'
echo PTIMER-NG-INIT-DONE
poweroff -f
