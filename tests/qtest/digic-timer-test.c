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

static void test_stopped_does_not_count(void)
{
    QTestState *qts = start_machine();
    int64_t t;

    timer_w(qts, 0, RELVALUE, 100);
    g_assert_cmphex(timer_r(qts, 0, RELVALUE), ==, 100);
    t = now_ns(qts);
    /* A stopped timer holds a cleared counter, whatever the period. */
    g_assert_cmpuint(value_at(qts, 0, t), ==, 0);
    g_assert_cmpuint(value_at(qts, 0, t + 50 * TICK_NS + 500), ==, 0);
    qtest_quit(qts);
}

static void test_count_down(void)
{
    QTestState *qts = start_machine();
    int64_t t0 = start_timer(qts, 0, 100);

    /* The counter shows the period for the whole first tick. */
    g_assert_cmpuint(value_at(qts, 0, t0), ==, 100);
    g_assert_cmpuint(value_at(qts, 0, t0 + 500), ==, 100);
    g_assert_cmpuint(value_at(qts, 0, t0 + TICK_NS + 500), ==, 99);
    g_assert_cmpuint(value_at(qts, 0, t0 + 50 * TICK_NS + 500), ==, 50);
    g_assert_cmpuint(value_at(qts, 0, t0 + 99 * TICK_NS + 500), ==, 1);
    qtest_quit(qts);
}

static void test_cycle_is_period_plus_one(void)
{
    QTestState *qts = start_machine();
    int64_t t0 = start_timer(qts, 0, 9);
    int64_t e1 = t0 + 9 * TICK_NS;          /* reaches 0 */
    int64_t e2 = e1 + 10 * TICK_NS;         /* reaches 0 again */

    g_assert_cmpuint(value_at(qts, 0, e1 + 500), ==, 0);
    /* 0 for one tick, then the period again */
    g_assert_cmpuint(value_at(qts, 0, e1 + TICK_NS + 500), ==, 9);
    g_assert_cmpuint(value_at(qts, 0, e1 + 5 * TICK_NS + 500), ==, 5);
    g_assert_cmpuint(value_at(qts, 0, e2 - 500), ==, 1);
    g_assert_cmpuint(value_at(qts, 0, e2 + 500), ==, 0);
    g_assert_cmpuint(value_at(qts, 0, e2 + TICK_NS + 500), ==, 9);
    qtest_quit(qts);
}

/* The race: at the exact instant the counter reaches 0, and 1 ns around. */
static void test_rollover_race(void)
{
    QTestState *qts = start_machine();
    int64_t t0 = start_timer(qts, 0, 3);
    int k;

    for (k = 0; k < 4; k++) {
        int64_t e = t0 + 3 * TICK_NS + k * 4 * TICK_NS;

        g_assert_cmpuint(value_at(qts, 0, e - 1), ==, 1);
        g_assert_cmpuint(value_at(qts, 0, e), ==, 0);
        g_assert_cmpuint(value_at(qts, 0, e + 1), ==, 0);
        /* and the reload, one tick later */
        g_assert_cmpuint(value_at(qts, 0, e + TICK_NS - 1), ==, 0);
        g_assert_cmpuint(value_at(qts, 0, e + TICK_NS + 1), ==, 3);
    }
    qtest_quit(qts);
}

static void test_period_write_while_running(void)
{
    QTestState *qts = start_machine();
    int64_t t0 = start_timer(qts, 0, 100);
    int64_t e1 = t0 + 100 * TICK_NS;
    int64_t e2 = e1 + 21 * TICK_NS;
    uint32_t v = value_at(qts, 0, t0 + 10 * TICK_NS + 500);

    timer_w(qts, 0, RELVALUE, 20);
    g_assert_cmphex(timer_r(qts, 0, RELVALUE), ==, 20);
    /* The current count goes on... */
    g_assert_cmpuint(timer_r(qts, 0, VALUE), ==, v);
    g_assert_cmpuint(v, ==, 90);
    g_assert_cmpuint(value_at(qts, 0, t0 + 60 * TICK_NS + 500), ==, 40);
    g_assert_cmpuint(value_at(qts, 0, e1 - 1), ==, 1);
    g_assert_cmpuint(value_at(qts, 0, e1), ==, 0);
    /* ...and the new period applies from the reload on. */
    g_assert_cmpuint(value_at(qts, 0, e1 + TICK_NS + 500), ==, 20);
    g_assert_cmpuint(value_at(qts, 0, e2 - 1), ==, 1);
    g_assert_cmpuint(value_at(qts, 0, e2), ==, 0);
    qtest_quit(qts);
}

static void test_disable_stops_and_clears(void)
{
    QTestState *qts = start_machine();
    int64_t t0 = start_timer(qts, 0, 100);
    int64_t t1;

    g_assert_cmpuint(value_at(qts, 0, t0 + 30 * TICK_NS + 500), !=, 0);
    timer_w(qts, 0, CONTROL, 0);
    g_assert_cmphex(timer_r(qts, 0, CONTROL), ==, 0);
    g_assert_cmpuint(timer_r(qts, 0, VALUE), ==, 0);
    g_assert_cmpuint(value_at(qts, 0, t0 + 200 * TICK_NS), ==, 0);
    g_assert_cmphex(timer_r(qts, 0, RELVALUE), ==, 100);

    /* Enabling again starts a fresh cycle from the period register. */
    timer_w(qts, 0, CONTROL, CONTROL_EN);
    t1 = now_ns(qts);
    g_assert_cmpuint(value_at(qts, 0, t1 + 500), ==, 100);
    g_assert_cmpuint(value_at(qts, 0, t1 + 40 * TICK_NS + 500), ==, 60);
    g_assert_cmpuint(value_at(qts, 0, t1 + 100 * TICK_NS - 1), ==, 1);
    g_assert_cmpuint(value_at(qts, 0, t1 + 100 * TICK_NS), ==, 0);
    qtest_quit(qts);
}

static void test_enable_while_running_keeps_phase(void)
{
    QTestState *qts = start_machine();
    int64_t t0 = start_timer(qts, 0, 50);
    uint32_t v = value_at(qts, 0, t0 + 20 * TICK_NS + 300);

    timer_w(qts, 0, CONTROL, CONTROL_EN);
    g_assert_cmpuint(timer_r(qts, 0, VALUE), ==, v);
    g_assert_cmpuint(v, ==, 30);
    g_assert_cmpuint(value_at(qts, 0, t0 + 50 * TICK_NS - 1), ==, 1);
    g_assert_cmpuint(value_at(qts, 0, t0 + 50 * TICK_NS), ==, 0);
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

static void test_zero_period(void)
{
    QTestState *qts = start_machine();
    int64_t t0 = start_timer(qts, 0, 0);

    g_assert_cmphex(timer_r(qts, 0, CONTROL), ==, CONTROL_EN);
    g_assert_cmpuint(value_at(qts, 0, t0 + 500), ==, 0);
    g_assert_cmpuint(value_at(qts, 0, t0 + 5 * TICK_NS + 500), ==, 0);
    g_assert_cmphex(timer_r(qts, 0, CONTROL), ==, CONTROL_EN);

    /* A period written now is loaded at the next tick. */
    timer_w(qts, 0, RELVALUE, 5);
    g_assert_cmpuint(timer_r(qts, 0, VALUE), ==, 0);
    g_assert_cmpuint(value_at(qts, 0, t0 + 6 * TICK_NS + 500), ==, 5);
    g_assert_cmpuint(value_at(qts, 0, t0 + 11 * TICK_NS - 1), ==, 1);
    g_assert_cmpuint(value_at(qts, 0, t0 + 11 * TICK_NS), ==, 0);
    qtest_quit(qts);
}

static void test_register_widths(void)
{
    QTestState *qts = start_machine();
    int64_t t0;

    timer_w(qts, 0, RELVALUE, 0x12345);
    g_assert_cmphex(timer_r(qts, 0, RELVALUE), ==, 0x2345);
    timer_w(qts, 0, CONTROL, CONTROL_EN);
    t0 = now_ns(qts);
    g_assert_cmphex(value_at(qts, 0, t0 + 500), ==, 0x2345);
    /* The value register is read-only. */
    timer_w(qts, 0, VALUE, 7);
    g_assert_cmphex(timer_r(qts, 0, VALUE), ==, 0x2345);
    qtest_quit(qts);
}

static void test_max_period(void)
{
    QTestState *qts = start_machine();
    int64_t t0 = start_timer(qts, 1, 0xffff);
    int64_t e1 = t0 + 0xffffLL * TICK_NS;
    int64_t e2 = e1 + 0x10000LL * TICK_NS;

    g_assert_cmphex(value_at(qts, 1, t0 + 500), ==, 0xffff);
    g_assert_cmpuint(value_at(qts, 1, e1 - 1), ==, 1);
    g_assert_cmpuint(value_at(qts, 1, e1), ==, 0);
    g_assert_cmphex(value_at(qts, 1, e1 + TICK_NS + 1), ==, 0xffff);
    g_assert_cmpuint(value_at(qts, 1, e2 - 1), ==, 1);
    g_assert_cmpuint(value_at(qts, 1, e2), ==, 0);
    qtest_quit(qts);
}

static void test_no_drift(void)
{
    QTestState *qts = start_machine();
    int64_t t0 = start_timer(qts, 0, 999);
    int64_t e = t0 + 999 * TICK_NS + 999LL * 1000 * TICK_NS;

    /* 1000 cycles of 1 ms each: the 1000th zero is exactly on time. */
    g_assert_cmpuint(value_at(qts, 0, e - 1), ==, 1);
    g_assert_cmpuint(value_at(qts, 0, e), ==, 0);
    g_assert_cmpuint(value_at(qts, 0, e + TICK_NS + 500), ==, 999);
    qtest_quit(qts);
}

static void test_timers_independent(void)
{
    QTestState *qts = start_machine();
    int64_t t0, t2;

    timer_w(qts, 0, RELVALUE, 10);
    timer_w(qts, 2, RELVALUE, 30);
    timer_w(qts, 0, CONTROL, CONTROL_EN);
    t0 = now_ns(qts);
    set_time(qts, t0 + 5 * TICK_NS + 500);
    timer_w(qts, 2, CONTROL, CONTROL_EN);
    t2 = now_ns(qts);
    g_assert_cmpuint(timer_r(qts, 1, VALUE), ==, 0);
    g_assert_cmpuint(value_at(qts, 0, t0 + 7 * TICK_NS + 500), ==, 3);
    g_assert_cmpuint(timer_r(qts, 2, VALUE), ==, 29);
    timer_w(qts, 0, CONTROL, 0);
    g_assert_cmpuint(value_at(qts, 2, t2 + 30 * TICK_NS - 1), ==, 1);
    g_assert_cmpuint(value_at(qts, 2, t2 + 30 * TICK_NS), ==, 0);
    g_assert_cmpuint(timer_r(qts, 0, VALUE), ==, 0);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/digic-timer/reset-values", test_reset_values);
    qtest_add_func("/digic-timer/stopped-does-not-count",
                   test_stopped_does_not_count);
    qtest_add_func("/digic-timer/count-down", test_count_down);
    qtest_add_func("/digic-timer/cycle-is-period-plus-one",
                   test_cycle_is_period_plus_one);
    qtest_add_func("/digic-timer/rollover-race", test_rollover_race);
    qtest_add_func("/digic-timer/period-write-while-running",
                   test_period_write_while_running);
    qtest_add_func("/digic-timer/disable-stops-and-clears",
                   test_disable_stops_and_clears);
    qtest_add_func("/digic-timer/enable-while-running-keeps-phase",
                   test_enable_while_running_keeps_phase);
    qtest_add_func("/digic-timer/reset-bit", test_reset_bit);
    qtest_add_func("/digic-timer/zero-period", test_zero_period);
    qtest_add_func("/digic-timer/register-widths", test_register_widths);
    qtest_add_func("/digic-timer/max-period", test_max_period);
    qtest_add_func("/digic-timer/no-drift", test_no_drift);
    qtest_add_func("/digic-timer/timers-independent",
                   test_timers_independent);

    return g_test_run();
}
