/*
 * QTest testcase for the MCF5208 programmable interrupt timers (PIT0/PIT1)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"

#define PIT0_BASE   0xfc080000
#define PIT1_BASE   0xfc084000
#define PCSR        0x0
#define PMR         0x2
#define PCNTR       0x4

#define PCSR_PIF    0x0004

static QTestState *pit_init(void)
{
    return qtest_init("-machine mcf5208evb");
}

static uint16_t pcsr(QTestState *qts, uint32_t base)
{
    return qtest_readw(qts, base + PCSR);
}

static uint16_t pcntr(QTestState *qts, uint32_t base)
{
    return qtest_readw(qts, base + PCNTR);
}

static bool pif(QTestState *qts, uint32_t base)
{
    return pcsr(qts, base) & PCSR_PIF;
}

static void test_reset_values(void)
{
    QTestState *qts = pit_init();

    g_assert_cmphex(pcsr(qts, PIT0_BASE), ==, 0);
    g_assert_cmphex(qtest_readw(qts, PIT0_BASE + PMR), ==, 0xffff);
    g_assert_cmphex(pcntr(qts, PIT0_BASE), ==, 0xffff);
    g_assert_cmphex(pcntr(qts, PIT1_BASE), ==, 0xffff);
    /* Disabled: nothing counts */
    qtest_clock_step(qts, 1000000);
    g_assert_cmphex(pcntr(qts, PIT0_BASE), ==, 0xffff);
    g_assert_false(pif(qts, PIT0_BASE));
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("mcf5208-pit/reset_values", test_reset_values);

    return g_test_run();
}
