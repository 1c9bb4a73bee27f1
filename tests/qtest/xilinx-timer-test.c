/*
 * QTest testcase for the Xilinx XPS/AXI timer (petalogix-s3adsp1800)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "ptimer-qom.h"

#define TIMER_BASE 0x83c00000
#define TCSR(n)    (0x00 + (n) * 0x10)
#define TLR(n)     (0x04 + (n) * 0x10)
#define TCR(n)     (0x08 + (n) * 0x10)

static uint32_t rd(QTestState *qts, uint32_t off)
{
    return qtest_readl(qts, TIMER_BASE + off);
}

/*
 * Start the board and observe the timer's interrupt output (the OR of
 * both timers' TINT & ENIT).
 */
static QTestState *start(void)
{
    QTestState *qts = qtest_init("-machine petalogix-s3adsp1800");

    ptimer_qom_intercept(qts, "/machine/unattached", "xlnx.xps-timer");
    return qts;
}

static void test_reset_values(void)
{
    QTestState *qts = start();

    g_assert_cmphex(rd(qts, TCSR(0)), ==, 0);
    g_assert_cmphex(rd(qts, TLR(0)), ==, 0);
    g_assert_cmphex(rd(qts, TCR(0)), ==, 0);
    g_assert_cmphex(rd(qts, TCR(1)), ==, 0);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/xilinx-timer/reset_values", test_reset_values);

    return g_test_run();
}
