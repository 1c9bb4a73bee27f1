/*
 * QTest for the Canon DIGIC timer (canon-a1100 machine)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The DIGIC timers count down at 1 MHz from the period register (offset
 * 0x08) to 0 and reload on the next tick, so a cycle is period + 1 ticks.
 * Bit 0 of the control register (offset 0x00) starts the timer, clearing
 * it stops the timer and clears the counter; bit 31 resets the block.  The
 * counter reads at offset 0x0c.  The model has no interrupt output (the
 * device creates no IRQ or GPIO), so there is no line to observe and the
 * rollover checks read the counter at the reload instant.
 */

#include "qemu/osdep.h"
#include "libqtest.h"

#define TIMER_BASE(n)   (0xc0210000 + (n) * 0x100)
#define CONTROL         0x00
#define RELVALUE        0x08
#define VALUE           0x0c
#define CONTROL_EN      0x00000001
#define CONTROL_RST     0x80000000

#define TICK_NS         1000    /* 1 MHz */

/* Current virtual time: qtest only advances it on our request. */
static int64_t cur_ns;

static QTestState *start_machine(void)
{
    QTestState *qts = qtest_init("-machine canon-a1100");

    cur_ns = qtest_clock_step(qts, 1);
    return qts;
}

static void timer_w(QTestState *qts, int n, uint32_t reg, uint32_t val)
{
    qtest_writel(qts, TIMER_BASE(n) + reg, val);
}

static uint32_t timer_r(QTestState *qts, int n, uint32_t reg)
{
    return qtest_readl(qts, TIMER_BASE(n) + reg);
}

static int64_t now_ns(QTestState *qts)
{
    return cur_ns;
}

static void set_time(QTestState *qts, int64_t t)
{
    g_assert_cmpint(t, >=, cur_ns);
    if (t > cur_ns) {
        cur_ns = qtest_clock_set(qts, t);
        g_assert_cmpint(cur_ns, ==, t);
    }
}

/* Value of timer n at absolute instant t. */
static uint32_t value_at(QTestState *qts, int n, int64_t t)
{
    set_time(qts, t);
    return timer_r(qts, n, VALUE);
}

/* Program timer n with a period and start it; returns the start instant. */
static int64_t start_timer(QTestState *qts, int n, uint32_t period)
{
    timer_w(qts, n, CONTROL, CONTROL_RST);
    timer_w(qts, n, RELVALUE, period);
    timer_w(qts, n, CONTROL, CONTROL_EN);
    return now_ns(qts);
}

static void test_reset_values(void)
{
    QTestState *qts = start_machine();
    int n;

    for (n = 0; n < 3; n++) {
        g_assert_cmphex(timer_r(qts, n, CONTROL), ==, 0);
        g_assert_cmphex(timer_r(qts, n, RELVALUE), ==, 0);
        g_assert_cmphex(timer_r(qts, n, VALUE), ==, 0);
    }
    qtest_quit(qts);
}

static void test_reset_bit(void)
{
    QTestState *qts = start_machine();
    int64_t t0 = start_timer(qts, 0, 100);
    int64_t t1;

    g_assert_cmpuint(value_at(qts, 0, t0 + 10 * TICK_NS + 500), !=, 0);
    timer_w(qts, 0, CONTROL, CONTROL_RST | CONTROL_EN);
    g_assert_cmphex(timer_r(qts, 0, CONTROL), ==, 0);
    g_assert_cmphex(timer_r(qts, 0, RELVALUE), ==, 0);
    g_assert_cmpuint(timer_r(qts, 0, VALUE), ==, 0);
    g_assert_cmpuint(value_at(qts, 0, t0 + 30 * TICK_NS), ==, 0);

    /* The reset cleared the period too: no count from the old one. */
    timer_w(qts, 0, CONTROL, CONTROL_EN);
    t1 = now_ns(qts);
    g_assert_cmpuint(value_at(qts, 0, t1 + 500), ==, 0);
    g_assert_cmpuint(value_at(qts, 0, t1 + 5 * TICK_NS + 500), ==, 0);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/digic-timer/reset-values", test_reset_values);
    qtest_add_func("/digic-timer/reset-bit", test_reset_bit);

    return g_test_run();
}
