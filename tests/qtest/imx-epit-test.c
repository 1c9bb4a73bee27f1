/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QTest for the i.MX Enhanced Periodic Interrupt Timer (EPIT)
 *
 * Copyright (c) 2026 The ptimer-ng authors
 *
 * The hardware behaviour is the one the i.MX 6Dual/6Quad Applications
 * Processor Reference Manual (IMX6DQRM), chapter "Enhanced Periodic
 * Interrupt Timer (EPIT)", describes; where a test pins a value that the
 * manual defines, its comment names the section ("EPIT" below is that
 * chapter).
 *
 * Every test programs the timer through MMIO and checks what the guest
 * reads back.
 */

#include "qemu/osdep.h"
#include "libqtest.h"

/* sabrelite (i.MX6Q) */
#define EPIT1_BASE      0x020d0000
#define EPIT1_IRQ       56          /* GIC SPI */

#define EPIT_CR         0x00
#define EPIT_LR         0x08
#define EPIT_CNR        0x10

#define CR_EN           (1u << 0)
#define CR_ENMOD        (1u << 1)
#define CR_RLD          (1u << 3)
#define CR_CLKSRC(x)    ((uint32_t)(x) << 24)

#define CLKSRC_32K      3           /* ipg_clk_32k, 32768 Hz */

typedef struct Epit {
    QTestState *qts;
    uint64_t base;
    int irq;            /* GIC SPI, or -1 when not intercepted */
    int64_t now;        /* the virtual clock */
} Epit;

static Epit epit_start_on(const char *machine, uint64_t base, int irq)
{
    Epit e = { .base = base, .irq = irq };

    e.qts = qtest_initf("-machine %s", machine);
    if (irq >= 0) {
        qtest_irq_intercept_in(e.qts, "/machine/soc/a9mpcore");
    }
    e.now = qtest_clock_step(e.qts, 1);
    return e;
}

static Epit epit_start(void)
{
    return epit_start_on("sabrelite", EPIT1_BASE, EPIT1_IRQ);
}

static void epit_end(Epit *e)
{
    qtest_quit(e->qts);
}

static uint32_t rd(Epit *e, uint32_t reg)
{
    return qtest_readl(e->qts, e->base + reg);
}

static void wr(Epit *e, uint32_t reg, uint32_t val)
{
    qtest_writel(e->qts, e->base + reg, val);
}

/* Select the 32 kHz clock (from "no clock") and enable at this instant */
static void epit_go(Epit *e, uint32_t cr)
{
    wr(e, EPIT_CR, cr | CR_CLKSRC(CLKSRC_32K) | CR_EN);
}

/*
 * CNR is read-only (EPIT_CNR); unknown offsets are guest errors, no crash
 */
static void test_bad_accesses(void)
{
    Epit e = epit_start();

    wr(&e, EPIT_LR, 100);
    epit_go(&e, CR_ENMOD | CR_RLD);
    wr(&e, EPIT_CNR, 7);
    wr(&e, 0x14, 0xffffffff);
    wr(&e, 0xffc, 0xffffffff);
    g_assert_cmphex(rd(&e, 0x14), ==, 0);
    /* The instant of the enable: the counter holds the load value */
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 100);
    /* Reserved CR bits 31-26 read as zero (EPIT_CR) */
    wr(&e, EPIT_CR, 0xfc000000 | rd(&e, EPIT_CR));
    g_assert_cmphex(rd(&e, EPIT_CR) >> 26, ==, 0);
    epit_end(&e);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    if (!qtest_has_machine("sabrelite")) {
        g_test_skip("sabrelite machine not available");
        return g_test_run();
    }

    qtest_add_func("/imx-epit/bad-accesses", test_bad_accesses);

    return g_test_run();
}
