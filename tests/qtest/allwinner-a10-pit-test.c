/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * QTest for the Allwinner A10 programmable interval timer (cubieboard)
 *
 * Copyright (c) 2026 The ptimer-ng authors
 */

#include "qemu/osdep.h"
#include "libqtest.h"

#define PIT_BASE        0x01c20c00
#define IRQ_EN          0x00
#define IRQ_STA         0x04
#define CTRL(n)         (0x10 + 0x10 * (n))
#define INTV(n)         (0x14 + 0x10 * (n))
#define CUR(n)          (0x18 + 0x10 * (n))

#define CTRL_EN         (1u << 0)
#define CTRL_RELOAD     (1u << 1)
#define CTRL_SRC(x)     ((uint32_t)(x) << 2)
#define CTRL_PRES(x)    ((uint32_t)(x) << 4)
#define CTRL_SINGLE     (1u << 7)

#define SRC_OSC24M      1

#define CTRL_RESET      CTRL_SRC(SRC_OSC24M)

#define NTIMERS         6

/*
 * Interrupt controller inputs of timers 0-5 (hw/arm/allwinner-a10.c); the
 * SoC container owns the controller's inputs (qdev_pass_gpios).
 */
static const int timer_irq[NTIMERS] = { 22, 23, 24, 25, 67, 68 };

/* The virtual clock, as last returned by the qtest server */
static int64_t clock_ns;

static QTestState *start(void)
{
    QTestState *qts = qtest_init("-machine cubieboard");

    qtest_irq_intercept_in(qts, "/machine/soc");
    clock_ns = qtest_clock_step(qts, 1);
    return qts;
}

static uint32_t rd(QTestState *qts, uint32_t reg)
{
    return qtest_readl(qts, PIT_BASE + reg);
}

static void wr(QTestState *qts, uint32_t reg, uint32_t val)
{
    qtest_writel(qts, PIT_BASE + reg, val);
}

static int64_t now(QTestState *qts)
{
    return clock_ns;
}

static void step(QTestState *qts, int64_t dt)
{
    clock_ns = qtest_clock_step(qts, dt);
}

/* Advance the virtual clock to @t0 + @dt */
static void step_to(QTestState *qts, int64_t t0, int64_t dt)
{
    int64_t t = t0 + dt;

    g_assert_cmpint(t, >, clock_ns);
    clock_ns = qtest_clock_set(qts, t);
    g_assert_cmpint(clock_ns, ==, t);
}

static bool pending(QTestState *qts, int n)
{
    return rd(qts, IRQ_STA) & (1u << n);
}

/*
 * Start timer @n from @intv with OSC24M / 2^@pres, in continuous mode or
 * single mode; returns the instant of the load.
 */
static int64_t start_timer(QTestState *qts, int n, uint32_t intv, int pres,
                           bool single)
{
    wr(qts, INTV(n), intv);
    wr(qts, CTRL(n), CTRL_EN | CTRL_RELOAD | CTRL_SRC(SRC_OSC24M) |
       CTRL_PRES(pres) | (single ? CTRL_SINGLE : 0));
    return now(qts);
}

static void test_reset_values(void)
{
    QTestState *qts = start();
    int n;

    g_assert_cmphex(rd(qts, IRQ_EN), ==, 0);
    g_assert_cmphex(rd(qts, IRQ_STA), ==, 0);
    for (n = 0; n < NTIMERS; n++) {
        g_assert_cmphex(rd(qts, CTRL(n)), ==, CTRL_RESET);
        g_assert_cmphex(rd(qts, INTV(n)), ==, 0);
        g_assert_cmphex(rd(qts, CUR(n)), ==, 0);
    }
    /* Nothing counts and nothing interrupts out of reset */
    step(qts, 1000000);
    for (n = 0; n < NTIMERS; n++) {
        g_assert_cmphex(rd(qts, CUR(n)), ==, 0);
        g_assert_false(qtest_get_irq(qts, timer_irq[n]));
    }
    g_assert_cmphex(rd(qts, IRQ_STA), ==, 0);
    qtest_quit(qts);
}

static void test_system_reset(void)
{
    QTestState *qts = start();
    int64_t t0 = start_timer(qts, 0, 3000, 0, false);
    int n;

    wr(qts, IRQ_EN, 1);
    start_timer(qts, 1, 300, 0, true);
    step_to(qts, t0, 50020);
    /* timer 2 paused at a non-zero count */
    wr(qts, INTV(2), 900);
    wr(qts, CTRL(2), CTRL_RELOAD | CTRL_SRC(SRC_OSC24M));
    g_assert_cmpuint(rd(qts, CUR(2)), ==, 900);
    g_assert_true(pending(qts, 1));

    qtest_system_reset(qts);

    g_assert_cmphex(rd(qts, IRQ_EN), ==, 0);
    g_assert_cmphex(rd(qts, IRQ_STA), ==, 0);
    for (n = 0; n < NTIMERS; n++) {
        g_assert_cmphex(rd(qts, CTRL(n)), ==, CTRL_RESET);
        g_assert_cmphex(rd(qts, INTV(n)), ==, 0);
        g_assert_cmphex(rd(qts, CUR(n)), ==, 0);
        g_assert_false(qtest_get_irq(qts, timer_irq[n]));
    }
    step(qts, 1000000);
    g_assert_cmphex(rd(qts, IRQ_STA), ==, 0);

    /* Enabling timer 2 loads the new interval, not the old count */
    wr(qts, INTV(2), 30);
    wr(qts, CTRL(2), CTRL_EN | CTRL_SRC(SRC_OSC24M));
    g_assert_cmpuint(rd(qts, CUR(2)), ==, 30);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/allwinner-a10-pit/reset-values", test_reset_values);
    qtest_add_func("/allwinner-a10-pit/system-reset", test_system_reset);

    return g_test_run();
}
