/*
 * QTest testcase for the GRLIB GPTIMER (leon3_generic machine)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "ptimer-qom.h"

#define GPT_BASE      0x80000300
#define SCALER        0x00
#define SCALER_RELOAD 0x04
#define UNIT_CONFIG   0x08
#define T_COUNTER(n)  (0x10 + (n) * 0x10)
#define T_RELOAD(n)   (0x14 + (n) * 0x10)
#define T_CTRL(n)     (0x18 + (n) * 0x10)

#define CTRL_EN  (1 << 0)
#define CTRL_RS  (1 << 1)
#define CTRL_LD  (1 << 2)
#define CTRL_IE  (1 << 3)
#define CTRL_IP  (1 << 4)

/*
 * The timers' interrupt lines: timer n pulses its output n, wired to
 * IRQMP input 6 + n (hw/sparc/leon3.c), which latches it in the IRQMP
 * pending register (the CPU never acknowledges it under qtest); writing
 * the bit to the clear register drops it.  The test observes the
 * outputs themselves too (line()): a pulse is raised and lowered in the
 * same instant, so qtest only ever sees the line low again, and the
 * latch in the IRQMP, which the outputs reach only through the
 * intercept, is what shows that the pulse went out.
 */
#define IRQMP_PENDING 0x80000204
#define IRQMP_CLEAR   0x8000020c
#define TIMER_IRQ(n)  (1u << (6 + (n)))

/* 40 MHz system clock, scaler reload 39: one timer tick every 1000 ns */
#define TICK 1000

static uint32_t rd(QTestState *qts, uint32_t off)
{
    return qtest_readl(qts, GPT_BASE + off);
}

static void wr(QTestState *qts, uint32_t off, uint32_t val)
{
    qtest_writel(qts, GPT_BASE + off, val);
}

static bool irq_pending(QTestState *qts, int n)
{
    return qtest_readl(qts, IRQMP_PENDING) & TIMER_IRQ(n);
}

static void irq_clear(QTestState *qts, int n)
{
    qtest_writel(qts, IRQMP_CLEAR, TIMER_IRQ(n));
}

/* Timer n's interrupt output */
static bool line(QTestState *qts, int n)
{
    return qtest_get_irq(qts, n);
}

/*
 * Whether timer n has pulsed its line since the last irq_clear(): the
 * IRQMP latched the pulse, and the line is low again (a pulse, not a
 * level that a guest would have to clear).
 */
static void expect_pulsed(QTestState *qts, int n, bool pulsed)
{
    g_assert_cmpint(irq_pending(qts, n), ==, pulsed);
    g_assert_false(line(qts, n));
}

/* Start the board and observe the GPTIMER's outputs, read with line() */
static QTestState *boot(void)
{
    QTestState *qts = qtest_init("-machine leon3_generic");

    ptimer_qom_intercept(qts, "/machine/unattached", "grlib-gptimer");
    return qts;
}

static QTestState *start(void)
{
    QTestState *qts = boot();

    wr(qts, SCALER_RELOAD, 39);
    return qts;
}

static void test_reset_values(void)
{
    QTestState *qts = boot();

    g_assert_cmphex(rd(qts, SCALER_RELOAD), ==, 0);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 0);
    g_assert_cmphex(rd(qts, T_RELOAD(0)), ==, 0);
    g_assert_cmphex(rd(qts, T_CTRL(0)), ==, 0);
    g_assert_cmphex(rd(qts, UNIT_CONFIG) & 7, ==, 2);
    qtest_quit(qts);
}

/* Counter value N lasts N + 1 ticks; without RS the timer stops at -1 */
static void test_oneshot(void)
{
    QTestState *qts = start();

    wr(qts, T_COUNTER(0), 9);
    wr(qts, T_CTRL(0), CTRL_EN | CTRL_IE);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 9);
    qtest_clock_step(qts, TICK);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 9);
    qtest_clock_step(qts, 1);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 8);
    qtest_clock_step(qts, 9 * TICK - 2);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 0);
    g_assert_cmphex(rd(qts, T_CTRL(0)), ==, CTRL_EN | CTRL_IE);
    expect_pulsed(qts, 0, false);
    qtest_clock_step(qts, 1);
    g_assert_cmphex(rd(qts, T_CTRL(0)), ==, CTRL_IE | CTRL_IP);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 0xffffffff);
    expect_pulsed(qts, 0, true);
    irq_clear(qts, 0);
    /* stopped: no further pulse */
    qtest_clock_step(qts, 100 * TICK);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 0xffffffff);
    expect_pulsed(qts, 0, false);
    /* re-enabling without LD goes on counting down from -1 */
    wr(qts, T_CTRL(0), CTRL_EN);
    qtest_clock_step(qts, TICK + 1);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 0xfffffffe);
    qtest_quit(qts);
}

/* With RS the period is (reload + 1) ticks, without drift */
static void test_periodic(void)
{
    QTestState *qts = start();
    int i;

    wr(qts, T_RELOAD(0), 4);
    wr(qts, T_CTRL(0), CTRL_EN | CTRL_RS | CTRL_LD | CTRL_IE);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 4);
    for (i = 0; i < 5; i++) {
        qtest_clock_step(qts, 5 * TICK - 1);
        g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 0);
        g_assert_false(rd(qts, T_CTRL(0)) & CTRL_IP);
        expect_pulsed(qts, 0, false);
        qtest_clock_step(qts, 1);
        g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 4);
        g_assert_cmphex(rd(qts, T_CTRL(0)), ==,
                        CTRL_EN | CTRL_RS | CTRL_IE | CTRL_IP);
        /* the line pulsed at the underflow */
        expect_pulsed(qts, 0, true);
        irq_clear(qts, 0);
        /* clear IP by writing 1 to it */
        wr(qts, T_CTRL(0), CTRL_EN | CTRL_RS | CTRL_IE | CTRL_IP);
        g_assert_cmphex(rd(qts, T_CTRL(0)), ==, CTRL_EN | CTRL_RS | CTRL_IE);
    }
    qtest_quit(qts);
}

/* Rollover race: count and IP agree at E - 1, E, E + 1 */
static void test_race(void)
{
    QTestState *qts = start();
    uint32_t cnt, ctrl;

    wr(qts, T_RELOAD(0), 2);
    wr(qts, T_CTRL(0), CTRL_EN | CTRL_RS | CTRL_LD | CTRL_IE);
    qtest_clock_step(qts, 3 * TICK - 1);
    cnt = rd(qts, T_COUNTER(0));
    ctrl = rd(qts, T_CTRL(0));
    g_assert_cmphex(cnt, ==, 0);
    g_assert_false(ctrl & CTRL_IP);
    qtest_clock_step(qts, 1);
    ctrl = rd(qts, T_CTRL(0));
    cnt = rd(qts, T_COUNTER(0));
    g_assert_true(ctrl & CTRL_IP);
    g_assert_cmphex(cnt, ==, 2);
    qtest_clock_step(qts, 1);
    cnt = rd(qts, T_COUNTER(0));
    ctrl = rd(qts, T_CTRL(0));
    g_assert_true(ctrl & CTRL_IP);
    g_assert_cmphex(cnt, ==, 2);

    /* one-shot: the count reads -1 iff IP is set */
    wr(qts, T_COUNTER(1), 1);
    wr(qts, T_CTRL(1), CTRL_EN | CTRL_IE);
    qtest_clock_step(qts, 2 * TICK - 1);
    g_assert_cmphex(rd(qts, T_COUNTER(1)), ==, 0);
    g_assert_false(rd(qts, T_CTRL(1)) & CTRL_IP);
    expect_pulsed(qts, 1, false);
    qtest_clock_step(qts, 1);
    g_assert_cmphex(rd(qts, T_COUNTER(1)), ==, 0xffffffff);
    g_assert_true(rd(qts, T_CTRL(1)) & CTRL_IP);
    expect_pulsed(qts, 1, true);
    qtest_clock_step(qts, 1);
    g_assert_cmphex(rd(qts, T_COUNTER(1)), ==, 0xffffffff);
    g_assert_true(rd(qts, T_CTRL(1)) & CTRL_IP);
    qtest_quit(qts);
}

/* LD loads the reload value and always reads as 0 */
static void test_load_bit(void)
{
    QTestState *qts = start();

    wr(qts, T_RELOAD(0), 7);
    wr(qts, T_CTRL(0), CTRL_LD);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 7);
    g_assert_cmphex(rd(qts, T_CTRL(0)), ==, 0);
    wr(qts, T_CTRL(0), CTRL_EN | CTRL_LD);
    g_assert_cmphex(rd(qts, T_CTRL(0)), ==, CTRL_EN);
    qtest_clock_step(qts, 3 * TICK + 1);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 4);
    qtest_quit(qts);
}

/* Clearing EN stops the count; setting it again resumes */
static void test_disable(void)
{
    QTestState *qts = start();

    wr(qts, T_COUNTER(0), 5);
    wr(qts, T_CTRL(0), CTRL_EN | CTRL_IE);
    qtest_clock_step(qts, 2 * TICK + 500);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 3);
    wr(qts, T_CTRL(0), CTRL_IE);
    qtest_clock_step(qts, 20 * TICK);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 3);
    g_assert_cmphex(rd(qts, T_CTRL(0)), ==, CTRL_IE);
    wr(qts, T_CTRL(0), CTRL_EN | CTRL_IE);
    qtest_clock_step(qts, 4 * TICK - 1);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 0);
    g_assert_false(rd(qts, T_CTRL(0)) & CTRL_IP);
    qtest_clock_step(qts, 1);
    g_assert_true(rd(qts, T_CTRL(0)) & CTRL_IP);
    qtest_quit(qts);
}

/* Writing the control register (e.g. to clear IP) does not restart */
static void test_ctrl_write_no_restart(void)
{
    QTestState *qts = start();

    wr(qts, T_COUNTER(0), 9);
    wr(qts, T_CTRL(0), CTRL_EN | CTRL_IE);
    qtest_clock_step(qts, 5 * TICK + 1);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 4);
    wr(qts, T_CTRL(0), CTRL_EN | CTRL_IE | CTRL_IP);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 4);
    qtest_clock_step(qts, 5 * TICK - 2);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 0);
    qtest_clock_step(qts, 1);
    g_assert_true(rd(qts, T_CTRL(0)) & CTRL_IP);
    qtest_quit(qts);
}

/* A reload write while running applies at the next underflow */
static void test_reload_while_running(void)
{
    QTestState *qts = start();

    wr(qts, T_RELOAD(0), 9);
    wr(qts, T_CTRL(0), CTRL_EN | CTRL_RS | CTRL_LD | CTRL_IE);
    qtest_clock_step(qts, 3 * TICK + 1);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 6);
    wr(qts, T_RELOAD(0), 2);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 6);
    qtest_clock_step(qts, 7 * TICK - 1);
    g_assert_true(rd(qts, T_CTRL(0)) & CTRL_IP);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 2);
    wr(qts, T_CTRL(0), CTRL_EN | CTRL_RS | CTRL_IE | CTRL_IP);
    qtest_clock_step(qts, 3 * TICK - 1);
    g_assert_false(rd(qts, T_CTRL(0)) & CTRL_IP);
    qtest_clock_step(qts, 1);
    g_assert_true(rd(qts, T_CTRL(0)) & CTRL_IP);
    qtest_quit(qts);
}

/* Counter writes: visible while disabled, restart the count when running */
static void test_counter_write(void)
{
    QTestState *qts = start();

    wr(qts, T_COUNTER(0), 123);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 123);
    qtest_clock_step(qts, 10 * TICK);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 123);
    wr(qts, T_CTRL(0), CTRL_EN);
    qtest_clock_step(qts, 3 * TICK + 1);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 120);
    wr(qts, T_COUNTER(0), 50);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 50);
    qtest_clock_step(qts, TICK + 1);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 49);
    qtest_quit(qts);
}

/* The scaler divides the system clock by (scaler reload + 1) */
static void test_scaler(void)
{
    QTestState *qts = boot();

    wr(qts, SCALER_RELOAD, 3);   /* 10 MHz: 100 ns ticks */
    g_assert_cmphex(rd(qts, SCALER_RELOAD), ==, 3);
    wr(qts, T_COUNTER(0), 9);
    wr(qts, T_CTRL(0), CTRL_EN | CTRL_IE);
    qtest_clock_step(qts, 999);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 0);
    g_assert_false(rd(qts, T_CTRL(0)) & CTRL_IP);
    qtest_clock_step(qts, 1);
    g_assert_true(rd(qts, T_CTRL(0)) & CTRL_IP);
    qtest_quit(qts);
}

/*
 * A scaler that does not divide the clock: 40 MHz / 7 is a tick of 175 ns
 * exactly, and 10^6 ticks are 175 ms (a frequency rounded down to
 * 5714285 Hz would underflow 22 ns late).
 */
static void test_scaler_exact(void)
{
    QTestState *qts = boot();

    wr(qts, SCALER_RELOAD, 6);
    wr(qts, T_COUNTER(0), 999999);
    wr(qts, T_CTRL(0), CTRL_EN | CTRL_IE);
    qtest_clock_step(qts, 175000000 - 1);
    g_assert_false(rd(qts, T_CTRL(0)) & CTRL_IP);
    qtest_clock_step(qts, 1);
    g_assert_true(rd(qts, T_CTRL(0)) & CTRL_IP);
    qtest_quit(qts);
}

/* Without IE the timer reloads but IP is not set */
static void test_no_ie(void)
{
    QTestState *qts = start();

    wr(qts, T_RELOAD(0), 1);
    wr(qts, T_CTRL(0), CTRL_EN | CTRL_RS | CTRL_LD);
    qtest_clock_step(qts, 2 * TICK);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 1);
    g_assert_cmphex(rd(qts, T_CTRL(0)), ==, CTRL_EN | CTRL_RS);
    /* without IE the underflow does not pulse the line */
    expect_pulsed(qts, 0, false);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/grlib-gptimer/reset_values", test_reset_values);
    qtest_add_func("/grlib-gptimer/oneshot", test_oneshot);
    qtest_add_func("/grlib-gptimer/periodic", test_periodic);
    qtest_add_func("/grlib-gptimer/race", test_race);
    qtest_add_func("/grlib-gptimer/load_bit", test_load_bit);
    qtest_add_func("/grlib-gptimer/disable", test_disable);
    qtest_add_func("/grlib-gptimer/ctrl_write_no_restart",
                   test_ctrl_write_no_restart);
    qtest_add_func("/grlib-gptimer/reload_while_running",
                   test_reload_while_running);
    qtest_add_func("/grlib-gptimer/counter_write", test_counter_write);
    qtest_add_func("/grlib-gptimer/scaler", test_scaler);
    qtest_add_func("/grlib-gptimer/scaler_exact", test_scaler_exact);
    qtest_add_func("/grlib-gptimer/no_ie", test_no_ie);

    return g_test_run();
}
