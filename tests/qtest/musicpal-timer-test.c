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
 * expiry and never lowers it: there is no timer register to acknowledge
 * it, the guest acknowledges at the PIC.
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

static bool irq_at(QTestState *qts, int n, int64_t t)
{
    set_time(qts, t);
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
    /* the reset clears the counters */
    for (n = 0; n < 4; n++) {
        g_assert_cmpuint(qtest_readl(qts, PIT_VALUE(n)), ==, 0);
    }
    qtest_writel(qts, PIC_ENABLE_SET, 0xf0);
    g_assert_cmphex(qtest_readl(qts, PIC_STATUS), ==, 0);
    /* Nothing runs after the reset: no count, no interrupt. */
    qtest_writel(qts, PIT_CONTROL, 0xffff);
    set_time(qts, cur_ns + 100 * TICK_NS);
    g_assert_cmphex(qtest_readl(qts, PIC_STATUS), ==, 0);
    for (n = 0; n < 4; n++) {
        g_assert_cmpuint(qtest_readl(qts, PIT_VALUE(n)), ==, 0);
    }
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/musicpal-timer/reset-state", test_reset_state);
    qtest_add_func("/musicpal-timer/system-reset", test_system_reset);

    return g_test_run();
}
