/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * QTest for the Allwinner A10 programmable interval timer (cubieboard)
 *
 * Copyright (c) 2026 The ptimer-ng authors
 *
 * The guest's view is checked at exact virtual-clock instants: the count
 * read from TMRx_CUR_VALUE is the hardware count (the interval value right
 * after a load, one less after each tick), TMR_IRQ_STA is set in the very
 * instant the counter reaches zero, and the count and the pending bit
 * always agree around that instant.
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

#define SRC_LOSC        0
#define SRC_OSC24M      1
#define SRC_PLL6        2

#define CTRL_RESET      CTRL_SRC(SRC_OSC24M)

#define NTIMERS         6

/*
 * Interrupt controller inputs of timers 0-5 (hw/arm/allwinner-a10.c); the
 * SoC container owns the controller's inputs (qdev_pass_gpios).
 */
static const int timer_irq[NTIMERS] = { 22, 23, 24, 25, 67, 68 };

/*
 * OSC24M divided by 2^pres ticks every 125 * 2^pres / 3 ns: a count that
 * is a multiple of 3 ends at an integer instant.
 */
static int64_t osc24m_ns(uint32_t ticks, int pres)
{
    g_assert(ticks % 3 == 0);
    return (int64_t)ticks / 3 * 125 * (1 << pres);
}

/* Hardware count at @t ns after a load of @n, between two ticks */
static uint32_t osc24m_count(uint32_t n, int pres, int64_t t)
{
    int64_t ticks = t * 3 / (125 * (1 << pres));

    g_assert(t * 3 % (125 * (1 << pres)) != 0);
    return n - ticks;
}

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

static void test_periodic_count(void)
{
    QTestState *qts = start();
    int64_t t0 = start_timer(qts, 0, 3000, 0, false);
    static const int64_t at[] = { 10, 41, 42, 50020, 62520, 124990 };
    int i;

    /* The count reads the interval value right after the load */
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 3000);
    for (i = 0; i < ARRAY_SIZE(at); i++) {
        step_to(qts, t0, at[i]);
        g_assert_cmpuint(rd(qts, CUR(0)), ==, osc24m_count(3000, 0, at[i]));
        g_assert_false(pending(qts, 0));
    }
    qtest_quit(qts);
}

static void test_periodic_reload(void)
{
    QTestState *qts = start();
    int64_t e = osc24m_ns(3000, 0);
    int64_t t0;
    int k;

    wr(qts, IRQ_EN, 1);
    t0 = start_timer(qts, 0, 3000, 0, false);
    for (k = 1; k <= 5; k++) {
        step_to(qts, t0, k * e - 1);
        g_assert_false(pending(qts, 0));
        g_assert_false(qtest_get_irq(qts, timer_irq[0]));
        step_to(qts, t0, k * e);
        g_assert_true(pending(qts, 0));
        g_assert_true(qtest_get_irq(qts, timer_irq[0]));
        /* reloaded from the interval value, ticking again */
        step_to(qts, t0, k * e + 20);
        g_assert_cmpuint(rd(qts, CUR(0)), ==, 3000);
        step_to(qts, t0, k * e + 1000 + 20);
        g_assert_cmpuint(rd(qts, CUR(0)), ==, 3000 - 24);
        wr(qts, IRQ_STA, 1);
        g_assert_false(pending(qts, 0));
        g_assert_false(qtest_get_irq(qts, timer_irq[0]));
    }
    /* still enabled, still continuous */
    g_assert_cmphex(rd(qts, CTRL(0)), ==, CTRL_EN | CTRL_SRC(SRC_OSC24M));
    qtest_quit(qts);
}

/*
 * The race: at the instant the counter reaches zero, the count read and
 * the pending bit agree, whichever is read first.
 */
static void check_race(bool single)
{
    QTestState *qts = start();
    int64_t e = osc24m_ns(3000, 0);
    uint32_t after = single ? 0 : 3000;
    int64_t t0;

    wr(qts, IRQ_EN, 1);
    t0 = start_timer(qts, 0, 3000, 0, single);

    step_to(qts, t0, e - 1);
    g_assert_false(pending(qts, 0));
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 1);
    g_assert_false(pending(qts, 0));
    g_assert_false(qtest_get_irq(qts, timer_irq[0]));
    g_assert_true(rd(qts, CTRL(0)) & CTRL_EN);

    step_to(qts, t0, e);
    g_assert_true(pending(qts, 0));
    g_assert_cmpuint(rd(qts, CUR(0)), ==, after);
    g_assert_true(pending(qts, 0));
    g_assert_true(qtest_get_irq(qts, timer_irq[0]));
    g_assert_cmpint(!!(rd(qts, CTRL(0)) & CTRL_EN), ==, !single);

    step_to(qts, t0, e + 1);
    g_assert_cmpuint(rd(qts, CUR(0)), ==, after);
    g_assert_true(pending(qts, 0));

    if (single) {
        /* stopped at zero: no more interrupts */
        wr(qts, IRQ_STA, 1);
        step_to(qts, t0, 10 * e);
        g_assert_cmpuint(rd(qts, CUR(0)), ==, 0);
        g_assert_false(pending(qts, 0));
        g_assert_false(qtest_get_irq(qts, timer_irq[0]));
    }
    qtest_quit(qts);
}

static void test_race_periodic(void)
{
    check_race(false);
}

static void test_race_single(void)
{
    check_race(true);
}

/* The race again with an expiry instant that is not a whole nanosecond */
static void test_race_fractional(void)
{
    QTestState *qts = start();
    /* 1000 ticks of 125/3 ns end at 41666.67 ns: seen from 41667 ns on */
    int64_t t0 = start_timer(qts, 0, 1000, 0, false);

    step_to(qts, t0, 41666);
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 1);
    g_assert_false(pending(qts, 0));
    step_to(qts, t0, 41667);
    g_assert_true(pending(qts, 0));
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 1000);
    /* the next period is anchored at the exact instant, not at 41667 */
    wr(qts, IRQ_STA, 1);
    step_to(qts, t0, 83333);
    g_assert_false(pending(qts, 0));
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 1);
    step_to(qts, t0, 83334);
    g_assert_true(pending(qts, 0));
    qtest_quit(qts);
}

static void test_single_restart(void)
{
    QTestState *qts = start();
    int64_t e = osc24m_ns(3000, 0);
    int64_t t0 = start_timer(qts, 0, 3000, 0, true);
    int64_t t1;

    step_to(qts, t0, e);
    g_assert_true(pending(qts, 0));
    g_assert_cmphex(rd(qts, CTRL(0)), ==, CTRL_SINGLE | CTRL_SRC(SRC_OSC24M));
    wr(qts, IRQ_STA, 1);

    /* Starting again without RELOAD loads the interval value (count 0) */
    step_to(qts, t0, 2 * e);
    t1 = now(qts);
    wr(qts, CTRL(0), rd(qts, CTRL(0)) | CTRL_EN);
    g_assert_false(pending(qts, 0));
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 3000);
    step_to(qts, t1, e - 1);
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 1);
    g_assert_false(pending(qts, 0));
    step_to(qts, t1, e);
    g_assert_true(pending(qts, 0));
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 0);
    g_assert_false(rd(qts, CTRL(0)) & CTRL_EN);
    qtest_quit(qts);
}

static void test_start_from_zero(void)
{
    QTestState *qts = start();
    int64_t t0;

    /* Out of reset the count is 0: enabling loads INTV, no interrupt */
    wr(qts, IRQ_EN, 1 << 2);
    wr(qts, INTV(2), 300);
    wr(qts, CTRL(2), CTRL_EN | CTRL_SRC(SRC_OSC24M));
    t0 = now(qts);
    g_assert_cmpuint(rd(qts, IRQ_STA), ==, 0);
    g_assert_false(qtest_get_irq(qts, timer_irq[2]));
    g_assert_cmpuint(rd(qts, CUR(2)), ==, 300);
    step_to(qts, t0, osc24m_ns(300, 0) - 1);
    g_assert_false(pending(qts, 2));
    step_to(qts, t0, osc24m_ns(300, 0));
    g_assert_true(pending(qts, 2));
    g_assert_true(qtest_get_irq(qts, timer_irq[2]));
    qtest_quit(qts);
}

static void test_pause_resume(void)
{
    QTestState *qts = start();
    int64_t t0 = start_timer(qts, 0, 3000, 0, false);
    int64_t t1;
    uint32_t held;

    step_to(qts, t0, 50020);            /* 1200.48 ticks */
    held = rd(qts, CUR(0));
    g_assert_cmpuint(held, ==, 1800);
    wr(qts, CTRL(0), CTRL_SRC(SRC_OSC24M));
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 1800);
    step(qts, 10000000);
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 1800);
    g_assert_false(pending(qts, 0));

    /* Enabling without RELOAD resumes from the held count */
    wr(qts, CTRL(0), CTRL_EN | CTRL_SRC(SRC_OSC24M));
    t1 = now(qts);
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 1800);
    step_to(qts, t1, osc24m_ns(1800, 0) - 1);
    g_assert_false(pending(qts, 0));
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 1);
    step_to(qts, t1, osc24m_ns(1800, 0));
    g_assert_true(pending(qts, 0));
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 3000);
    qtest_quit(qts);
}

static void test_intv_write_running(void)
{
    QTestState *qts = start();
    int64_t e = osc24m_ns(3000, 0);
    int64_t t0 = start_timer(qts, 0, 3000, 0, false);

    /* A new interval does not touch the running count... */
    step_to(qts, t0, 50020);
    wr(qts, INTV(0), 600);
    g_assert_cmpuint(rd(qts, INTV(0)), ==, 600);
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 1800);
    step_to(qts, t0, e - 1);
    g_assert_false(pending(qts, 0));
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 1);
    /* ...it is loaded when the counter reaches zero */
    step_to(qts, t0, e);
    g_assert_true(pending(qts, 0));
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 600);
    wr(qts, IRQ_STA, 1);
    step_to(qts, t0, e + osc24m_ns(600, 0) - 1);
    g_assert_false(pending(qts, 0));
    step_to(qts, t0, e + osc24m_ns(600, 0));
    g_assert_true(pending(qts, 0));
    qtest_quit(qts);
}

static void test_reload_bit_running(void)
{
    QTestState *qts = start();
    int64_t e = osc24m_ns(3000, 0);
    int64_t t0 = start_timer(qts, 0, 3000, 0, false);
    int64_t t1;

    /* RELOAD is a command: it reads back as 0 */
    g_assert_cmphex(rd(qts, CTRL(0)), ==, CTRL_EN | CTRL_SRC(SRC_OSC24M));

    step_to(qts, t0, 100020);
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 600);
    wr(qts, CTRL(0), CTRL_EN | CTRL_RELOAD | CTRL_SRC(SRC_OSC24M));
    t1 = now(qts);
    g_assert_cmphex(rd(qts, CTRL(0)), ==, CTRL_EN | CTRL_SRC(SRC_OSC24M));
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 3000);
    step_to(qts, t0, e);
    g_assert_false(pending(qts, 0));
    step_to(qts, t1, e - 1);
    g_assert_false(pending(qts, 0));
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 1);
    step_to(qts, t1, e);
    g_assert_true(pending(qts, 0));

    /* Writing the control register again without RELOAD keeps the phase */
    wr(qts, IRQ_STA, 1);
    step_to(qts, t1, e + 20);
    wr(qts, CTRL(0), rd(qts, CTRL(0)));
    step_to(qts, t1, 2 * e - 1);
    g_assert_false(pending(qts, 0));
    step_to(qts, t1, 2 * e);
    g_assert_true(pending(qts, 0));
    qtest_quit(qts);
}

static void test_reload_bit_stopped(void)
{
    QTestState *qts = start();

    wr(qts, INTV(1), 1234);
    g_assert_cmpuint(rd(qts, CUR(1)), ==, 0);
    wr(qts, CTRL(1), CTRL_RELOAD | CTRL_SRC(SRC_OSC24M));
    g_assert_cmphex(rd(qts, CTRL(1)), ==, CTRL_SRC(SRC_OSC24M));
    g_assert_cmpuint(rd(qts, CUR(1)), ==, 1234);
    step(qts, 1000000);
    g_assert_cmpuint(rd(qts, CUR(1)), ==, 1234);
    g_assert_cmpuint(rd(qts, IRQ_STA), ==, 0);
    qtest_quit(qts);
}

static void test_cur_write(void)
{
    QTestState *qts = start();
    int64_t e = osc24m_ns(3000, 0);
    int64_t t0 = start_timer(qts, 0, 3000, 0, false);
    int64_t t1;

    /* TMRx_CUR_VALUE is writable: a write loads the running counter */
    step_to(qts, t0, 20);
    wr(qts, CUR(0), 300);
    t1 = now(qts);
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 300);
    step_to(qts, t1, osc24m_ns(300, 0) - 1);
    g_assert_false(pending(qts, 0));
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 1);
    step_to(qts, t1, osc24m_ns(300, 0));
    g_assert_true(pending(qts, 0));
    /* then the interval value again */
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 3000);
    step_to(qts, t1, osc24m_ns(300, 0) + e - 1);
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 1);

    /* and the paused counter */
    wr(qts, CTRL(0), CTRL_SRC(SRC_OSC24M));
    wr(qts, CUR(0), 77);
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 77);
    step(qts, 100000);
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 77);
    qtest_quit(qts);
}

static void test_prescaler(void)
{
    QTestState *qts = start();
    int pres;

    for (pres = 0; pres < 8; pres++) {
        int64_t e = osc24m_ns(3000, pres);
        int64_t t0 = start_timer(qts, 3, 3000, pres, true);

        g_assert_cmphex(rd(qts, CTRL(3)), ==, CTRL_EN | CTRL_SINGLE |
                        CTRL_SRC(SRC_OSC24M) | CTRL_PRES(pres));
        step_to(qts, t0, e / 2 + 20);
        g_assert_cmpuint(rd(qts, CUR(3)), ==,
                         osc24m_count(3000, pres, e / 2 + 20));
        step_to(qts, t0, e - 1);
        g_assert_false(pending(qts, 3));
        g_assert_cmpuint(rd(qts, CUR(3)), ==, 1);
        step_to(qts, t0, e);
        g_assert_true(pending(qts, 3));
        g_assert_cmpuint(rd(qts, CUR(3)), ==, 0);
        wr(qts, IRQ_STA, 1 << 3);
    }
    qtest_quit(qts);
}

static void test_losc(void)
{
    QTestState *qts = start();
    /* 32768 Hz / 128: exactly 3906250 ns per tick */
    const int64_t p = 3906250;
    int64_t t0;

    wr(qts, INTV(4), 4);
    wr(qts, CTRL(4), CTRL_EN | CTRL_RELOAD | CTRL_SRC(SRC_LOSC) |
       CTRL_PRES(7));
    t0 = now(qts);
    step_to(qts, t0, p - 1);
    g_assert_cmpuint(rd(qts, CUR(4)), ==, 4);
    step_to(qts, t0, p + 1);
    g_assert_cmpuint(rd(qts, CUR(4)), ==, 3);
    step_to(qts, t0, 3 * p + 1);
    g_assert_cmpuint(rd(qts, CUR(4)), ==, 1);
    step_to(qts, t0, 4 * p - 1);
    g_assert_false(pending(qts, 4));
    step_to(qts, t0, 4 * p);
    g_assert_true(pending(qts, 4));
    g_assert_false(qtest_get_irq(qts, timer_irq[4]));
    g_assert_cmpuint(rd(qts, CUR(4)), ==, 4);
    /* 1000 periods later, still on the exact grid */
    wr(qts, IRQ_STA, 1 << 4);
    step_to(qts, t0, 4000 * p - 1);
    g_assert_cmpuint(rd(qts, CUR(4)), ==, 1);
    step_to(qts, t0, 4000 * p);
    g_assert_true(pending(qts, 4));
    qtest_quit(qts);
}

static void test_prescaler_change_running(void)
{
    QTestState *qts = start();
    int64_t t0 = start_timer(qts, 0, 3000, 0, false);
    int64_t t1;

    step_to(qts, t0, 50020);
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 1800);
    /* switch to /4: the count carries on from 1800 at the new rate */
    wr(qts, CTRL(0), CTRL_EN | CTRL_SRC(SRC_OSC24M) | CTRL_PRES(2));
    t1 = now(qts);
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 1800);
    step_to(qts, t1, osc24m_ns(1800, 2) - 1);
    g_assert_false(pending(qts, 0));
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 1);
    step_to(qts, t1, osc24m_ns(1800, 2));
    g_assert_true(pending(qts, 0));
    qtest_quit(qts);
}

static void test_irq_enable_and_clear(void)
{
    QTestState *qts = start();
    int64_t e = osc24m_ns(300, 0);
    int64_t t0;

    t0 = start_timer(qts, 0, 300, 0, true);
    start_timer(qts, 1, 300, 0, true);
    step_to(qts, t0, e);

    /* pending is set whatever IRQ_EN says; the line follows IRQ_EN */
    g_assert_cmphex(rd(qts, IRQ_STA), ==, 0x3);
    g_assert_false(qtest_get_irq(qts, timer_irq[0]));
    g_assert_false(qtest_get_irq(qts, timer_irq[1]));
    wr(qts, IRQ_EN, 0x2);
    g_assert_false(qtest_get_irq(qts, timer_irq[0]));
    g_assert_true(qtest_get_irq(qts, timer_irq[1]));
    wr(qts, IRQ_EN, 0x3);
    g_assert_true(qtest_get_irq(qts, timer_irq[0]));

    /* write 1 to clear, 0 leaves the bit alone */
    wr(qts, IRQ_STA, 0x0);
    g_assert_cmphex(rd(qts, IRQ_STA), ==, 0x3);
    wr(qts, IRQ_STA, 0x1);
    g_assert_cmphex(rd(qts, IRQ_STA), ==, 0x2);
    g_assert_false(qtest_get_irq(qts, timer_irq[0]));
    g_assert_true(qtest_get_irq(qts, timer_irq[1]));
    wr(qts, IRQ_EN, 0x0);
    g_assert_false(qtest_get_irq(qts, timer_irq[1]));
    g_assert_cmphex(rd(qts, IRQ_STA), ==, 0x2);
    wr(qts, IRQ_STA, 0x2);
    g_assert_cmphex(rd(qts, IRQ_STA), ==, 0x0);
    qtest_quit(qts);
}

static void test_six_timers(void)
{
    QTestState *qts = start();
    int64_t t0 = now(qts);
    int n, k;

    wr(qts, IRQ_EN, 0x3f);
    for (n = 0; n < NTIMERS; n++) {
        wr(qts, INTV(n), 300 * (n + 1));
    }
    for (n = 0; n < NTIMERS; n++) {
        wr(qts, CTRL(n), CTRL_EN | CTRL_RELOAD | CTRL_SRC(SRC_OSC24M) |
           CTRL_SINGLE);
    }
    g_assert_cmpint(now(qts), ==, t0);
    for (k = 0; k < NTIMERS; k++) {
        step_to(qts, t0, osc24m_ns(300 * (k + 1), 0) - 1);
        for (n = 0; n < NTIMERS; n++) {
            g_assert_cmpint(pending(qts, n), ==, n < k);
            g_assert_cmpint(qtest_get_irq(qts, timer_irq[n]), ==, n < k);
            g_assert_cmpuint(rd(qts, CUR(n)), ==,
                             n < k ? 0 : 300 * (n - k) + 1);
        }
        step_to(qts, t0, osc24m_ns(300 * (k + 1), 0));
        g_assert_true(pending(qts, k));
        g_assert_true(qtest_get_irq(qts, timer_irq[k]));
    }
    g_assert_cmphex(rd(qts, IRQ_STA), ==, 0x3f);
    qtest_quit(qts);
}

static void test_unclocked_source(void)
{
    QTestState *qts = start();
    int64_t t0 = start_timer(qts, 0, 3000, 0, false);
    int64_t t1;

    step_to(qts, t0, 50020);
    /* PLL6/6 has no clock on this board: the counter holds */
    wr(qts, CTRL(0), CTRL_EN | CTRL_SRC(SRC_PLL6));
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 1800);
    step(qts, 10000000);
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 1800);
    g_assert_false(pending(qts, 0));
    /* reserved source 3 as well */
    wr(qts, CTRL(0), CTRL_EN | CTRL_SRC(3));
    step(qts, 10000000);
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 1800);
    /* back on OSC24M it goes on from there */
    wr(qts, CTRL(0), CTRL_EN | CTRL_SRC(SRC_OSC24M));
    t1 = now(qts);
    step_to(qts, t1, osc24m_ns(1800, 0) - 1);
    g_assert_false(pending(qts, 0));
    step_to(qts, t1, osc24m_ns(1800, 0));
    g_assert_true(pending(qts, 0));
    qtest_quit(qts);
}

static void test_mode_switch_running(void)
{
    QTestState *qts = start();
    int64_t e = osc24m_ns(3000, 0);
    int64_t t0 = start_timer(qts, 0, 3000, 0, false);

    /* continuous -> single while running: phase kept, stops at zero */
    step_to(qts, t0, 50020);
    wr(qts, CTRL(0), CTRL_EN | CTRL_SINGLE | CTRL_SRC(SRC_OSC24M));
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 1800);
    step_to(qts, t0, e - 1);
    g_assert_false(pending(qts, 0));
    step_to(qts, t0, e);
    g_assert_true(pending(qts, 0));
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 0);
    g_assert_false(rd(qts, CTRL(0)) & CTRL_EN);
    wr(qts, IRQ_STA, 1);
    step_to(qts, t0, 3 * e);
    g_assert_false(pending(qts, 0));
    qtest_quit(qts);
}

static void test_interval_zero(void)
{
    QTestState *qts = start();

    /* A zero interval must not hang or abort QEMU */
    wr(qts, IRQ_EN, 1);
    start_timer(qts, 0, 0, 0, false);
    step(qts, 1000000);
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 0);
    start_timer(qts, 0, 0, 0, true);
    step(qts, 1000000);
    g_assert_cmpuint(rd(qts, CUR(0)), ==, 0);
    /* and the timer still works afterwards */
    wr(qts, IRQ_STA, 1);
    start_timer(qts, 0, 300, 0, true);
    step(qts, osc24m_ns(300, 0));
    g_assert_true(pending(qts, 0));
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

static void test_bad_offsets(void)
{
    QTestState *qts = start();

    /* Holes in the register map read as zero and ignore writes */
    wr(qts, 0x1c, 0xffffffff);
    g_assert_cmphex(rd(qts, 0x1c), ==, 0);
    wr(qts, 0x6c, 0xffffffff);
    g_assert_cmphex(rd(qts, 0x6c), ==, 0);
    g_assert_cmphex(rd(qts, 0x08), ==, 0);
    g_assert_cmphex(rd(qts, CTRL(0)), ==, CTRL_RESET);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/allwinner-a10-pit/reset-values", test_reset_values);
    qtest_add_func("/allwinner-a10-pit/periodic-count", test_periodic_count);
    qtest_add_func("/allwinner-a10-pit/periodic-reload", test_periodic_reload);
    qtest_add_func("/allwinner-a10-pit/race-periodic", test_race_periodic);
    qtest_add_func("/allwinner-a10-pit/race-single", test_race_single);
    qtest_add_func("/allwinner-a10-pit/race-fractional", test_race_fractional);
    qtest_add_func("/allwinner-a10-pit/single-restart", test_single_restart);
    qtest_add_func("/allwinner-a10-pit/start-from-zero", test_start_from_zero);
    qtest_add_func("/allwinner-a10-pit/pause-resume", test_pause_resume);
    qtest_add_func("/allwinner-a10-pit/intv-write-running",
                   test_intv_write_running);
    qtest_add_func("/allwinner-a10-pit/reload-bit-running",
                   test_reload_bit_running);
    qtest_add_func("/allwinner-a10-pit/reload-bit-stopped",
                   test_reload_bit_stopped);
    qtest_add_func("/allwinner-a10-pit/cur-write", test_cur_write);
    qtest_add_func("/allwinner-a10-pit/prescaler", test_prescaler);
    qtest_add_func("/allwinner-a10-pit/losc", test_losc);
    qtest_add_func("/allwinner-a10-pit/prescaler-change-running",
                   test_prescaler_change_running);
    qtest_add_func("/allwinner-a10-pit/irq-enable-and-clear",
                   test_irq_enable_and_clear);
    qtest_add_func("/allwinner-a10-pit/six-timers", test_six_timers);
    qtest_add_func("/allwinner-a10-pit/unclocked-source",
                   test_unclocked_source);
    qtest_add_func("/allwinner-a10-pit/mode-switch-running",
                   test_mode_switch_running);
    qtest_add_func("/allwinner-a10-pit/interval-zero", test_interval_zero);
    qtest_add_func("/allwinner-a10-pit/system-reset", test_system_reset);
    qtest_add_func("/allwinner-a10-pit/bad-offsets", test_bad_offsets);

    return g_test_run();
}
