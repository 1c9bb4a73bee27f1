/*
 * QTest for the MV88W8618 timers of the musicpal machine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Four down-counters at 1 MHz.  LENGTH n (0x00 + 4n) loads the counter
 * and sets the reload value, CONTROL (0x10) enables timer n with a non-zero
 * nibble n, VALUE n (0x14 + 4n) reads the counter.  A count down to zero
 * reloads LENGTH and raises the timer's interrupt (PIC inputs 4 to 7),
 * seen here on the timer block's own outputs and through the PIC status
 * register (level & enabled).  The model raises a timer's output at each
 * expiry and lowers it only at reset: there is no timer register to
 * acknowledge it, the guest acknowledges at the PIC.
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "ptimer-qom.h"

#define PIT_BASE        0x90009000
#define PIT_LENGTH(n)   (PIT_BASE + 4 * (n))
#define PIT_CONTROL     (PIT_BASE + 0x10)
#define PIT_VALUE(n)    (PIT_BASE + 0x14 + 4 * (n))

#define PIC_BASE        0x90008000
#define PIC_STATUS      (PIC_BASE + 0x00)
#define PIC_ENABLE_SET  (PIC_BASE + 0x08)
#define TIMER_IRQ(n)    (1u << (4 + (n)))

#define TICK_NS         1000    /* 1 MHz */

/* Current virtual time: qtest only advances it on our request. */
static int64_t cur_ns;

/*
 * Start the board and observe the four interrupt outputs of the timer
 * block (created without a name), read with line().
 */
static QTestState *start_machine(void)
{
    QTestState *qts = qtest_init("-machine musicpal");

    ptimer_qom_intercept(qts, "/machine/unattached", "mv88w8618_pit");
    cur_ns = qtest_clock_step(qts, 1);
    /* Let the PIC report the four timer interrupts. */
    qtest_writel(qts, PIC_ENABLE_SET, 0xf0);
    return qts;
}

static void set_time(QTestState *qts, int64_t t)
{
    g_assert_cmpint(t, >=, cur_ns);
    if (t > cur_ns) {
        cur_ns = qtest_clock_set(qts, t);
        g_assert_cmpint(cur_ns, ==, t);
    }
}

static uint32_t value_at(QTestState *qts, int n, int64_t t)
{
    set_time(qts, t);
    return qtest_readl(qts, PIT_VALUE(n));
}

static bool irq_at(QTestState *qts, int n, int64_t t)
{
    set_time(qts, t);
    return qtest_readl(qts, PIC_STATUS) & TIMER_IRQ(n);
}

static bool irq_now(QTestState *qts, int n)
{
    return qtest_readl(qts, PIC_STATUS) & TIMER_IRQ(n);
}

/* The level of timer n's interrupt output */
static bool line(QTestState *qts, int n)
{
    return qtest_get_irq(qts, n);
}

/* Load timer n with length and start it (alone); returns the instant. */
static int64_t start_timer(QTestState *qts, int n, uint32_t length)
{
    qtest_writel(qts, PIT_LENGTH(n), length);
    qtest_writel(qts, PIT_CONTROL, 1u << (4 * n));
    return cur_ns;
}

static void test_reset_state(void)
{
    QTestState *qts = start_machine();
    int n;

    for (n = 0; n < 4; n++) {
        g_assert_cmpuint(qtest_readl(qts, PIT_VALUE(n)), ==, 0);
        g_assert_false(line(qts, n));
    }
    g_assert_cmphex(qtest_readl(qts, PIC_STATUS), ==, 0);
    qtest_quit(qts);
}

static void test_length_loads_stopped_counter(void)
{
    QTestState *qts = start_machine();
    int64_t t = cur_ns;

    qtest_writel(qts, PIT_LENGTH(0), 100);
    g_assert_cmpuint(value_at(qts, 0, t), ==, 100);
    g_assert_cmpuint(value_at(qts, 0, t + 50 * TICK_NS + 500), ==, 100);
    g_assert_false(irq_now(qts, 0));
    qtest_quit(qts);
}

static void test_count_down(void)
{
    QTestState *qts = start_machine();
    int64_t t0 = start_timer(qts, 0, 100);

    /* The counter shows the loaded value for the whole first tick. */
    g_assert_cmpuint(value_at(qts, 0, t0), ==, 100);
    g_assert_cmpuint(value_at(qts, 0, t0 + 500), ==, 100);
    g_assert_cmpuint(value_at(qts, 0, t0 + TICK_NS + 500), ==, 99);
    g_assert_cmpuint(value_at(qts, 0, t0 + 60 * TICK_NS + 500), ==, 40);
    g_assert_cmpuint(value_at(qts, 0, t0 + 99 * TICK_NS + 500), ==, 1);
    qtest_quit(qts);
}

static void test_periodic_reload(void)
{
    QTestState *qts = start_machine();
    int64_t t0 = start_timer(qts, 0, 10);
    int k;

    for (k = 1; k <= 3; k++) {
        int64_t e = t0 + k * 10 * TICK_NS;

        g_assert_cmpuint(value_at(qts, 0, e - 500), ==, 1);
        g_assert_cmpuint(value_at(qts, 0, e), ==, 10);
        g_assert_cmpuint(value_at(qts, 0, e + 4 * TICK_NS + 500), ==, 6);
    }
    qtest_quit(qts);
}

/*
 * The race: at the instant the counter reaches zero (and 1 ns around it)
 * the counter has reloaded iff the interrupt status is set.
 */
static void test_rollover_race(void)
{
    QTestState *qts = start_machine();
    static const uint32_t len[4] = { 5, 7, 1, 1000 };
    int n;

    for (n = 0; n < 4; n++) {
        int64_t t0 = start_timer(qts, n, len[n]);
        int64_t e = t0 + len[n] * TICK_NS;

        g_assert_cmpuint(value_at(qts, n, e - 1), ==, 1);
        g_assert_false(irq_now(qts, n));
        g_assert_false(line(qts, n));
        g_assert_cmpuint(value_at(qts, n, e), ==, len[n]);
        g_assert_true(irq_now(qts, n));
        g_assert_true(line(qts, n));
        g_assert_cmpuint(value_at(qts, n, e + 1), ==, len[n]);
        g_assert_true(irq_now(qts, n));
        g_assert_true(line(qts, n));
        /* stop it again before starting the next one */
        qtest_writel(qts, PIT_CONTROL, 0);
    }
    qtest_quit(qts);
}

static void test_irq_not_before_deadline(void)
{
    QTestState *qts = start_machine();
    int64_t t0 = start_timer(qts, 1, 250);

    g_assert_false(irq_at(qts, 1, t0 + 125 * TICK_NS));
    g_assert_false(irq_at(qts, 1, t0 + 250 * TICK_NS - 1));
    g_assert_false(line(qts, 1));
    g_assert_true(irq_at(qts, 1, t0 + 250 * TICK_NS));
    g_assert_true(line(qts, 1));
    qtest_quit(qts);
}

/* Stopping and restarting a timer just before it expires. */
static void test_restart_near_expiry(void)
{
    QTestState *qts = start_machine();
    int64_t t0 = start_timer(qts, 0, 10);
    int64_t t1;

    set_time(qts, t0 + 9 * TICK_NS + 500);
    qtest_writel(qts, PIT_CONTROL, 0);
    set_time(qts, t0 + 20 * TICK_NS);
    g_assert_false(irq_now(qts, 0));
    g_assert_false(line(qts, 0));
    /* A restart is not an expiry: no interrupt at the enable... */
    qtest_writel(qts, PIT_CONTROL, 1);
    t1 = cur_ns;
    g_assert_false(irq_now(qts, 0));
    g_assert_false(line(qts, 0));
    /* (the stopped counter kept its last value, 1) */
    g_assert_cmpuint(qtest_readl(qts, PIT_VALUE(0)), ==, 1);
    /* ...but one tick later, when the count reaches zero. */
    g_assert_false(irq_at(qts, 0, t1 + TICK_NS - 1));
    g_assert_false(line(qts, 0));
    g_assert_true(irq_at(qts, 0, t1 + TICK_NS));
    g_assert_true(line(qts, 0));
    g_assert_cmpuint(qtest_readl(qts, PIT_VALUE(0)), ==, 10);
    qtest_quit(qts);
}

static void test_disable_freezes(void)
{
    QTestState *qts = start_machine();
    int64_t t0 = start_timer(qts, 2, 100);
    int64_t t1;

    set_time(qts, t0 + 30 * TICK_NS + 500);
    qtest_writel(qts, PIT_CONTROL, 0);
    g_assert_cmpuint(qtest_readl(qts, PIT_VALUE(2)), ==, 70);
    g_assert_cmpuint(value_at(qts, 2, t0 + 500 * TICK_NS), ==, 70);
    g_assert_false(irq_now(qts, 2));
    g_assert_false(line(qts, 2));
    qtest_writel(qts, PIT_CONTROL, 0xf << 8);
    t1 = cur_ns;
    g_assert_cmpuint(value_at(qts, 2, t1 + 20 * TICK_NS + 500), ==, 50);
    g_assert_false(irq_at(qts, 2, t1 + 70 * TICK_NS - 1));
    g_assert_false(line(qts, 2));
    g_assert_true(irq_at(qts, 2, t1 + 70 * TICK_NS));
    g_assert_true(line(qts, 2));
    g_assert_cmpuint(qtest_readl(qts, PIT_VALUE(2)), ==, 100);
    qtest_quit(qts);
}

static void test_length_zero_stops(void)
{
    QTestState *qts = start_machine();
    int64_t t0 = start_timer(qts, 0, 100);

    set_time(qts, t0 + 40 * TICK_NS + 500);
    qtest_writel(qts, PIT_LENGTH(0), 0);
    g_assert_cmpuint(qtest_readl(qts, PIT_VALUE(0)), ==, 60);
    g_assert_cmpuint(value_at(qts, 0, t0 + 300 * TICK_NS), ==, 60);
    g_assert_false(irq_now(qts, 0));
    /* and it cannot be enabled with a zero length */
    qtest_writel(qts, PIT_CONTROL, 1);
    g_assert_cmpuint(value_at(qts, 0, t0 + 400 * TICK_NS), ==, 60);
    g_assert_false(irq_now(qts, 0));
    g_assert_false(line(qts, 0));
    qtest_quit(qts);
}

static void test_length_write_while_running(void)
{
    QTestState *qts = start_machine();
    int64_t t0 = start_timer(qts, 3, 100);
    int64_t t1;

    set_time(qts, t0 + 10 * TICK_NS + 500);
    qtest_writel(qts, PIT_LENGTH(3), 20);
    t1 = cur_ns;
    g_assert_cmpuint(qtest_readl(qts, PIT_VALUE(3)), ==, 20);
    g_assert_cmpuint(value_at(qts, 3, t1 + 5 * TICK_NS + 500), ==, 15);
    g_assert_false(irq_at(qts, 3, t1 + 20 * TICK_NS - 1));
    g_assert_false(line(qts, 3));
    g_assert_true(irq_at(qts, 3, t1 + 20 * TICK_NS));
    g_assert_true(line(qts, 3));
    g_assert_cmpuint(qtest_readl(qts, PIT_VALUE(3)), ==, 20);
    g_assert_cmpuint(value_at(qts, 3, t1 + 40 * TICK_NS - 1), ==, 1);
    g_assert_cmpuint(value_at(qts, 3, t1 + 40 * TICK_NS), ==, 20);
    qtest_quit(qts);
}

static void test_system_reset(void)
{
    QTestState *qts = start_machine();
    int64_t t0 = start_timer(qts, 0, 10);
    int n;

    qtest_writel(qts, PIT_LENGTH(1), 50);
    g_assert_true(irq_at(qts, 0, t0 + 10 * TICK_NS));
    g_assert_true(line(qts, 0));
    set_time(qts, t0 + 13 * TICK_NS + 500);
    qtest_system_reset(qts);
    /* the reset lowers the outputs */
    for (n = 0; n < 4; n++) {
        g_assert_cmpuint(qtest_readl(qts, PIT_VALUE(n)), ==, 0);
        g_assert_false(line(qts, n));
    }
    qtest_writel(qts, PIC_ENABLE_SET, 0xf0);
    g_assert_cmphex(qtest_readl(qts, PIC_STATUS), ==, 0);
    /* Nothing runs after the reset: no count, no interrupt. */
    qtest_writel(qts, PIT_CONTROL, 0xffff);
    set_time(qts, cur_ns + 100 * TICK_NS);
    g_assert_cmphex(qtest_readl(qts, PIC_STATUS), ==, 0);
    for (n = 0; n < 4; n++) {
        g_assert_cmpuint(qtest_readl(qts, PIT_VALUE(n)), ==, 0);
        g_assert_false(line(qts, n));
    }
    qtest_quit(qts);
}

static void test_timers_independent(void)
{
    QTestState *qts = start_machine();
    int64_t t0;
    int n;

    for (n = 0; n < 4; n++) {
        qtest_writel(qts, PIT_LENGTH(n), 10 * (n + 1));
    }
    qtest_writel(qts, PIT_CONTROL, 0x1111);
    t0 = cur_ns;
    for (n = 0; n < 4; n++) {
        int64_t e = t0 + 10 * (n + 1) * TICK_NS;

        g_assert_false(irq_at(qts, n, e - 1));
        g_assert_false(line(qts, n));
        if (n < 3) {
            g_assert_false(irq_now(qts, n + 1));
            g_assert_false(line(qts, n + 1));
        }
        g_assert_true(irq_at(qts, n, e));
        g_assert_true(line(qts, n));
        g_assert_cmpuint(qtest_readl(qts, PIT_VALUE(n)), ==, 10 * (n + 1));
    }
    g_assert_cmpuint(value_at(qts, 0, t0 + 45 * TICK_NS + 500), ==, 5);
    g_assert_cmpuint(qtest_readl(qts, PIT_VALUE(3)), ==, 35);
    qtest_quit(qts);
}

static void test_no_drift(void)
{
    QTestState *qts = start_machine();
    int64_t t0 = start_timer(qts, 0, 1000);
    int64_t e = t0 + 1000LL * 1000 * TICK_NS;

    /* 1000 periods of 1 ms: the 1000th reload is exactly on time. */
    g_assert_cmpuint(value_at(qts, 0, e - 1), ==, 1);
    g_assert_cmpuint(value_at(qts, 0, e), ==, 1000);
    g_assert_cmpuint(value_at(qts, 0, e + 500), ==, 1000);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/musicpal-timer/reset-state", test_reset_state);
    qtest_add_func("/musicpal-timer/length-loads-stopped-counter",
                   test_length_loads_stopped_counter);
    qtest_add_func("/musicpal-timer/count-down", test_count_down);
    qtest_add_func("/musicpal-timer/periodic-reload", test_periodic_reload);
    qtest_add_func("/musicpal-timer/rollover-race", test_rollover_race);
    qtest_add_func("/musicpal-timer/irq-not-before-deadline",
                   test_irq_not_before_deadline);
    qtest_add_func("/musicpal-timer/restart-near-expiry",
                   test_restart_near_expiry);
    qtest_add_func("/musicpal-timer/disable-freezes", test_disable_freezes);
    qtest_add_func("/musicpal-timer/length-zero-stops",
                   test_length_zero_stops);
    qtest_add_func("/musicpal-timer/length-write-while-running",
                   test_length_write_while_running);
    qtest_add_func("/musicpal-timer/system-reset", test_system_reset);
    qtest_add_func("/musicpal-timer/timers-independent",
                   test_timers_independent);
    qtest_add_func("/musicpal-timer/no-drift", test_no_drift);

    return g_test_run();
}
