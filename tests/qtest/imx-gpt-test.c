/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QTest for the i.MX General Purpose Timer (GPT)
 *
 * Copyright (c) 2026 The ptimer-ng authors
 *
 * The GPT counts up, one tick per (PR + 1) edges of the selected input
 * clock, and compares the counter with OCR1-3; in restart mode it goes
 * back to 0 on the tick after it reached OCR1, in free-run mode it rolls
 * over from 0xffffffff to 0.  Every test programs the timer through MMIO
 * and checks its registers and the interrupt line.
 *
 * IMX6DQRM below is the i.MX 6Dual/6Quad Applications Processor Reference
 * Manual, chapter "General Purpose Timer (GPT)"; the comments name the
 * section or register description that defines each value they pin.
 */

#include "qemu/osdep.h"
#include "libqtest.h"

/* sabrelite (i.MX6Q) */
#define GPT_BASE        0x02098000
#define GPT_IRQ         55          /* GIC SPI */

#define GPT_CR          0x00
#define GPT_PR          0x04
#define GPT_SR          0x08
#define GPT_IR          0x0c
#define GPT_OCR1        0x10
#define GPT_OCR2        0x14
#define GPT_OCR3        0x18
#define GPT_ICR1        0x1c
#define GPT_ICR2        0x20
#define GPT_CNT         0x24

#define CR_FO1          (1u << 29)
#define CR_FO2          (1u << 30)
#define CR_FO3          (1u << 31)

typedef struct Gpt {
    QTestState *qts;
    uint64_t base;
    int64_t now;        /* the virtual clock */
    int64_t t0;         /* instant the clock was selected */
    uint32_t hz;        /* input clock rate */
} Gpt;

static Gpt gpt_start_on(const char *machine, uint64_t base)
{
    Gpt g = { .base = base };

    g.qts = qtest_initf("-machine %s", machine);
    if (base == GPT_BASE) {
        qtest_irq_intercept_in(g.qts, "/machine/soc/a9mpcore");
    }
    g.now = qtest_clock_step(g.qts, 1);
    return g;
}

static Gpt gpt_start(void)
{
    return gpt_start_on("sabrelite", GPT_BASE);
}

static void gpt_end(Gpt *g)
{
    qtest_quit(g->qts);
}

static uint32_t rd(Gpt *g, uint32_t reg)
{
    return qtest_readl(g->qts, g->base + reg);
}

static void wr(Gpt *g, uint32_t reg, uint32_t val)
{
    qtest_writel(g->qts, g->base + reg, val);
}

static bool irq(Gpt *g)
{
    return qtest_get_irq(g->qts, GPT_IRQ);
}

/*
 * Registers read their reset values (IMX6DQRM, register descriptions
 * GPT_CR to GPT_CNT)
 */
static void test_reset_values(void)
{
    Gpt g = gpt_start();

    g_assert_cmphex(rd(&g, GPT_CR), ==, 0);
    g_assert_cmphex(rd(&g, GPT_PR), ==, 0);
    g_assert_cmphex(rd(&g, GPT_SR), ==, 0);
    g_assert_cmphex(rd(&g, GPT_IR), ==, 0);
    g_assert_cmphex(rd(&g, GPT_OCR1), ==, 0xffffffff);
    g_assert_cmphex(rd(&g, GPT_OCR2), ==, 0xffffffff);
    g_assert_cmphex(rd(&g, GPT_OCR3), ==, 0xffffffff);
    g_assert_cmphex(rd(&g, GPT_ICR1), ==, 0);
    g_assert_cmphex(rd(&g, GPT_ICR2), ==, 0);
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 0);
    g_assert_false(irq(&g));
    gpt_end(&g);
}

/*
 * CR: FOn are self-negating, reserved bits read 0, the rest read back
 * (IMX6DQRM, GPT_CR)
 */
static void test_control_bits(void)
{
    Gpt g = gpt_start();

    wr(&g, GPT_CR, CR_FO1 | CR_FO2 | CR_FO3 | (0x1f << 10));
    g_assert_cmphex(rd(&g, GPT_CR), ==, 0);
    wr(&g, GPT_CR, 0x1fff03fe);
    g_assert_cmphex(rd(&g, GPT_CR), ==, 0x1fff03fe);
    gpt_end(&g);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    if (!qtest_has_machine("sabrelite")) {
        g_test_skip("sabrelite machine not available");
        return g_test_run();
    }

    qtest_add_func("/imx-gpt/reset-values", test_reset_values);
    qtest_add_func("/imx-gpt/control-bits", test_control_bits);

    return g_test_run();
}
