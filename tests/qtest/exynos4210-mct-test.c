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

#define MCT_BASE        0x10050000

#define MCT_CFG         0x000
#define L_TCNTB(n)      (0x300 + 0x100 * (n))
#define L_TCNTO(n)      (0x304 + 0x100 * (n))
#define L_ICNTB(n)      (0x308 + 0x100 * (n))
#define L_ICNTO(n)      (0x30c + 0x100 * (n))
#define L_TCON(n)       (0x320 + 0x100 * (n))
#define L_INT_CSTAT(n)  (0x330 + 0x100 * (n))

#define L_TCON_TICK_START   (1u << 0)
#define L_TCON_INT_START    (1u << 1)
#define L_TCON_INTERVAL     (1u << 2)
#define L_ICNTB_UPDATE      (1u << 31)
#define L_CSTAT_INTCNT      (1u << 0)

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

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/exynos4210-mct/ltick_icntb_update_running",
                   test_ltick_icntb_update_running);

    return g_test_run();
}
