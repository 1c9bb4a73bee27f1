/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * QTest for the Exynos4210 Multi Core Timer
 *
 * TCLK is 24 MHz; with prescaler 23 and divider 1/1 in MCT_CFG every
 * counter of the block ticks once per microsecond.
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "qobject/qdict.h"

#define MCT_BASE        0x10050000

#define MCT_CFG         0x000
#define G_CNT_L         0x100
#define G_CNT_U         0x104
#define G_COMP_L(n)     (0x200 + 0x10 * (n))
#define G_COMP_U(n)     (0x204 + 0x10 * (n))
#define G_COMP_INCR(n)  (0x208 + 0x10 * (n))
#define G_TCON          0x240
#define G_INT_CSTAT     0x244
#define G_INT_ENB       0x248
#define L_TCNTB(n)      (0x300 + 0x100 * (n))
#define L_TCNTO(n)      (0x304 + 0x100 * (n))
#define L_ICNTB(n)      (0x308 + 0x100 * (n))
#define L_ICNTO(n)      (0x30c + 0x100 * (n))
#define L_FRCNTB(n)     (0x310 + 0x100 * (n))
#define L_FRCNTO(n)     (0x314 + 0x100 * (n))
#define L_TCON(n)       (0x320 + 0x100 * (n))
#define L_INT_CSTAT(n)  (0x330 + 0x100 * (n))
#define L_INT_ENB(n)    (0x334 + 0x100 * (n))

#define G_TCON_COMP_EN(n)   (1u << (2 * (n)))
#define G_TCON_AUTOINC(n)   (1u << (2 * (n) + 1))
#define G_TCON_TIMER_EN     (1u << 8)

#define L_TCON_TICK_START   (1u << 0)
#define L_TCON_INT_START    (1u << 1)
#define L_TCON_INTERVAL     (1u << 2)
#define L_TCON_FRC_START    (1u << 3)
#define L_ICNTB_UPDATE      (1u << 31)
#define L_CSTAT_INTCNT      (1u << 0)
#define L_CSTAT_FRCCNT      (1u << 1)

#define TICK_NS         1000

static uint32_t mct_read(QTestState *qts, uint32_t off)
{
    return qtest_readl(qts, MCT_BASE + off);
}

static void mct_write(QTestState *qts, uint32_t off, uint32_t val)
{
    qtest_writel(qts, MCT_BASE + off, val);
}

static QTestState *mct_init(void)
{
    QTestState *qts = qtest_init("-machine smdkc210");

    mct_write(qts, MCT_CFG, 23);
    return qts;
}

/* Intercept the MCT outputs: 0-3 global comparators, 4-5 local timers */
static void mct_intercept_irqs(QTestState *qts)
{
    int i;

    for (i = 0; i < 256; i++) {
        g_autofree char *path =
            g_strdup_printf("/machine/unattached/device[%d]", i);
        QDict *rsp = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments': "
                               "{ 'path': %s, 'property': 'type' } }", path);
        bool found = qdict_haskey(rsp, "return") &&
            !strcmp(qdict_get_str(rsp, "return"), "exynos4210.mct");

        qobject_unref(rsp);
        if (found) {
            qtest_irq_intercept_out_named(qts, path, "sysbus-irq");
            return;
        }
    }
    g_assert_not_reached();
}

static void test_reset_values(void)
{
    QTestState *qts = qtest_init("-machine smdkc210");

    g_assert_cmphex(mct_read(qts, MCT_CFG), ==, 0);
    g_assert_cmphex(mct_read(qts, G_CNT_L), ==, 0);
    g_assert_cmphex(mct_read(qts, G_CNT_U), ==, 0);
    g_assert_cmphex(mct_read(qts, G_TCON), ==, 0);
    g_assert_cmphex(mct_read(qts, G_INT_CSTAT), ==, 0);
    g_assert_cmphex(mct_read(qts, L_TCON(0)), ==, 0);
    g_assert_cmphex(mct_read(qts, L_INT_CSTAT(1)), ==, 0);
    qtest_clock_step(qts, 100 * TICK_NS);
    g_assert_cmphex(mct_read(qts, G_CNT_L), ==, 0);
    qtest_quit(qts);
}

/* G_CNT counts up once per tick while G_TCON enables it, holding values */
static void test_gfrc_count(void)
{
    QTestState *qts = mct_init();

    mct_write(qts, G_TCON, G_TCON_TIMER_EN);
    g_assert_cmpuint(mct_read(qts, G_CNT_L), ==, 0);
    qtest_clock_step(qts, TICK_NS / 2);
    g_assert_cmpuint(mct_read(qts, G_CNT_L), ==, 0);
    qtest_clock_step(qts, TICK_NS);
    g_assert_cmpuint(mct_read(qts, G_CNT_L), ==, 1);
    qtest_clock_step(qts, 1000 * TICK_NS);
    g_assert_cmpuint(mct_read(qts, G_CNT_L), ==, 1001);
    /* disabling keeps the count */
    mct_write(qts, G_TCON, 0);
    qtest_clock_step(qts, 1000 * TICK_NS);
    g_assert_cmpuint(mct_read(qts, G_CNT_L), ==, 1001);
    /* ten whole ticks after the enable, read between two ticks */
    mct_write(qts, G_TCON, G_TCON_TIMER_EN);
    qtest_clock_step(qts, 10 * TICK_NS + TICK_NS / 2);
    g_assert_cmpuint(mct_read(qts, G_CNT_L), ==, 1011);
    qtest_quit(qts);
}

/* Writing G_CNT while disabled sets it and does not start the counter */
static void test_gfrc_write_disabled(void)
{
    QTestState *qts = mct_init();

    mct_write(qts, G_CNT_U, 0x12);
    mct_write(qts, G_CNT_L, 0xfffffff0);
    qtest_clock_step(qts, 100 * TICK_NS);
    g_assert_cmphex(mct_read(qts, G_CNT_L), ==, 0xfffffff0);
    g_assert_cmphex(mct_read(qts, G_CNT_U), ==, 0x12);
    mct_write(qts, G_TCON, G_TCON_TIMER_EN);
    qtest_clock_step(qts, 0x20 * TICK_NS + TICK_NS / 2);
    g_assert_cmphex(mct_read(qts, G_CNT_L), ==, 0x10);
    g_assert_cmphex(mct_read(qts, G_CNT_U), ==, 0x13);
    /* a write while running keeps the other half and goes on counting */
    mct_write(qts, G_CNT_L, 5);
    g_assert_cmphex(mct_read(qts, G_CNT_U), ==, 0x13);
    qtest_clock_step(qts, 2 * TICK_NS + TICK_NS / 2);
    g_assert_cmphex(mct_read(qts, G_CNT_L), ==, 7);
    qtest_quit(qts);
}

/*
 * The race for the global comparator: G_CNT reaches COMP0 exactly when
 * the status bit is set, not a tick earlier or later.
 */
static void test_gcomp_race(void)
{
    QTestState *qts = mct_init();

    mct_write(qts, G_COMP_L(0), 10);
    mct_write(qts, G_COMP_U(0), 0);
    mct_write(qts, G_TCON, G_TCON_TIMER_EN | G_TCON_COMP_EN(0));
    qtest_clock_step(qts, 10 * TICK_NS - 1);
    g_assert_cmpuint(mct_read(qts, G_CNT_L), ==, 9);
    g_assert_cmphex(mct_read(qts, G_INT_CSTAT), ==, 0);
    g_assert_cmpuint(mct_read(qts, G_CNT_L), ==, 9);
    qtest_clock_step(qts, 1);
    g_assert_cmpuint(mct_read(qts, G_CNT_L), ==, 10);
    g_assert_cmphex(mct_read(qts, G_INT_CSTAT), ==, 1);
    qtest_clock_step(qts, 1);
    g_assert_cmphex(mct_read(qts, G_INT_CSTAT), ==, 1);
    g_assert_cmpuint(mct_read(qts, G_CNT_L), ==, 10);
    mct_write(qts, G_INT_CSTAT, 1);
    g_assert_cmphex(mct_read(qts, G_INT_CSTAT), ==, 0);
    qtest_quit(qts);
}

/* Auto-increment: the comparator moves on by G_COMP_ADD_INCR each match */
static void test_gcomp_autoinc(void)
{
    QTestState *qts = mct_init();
    int i;

    mct_write(qts, G_COMP_L(2), 20);
    mct_write(qts, G_COMP_INCR(2), 20);
    mct_write(qts, G_TCON, G_TCON_TIMER_EN | G_TCON_COMP_EN(2) |
              G_TCON_AUTOINC(2));
    for (i = 1; i <= 5; i++) {
        qtest_clock_step(qts, 20 * TICK_NS - 1);
        g_assert_cmpuint(mct_read(qts, G_CNT_L), ==, 20 * i - 1);
        g_assert_cmphex(mct_read(qts, G_INT_CSTAT), ==, 0);
        qtest_clock_step(qts, 1);
        g_assert_cmphex(mct_read(qts, G_INT_CSTAT), ==, 1 << 2);
        g_assert_cmpuint(mct_read(qts, G_CNT_L), ==, 20 * i);
        g_assert_cmpuint(mct_read(qts, G_COMP_L(2)), ==, 20 * (i + 1));
        mct_write(qts, G_INT_CSTAT, 1 << 2);
    }
    qtest_quit(qts);
}

/* Comparator writes while running do not move G_CNT back */
static void test_gcomp_write_keeps_count(void)
{
    QTestState *qts = mct_init();
    int i;

    mct_write(qts, G_TCON, G_TCON_TIMER_EN | G_TCON_COMP_EN(1));
    for (i = 0; i < 100; i++) {
        qtest_clock_step(qts, TICK_NS);
        mct_write(qts, G_COMP_L(1), 1000000 + i);
        mct_write(qts, G_COMP_L(1), 1000000);
    }
    /* read between two ticks: at a tick's end G_CNT still shows the last */
    qtest_clock_step(qts, TICK_NS / 2);
    g_assert_cmpuint(mct_read(qts, G_CNT_L), ==, 100);
    qtest_clock_step(qts, (1000000 - 100) * TICK_NS - TICK_NS / 2 - 1);
    g_assert_cmpuint(mct_read(qts, G_CNT_L), ==, 999999);
    g_assert_cmphex(mct_read(qts, G_INT_CSTAT), ==, 0);
    qtest_clock_step(qts, 1);
    g_assert_cmpuint(mct_read(qts, G_CNT_L), ==, 1000000);
    g_assert_cmphex(mct_read(qts, G_INT_CSTAT), ==, 2);
    qtest_quit(qts);
}

/* Exact prescaler: 256 * 1/16 is 4096 TCLK, 170666.67 ns per tick */
static void test_prescaler_exact(void)
{
    QTestState *qts = mct_init();

    mct_write(qts, MCT_CFG, 255 | (4 << 8));
    mct_write(qts, G_COMP_L(0), 300);
    mct_write(qts, G_TCON, G_TCON_TIMER_EN | G_TCON_COMP_EN(0));
    qtest_clock_step(qts, 51200000 - 1);       /* 300 ticks = 51.2 ms */
    g_assert_cmpuint(mct_read(qts, G_CNT_L), ==, 299);
    g_assert_cmphex(mct_read(qts, G_INT_CSTAT), ==, 0);
    qtest_clock_step(qts, 1);
    g_assert_cmpuint(mct_read(qts, G_CNT_L), ==, 300);
    g_assert_cmphex(mct_read(qts, G_INT_CSTAT), ==, 1);
    qtest_quit(qts);
}

/*
 * Comparator writes part way through a tick do not delay the count: the
 * tick in progress goes on.  100 writes 1.301 ticks apart: 130 ticks
 * by then (a restart at every write would have counted 100).
 */
static void test_gcomp_write_keeps_phase(void)
{
    QTestState *qts = mct_init();
    int i;

    mct_write(qts, G_TCON, G_TCON_TIMER_EN | G_TCON_COMP_EN(1));
    for (i = 0; i < 100; i++) {
        qtest_clock_step(qts, TICK_NS + 301);
        mct_write(qts, G_COMP_L(1), 1000000 + i);
    }
    g_assert_cmpuint(mct_read(qts, G_CNT_L), ==, 130);
    qtest_clock_step(qts, 899);     /* 1 ns before the 131st tick ends */
    g_assert_cmpuint(mct_read(qts, G_CNT_L), ==, 130);
    qtest_clock_step(qts, 2);
    g_assert_cmpuint(mct_read(qts, G_CNT_L), ==, 131);
    qtest_quit(qts);
}

/* Global interrupt lines follow CSTAT AND G_INT_ENB */
static void test_girq(void)
{
    QTestState *qts = mct_init();

    mct_intercept_irqs(qts);
    mct_write(qts, G_COMP_L(3), 5);
    mct_write(qts, G_TCON, G_TCON_TIMER_EN | G_TCON_COMP_EN(3));
    qtest_clock_step(qts, 5 * TICK_NS);
    g_assert_cmphex(mct_read(qts, G_INT_CSTAT), ==, 1 << 3);
    g_assert_false(qtest_get_irq(qts, 3));
    mct_write(qts, G_INT_ENB, 1 << 3);
    g_assert_true(qtest_get_irq(qts, 3));
    mct_write(qts, G_INT_ENB, 0);
    g_assert_false(qtest_get_irq(qts, 3));
    mct_write(qts, G_INT_ENB, 1 << 3);
    g_assert_true(qtest_get_irq(qts, 3));
    mct_write(qts, G_INT_CSTAT, 1 << 3);
    g_assert_false(qtest_get_irq(qts, 3));
    qtest_quit(qts);
}

/* Local tick timer in interval mode: periodic ICNT expiries */
static void test_ltick_interval(void)
{
    QTestState *qts = mct_init();
    int i;

    mct_intercept_irqs(qts);
    mct_write(qts, L_INT_ENB(0), 1);
    mct_write(qts, L_TCNTB(0), 9);
    mct_write(qts, L_ICNTB(0), 99 | L_ICNTB_UPDATE);
    mct_write(qts, L_TCON(0), L_TCON_TICK_START | L_TCON_INT_START |
              L_TCON_INTERVAL);
    for (i = 0; i < 3; i++) {
        qtest_clock_step(qts, 1000 * TICK_NS - 1);
        g_assert_cmphex(mct_read(qts, L_INT_CSTAT(0)), ==, 0);
        g_assert_false(qtest_get_irq(qts, 4));
        qtest_clock_step(qts, 1);
        g_assert_cmphex(mct_read(qts, L_INT_CSTAT(0)), ==, L_CSTAT_INTCNT);
        g_assert_true(qtest_get_irq(qts, 4));
        mct_write(qts, L_INT_CSTAT(0), L_CSTAT_INTCNT);
        g_assert_false(qtest_get_irq(qts, 4));
    }
    qtest_quit(qts);
}

/* An ICNTB manual update while the tick timer runs (used to abort) */
static void test_ltick_icntb_update_running(void)
{
    QTestState *qts = mct_init();

    mct_write(qts, L_TCNTB(1), 9);
    mct_write(qts, L_ICNTB(1), 99 | L_ICNTB_UPDATE);
    mct_write(qts, L_TCON(1), L_TCON_TICK_START | L_TCON_INT_START |
              L_TCON_INTERVAL);
    qtest_clock_step(qts, 300 * TICK_NS);
    mct_write(qts, L_ICNTB(1), 49 | L_ICNTB_UPDATE);
    g_assert_cmphex(mct_read(qts, L_INT_CSTAT(1)), ==, 0);
    mct_read(qts, L_ICNTO(1));
    mct_read(qts, L_TCNTO(1));
    /* the interrupt still comes */
    qtest_clock_step(qts, 2000 * TICK_NS);
    g_assert_cmphex(mct_read(qts, L_INT_CSTAT(1)), ==, L_CSTAT_INTCNT);
    qtest_quit(qts);
}

/* Reading the counters of a timer that was never loaded (used to crash) */
static void test_ltick_unloaded(void)
{
    QTestState *qts = mct_init();

    mct_write(qts, L_TCON(0), L_TCON_INT_START);
    g_assert_cmpuint(mct_read(qts, L_ICNTO(0)), ==, 0);
    g_assert_cmpuint(mct_read(qts, L_TCNTO(0)), ==, 0);
    mct_write(qts, L_TCON(0), L_TCON_INT_START | L_TCON_TICK_START);
    qtest_clock_step(qts, 10 * TICK_NS);
    mct_read(qts, L_ICNTO(0));
    mct_read(qts, L_TCNTO(0));
    /* the largest TCNTB */
    mct_write(qts, L_TCNTB(0), 0xffffffff);
    qtest_clock_step(qts, 10 * TICK_NS);
    mct_read(qts, L_ICNTO(0));
    mct_read(qts, L_TCNTO(0));
    qtest_quit(qts);
}

/* Local FRC: counts down from FRCNTB, status at the end, then reloads */
static void test_lfrc(void)
{
    QTestState *qts = mct_init();

    mct_write(qts, L_FRCNTB(0), 100);
    mct_write(qts, L_TCON(0), L_TCON_FRC_START);
    g_assert_cmphex(mct_read(qts, L_INT_CSTAT(0)), ==, 0);
    qtest_clock_step(qts, 10 * TICK_NS + TICK_NS / 2);
    g_assert_cmpuint(mct_read(qts, L_FRCNTO(0)), ==, 90);
    qtest_clock_step(qts, 90 * TICK_NS - TICK_NS / 2 - 1);
    g_assert_cmphex(mct_read(qts, L_INT_CSTAT(0)), ==, 0);
    g_assert_cmpuint(mct_read(qts, L_FRCNTO(0)), ==, 1);
    qtest_clock_step(qts, 1);
    g_assert_cmphex(mct_read(qts, L_INT_CSTAT(0)), ==, L_CSTAT_FRCCNT);
    g_assert_cmpuint(mct_read(qts, L_FRCNTO(0)), ==, 100);
    mct_write(qts, L_INT_CSTAT(0), L_CSTAT_FRCCNT);
    g_assert_cmphex(mct_read(qts, L_INT_CSTAT(0)), ==, 0);
    /* stop keeps the count */
    qtest_clock_step(qts, 30 * TICK_NS + TICK_NS / 2);
    mct_write(qts, L_TCON(0), 0);
    qtest_clock_step(qts, 1000 * TICK_NS);
    g_assert_cmpuint(mct_read(qts, L_FRCNTO(0)), ==, 70);
    g_assert_cmphex(mct_read(qts, L_INT_CSTAT(0)), ==, 0);
    qtest_quit(qts);
}

/* A system reset clears the global counter and stops everything */
static void test_reset_running(void)
{
    QTestState *qts = mct_init();

    mct_write(qts, G_COMP_L(0), 50);
    mct_write(qts, G_TCON, G_TCON_TIMER_EN | G_TCON_COMP_EN(0));
    mct_write(qts, L_FRCNTB(1), 100);
    mct_write(qts, L_TCON(1), L_TCON_FRC_START);
    qtest_clock_step(qts, 20 * TICK_NS + TICK_NS / 2);
    g_assert_cmpuint(mct_read(qts, G_CNT_L), ==, 20);
    qtest_system_reset(qts);
    g_assert_cmpuint(mct_read(qts, G_CNT_L), ==, 0);
    g_assert_cmpuint(mct_read(qts, G_TCON), ==, 0);
    qtest_clock_step(qts, 1000 * TICK_NS);
    g_assert_cmpuint(mct_read(qts, G_CNT_L), ==, 0);
    g_assert_cmphex(mct_read(qts, G_INT_CSTAT), ==, 0);
    g_assert_cmphex(mct_read(qts, L_INT_CSTAT(1)), ==, 0);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/exynos4210-mct/reset_values", test_reset_values);
    qtest_add_func("/exynos4210-mct/gfrc_count", test_gfrc_count);
    qtest_add_func("/exynos4210-mct/gfrc_write_disabled",
                   test_gfrc_write_disabled);
    qtest_add_func("/exynos4210-mct/gcomp_race", test_gcomp_race);
    qtest_add_func("/exynos4210-mct/gcomp_autoinc", test_gcomp_autoinc);
    qtest_add_func("/exynos4210-mct/gcomp_write_keeps_count",
                   test_gcomp_write_keeps_count);
    qtest_add_func("/exynos4210-mct/prescaler_exact", test_prescaler_exact);
    qtest_add_func("/exynos4210-mct/gcomp_write_keeps_phase",
                   test_gcomp_write_keeps_phase);
    qtest_add_func("/exynos4210-mct/girq", test_girq);
    qtest_add_func("/exynos4210-mct/ltick_interval", test_ltick_interval);
    qtest_add_func("/exynos4210-mct/ltick_icntb_update_running",
                   test_ltick_icntb_update_running);
    qtest_add_func("/exynos4210-mct/ltick_unloaded", test_ltick_unloaded);
    qtest_add_func("/exynos4210-mct/lfrc", test_lfrc);
    qtest_add_func("/exynos4210-mct/reset_running", test_reset_running);

    return g_test_run();
}
