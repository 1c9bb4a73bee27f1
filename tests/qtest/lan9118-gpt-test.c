/*
 * QTest testcase for the LAN9118 general purpose timer (GPT)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The GPT counts down GPT_CNT from GPT_LOAD at 10 kHz (one tick every
 * 100 us); when it wraps from 0 to 0xFFFF it sets INT_STS.GPT_INT and
 * keeps counting down from 0xFFFF.  Writing GPT_CFG with TIMER_EN set
 * loads GPT_CNT from GPT_LOAD.
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "ptimer-qom.h"

/* LAN9118 on the MPS2 AN385 board */
#define LAN_BASE        0x40200000

#define IRQ_CFG         0x54
#define INT_STS         0x58
#define INT_EN          0x5c
#define GPT_CFG         0x8c
#define GPT_CNT         0x90

#define IRQ_CFG_INT     (1u << 12)
#define IRQ_CFG_EN      (1u << 8)
#define IRQ_CFG_POL     (1u << 4)
#define IRQ_CFG_TYPE    (1u << 0)
#define GPT_INT         (1u << 19)
#define TIMER_EN        (1u << 29)

/* 10 kHz: one tick every 100 us */
#define TICK_NS         100000LL

/*
 * Start the board and observe the LAN9118's IRQ pin, read with irq().
 * The board creates the device without a name.
 */
static QTestState *gpt_start(void)
{
    QTestState *qts = qtest_init("-machine mps2-an385");

    ptimer_qom_intercept(qts, "/machine/unattached", "lan9118");
    return qts;
}

static bool irq(QTestState *qts)
{
    return qtest_get_irq(qts, 0);
}

static uint32_t rd(QTestState *qts, uint32_t reg)
{
    return qtest_readl(qts, LAN_BASE + reg);
}

static void wr(QTestState *qts, uint32_t reg, uint32_t val)
{
    qtest_writel(qts, LAN_BASE + reg, val);
}

static bool gpt_int(QTestState *qts)
{
    return rd(qts, INT_STS) & GPT_INT;
}

/*
 * Enable the IRQ pin (IRQ_CFG.IRQ_EN) as an active-high push-pull output
 * (IRQ_POL = 1, IRQ_TYPE = 1), so that irq() is true while the interrupt
 * is asserted.  Out of reset the pin is open-drain, and then active low
 * whatever IRQ_POL says.
 */
static void irq_pin_enable(QTestState *qts)
{
    wr(qts, IRQ_CFG, IRQ_CFG_EN | IRQ_CFG_POL | IRQ_CFG_TYPE);
}

/* Reset values: GPT_CFG = 0xFFFF (disabled), GPT_CNT = 0xFFFF, no IRQ */
static void test_reset_values(void)
{
    QTestState *qts = gpt_start();

    g_assert_cmphex(rd(qts, GPT_CFG), ==, 0xffff);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 0xffff);
    qtest_clock_step(qts, 100 * TICK_NS);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 0xffff);
    g_assert_false(gpt_int(qts));
    qtest_quit(qts);
}

/* GPT_CNT counts down from GPT_LOAD, one step per 100 us */
static void test_count_down(void)
{
    QTestState *qts = gpt_start();

    wr(qts, GPT_CFG, TIMER_EN | 100);
    g_assert_cmphex(rd(qts, GPT_CFG), ==, TIMER_EN | 100);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 100);
    qtest_clock_step(qts, 1);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 100);
    qtest_clock_step(qts, TICK_NS);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 99);
    qtest_clock_step(qts, 9 * TICK_NS);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 90);
    qtest_clock_step(qts, 90 * TICK_NS);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 0);
    g_assert_false(gpt_int(qts));
    qtest_quit(qts);
}

/*
 * THE RACE: loaded with 10, the counter reads 0 during the 11th tick and
 * wraps to 0xFFFF at exactly 11 ticks; GPT_CNT and INT_STS.GPT_INT must
 * agree 1 ns before, at, and 1 ns after that instant.
 */
static void test_race_first_wrap(void)
{
    QTestState *qts = gpt_start();

    irq_pin_enable(qts);
    wr(qts, INT_EN, GPT_INT);
    wr(qts, GPT_CFG, TIMER_EN | 10);
    qtest_clock_step(qts, 11 * TICK_NS - 1);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 0);
    g_assert_false(gpt_int(qts));
    g_assert_false(irq(qts));
    qtest_clock_step(qts, 1);
    g_assert_true(irq(qts));
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 0xffff);
    g_assert_true(gpt_int(qts));
    qtest_clock_step(qts, 1);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 0xffff);
    g_assert_true(gpt_int(qts));
    g_assert_true(irq(qts));
    /* writing 1 to INT_STS.GPT_INT clears it and deasserts the pin */
    wr(qts, INT_STS, GPT_INT);
    g_assert_false(irq(qts));
    qtest_quit(qts);
}

/* After a wrap the counter runs from 0xFFFF: next wrap 0x10000 ticks on */
static void test_race_periodic_wrap(void)
{
    QTestState *qts = gpt_start();

    irq_pin_enable(qts);
    wr(qts, INT_EN, GPT_INT);
    wr(qts, GPT_CFG, TIMER_EN | 0);
    qtest_clock_step(qts, TICK_NS);
    g_assert_true(gpt_int(qts));
    g_assert_true(irq(qts));
    wr(qts, INT_STS, GPT_INT);
    g_assert_false(gpt_int(qts));
    g_assert_false(irq(qts));
    qtest_clock_step(qts, 0x8000 * TICK_NS + 1);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 0x7fff);
    qtest_clock_step(qts, 0x8000 * TICK_NS - 2);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 0);
    g_assert_false(gpt_int(qts));
    g_assert_false(irq(qts));
    qtest_clock_step(qts, 1);
    g_assert_true(irq(qts));
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 0xffff);
    g_assert_true(gpt_int(qts));
    qtest_clock_step(qts, 1);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 0xffff);
    g_assert_true(gpt_int(qts));
    qtest_quit(qts);
}

/* GPT_LOAD = 0: reads 0 for one tick, then wraps; no immediate interrupt */
static void test_load_zero(void)
{
    QTestState *qts = gpt_start();

    irq_pin_enable(qts);
    wr(qts, GPT_CFG, TIMER_EN | 0);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 0);
    g_assert_false(gpt_int(qts));
    qtest_clock_step(qts, TICK_NS - 1);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 0);
    g_assert_false(gpt_int(qts));
    qtest_clock_step(qts, 1);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 0xffff);
    g_assert_true(gpt_int(qts));
    /* INT_EN is clear: the pin stays deasserted */
    g_assert_false(irq(qts));
    qtest_quit(qts);
}

/* INT_STS.GPT_INT is set even when INT_EN masks it; INT_EN gates the IRQ */
static void test_status_without_enable(void)
{
    QTestState *qts = gpt_start();

    irq_pin_enable(qts);
    wr(qts, GPT_CFG, TIMER_EN | 5);
    qtest_clock_step(qts, 6 * TICK_NS);
    g_assert_true(gpt_int(qts));
    g_assert_cmphex(rd(qts, IRQ_CFG) & IRQ_CFG_INT, ==, 0);
    g_assert_false(irq(qts));
    wr(qts, INT_EN, GPT_INT);
    g_assert_cmphex(rd(qts, IRQ_CFG) & IRQ_CFG_INT, ==, IRQ_CFG_INT);
    g_assert_true(irq(qts));
    /* IRQ_EN clear: IRQ_INT still shows the interrupt, the pin does not */
    wr(qts, IRQ_CFG, IRQ_CFG_POL | IRQ_CFG_TYPE);
    g_assert_cmphex(rd(qts, IRQ_CFG) & IRQ_CFG_INT, ==, IRQ_CFG_INT);
    g_assert_false(irq(qts));
    /* open-drain: the asserted pin is driven low, released when cleared */
    wr(qts, IRQ_CFG, IRQ_CFG_EN);
    g_assert_false(irq(qts));
    wr(qts, INT_STS, GPT_INT);
    g_assert_true(irq(qts));
    qtest_quit(qts);
}

/* The interrupt is raised, cleared by writing 1, and raised again */
static void test_irq_raise_clear(void)
{
    QTestState *qts = gpt_start();

    irq_pin_enable(qts);
    wr(qts, INT_EN, GPT_INT);
    wr(qts, GPT_CFG, TIMER_EN | 3);
    qtest_clock_step(qts, 4 * TICK_NS - 1);
    g_assert_cmphex(rd(qts, IRQ_CFG) & IRQ_CFG_INT, ==, 0);
    g_assert_false(irq(qts));
    qtest_clock_step(qts, 1);
    g_assert_true(irq(qts));
    g_assert_cmphex(rd(qts, IRQ_CFG) & IRQ_CFG_INT, ==, IRQ_CFG_INT);
    wr(qts, INT_STS, GPT_INT);
    g_assert_false(gpt_int(qts));
    g_assert_cmphex(rd(qts, IRQ_CFG) & IRQ_CFG_INT, ==, 0);
    g_assert_false(irq(qts));
    qtest_clock_step(qts, 0x10000 * TICK_NS - 1);
    g_assert_false(irq(qts));
    qtest_clock_step(qts, 1);
    g_assert_true(irq(qts));
    g_assert_true(gpt_int(qts));
    g_assert_cmphex(rd(qts, IRQ_CFG) & IRQ_CFG_INT, ==, IRQ_CFG_INT);
    qtest_quit(qts);
}

/* Writing a new GPT_LOAD while running reloads the counter at once */
static void test_reload_while_running(void)
{
    QTestState *qts = gpt_start();

    wr(qts, GPT_CFG, TIMER_EN | 1000);
    qtest_clock_step(qts, 500 * TICK_NS + 1);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 500);
    wr(qts, GPT_CFG, TIMER_EN | 200);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 200);
    qtest_clock_step(qts, 201 * TICK_NS - 1);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 0);
    g_assert_false(gpt_int(qts));
    qtest_clock_step(qts, 1);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 0xffff);
    g_assert_true(gpt_int(qts));
    qtest_quit(qts);
}

/* Rewriting the same GPT_LOAD while running also reloads */
static void test_rewrite_same_load(void)
{
    QTestState *qts = gpt_start();

    wr(qts, GPT_CFG, TIMER_EN | 50);
    qtest_clock_step(qts, 20 * TICK_NS + 1);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 30);
    wr(qts, GPT_CFG, TIMER_EN | 50);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 50);
    qtest_clock_step(qts, 51 * TICK_NS - 1);
    g_assert_false(gpt_int(qts));
    qtest_clock_step(qts, 1);
    g_assert_true(gpt_int(qts));
    qtest_quit(qts);
}

/* Clearing TIMER_EN stops the timer; setting it again reloads GPT_LOAD */
static void test_disable_enable(void)
{
    QTestState *qts = gpt_start();

    wr(qts, GPT_CFG, TIMER_EN | 10);
    qtest_clock_step(qts, 5 * TICK_NS + 1);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 5);
    wr(qts, GPT_CFG, 10);
    g_assert_cmphex(rd(qts, GPT_CFG), ==, 10);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 0xffff);
    qtest_clock_step(qts, 100 * TICK_NS);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 0xffff);
    g_assert_false(gpt_int(qts));
    wr(qts, GPT_CFG, TIMER_EN | 10);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 10);
    qtest_clock_step(qts, 11 * TICK_NS);
    g_assert_true(gpt_int(qts));
    qtest_quit(qts);
}

/* A system reset stops the timer and restores the reset values */
static void test_system_reset(void)
{
    QTestState *qts = gpt_start();

    wr(qts, INT_EN, GPT_INT);
    wr(qts, GPT_CFG, TIMER_EN | 10);
    qtest_clock_step(qts, 5 * TICK_NS + 1);
    qtest_system_reset(qts);
    g_assert_cmphex(rd(qts, GPT_CFG), ==, 0xffff);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 0xffff);
    qtest_clock_step(qts, 0x20000 * TICK_NS);
    g_assert_cmphex(rd(qts, GPT_CNT), ==, 0xffff);
    g_assert_false(gpt_int(qts));
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/lan9118-gpt/reset_values", test_reset_values);
    qtest_add_func("/lan9118-gpt/count_down", test_count_down);
    qtest_add_func("/lan9118-gpt/race_first_wrap", test_race_first_wrap);
    qtest_add_func("/lan9118-gpt/race_periodic_wrap",
                   test_race_periodic_wrap);
    qtest_add_func("/lan9118-gpt/load_zero", test_load_zero);
    qtest_add_func("/lan9118-gpt/status_without_enable",
                   test_status_without_enable);
    qtest_add_func("/lan9118-gpt/irq_raise_clear", test_irq_raise_clear);
    qtest_add_func("/lan9118-gpt/reload_while_running",
                   test_reload_while_running);
    qtest_add_func("/lan9118-gpt/rewrite_same_load", test_rewrite_same_load);
    qtest_add_func("/lan9118-gpt/disable_enable", test_disable_enable);
    qtest_add_func("/lan9118-gpt/system_reset", test_system_reset);

    return g_test_run();
}
