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
#define BGLOADVAL   0x08
#define CTRL        0x0c
#define RIS         0x10
#define MIS         0x14

#define CTRL_ENABLE     (1u << 0)
#define CTRL_ONESHOT    (1u << 1)
#define CTRL_INTEN      (1u << 2)

#define FREQ_MHZ    71

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

/* first whole ns at or after @n counts of the 71 MHz clock */
static int64_t ticks_ns(uint64_t n)
{
    return (n * 1000 + FREQ_MHZ - 1) / FREQ_MHZ;
}

/* the count @d ns after @n was loaded, before it reaches zero */
static uint32_t count_after(uint32_t n, int64_t d)
{
    g_assert_cmpint(d * FREQ_MHZ, <, (int64_t)n * 1000);
    if (d == 0) {
        return n;
    }
    return ((int64_t)n * 1000 - d * FREQ_MHZ) / 1000 + 1;
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

static void test_reset_values(void)
{
    QTestState *qts = start();
    int tmr;

    for (tmr = 0; tmr < 2; tmr++) {
        g_assert_cmphex(rd(qts, tmr, VAL), ==, 0);
        g_assert_cmphex(rd(qts, tmr, LOADVAL), ==, 0);
        g_assert_cmphex(rd(qts, tmr, BGLOADVAL), ==, 0);
        g_assert_cmphex(rd(qts, tmr, CTRL), ==, 0);
        g_assert_cmphex(rd(qts, tmr, RIS), ==, 0);
        g_assert_cmphex(rd(qts, tmr, MIS), ==, 0);
        g_assert_false(qtest_get_irq(qts, tmr));
    }
    qtest_quit(qts);
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
        g_assert_cmpuint(rd(qts, 0, VAL), ==, count_after(71000, d[i]));
        g_assert_cmpuint(rd(qts, 0, RIS), ==, 0);
    }
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 1);
    step_to(qts, t0 + 1000000);
    g_assert_cmpuint(rd(qts, 0, RIS), ==, 1);
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 71000);
    qtest_quit(qts);
}

static void test_periodic(void)
{
    QTestState *qts = start();
    int64_t t0 = arm_timer(qts, 0, 100, CTRL_INTEN);
    int k;

    /* reloads are exact: the k-th expiry is k * 100 counts after start */
    for (k = 1; k <= 8; k++) {
        int64_t e = t0 + ticks_ns(k * 100);

        step_to(qts, e - 1);
        g_assert_cmpuint(rd(qts, 0, VAL), ==, 1);
        g_assert_cmpuint(rd(qts, 0, RIS), ==, 0);
        step_to(qts, e);
        g_assert_cmpuint(rd(qts, 0, VAL), ==, 100);
        g_assert_cmpuint(rd(qts, 0, RIS), ==, 1);
        g_assert_true(qtest_get_irq(qts, 0));
        wr(qts, 0, RIS, 1);
        g_assert_false(qtest_get_irq(qts, 0));
    }
    qtest_quit(qts);
}

static void test_oneshot(void)
{
    QTestState *qts = start();
    int64_t t0 = arm_timer(qts, 0, 1000, CTRL_ONESHOT | CTRL_INTEN);
    int64_t e = t0 + ticks_ns(1000);

    step_to(qts, e - 1);
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 1);
    g_assert_false(qtest_get_irq(qts, 0));
    step_to(qts, e);
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 0);
    g_assert_cmpuint(rd(qts, 0, RIS), ==, 1);
    g_assert_true(qtest_get_irq(qts, 0));
    wr(qts, 0, RIS, 1);
    /* stopped at zero: no further interrupt */
    step_to(qts, e + 10 * ticks_ns(1000));
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 0);
    g_assert_cmpuint(rd(qts, 0, RIS), ==, 0);
    g_assert_false(qtest_get_irq(qts, 0));
    /* toggling ENABLE does not restart it */
    wr(qts, 0, CTRL, CTRL_ONESHOT | CTRL_INTEN);
    wr(qts, 0, CTRL, CTRL_ONESHOT | CTRL_INTEN | CTRL_ENABLE);
    step_to(qts, clock_ns + 10 * ticks_ns(1000));
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 0);
    g_assert_cmpuint(rd(qts, 0, RIS), ==, 0);
    qtest_quit(qts);
}

static void test_oneshot_restart(void)
{
    QTestState *qts = start();
    int64_t t0 = arm_timer(qts, 0, 50, CTRL_ONESHOT);
    int64_t t1;

    step_to(qts, t0 + ticks_ns(50) + 100);
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 0);
    wr(qts, 0, RIS, 1);
    /* a non-zero LOADVAL restarts a one-shot timer */
    wr(qts, 0, LOADVAL, 30);
    t1 = clock_ns;
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 30);
    step_to(qts, t1 + ticks_ns(30) - 1);
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 1);
    g_assert_cmpuint(rd(qts, 0, RIS), ==, 0);
    step_to(qts, t1 + ticks_ns(30));
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 0);
    g_assert_cmpuint(rd(qts, 0, RIS), ==, 1);
    wr(qts, 0, RIS, 1);
    /* so does a switch to periodic mode: it reloads from LOADVAL */
    step_to(qts, clock_ns + 1000);
    wr(qts, 0, CTRL, CTRL_ENABLE);
    t1 = clock_ns;
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 30);
    step_to(qts, t1 + ticks_ns(30));
    g_assert_cmpuint(rd(qts, 0, RIS), ==, 1);
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 30);
    qtest_quit(qts);
}

static void test_loadval_running(void)
{
    QTestState *qts = start();
    int64_t t0 = arm_timer(qts, 0, 1000, 0);
    int64_t t1;

    step_to(qts, t0 + 5000);
    g_assert_cmpuint(rd(qts, 0, VAL), ==, count_after(1000, 5000));
    /* LOADVAL goes into the counter at once */
    wr(qts, 0, LOADVAL, 200);
    t1 = clock_ns;
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 200);
    step_to(qts, t1 + 777);
    g_assert_cmpuint(rd(qts, 0, VAL), ==, count_after(200, 777));
    step_to(qts, t1 + ticks_ns(200) - 1);
    g_assert_cmpuint(rd(qts, 0, RIS), ==, 0);
    step_to(qts, t1 + ticks_ns(200));
    g_assert_cmpuint(rd(qts, 0, RIS), ==, 1);
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 200);
    qtest_quit(qts);
}

static void test_bgloadval_running(void)
{
    QTestState *qts = start();
    int64_t t0 = arm_timer(qts, 0, 1000, 0);
    int64_t e = t0 + ticks_ns(1000);

    step_to(qts, t0 + 5000);
    wr(qts, 0, BGLOADVAL, 300);
    /* the count goes on; LOADVAL reads the new value */
    g_assert_cmpuint(rd(qts, 0, VAL), ==, count_after(1000, 5000));
    g_assert_cmpuint(rd(qts, 0, LOADVAL), ==, 300);
    g_assert_cmpuint(rd(qts, 0, BGLOADVAL), ==, 300);
    step_to(qts, e - 1);
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 1);
    step_to(qts, e);
    g_assert_cmpuint(rd(qts, 0, RIS), ==, 1);
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 300);
    wr(qts, 0, RIS, 1);
    /* next period: 300 counts, from the exact instant of the reload */
    step_to(qts, t0 + ticks_ns(1300) - 1);
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 1);
    g_assert_cmpuint(rd(qts, 0, RIS), ==, 0);
    step_to(qts, t0 + ticks_ns(1300));
    g_assert_cmpuint(rd(qts, 0, RIS), ==, 1);
    qtest_quit(qts);
}

static void test_ctrl_write_keeps_count(void)
{
    QTestState *qts = start();
    int64_t t0 = arm_timer(qts, 0, 1000, 0);

    step_to(qts, t0 + 7000);
    /* enabling the interrupt does not reload the counter */
    wr(qts, 0, CTRL, CTRL_ENABLE | CTRL_INTEN);
    g_assert_cmpuint(rd(qts, 0, VAL), ==, count_after(1000, 7000));
    step_to(qts, t0 + ticks_ns(1000) - 1);
    g_assert_false(qtest_get_irq(qts, 0));
    step_to(qts, t0 + ticks_ns(1000));
    g_assert_true(qtest_get_irq(qts, 0));
    qtest_quit(qts);
}

static void test_disable_enable(void)
{
    QTestState *qts = start();
    int64_t t0 = arm_timer(qts, 0, 1000, 0);
    uint32_t held;
    int64_t t1;

    step_to(qts, t0 + 3000);
    wr(qts, 0, CTRL, 0);
    held = rd(qts, 0, VAL);
    g_assert_cmpuint(held, ==, count_after(1000, 3000));
    step_to(qts, t0 + 100000);
    g_assert_cmpuint(rd(qts, 0, VAL), ==, held);
    g_assert_cmpuint(rd(qts, 0, RIS), ==, 0);
    /* enabling again counts on from the held value */
    wr(qts, 0, CTRL, CTRL_ENABLE);
    t1 = clock_ns;
    step_to(qts, t1 + ticks_ns(held) - 1);
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 1);
    step_to(qts, t1 + ticks_ns(held));
    g_assert_cmpuint(rd(qts, 0, RIS), ==, 1);
    qtest_quit(qts);
}

static void test_loadval_disabled(void)
{
    QTestState *qts = start();
    int64_t t1;

    /* written while disabled, LOADVAL is in the counter at once */
    wr(qts, 0, LOADVAL, 500);
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 500);
    step_to(qts, clock_ns + 10000);
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 500);
    wr(qts, 0, CTRL, CTRL_ENABLE);
    t1 = clock_ns;
    step_to(qts, t1 + ticks_ns(500));
    g_assert_cmpuint(rd(qts, 0, RIS), ==, 1);
    qtest_quit(qts);
}

static void test_loadval_zero(void)
{
    QTestState *qts = start();
    int64_t t0 = arm_timer(qts, 0, 1000, CTRL_INTEN);

    step_to(qts, t0 + 1000);
    /* loading zero is not a decrement to zero: no interrupt */
    wr(qts, 0, LOADVAL, 0);
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 0);
    g_assert_cmpuint(rd(qts, 0, RIS), ==, 0);
    step_to(qts, t0 + 100000);
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 0);
    g_assert_cmpuint(rd(qts, 0, RIS), ==, 0);
    g_assert_false(qtest_get_irq(qts, 0));
    qtest_quit(qts);
}

static void test_interrupt_mask(void)
{
    QTestState *qts = start();
    int64_t t0 = arm_timer(qts, 1, 10, 0);

    step_to(qts, t0 + ticks_ns(10));
    /* raw status set, masked one and the line not */
    g_assert_cmpuint(rd(qts, 1, RIS), ==, 1);
    g_assert_cmpuint(rd(qts, 1, MIS), ==, 0);
    g_assert_false(qtest_get_irq(qts, 1));
    wr(qts, 1, CTRL, CTRL_ENABLE | CTRL_INTEN);
    g_assert_cmpuint(rd(qts, 1, MIS), ==, 1);
    g_assert_true(qtest_get_irq(qts, 1));
    /* writing 0 does not clear it, writing 1 does */
    wr(qts, 1, RIS, 0);
    g_assert_cmpuint(rd(qts, 1, RIS), ==, 1);
    wr(qts, 1, RIS, 1);
    g_assert_cmpuint(rd(qts, 1, RIS), ==, 0);
    g_assert_cmpuint(rd(qts, 1, MIS), ==, 0);
    g_assert_false(qtest_get_irq(qts, 1));
    g_assert_false(qtest_get_irq(qts, 0));
    qtest_quit(qts);
}

static void test_two_timers(void)
{
    QTestState *qts = start();
    int64_t t0 = arm_timer(qts, 0, 700, CTRL_INTEN);
    int64_t t1 = arm_timer(qts, 1, 300, CTRL_INTEN | CTRL_ONESHOT);

    g_assert_cmpint(t0, ==, t1);
    step_to(qts, t0 + ticks_ns(300));
    g_assert_cmpuint(rd(qts, 1, VAL), ==, 0);
    g_assert_true(qtest_get_irq(qts, 1));
    g_assert_false(qtest_get_irq(qts, 0));
    g_assert_cmpuint(rd(qts, 0, VAL), ==,
                     count_after(700, ticks_ns(300)));
    step_to(qts, t0 + ticks_ns(700));
    g_assert_true(qtest_get_irq(qts, 0));
    g_assert_cmpuint(rd(qts, 0, VAL), ==, 700);
    qtest_quit(qts);
}

static void test_system_reset(void)
{
    QTestState *qts = start();
    int64_t t0 = arm_timer(qts, 0, 100, CTRL_INTEN);

    wr(qts, 0, BGLOADVAL, 100);
    step_to(qts, t0 + ticks_ns(100));
    g_assert_cmpuint(rd(qts, 0, RIS), ==, 1);
    qtest_system_reset(qts);
    g_assert_cmphex(rd(qts, 0, CTRL), ==, 0);
    g_assert_cmphex(rd(qts, 0, LOADVAL), ==, 0);
    g_assert_cmphex(rd(qts, 0, BGLOADVAL), ==, 0);
    g_assert_cmphex(rd(qts, 0, RIS), ==, 0);
    g_assert_cmphex(rd(qts, 0, VAL), ==, 0);
    step_to(qts, clock_ns + 100000);
    g_assert_cmphex(rd(qts, 0, VAL), ==, 0);
    g_assert_cmphex(rd(qts, 0, RIS), ==, 0);
    qtest_quit(qts);
}

/*
 * The race: 1 ns before, at, and 1 ns after each instant the counter
 * reaches zero, the count and the interrupt status agree: the counter has
 * reloaded (periodic) or reads 0 (one-shot) exactly when RIS, MIS and the
 * interrupt line say the timer expired.
 */
static void check_race(QTestState *qts, int tmr, int64_t e, uint32_t after)
{
    int64_t t;

    for (t = e - 1; t <= e + 1; t++) {
        uint32_t val, ris, mis;
        bool line;

        step_to(qts, t);
        val = rd(qts, tmr, VAL);
        ris = rd(qts, tmr, RIS);
        mis = rd(qts, tmr, MIS);
        line = qtest_get_irq(qts, tmr);
        if (t < e) {
            g_assert_cmpuint(val, ==, 1);
            g_assert_cmpuint(ris, ==, 0);
            g_assert_cmpuint(mis, ==, 0);
            g_assert_false(line);
        } else {
            g_assert_cmpuint(val, ==, after);
            g_assert_cmpuint(ris, ==, 1);
            g_assert_cmpuint(mis, ==, 1);
            g_assert_true(line);
        }
    }
    wr(qts, tmr, RIS, 1);
    g_assert_false(qtest_get_irq(qts, tmr));
}

static void test_race_periodic(gconstpointer data)
{
    int tmr = GPOINTER_TO_INT(data);
    QTestState *qts = start();
    int64_t t0 = arm_timer(qts, tmr, 37, CTRL_INTEN);
    int k;

    for (k = 1; k <= 6; k++) {
        check_race(qts, tmr, t0 + ticks_ns(k * 37), 37);
    }
    qtest_quit(qts);
}

static void test_race_oneshot(gconstpointer data)
{
    int tmr = GPOINTER_TO_INT(data);
    QTestState *qts = start();
    int64_t t0 = arm_timer(qts, tmr, 1234, CTRL_INTEN | CTRL_ONESHOT);

    check_race(qts, tmr, t0 + ticks_ns(1234), 0);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("mss-timer/reset_values", test_reset_values);
    qtest_add_func("mss-timer/count_71mhz", test_count_71mhz);
    qtest_add_func("mss-timer/periodic", test_periodic);
    qtest_add_func("mss-timer/oneshot", test_oneshot);
    qtest_add_func("mss-timer/oneshot_restart", test_oneshot_restart);
    qtest_add_func("mss-timer/loadval_running", test_loadval_running);
    qtest_add_func("mss-timer/bgloadval_running", test_bgloadval_running);
    qtest_add_func("mss-timer/ctrl_write_keeps_count",
                   test_ctrl_write_keeps_count);
    qtest_add_func("mss-timer/disable_enable", test_disable_enable);
    qtest_add_func("mss-timer/loadval_disabled", test_loadval_disabled);
    qtest_add_func("mss-timer/loadval_zero", test_loadval_zero);
    qtest_add_func("mss-timer/interrupt_mask", test_interrupt_mask);
    qtest_add_func("mss-timer/two_timers", test_two_timers);
    qtest_add_func("mss-timer/system_reset", test_system_reset);
    qtest_add_data_func("mss-timer/race_periodic/timer1",
                        GINT_TO_POINTER(0), test_race_periodic);
    qtest_add_data_func("mss-timer/race_periodic/timer2",
                        GINT_TO_POINTER(1), test_race_periodic);
    qtest_add_data_func("mss-timer/race_oneshot/timer1",
                        GINT_TO_POINTER(0), test_race_oneshot);
    qtest_add_data_func("mss-timer/race_oneshot/timer2",
                        GINT_TO_POINTER(1), test_race_oneshot);

    return g_test_run();
}
