/*
 * QTest testcase for the GRLIB GPTIMER (leon3_generic machine)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"

#define GPT_BASE      0x80000300
#define SCALER        0x00
#define SCALER_RELOAD 0x04
#define UNIT_CONFIG   0x08
#define T_COUNTER(n)  (0x10 + (n) * 0x10)
#define T_RELOAD(n)   (0x14 + (n) * 0x10)
#define T_CTRL(n)     (0x18 + (n) * 0x10)

#define CTRL_EN  (1 << 0)
#define CTRL_LD  (1 << 2)

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

/* Start the board */
static QTestState *boot(void)
{
    return qtest_init("-machine leon3_generic");
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

/* LD loads the reload value and always reads as 0 */
static void test_load_bit(void)
{
    QTestState *qts = start();

    wr(qts, T_RELOAD(0), 7);
    wr(qts, T_CTRL(0), CTRL_LD);
    g_assert_cmphex(rd(qts, T_CTRL(0)), ==, 0);
    wr(qts, T_CTRL(0), CTRL_EN | CTRL_LD);
    g_assert_cmphex(rd(qts, T_CTRL(0)), ==, CTRL_EN);
    qtest_clock_step(qts, 3 * TICK + 1);
    g_assert_cmphex(rd(qts, T_COUNTER(0)), ==, 4);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/grlib-gptimer/reset_values", test_reset_values);
    qtest_add_func("/grlib-gptimer/load_bit", test_load_bit);

    return g_test_run();
}
