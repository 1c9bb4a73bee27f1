/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QTest for the i.MX Enhanced Periodic Interrupt Timer (EPIT)
 *
 * Copyright (c) 2026 The ptimer-ng authors
 *
 * The EPIT counts down, one tick per (PRESCALAR + 1) edges of the selected
 * input clock.  After it reached zero it takes, on the next tick, the load
 * value (set-and-forget mode, RLD = 1) or 0xffffffff (free-running mode),
 * so a set-and-forget period is LR + 1 ticks.  OCIF is set when the
 * counter reaches the compare value.  Every test programs the timer
 * through MMIO, moves the virtual clock to exact instants and checks the
 * counter, the status register and the interrupt line there.
 *
 * The instant of tick k is the instant of the k-th input clock edge after
 * the clock was selected, rounded up to the next nanosecond: the counter
 * changes at that instant, never earlier.  At a compare instant the
 * counter and OCIF must agree (the race check).
 */

#include "qemu/osdep.h"
#include "qemu/host-utils.h"
#include "qemu/timer.h"
#include "libqtest.h"

/* sabrelite (i.MX6Q) */
#define EPIT1_BASE      0x020d0000
#define EPIT2_BASE      0x020d4000
#define EPIT1_IRQ       56          /* GIC SPI */
#define EPIT2_IRQ       57

/* The same block on i.MX25 and i.MX31 boards */
#define IMX25_EPIT1_BASE 0x53f94000
#define IMX31_EPIT1_BASE 0x53f94000

#define EPIT_CR         0x00
#define EPIT_SR         0x04
#define EPIT_LR         0x08
#define EPIT_CMPR       0x0c
#define EPIT_CNR        0x10

#define CR_EN           (1u << 0)
#define CR_ENMOD        (1u << 1)
#define CR_OCIEN        (1u << 2)
#define CR_RLD          (1u << 3)
#define CR_PRESCALAR(x) ((uint32_t)(x) << 4)
#define CR_SWR          (1u << 16)
#define CR_IOVW         (1u << 17)
#define CR_DBGEN        (1u << 18)
#define CR_WAITEN       (1u << 19)
#define CR_DOZEN        (1u << 20)
#define CR_STOPEN       (1u << 21)
#define CR_OM(x)        ((uint32_t)(x) << 22)
#define CR_CLKSRC(x)    ((uint32_t)(x) << 24)

#define CLKSRC_32K      3           /* ipg_clk_32k, 32768 Hz */
#define HZ_32K          32768

#define SR_OCIF         (1u << 0)

#define LAP             (1ULL << 32)

typedef struct Epit {
    QTestState *qts;
    uint64_t base;
    int irq;            /* GIC SPI, or -1 when not intercepted */
    int64_t now;        /* the virtual clock */
    int64_t t0;         /* instant the clock was selected */
    uint32_t hz;        /* input clock rate */
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

static int64_t now(Epit *e)
{
    return e->now;
}

static void at(Epit *e, int64_t t)
{
    g_assert_cmpint(t, >=, e->now);
    if (t > e->now) {
        e->now = qtest_clock_set(e->qts, t);
        g_assert_cmpint(e->now, ==, t);
    }
}

static bool irq(Epit *e)
{
    g_assert(e->irq >= 0);
    return qtest_get_irq(e->qts, e->irq);
}

/* Instant of input clock edge @n (counted from the clock selection) */
static int64_t edge_t(Epit *e, uint64_t n)
{
    return e->t0 + muldiv64_round_up(n, NANOSECONDS_PER_SECOND, e->hz);
}

/* Index of the last input clock edge at or before @t */
static uint64_t edge_at(Epit *e, int64_t t)
{
    return muldiv64(t - e->t0, e->hz, NANOSECONDS_PER_SECOND);
}

/* Select the 32 kHz clock (from "no clock") and enable at this instant */
static void epit_go(Epit *e, uint32_t cr)
{
    e->hz = HZ_32K;
    e->t0 = now(e);
    wr(e, EPIT_CR, cr | CR_CLKSRC(CLKSRC_32K) | CR_EN);
}

/*
 * Check the counter and OCIF around tick @tick (prescaler @div): one
 * nanosecond before, the counter reads @before and OCIF is clear (when
 * @flag); from the instant on it reads @after with OCIF set, in both read
 * orders, and the interrupt line follows when @irq_too.
 */
static void check_tick(Epit *e, uint64_t tick, uint32_t div,
                       uint32_t before, uint32_t after, bool flag,
                       bool irq_too)
{
    int64_t t = edge_t(e, tick * div);
    uint32_t f = flag ? SR_OCIF : 0;

    at(e, t - 1);
    g_assert_cmphex(rd(e, EPIT_CNR), ==, before);
    g_assert_cmphex(rd(e, EPIT_SR) & f, ==, 0);
    if (irq_too) {
        g_assert_false(irq(e));
    }
    at(e, t);
    g_assert_cmphex(rd(e, EPIT_SR) & f, ==, f);
    g_assert_cmphex(rd(e, EPIT_CNR), ==, after);
    if (irq_too) {
        g_assert_true(irq(e));
    }
    at(e, t + 1);
    g_assert_cmphex(rd(e, EPIT_CNR), ==, after);
    g_assert_cmphex(rd(e, EPIT_SR) & f, ==, f);
    if (irq_too) {
        g_assert_true(irq(e));
    }
}

/* Registers read their documented reset values */
static void test_reset_values(void)
{
    Epit e = epit_start();

    g_assert_cmphex(rd(&e, EPIT_CR), ==, 0);
    g_assert_cmphex(rd(&e, EPIT_SR), ==, 0);
    g_assert_cmphex(rd(&e, EPIT_LR), ==, 0xffffffff);
    g_assert_cmphex(rd(&e, EPIT_CMPR), ==, 0);
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 0xffffffff);
    g_assert_false(irq(&e));
    epit_end(&e);
}

/* Free-running: down from 0xffffffff, one per tick, at the tick instant */
static void test_count_exact(void)
{
    static const uint64_t ticks[] = { 1, 2, 3, 1000, 65536, 1000003 };
    Epit e = epit_start();
    int i;

    epit_go(&e, CR_ENMOD);
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 0xffffffff);
    at(&e, e.t0 + 1);
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 0xffffffff);
    for (i = 0; i < ARRAY_SIZE(ticks); i++) {
        check_tick(&e, ticks[i], 1, 0xffffffff - (ticks[i] - 1),
                   0xffffffff - ticks[i], false, false);
    }
    g_assert_cmphex(rd(&e, EPIT_SR), ==, 0);
    epit_end(&e);
}

/* Set-and-forget: LR, ..., 1, 0, then LR again: LR + 1 ticks a period */
static void test_reload_period(void)
{
    Epit e = epit_start();

    wr(&e, EPIT_LR, 9);
    epit_go(&e, CR_ENMOD | CR_RLD);
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 9);
    check_tick(&e, 1, 1, 9, 8, false, false);
    check_tick(&e, 9, 1, 1, 0, false, false);
    check_tick(&e, 10, 1, 0, 9, false, false);
    check_tick(&e, 19, 1, 1, 0, false, false);
    check_tick(&e, 20, 1, 0, 9, false, false);
    /* Many periods later, still in phase */
    check_tick(&e, 10 * 12345, 1, 0, 9, false, false);
    epit_end(&e);
}

/* The prescaler divides the input clock by PRESCALAR + 1 */
static void test_prescaler(void)
{
    Epit e = epit_start();

    wr(&e, EPIT_LR, 1000);
    epit_go(&e, CR_ENMOD | CR_RLD | CR_PRESCALAR(2));
    check_tick(&e, 1, 3, 1000, 999, false, false);
    check_tick(&e, 2, 3, 999, 998, false, false);
    check_tick(&e, 500, 3, 501, 500, false, false);
    epit_end(&e);

    e = epit_start();
    epit_go(&e, CR_ENMOD | CR_PRESCALAR(0xfff));
    check_tick(&e, 1, 4096, 0xffffffff, 0xfffffffe, false, false);
    check_tick(&e, 3, 4096, 0xfffffffd, 0xfffffffc, false, false);
    epit_end(&e);
}

/* Compare: counter and OCIF agree at the compare instant, every period */
static void test_compare_race(void)
{
    Epit e = epit_start();

    wr(&e, EPIT_LR, 9);
    wr(&e, EPIT_CMPR, 5);
    epit_go(&e, CR_ENMOD | CR_RLD | CR_OCIEN);
    check_tick(&e, 4, 1, 6, 5, true, true);
    wr(&e, EPIT_SR, SR_OCIF);
    g_assert_false(irq(&e));
    check_tick(&e, 14, 1, 6, 5, true, true);
    /* Many periods later, still in phase */
    at(&e, edge_t(&e, 10 * 1000));
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 9);
    wr(&e, EPIT_SR, SR_OCIF);
    check_tick(&e, 10 * 1000 + 4, 1, 6, 5, true, true);
    epit_end(&e);
}

/* OCIF is set without OCIEN; enabling OCIEN then raises the line */
static void test_flag_without_irq(void)
{
    Epit e = epit_start();

    wr(&e, EPIT_LR, 99);
    wr(&e, EPIT_CMPR, 40);
    epit_go(&e, CR_ENMOD | CR_RLD);
    check_tick(&e, 59, 1, 41, 40, true, false);
    g_assert_false(irq(&e));
    wr(&e, EPIT_CR, rd(&e, EPIT_CR) | CR_OCIEN);
    g_assert_true(irq(&e));
    wr(&e, EPIT_CR, rd(&e, EPIT_CR) & ~CR_OCIEN);
    g_assert_false(irq(&e));
    epit_end(&e);
}

/* SR is write-1-to-clear */
static void test_status_w1c(void)
{
    Epit e = epit_start();

    wr(&e, EPIT_LR, 9);
    wr(&e, EPIT_CMPR, 9);
    epit_go(&e, CR_ENMOD | CR_RLD | CR_OCIEN);
    /* The reload tick reaches LR = CMPR */
    check_tick(&e, 10, 1, 0, 9, true, true);
    wr(&e, EPIT_SR, 0);
    g_assert_cmphex(rd(&e, EPIT_SR), ==, SR_OCIF);
    g_assert_true(irq(&e));
    wr(&e, EPIT_SR, 0xfffffffe);
    g_assert_cmphex(rd(&e, EPIT_SR), ==, SR_OCIF);
    wr(&e, EPIT_SR, SR_OCIF);
    g_assert_cmphex(rd(&e, EPIT_SR), ==, 0);
    g_assert_false(irq(&e));
    check_tick(&e, 20, 1, 0, 9, true, true);
    epit_end(&e);
}

/* Compare with zero: the counter reads 0 exactly when OCIF is set */
static void test_compare_zero(void)
{
    Epit e = epit_start();

    wr(&e, EPIT_LR, 20);
    epit_go(&e, CR_ENMOD | CR_RLD | CR_OCIEN);
    check_tick(&e, 20, 1, 1, 0, true, true);
    wr(&e, EPIT_SR, SR_OCIF);
    check_tick(&e, 41, 1, 1, 0, true, true);
    epit_end(&e);
}

/* Free-running rollover 0 -> 0xffffffff, compared with 0xffffffff */
static void test_rollover_race(void)
{
    Epit e = epit_start();

    wr(&e, EPIT_CMPR, 0xffffffff);
    epit_go(&e, CR_ENMOD | CR_OCIEN | CR_IOVW);
    wr(&e, EPIT_LR, 5);              /* IOVW: the counter reads 5 now */
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 5);
    check_tick(&e, 5, 1, 1, 0, false, false);
    g_assert_false(irq(&e));
    check_tick(&e, 6, 1, 0, 0xffffffff, true, true);
    at(&e, edge_t(&e, 7));
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 0xfffffffe);
    wr(&e, EPIT_SR, SR_OCIF);
    g_assert_false(irq(&e));
    /* Free-running: the next one is a full lap later */
    check_tick(&e, 6 + LAP, 1, 0, 0xffffffff, true, true);
    epit_end(&e);
}

/* Without IOVW, a new LR applies at the next reload */
static void test_load_next_reload(void)
{
    Epit e = epit_start();

    wr(&e, EPIT_LR, 9);
    epit_go(&e, CR_ENMOD | CR_RLD);
    at(&e, edge_t(&e, 3) + 12345);
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 6);
    wr(&e, EPIT_LR, 100);
    g_assert_cmphex(rd(&e, EPIT_LR), ==, 100);
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 6);
    check_tick(&e, 4, 1, 6, 5, false, false);
    check_tick(&e, 10, 1, 0, 100, false, false);
    check_tick(&e, 111, 1, 0, 100, false, false);
    epit_end(&e);
}

/* With IOVW, writing LR loads the counter at once; the tick phase stays */
static void test_load_overwrite(void)
{
    Epit e = epit_start();

    wr(&e, EPIT_LR, 9);
    wr(&e, EPIT_CMPR, 50);
    epit_go(&e, CR_ENMOD | CR_RLD | CR_IOVW | CR_OCIEN);
    at(&e, edge_t(&e, 3) + 12345);
    wr(&e, EPIT_LR, 60);
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 60);
    check_tick(&e, 4, 1, 60, 59, false, false);
    /* 60 -> 50 takes 10 ticks from tick 3 */
    check_tick(&e, 13, 1, 51, 50, true, true);
    epit_end(&e);
}

/* Writes between ticks do not move the tick instants */
static void test_phase_kept(void)
{
    Epit e = epit_start();
    uint32_t cr = CR_ENMOD | CR_RLD | CR_CLKSRC(CLKSRC_32K) | CR_EN;
    int i;

    wr(&e, EPIT_LR, 1000);
    epit_go(&e, CR_ENMOD | CR_RLD);
    for (i = 10; i < 20; i++) {
        at(&e, edge_t(&e, i) + 17000);
        wr(&e, EPIT_CMPR, 3 + i);
        wr(&e, EPIT_SR, SR_OCIF);
        wr(&e, EPIT_CR, cr | CR_OCIEN);
        wr(&e, EPIT_CR, cr);
        wr(&e, EPIT_LR, 1000);
        check_tick(&e, i + 1, 1, 1000 - i, 999 - i, false, false);
    }
    epit_end(&e);
}

/* EN = 0 freezes counter and prescaler; ENMOD = 0 resumes from there */
static void test_disable_resume(void)
{
    Epit e = epit_start();
    uint32_t cr = CR_RLD | CR_PRESCALAR(3) | CR_CLKSRC(CLKSRC_32K);
    int64_t t1;
    uint64_t n;

    wr(&e, EPIT_LR, 1000);
    epit_go(&e, CR_ENMOD | CR_RLD | CR_PRESCALAR(3));
    wr(&e, EPIT_CR, cr | CR_EN);            /* ENMOD off, still running */
    /* Disable two edges into tick 100 (edges 400..403) */
    at(&e, edge_t(&e, 402) + 5);
    wr(&e, EPIT_CR, cr);
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 900);
    at(&e, edge_t(&e, 100000));
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 900);
    /* Resume: two more edges end tick 100 */
    t1 = now(&e) + 12345;
    at(&e, t1);
    wr(&e, EPIT_CR, cr | CR_EN);
    n = edge_at(&e, t1);
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 900);
    at(&e, edge_t(&e, n + 2) - 1);
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 900);
    at(&e, edge_t(&e, n + 2));
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 899);
    at(&e, edge_t(&e, n + 6));
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 898);
    epit_end(&e);
}

/* ENMOD = 1: enabling loads LR (RLD = 1) or 0xffffffff, prescaler 0 */
static void test_enable_mode(void)
{
    Epit e = epit_start();
    uint32_t cr = CR_ENMOD | CR_RLD | CR_PRESCALAR(3) |
                  CR_CLKSRC(CLKSRC_32K);
    int64_t t1;
    uint64_t n;

    wr(&e, EPIT_LR, 1000);
    epit_go(&e, CR_ENMOD | CR_RLD | CR_PRESCALAR(3));
    at(&e, edge_t(&e, 402) + 5);
    wr(&e, EPIT_CR, cr);
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 900);
    t1 = now(&e) + 1000000;
    at(&e, t1);
    wr(&e, EPIT_CR, cr | CR_EN);
    n = edge_at(&e, t1);
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 1000);
    at(&e, edge_t(&e, n + 4) - 1);
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 1000);
    at(&e, edge_t(&e, n + 4));
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 999);
    /* RLD = 0: from 0xffffffff */
    wr(&e, EPIT_CR, cr & ~CR_RLD);
    wr(&e, EPIT_CR, (cr & ~CR_RLD) | CR_EN);
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 0xffffffff);
    epit_end(&e);
}

/* RLD cleared while counting: at zero the counter rolls over instead */
static void test_free_run_switch(void)
{
    Epit e = epit_start();

    wr(&e, EPIT_LR, 10);
    epit_go(&e, CR_ENMOD | CR_RLD);
    at(&e, edge_t(&e, 5) + 100);
    wr(&e, EPIT_CR, CR_ENMOD | CR_CLKSRC(CLKSRC_32K) | CR_EN);
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 5);
    check_tick(&e, 10, 1, 1, 0, false, false);
    check_tick(&e, 11, 1, 0, 0xffffffff, false, false);
    epit_end(&e);
}

/* SWR: back to reset values except EN, ENMOD and the mode enables */
static void test_soft_reset(void)
{
    Epit e = epit_start();
    uint32_t keep = CR_ENMOD | CR_DBGEN | CR_WAITEN | CR_DOZEN | CR_STOPEN;

    wr(&e, EPIT_LR, 9);
    wr(&e, EPIT_CMPR, 5);
    epit_go(&e, keep | CR_RLD | CR_OCIEN | CR_IOVW | CR_OM(2) |
            CR_PRESCALAR(7));
    at(&e, edge_t(&e, 8 * 4));
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 5);
    g_assert_true(irq(&e));
    wr(&e, EPIT_CR, rd(&e, EPIT_CR) | CR_SWR);
    g_assert_cmphex(rd(&e, EPIT_CR), ==, keep | CR_EN);
    g_assert_cmphex(rd(&e, EPIT_SR), ==, 0);
    g_assert_cmphex(rd(&e, EPIT_LR), ==, 0xffffffff);
    g_assert_cmphex(rd(&e, EPIT_CMPR), ==, 0);
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 0xffffffff);
    g_assert_false(irq(&e));
    /* The clock source was reset too: nothing counts */
    at(&e, now(&e) + NANOSECONDS_PER_SECOND);
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 0xffffffff);
    epit_end(&e);
}

/* No clock selected: an enabled counter does not move */
static void test_no_clock(void)
{
    Epit e = epit_start();

    wr(&e, EPIT_LR, 3);
    wr(&e, EPIT_CR, CR_ENMOD | CR_RLD | CR_OCIEN | CR_EN);
    at(&e, now(&e) + 10 * NANOSECONDS_PER_SECOND);
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 3);
    g_assert_cmphex(rd(&e, EPIT_SR), ==, 0);
    g_assert_false(irq(&e));
    /* Selecting a clock starts it, from where it was */
    epit_go(&e, CR_ENMOD | CR_RLD | CR_OCIEN);
    check_tick(&e, 3, 1, 1, 0, true, true);
    epit_end(&e);
}

/* CNR is read-only; unknown offsets are guest errors, no crash */
static void test_bad_accesses(void)
{
    Epit e = epit_start();

    wr(&e, EPIT_LR, 100);
    epit_go(&e, CR_ENMOD | CR_RLD);
    at(&e, edge_t(&e, 5));
    wr(&e, EPIT_CNR, 7);
    wr(&e, 0x14, 0xffffffff);
    wr(&e, 0xffc, 0xffffffff);
    g_assert_cmphex(rd(&e, 0x14), ==, 0);
    g_assert_cmphex(rd(&e, EPIT_CNR), ==, 95);
    check_tick(&e, 6, 1, 95, 94, false, false);
    /* Reserved CR bits 31-26 read as zero */
    wr(&e, EPIT_CR, 0xfc000000 | rd(&e, EPIT_CR));
    g_assert_cmphex(rd(&e, EPIT_CR) >> 26, ==, 0);
    epit_end(&e);
}

/* The second EPIT of the i.MX6, and the block on i.MX25 and i.MX31 */
static void test_other_instances(void)
{
    static const struct {
        const char *machine;
        uint64_t base;
        int irq;
    } boards[] = {
        { "sabrelite", EPIT2_BASE, EPIT2_IRQ },
        { "imx25-pdk", IMX25_EPIT1_BASE, -1 },
        { "kzm", IMX31_EPIT1_BASE, -1 },
    };
    int i;

    for (i = 0; i < ARRAY_SIZE(boards); i++) {
        Epit e;

        if (!qtest_has_machine(boards[i].machine)) {
            continue;
        }
        e = epit_start_on(boards[i].machine, boards[i].base, boards[i].irq);
        wr(&e, EPIT_LR, 9);
        wr(&e, EPIT_CMPR, 7);
        epit_go(&e, CR_ENMOD | CR_RLD | CR_OCIEN);
        check_tick(&e, 2, 1, 8, 7, true, boards[i].irq >= 0);
        check_tick(&e, 10, 1, 0, 9, false, false);
        epit_end(&e);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    if (!qtest_has_machine("sabrelite")) {
        g_test_skip("sabrelite machine not available");
        return g_test_run();
    }

    qtest_add_func("/imx-epit/reset-values", test_reset_values);
    qtest_add_func("/imx-epit/count-exact", test_count_exact);
    qtest_add_func("/imx-epit/reload-period", test_reload_period);
    qtest_add_func("/imx-epit/prescaler", test_prescaler);
    qtest_add_func("/imx-epit/compare-race", test_compare_race);
    qtest_add_func("/imx-epit/flag-without-irq", test_flag_without_irq);
    qtest_add_func("/imx-epit/status-w1c", test_status_w1c);
    qtest_add_func("/imx-epit/compare-zero", test_compare_zero);
    qtest_add_func("/imx-epit/rollover-race", test_rollover_race);
    qtest_add_func("/imx-epit/load-next-reload", test_load_next_reload);
    qtest_add_func("/imx-epit/load-overwrite", test_load_overwrite);
    qtest_add_func("/imx-epit/phase-kept", test_phase_kept);
    qtest_add_func("/imx-epit/disable-resume", test_disable_resume);
    qtest_add_func("/imx-epit/enable-mode", test_enable_mode);
    qtest_add_func("/imx-epit/free-run-switch", test_free_run_switch);
    qtest_add_func("/imx-epit/soft-reset", test_soft_reset);
    qtest_add_func("/imx-epit/no-clock", test_no_clock);
    qtest_add_func("/imx-epit/bad-accesses", test_bad_accesses);
    qtest_add_func("/imx-epit/other-instances", test_other_instances);

    return g_test_run();
}
