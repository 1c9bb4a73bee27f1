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

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/lan9118-gpt/status_without_enable",
                   test_status_without_enable);

    return g_test_run();
}
