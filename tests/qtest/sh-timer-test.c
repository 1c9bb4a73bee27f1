/*
 * QTest for the SH7750 timer unit (TMU), hw/timer/sh_timer.c
 *
 * Written for ptimer-ng.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"

/*
 * r2d: Pphi = 60 MHz, so the Pphi/4 count period is 200/3 ns.
 *
 * The interrupt request TUNIn (UNF & UNIE) is not observed, only UNF:
 * neither the TMU (tmu012_init()) nor the INTC it drives (sh_intc_init())
 * is a QOM device, so qtest has no path to intercept either end of the
 * line, and nothing else shows it while the CPU does not run.
 */
#define TMU_BASE    0xffd80000
#define TOCR        (TMU_BASE + 0x0)
#define TSTR        (TMU_BASE + 0x4)
#define TCOR(n)     (TMU_BASE + 0x08 + 12 * (n))
#define TCNT(n)     (TMU_BASE + 0x0c + 12 * (n))
#define TCR(n)      (TMU_BASE + 0x10 + 12 * (n))

#define TCR_TPSC_4      0x0
#define TCR_UNF         0x100

static QTestState *start(void)
{
    return qtest_init("-machine r2d -nic none");
}

static uint32_t tcnt(QTestState *qts, int n)
{
    return qtest_readl(qts, TCNT(n));
}

static bool unf(QTestState *qts, int n)
{
    return qtest_readw(qts, TCR(n)) & TCR_UNF;
}

static void test_reset_values(void)
{
    QTestState *qts = start();
    int n;

    g_assert_cmphex(qtest_readb(qts, TSTR), ==, 0);
    for (n = 0; n < 3; n++) {
        g_assert_cmphex(qtest_readl(qts, TCOR(n)), ==, 0xffffffff);
        g_assert_cmphex(tcnt(qts, n), ==, 0xffffffff);
        g_assert_cmphex(qtest_readw(qts, TCR(n)), ==, 0);
    }
    qtest_quit(qts);
}

static void test_stopped_holds(void)
{
    QTestState *qts = start();

    qtest_writew(qts, TCR(0), TCR_TPSC_4);
    qtest_writel(qts, TCNT(0), 1234);
    qtest_clock_step(qts, 1000000);
    g_assert_cmpuint(tcnt(qts, 0), ==, 1234);
    g_assert_false(unf(qts, 0));
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/sh-timer/reset-values", test_reset_values);
    qtest_add_func("/sh-timer/stopped-holds", test_stopped_holds);

    return g_test_run();
}
