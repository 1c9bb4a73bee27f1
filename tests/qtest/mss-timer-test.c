/*
 * QTest for the SmartFusion2 MSS timer (two 32-bit down counters)
 *
 * Runs on the emcraft-sf2 board: the timer block is at 0x40004000 and is
 * clocked from APB0, 142 MHz / 2 = 71 MHz, so one count lasts 1000/71 ns.
 * The test steps the virtual clock to exact instants and checks the count
 * and the interrupt status there.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"

#define TIMER_BASE  0x40004000
#define TIMER_STEP  0x18        /* timer 2 registers follow timer 1 */

#define VAL         0x00
#define LOADVAL     0x04
#define CTRL        0x0c
#define RIS         0x10

#define CTRL_ENABLE     (1u << 0)

/* the virtual clock, as last returned by qtest_clock_step() */
static int64_t clock_ns;

static QTestState *start(void)
{
    QTestState *qts = qtest_init("-machine emcraft-sf2");

    qtest_irq_intercept_out_named(qts, "/machine/soc/timer", "sysbus-irq");
    clock_ns = qtest_clock_step(qts, 1);
    return qts;
}

static void step_to(QTestState *qts, int64_t t)
{
    g_assert_cmpint(t, >, clock_ns);
    clock_ns = qtest_clock_step(qts, t - clock_ns);
    g_assert_cmpint(clock_ns, ==, t);
}

static uint32_t rd(QTestState *qts, int tmr, uint32_t reg)
{
    return qtest_readl(qts, TIMER_BASE + tmr * TIMER_STEP + reg);
}

static void wr(QTestState *qts, int tmr, uint32_t reg, uint32_t val)
{
    qtest_writel(qts, TIMER_BASE + tmr * TIMER_STEP + reg, val);
}

/* load @n and enable with @ctrl at the current instant, return it */
static int64_t arm_timer(QTestState *qts, int tmr, uint32_t n, uint32_t ctrl)
{
    wr(qts, tmr, LOADVAL, n);
    wr(qts, tmr, CTRL, ctrl | CTRL_ENABLE);
    return clock_ns;
}

static void test_count_71mhz(void)
{
    QTestState *qts = start();
    /* 71000 counts of 71 MHz: exactly 1 ms */
    int64_t t0 = arm_timer(qts, 0, 71000, 0);
    static const int64_t d[] = { 1, 14, 15, 1000, 123457, 500000, 999999 };
    int i;

    g_assert_cmpuint(rd(qts, 0, VAL), ==, 71000);
    for (i = 0; i < ARRAY_SIZE(d); i++) {
        step_to(qts, t0 + d[i]);
        g_assert_cmpuint(rd(qts, 0, RIS), ==, 0);
    }
    step_to(qts, t0 + 1000000);
    g_assert_cmpuint(rd(qts, 0, RIS), ==, 1);
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 71000);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("mss-timer/count_71mhz", test_count_71mhz);

    return g_test_run();
}
