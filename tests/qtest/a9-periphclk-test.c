/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QTest for the PERIPHCLK rate of the Cortex-A9 MPCore private timer and
 * watchdog (hw/timer/arm_mptimer.c, hw/cpu/a9mpcore.c) on the boards that
 * set it.
 *
 * Copyright (c) 2026 The ptimer-ng authors
 *
 * The private timers decrement once every (prescaler + 1) PERIPHCLK
 * cycles (Cortex-A9 MPCore TRM, "Calculating timer intervals").  On the
 * i.MX6 PERIPHCLK is ARM_CLK_ROOT / 2, 396 MHz with the CCM's reset
 * settings, and Linux programs its clock events for that rate ("twd" in
 * the clock tree): a model at another rate makes every guest sleep late.
 * vexpress-a9 keeps QEMU's 100 MHz, which its device tree declares.
 *
 * A load of L at prescaler P reaches zero L * (P + 1) cycles after it was
 * written, and every (L + 1) * (P + 1) cycles after that (auto-reload).
 * The cases check the counter and the event flag 1 ns before and at the
 * (rounded-up) instant of such events, and in between.
 */

#include "qemu/osdep.h"
#include "libqtest.h"

#define R_LOAD              0x00
#define R_COUNTER           0x04
#define R_CONTROL           0x08
#define R_INTSTAT           0x0c

#define C_ENABLE            (1 << 0)
#define C_AUTO_RELOAD       (1 << 1)
#define C_PRESCALER(p)      (((p) & 0xff) << 8)

typedef struct Board {
    const char *machine;
    uint64_t priv_base;
    uint64_t periphclk_hz;
} Board;

static const Board sabrelite = { "sabrelite", 0x00a00000, 396000000 };
static const Board vexpress = { "vexpress-a9", 0x1e000000, 100000000 };

/* The instant, rounded up to a ns, of @cycles PERIPHCLK cycles */
static int64_t cycles_ns(const Board *b, uint64_t cycles)
{
    return (cycles * 1000000000ULL + b->periphclk_hz - 1) / b->periphclk_hz;
}

/* Cycles whole by @ns (rounded down) */
static uint64_t ns_cycles(const Board *b, int64_t ns)
{
    return (uint64_t)ns * b->periphclk_hz / 1000000000ULL;
}

/*
 * Load @load at prescaler @p with auto-reload, in the timer (@blk 0x600)
 * or the watchdog block in timer mode (0x620); walk two events.
 */
static void check_rate(const Board *b, uint64_t blk, uint32_t load,
                       unsigned p)
{
    QTestState *qts = qtest_initf("-machine %s", b->machine);
    uint64_t base = b->priv_base + blk;
    uint64_t div = p + 1;
    int64_t t0, first, second, mid;

    t0 = qtest_clock_step(qts, 1000);
    qtest_writel(qts, base + R_CONTROL, 0);
    qtest_writel(qts, base + R_INTSTAT, 1);
    qtest_writel(qts, base + R_LOAD, load);
    qtest_writel(qts, base + R_CONTROL,
                 C_ENABLE | C_AUTO_RELOAD | C_PRESCALER(p));

    /* half way: the decrements so far, checked off the edges */
    mid = cycles_ns(b, (uint64_t)load * div / 2) + 1;
    qtest_clock_set(qts, t0 + mid);
    g_assert_cmpuint(qtest_readl(qts, base + R_COUNTER), ==,
                     load - ns_cycles(b, mid) / div);
    g_assert_cmpuint(qtest_readl(qts, base + R_INTSTAT), ==, 0);

    first = cycles_ns(b, (uint64_t)load * div);
    qtest_clock_set(qts, t0 + first - 1);
    g_assert_cmpuint(qtest_readl(qts, base + R_INTSTAT), ==, 0);
    g_assert_cmpuint(qtest_readl(qts, base + R_COUNTER), ==, 1);
    qtest_clock_set(qts, t0 + first);
    g_assert_cmpuint(qtest_readl(qts, base + R_INTSTAT), ==, 1);
    g_assert_cmpuint(qtest_readl(qts, base + R_COUNTER), ==, 0);
    qtest_writel(qts, base + R_INTSTAT, 1);

    second = cycles_ns(b, ((uint64_t)load + (load + 1)) * div);
    qtest_clock_set(qts, t0 + second - 1);
    g_assert_cmpuint(qtest_readl(qts, base + R_INTSTAT), ==, 0);
    qtest_clock_set(qts, t0 + second);
    g_assert_cmpuint(qtest_readl(qts, base + R_INTSTAT), ==, 1);
    g_assert_cmpuint(qtest_readl(qts, base + R_COUNTER), ==, 0);
    qtest_quit(qts);
}

/* 1 ms at 396 MHz: 396000 cycles */
static void test_sabrelite_timer(void)
{
    check_rate(&sabrelite, 0x600, 396000 - 1, 0);
}

/* Prescaler 1: one decrement per 500/99 ns, exactly, over 1 s */
static void test_sabrelite_timer_prescaled(void)
{
    check_rate(&sabrelite, 0x600, 198000000 - 1, 1);
}

/* The watchdog block in timer mode runs on PERIPHCLK too */
static void test_sabrelite_wdt(void)
{
    check_rate(&sabrelite, 0x620, 396000 - 1, 2);
}

/* Boards that do not set the rate keep 100 MHz */
static void test_vexpress_timer(void)
{
    check_rate(&vexpress, 0x600, 396000 - 1, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    /* Each board is tested only where this build has it. */
    if (qtest_has_machine(sabrelite.machine)) {
        qtest_add_func("a9-periphclk/sabrelite/timer", test_sabrelite_timer);
        qtest_add_func("a9-periphclk/sabrelite/timer-prescaled",
                       test_sabrelite_timer_prescaled);
        qtest_add_func("a9-periphclk/sabrelite/watchdog-timer-mode",
                       test_sabrelite_wdt);
    }
    if (qtest_has_machine(vexpress.machine)) {
        qtest_add_func("a9-periphclk/vexpress-a9/timer", test_vexpress_timer);
    }
    return g_test_run();
}
