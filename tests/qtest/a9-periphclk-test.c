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
 * The cases check the counter, the event flag and the block's interrupt
 * output 1 ns before and at the (rounded-up) instant of such events, and
 * in between.
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "ptimer-qom.h"

#define R_LOAD              0x00
#define R_COUNTER           0x04
#define R_CONTROL           0x08
#define R_INTSTAT           0x0c

#define C_ENABLE            (1 << 0)
#define C_AUTO_RELOAD       (1 << 1)
/*
 * IRQ Enable (the timer) or IT Enable (the watchdog): the interrupt, ID
 * 29 or 30, is set pending in the distributor when the event flag is set
 * (Cortex-A9 MPCore TRM, timer and watchdog control registers)
 */
#define C_IRQ_ENABLE        (1 << 2)
#define C_PRESCALER(p)      (((p) & 0xff) << 8)

typedef struct Board {
    const char *machine;
    uint64_t priv_base;
    uint64_t periphclk_hz;
    /* QOM path of the a9mpcore_priv, or NULL if the board leaves it unnamed */
    const char *mpcore;
} Board;

static const Board sabrelite = {
    "sabrelite", 0x00a00000, 396000000, "/machine/soc/a9mpcore"
};
static const Board vexpress = { "vexpress-a9", 0x1e000000, 100000000, NULL };

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
 * Start @b and observe the interrupt output of the timer (@blk 0x600) or
 * the watchdog (0x620) block for CPU 0, the one qtest's accesses reach;
 * read it with qtest_get_irq(qts, 0).
 */
static QTestState *start(const Board *b, uint64_t blk)
{
    QTestState *qts = qtest_initf("-machine %s", b->machine);
    g_autofree char *mpcore = b->mpcore ? g_strdup(b->mpcore) :
        ptimer_qom_find(qts, "/machine/unattached", "a9mpcore_priv");
    g_autofree char *dev = g_strdup_printf("%s/%s", mpcore,
                                           blk == 0x600 ? "mptimer" : "wdt");

    qtest_irq_intercept_out_named(qts, dev, "sysbus-irq");
    return qts;
}

/*
 * The counter of the block at @base reaches zero at the instant @e: 1 ns
 * before, it reads 1 with the event flag and the interrupt output clear;
 * at @e it reads 0 with both set.
 */
static void check_reaches_zero(QTestState *qts, uint64_t base, int64_t e)
{
    qtest_clock_set(qts, e - 1);
    g_assert_cmpuint(qtest_readl(qts, base + R_INTSTAT), ==, 0);
    g_assert_cmpuint(qtest_readl(qts, base + R_COUNTER), ==, 1);
    g_assert_false(qtest_get_irq(qts, 0));
    qtest_clock_set(qts, e);
    g_assert_cmpuint(qtest_readl(qts, base + R_INTSTAT), ==, 1);
    g_assert_cmpuint(qtest_readl(qts, base + R_COUNTER), ==, 0);
    g_assert_true(qtest_get_irq(qts, 0));
}

/*
 * Load @load at prescaler @p with auto-reload, in the timer (@blk 0x600)
 * or the watchdog block in timer mode (0x620); walk two events.
 */
static void check_rate(const Board *b, uint64_t blk, uint32_t load,
                       unsigned p)
{
    QTestState *qts = start(b, blk);
    uint64_t base = b->priv_base + blk;
    uint64_t div = p + 1;
    uint32_t ctrl = C_ENABLE | C_AUTO_RELOAD | C_IRQ_ENABLE | C_PRESCALER(p);
    int64_t t0, first, second, mid;

    t0 = qtest_clock_step(qts, 1000);
    qtest_writel(qts, base + R_CONTROL, 0);
    qtest_writel(qts, base + R_INTSTAT, 1);
    qtest_writel(qts, base + R_LOAD, load);
    qtest_writel(qts, base + R_CONTROL, ctrl);

    /* half way: the decrements so far, checked off the edges */
    mid = cycles_ns(b, (uint64_t)load * div / 2) + 1;
    qtest_clock_set(qts, t0 + mid);
    g_assert_cmpuint(qtest_readl(qts, base + R_COUNTER), ==,
                     load - ns_cycles(b, mid) / div);
    g_assert_cmpuint(qtest_readl(qts, base + R_INTSTAT), ==, 0);
    g_assert_false(qtest_get_irq(qts, 0));

    first = cycles_ns(b, (uint64_t)load * div);
    check_reaches_zero(qts, base, t0 + first);
    /* writing 1 clears the event flag, and the interrupt with it */
    qtest_writel(qts, base + R_INTSTAT, 1);
    g_assert_false(qtest_get_irq(qts, 0));

    second = cycles_ns(b, ((uint64_t)load + (load + 1)) * div);
    qtest_clock_set(qts, t0 + second - 1);
    g_assert_cmpuint(qtest_readl(qts, base + R_INTSTAT), ==, 0);
    g_assert_false(qtest_get_irq(qts, 0));
    qtest_clock_set(qts, t0 + second);
    g_assert_cmpuint(qtest_readl(qts, base + R_INTSTAT), ==, 1);
    g_assert_cmpuint(qtest_readl(qts, base + R_COUNTER), ==, 0);
    g_assert_true(qtest_get_irq(qts, 0));

    /* the enable masks the pending event, which stays flagged */
    qtest_writel(qts, base + R_CONTROL, ctrl & ~C_IRQ_ENABLE);
    g_assert_false(qtest_get_irq(qts, 0));
    g_assert_cmpuint(qtest_readl(qts, base + R_INTSTAT), ==, 1);
    qtest_writel(qts, base + R_CONTROL, ctrl);
    g_assert_true(qtest_get_irq(qts, 0));
    qtest_writel(qts, base + R_INTSTAT, 1);
    g_assert_false(qtest_get_irq(qts, 0));
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

/*
 * A guest that reprograms PERIPHCLK's source while the timer runs: the
 * timer block of CPU 0, loaded with @load (prescaler 0, auto-reload), is
 * at its load value less @cycles decrements at the instant @cycles of
 * @b's PERIPHCLK, which must be a whole ns.  There @reprogram changes the
 * rate to @after's, from which the count goes on: the event comes when
 * the count left runs out at the new rate, and every @load + 1 cycles
 * after that.
 */
static void check_rate_change(const Board *b, const Board *after,
                              uint32_t load, uint64_t cycles,
                              void (*reprogram)(QTestState *qts))
{
    QTestState *qts = start(b, 0x600);
    uint64_t base = b->priv_base + 0x600;
    uint32_t ctrl = C_ENABLE | C_AUTO_RELOAD | C_IRQ_ENABLE;
    uint32_t left = load - cycles;
    int64_t t0, w, first, second;

    t0 = qtest_clock_step(qts, 1000);
    qtest_writel(qts, base + R_LOAD, load);
    qtest_writel(qts, base + R_CONTROL, ctrl);

    w = cycles_ns(b, cycles);
    g_assert_cmpuint(w * b->periphclk_hz, ==, cycles * 1000000000ULL);
    qtest_clock_set(qts, t0 + w);
    g_assert_cmpuint(qtest_readl(qts, base + R_COUNTER), ==, left);
    reprogram(qts);
    g_assert_cmpuint(qtest_readl(qts, base + R_COUNTER), ==, left);

    first = w + cycles_ns(after, left);
    check_reaches_zero(qts, base, t0 + first);
    qtest_writel(qts, base + R_INTSTAT, 1);

    second = w + cycles_ns(after, (uint64_t)left + load + 1);
    qtest_clock_set(qts, t0 + second - 1);
    g_assert_cmpuint(qtest_readl(qts, base + R_INTSTAT), ==, 0);
    qtest_clock_set(qts, t0 + second);
    g_assert_cmpuint(qtest_readl(qts, base + R_INTSTAT), ==, 1);
    g_assert_true(qtest_get_irq(qts, 0));
    qtest_quit(qts);
}

/*
 * The i.MX6 CCM (IMX6DQRM, "Clock Controller Module (CCM)"): CACRR at
 * 0x020c4010 divides pll1_sw_clk by ARM_PODF + 1 into ARM_CLK_ROOT, and
 * CCM_ANALOG_PLL_ARM at 0x020c8000 sets PLL1 to 24 MHz * DIV_SELECT / 2.
 */
#define IMX6_CCM_CACRR          0x020c4010
#define IMX6_ANALOG_PLL_ARM     0x020c8000

/* ARM_PODF 1: ARM_CLK_ROOT 396 MHz, PERIPHCLK 198 MHz */
static void sabrelite_arm_podf_1(QTestState *qts)
{
    qtest_writel(qts, IMX6_CCM_CACRR, 1);
}

/* DIV_SELECT 50: PLL1 600 MHz, PERIPHCLK 300 MHz */
static void sabrelite_pll1_600mhz(QTestState *qts)
{
    uint32_t pll = qtest_readl(qts, IMX6_ANALOG_PLL_ARM);

    qtest_writel(qts, IMX6_ANALOG_PLL_ARM, (pll & ~0x7fu) | 50);
}

/* 99 cycles at 396 MHz are 250 ns: the change comes at 1 ms */
static void test_sabrelite_arm_podf(void)
{
    static const Board slow = {
        "sabrelite", 0x00a00000, 198000000, "/machine/soc/a9mpcore"
    };

    check_rate_change(&sabrelite, &slow, 1000000, 396000,
                      sabrelite_arm_podf_1);
}

static void test_sabrelite_pll_arm(void)
{
    static const Board fast = {
        "sabrelite", 0x00a00000, 300000000, "/machine/soc/a9mpcore"
    };

    check_rate_change(&sabrelite, &fast, 1000000, 396000,
                      sabrelite_pll1_600mhz);
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
        qtest_add_func("a9-periphclk/sabrelite/arm-podf",
                       test_sabrelite_arm_podf);
        qtest_add_func("a9-periphclk/sabrelite/pll-arm",
                       test_sabrelite_pll_arm);
    }
    if (qtest_has_machine(vexpress.machine)) {
        qtest_add_func("a9-periphclk/vexpress-a9/timer", test_vexpress_timer);
    }
    return g_test_run();
}
