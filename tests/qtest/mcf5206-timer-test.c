/*
 * QTest testcase for the MCF5206 timer module (an5206 board)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"

#define MBAR        0x10000000
#define TIMER1      (MBAR + 0x100)
#define TMR         0x0
#define TRR         0x4
#define TCN         0xc

#define TMR_RST     0x0001
#define TMR_CLK1    0x0002
#define TMR_FRR     0x0008

#define SYS_FREQ    66000000ULL

/* Time from the counter start to the end of @n timer clocks */
static int64_t ticks_div(uint64_t n, uint64_t div)
{
    uint64_t f = SYS_FREQ / div;

    return (n * 1000000000ULL + f - 1) / f;
}

static int64_t ticks_ns(uint64_t n)
{
    return ticks_div(n, 1);
}

static QTestState *tmr_init(void)
{
    return qtest_init("-machine an5206");
}

static uint16_t tcn(QTestState *qts, uint32_t base)
{
    return qtest_readw(qts, base + TCN);
}

static void tmr_start(QTestState *qts, uint32_t base, uint16_t trr,
                      uint16_t tmr)
{
    qtest_writew(qts, base + TRR, trr);
    qtest_writew(qts, base + TMR, tmr | TMR_RST);
}

/* Writing any value to TCN clears it; counting goes on from 0 */
static void test_tcn_write(void)
{
    QTestState *qts = tmr_init();
    int64_t now = ticks_ns(50);

    tmr_start(qts, TIMER1, 100, TMR_CLK1 | TMR_FRR);
    qtest_clock_step(qts, now);
    qtest_writew(qts, TIMER1 + TCN, 0x1234);
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 0);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("mcf5206-timer/tcn_write", test_tcn_write);

    return g_test_run();
}
