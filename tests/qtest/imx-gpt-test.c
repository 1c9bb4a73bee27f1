/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QTest for the i.MX General Purpose Timer (GPT)
 *
 * Copyright (c) 2026 The ptimer-ng authors
 *
 * The GPT counts up, one tick per (PR + 1) edges of the selected input
 * clock, and compares the counter with OCR1-3; in restart mode it goes
 * back to 0 on the tick after it reached OCR1, in free-run mode it rolls
 * over from 0xffffffff to 0.  Every test programs the timer through MMIO,
 * moves the virtual clock to exact instants and checks the counter, the
 * status register and the interrupt line there.
 *
 * The instant of tick k is the instant of the k-th input clock edge after
 * the clock was selected, rounded up to the next nanosecond: the counter
 * reads k from that instant on, never earlier.  At a compare or rollover
 * instant the counter and the status flag must agree (the race check).
 */

#include "qemu/osdep.h"
#include "qemu/host-utils.h"
#include "qemu/timer.h"
#include "libqtest.h"

/* sabrelite (i.MX6Q) */
#define GPT_BASE        0x02098000
#define GPT_IRQ         55          /* GIC SPI */

/* Other boards with the same block */
#define IMX25_GPT1_BASE 0x53f90000
#define IMX7_GPT1_BASE  0x302d0000

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

#define CR_EN           (1u << 0)
#define CR_ENMOD        (1u << 1)
#define CR_DBGEN        (1u << 2)
#define CR_WAITEN       (1u << 3)
#define CR_DOZEN        (1u << 4)
#define CR_STOPEN       (1u << 5)
#define CR_CLKSRC(x)    ((uint32_t)(x) << 6)
#define CR_FRR          (1u << 9)
#define CR_SWR          (1u << 15)
#define CR_OM1(x)       ((uint32_t)(x) << 20)
#define CR_FO1          (1u << 29)
#define CR_FO2          (1u << 30)
#define CR_FO3          (1u << 31)

/* Clock sources of the i.MX6 GPT and their rates in QEMU's i.MX6 CCM */
#define CLKSRC_NONE     0
#define CLKSRC_32K      4           /* ipg_clk_32k, 32768 Hz */
#define CLKSRC_OSC_DIV8 5           /* 24 MHz / 8 */
#define CLKSRC_OSC      7           /* 24 MHz */
#define HZ_32K          32768
#define HZ_OSC_DIV8     3000000
#define HZ_OSC          24000000

#define SR_OF1          (1u << 0)
#define SR_OF2          (1u << 1)
#define SR_OF3          (1u << 2)
#define SR_ROV          (1u << 5)

#define LAP             (1ULL << 32)

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

static int64_t now(Gpt *g)
{
    return g->now;
}

static void at(Gpt *g, int64_t t)
{
    g_assert_cmpint(t, >=, g->now);
    if (t > g->now) {
        g->now = qtest_clock_set(g->qts, t);
        g_assert_cmpint(g->now, ==, t);
    }
}

static bool irq(Gpt *g)
{
    return qtest_get_irq(g->qts, GPT_IRQ);
}

/* Instant of input clock edge @e (counted from the clock selection) */
static int64_t edge_t(Gpt *g, uint64_t e)
{
    return g->t0 + muldiv64_round_up(e, NANOSECONDS_PER_SECOND, g->hz);
}

/* Index of the last input clock edge at or before @t */
static uint64_t edge_at(Gpt *g, int64_t t)
{
    return muldiv64(t - g->t0, g->hz, NANOSECONDS_PER_SECOND);
}

/* Select a clock (from "no clock") and enable the timer at this instant */
static void gpt_go(Gpt *g, uint32_t cr, uint32_t clksrc, uint32_t hz)
{
    g->hz = hz;
    g->t0 = now(g);
    wr(g, GPT_CR, cr | CR_CLKSRC(clksrc) | CR_EN);
}

/*
 * Check the counter and the status flags at the instants around tick
 * @tick of a counter started at t0 with prescaler @div: one nanosecond
 * before it reads @before without @flags, from the instant on it reads
 * @after with @flags, in both read orders, and the interrupt line
 * follows when @irq_too.
 */
static void check_tick(Gpt *g, uint64_t tick, uint32_t div,
                       uint32_t before, uint32_t after, uint32_t flags,
                       bool irq_too)
{
    int64_t t = edge_t(g, tick * div);

    at(g, t - 1);
    g_assert_cmphex(rd(g, GPT_CNT), ==, before);
    g_assert_cmphex(rd(g, GPT_SR) & flags, ==, 0);
    if (irq_too) {
        g_assert_false(irq(g));
    }
    at(g, t);
    g_assert_cmphex(rd(g, GPT_SR) & flags, ==, flags);
    g_assert_cmphex(rd(g, GPT_CNT), ==, after);
    if (irq_too) {
        g_assert_true(irq(g));
    }
    at(g, t + 1);
    g_assert_cmphex(rd(g, GPT_CNT), ==, after);
    g_assert_cmphex(rd(g, GPT_SR) & flags, ==, flags);
    if (irq_too) {
        g_assert_true(irq(g));
    }
}

/* Registers read their documented reset values */
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

/* The counter goes up by one at each tick instant, not before */
static void test_count_exact(void)
{
    static const uint64_t ticks[] = { 1, 2, 3, 1000, 65536, 1000003 };
    Gpt g = gpt_start();
    int i;

    gpt_go(&g, CR_FRR, CLKSRC_32K, HZ_32K);
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 0);
    at(&g, g.t0 + 1);
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 0);
    for (i = 0; i < ARRAY_SIZE(ticks); i++) {
        check_tick(&g, ticks[i], 1, ticks[i] - 1, ticks[i], 0, false);
    }
    /* No compare or rollover event happened */
    g_assert_cmphex(rd(&g, GPT_SR), ==, 0);
    gpt_end(&g);
}

/* PR = n divides the input clock by n + 1 */
static void test_prescaler(void)
{
    Gpt g = gpt_start();

    wr(&g, GPT_PR, 2);
    g_assert_cmphex(rd(&g, GPT_PR), ==, 2);
    gpt_go(&g, CR_FRR, CLKSRC_32K, HZ_32K);
    check_tick(&g, 1, 3, 0, 1, 0, false);
    check_tick(&g, 2, 3, 1, 2, 0, false);
    check_tick(&g, 77, 3, 76, 77, 0, false);
    gpt_end(&g);

    g = gpt_start();
    wr(&g, GPT_PR, 0xffff);         /* 12-bit field */
    g_assert_cmphex(rd(&g, GPT_PR), ==, 0xfff);
    gpt_go(&g, CR_FRR, CLKSRC_OSC, HZ_OSC);
    check_tick(&g, 1, 4096, 0, 1, 0, false);
    check_tick(&g, 5, 4096, 4, 5, 0, false);
    gpt_end(&g);
}

/* Writing PR restarts the prescaler: the next tick is PR + 1 edges later */
static void test_prescaler_write(void)
{
    Gpt g = gpt_start();
    int64_t tw;
    uint64_t e;

    wr(&g, GPT_PR, 9);
    gpt_go(&g, CR_FRR, CLKSRC_32K, HZ_32K);
    /* Five edges into tick 5 (edges 50..59) */
    tw = edge_t(&g, 55) + 1000;
    at(&g, tw);
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 5);
    wr(&g, GPT_PR, 9);
    e = edge_at(&g, tw);
    at(&g, edge_t(&g, e + 10) - 1);
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 5);
    at(&g, edge_t(&g, e + 10));
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 6);
    /* A smaller divider applies from the write on */
    tw = edge_t(&g, e + 13) + 7;
    at(&g, tw);
    wr(&g, GPT_PR, 1);
    e = edge_at(&g, tw);
    at(&g, edge_t(&g, e + 2) - 1);
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 6);
    at(&g, edge_t(&g, e + 2));
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 7);
    at(&g, edge_t(&g, e + 4));
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 8);
    gpt_end(&g);
}

/* EN = 0 freezes counter and prescaler; ENMOD = 0 resumes from there */
static void test_disable_resume(void)
{
    Gpt g = gpt_start();
    uint32_t cr = CR_FRR | CR_CLKSRC(CLKSRC_32K);
    int64_t t1;
    uint64_t e;

    wr(&g, GPT_PR, 3);
    gpt_go(&g, CR_FRR, CLKSRC_32K, HZ_32K);
    /* Disable two edges into tick 100 (edges 400..403) */
    at(&g, edge_t(&g, 402) + 5);
    wr(&g, GPT_CR, cr);
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 100);
    at(&g, edge_t(&g, 100000));
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 100);
    /* Resume: two more edges end tick 100 */
    t1 = now(&g) + 12345;
    at(&g, t1);
    wr(&g, GPT_CR, cr | CR_EN);
    e = edge_at(&g, t1);
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 100);
    at(&g, edge_t(&g, e + 2) - 1);
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 100);
    at(&g, edge_t(&g, e + 2));
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 101);
    at(&g, edge_t(&g, e + 6));
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 102);
    gpt_end(&g);
}

/* ENMOD = 1: enabling starts counter and prescaler again from zero */
static void test_enable_mode_reset(void)
{
    Gpt g = gpt_start();
    uint32_t cr = CR_ENMOD | CR_FRR | CR_CLKSRC(CLKSRC_32K);
    int64_t t1;
    uint64_t e;

    wr(&g, GPT_PR, 3);
    gpt_go(&g, CR_ENMOD | CR_FRR, CLKSRC_32K, HZ_32K);
    at(&g, edge_t(&g, 402) + 5);
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 100);
    wr(&g, GPT_CR, cr);
    t1 = now(&g) + 1000000;
    at(&g, t1);
    wr(&g, GPT_CR, cr | CR_EN);
    e = edge_at(&g, t1);
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 0);
    at(&g, edge_t(&g, e + 4) - 1);
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 0);
    at(&g, edge_t(&g, e + 4));
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 1);
    gpt_end(&g);
}

/* Free-run compare: counter and flag agree at the compare instant */
static void test_compare_race(void)
{
    Gpt g = gpt_start();

    wr(&g, GPT_OCR1, 1000);
    wr(&g, GPT_IR, SR_OF1);
    gpt_go(&g, CR_FRR, CLKSRC_OSC_DIV8, HZ_OSC_DIV8);
    check_tick(&g, 1000, 1, 999, 1000, SR_OF1, true);
    /* The counter goes on in free-run mode */
    at(&g, edge_t(&g, 1001));
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 1001);
    g_assert_cmphex(rd(&g, GPT_SR), ==, SR_OF1);
    gpt_end(&g);
}

/* Status flags are set even when their interrupt is disabled */
static void test_flags_without_irq(void)
{
    Gpt g = gpt_start();

    wr(&g, GPT_OCR2, 50);
    wr(&g, GPT_OCR3, 60);
    gpt_go(&g, CR_FRR, CLKSRC_32K, HZ_32K);
    check_tick(&g, 50, 1, 49, 50, SR_OF2, false);
    g_assert_false(irq(&g));
    check_tick(&g, 60, 1, 59, 60, SR_OF3, false);
    g_assert_cmphex(rd(&g, GPT_SR), ==, SR_OF2 | SR_OF3);
    g_assert_false(irq(&g));
    /* Enabling the interrupt of a pending flag raises the line at once */
    wr(&g, GPT_IR, SR_OF3);
    g_assert_true(irq(&g));
    wr(&g, GPT_IR, 0);
    g_assert_false(irq(&g));
    gpt_end(&g);
}

/* SR is write-1-to-clear, bit by bit; the line follows */
static void test_status_w1c(void)
{
    Gpt g = gpt_start();

    wr(&g, GPT_OCR1, 10);
    wr(&g, GPT_OCR2, 10);
    wr(&g, GPT_OCR3, 10);
    wr(&g, GPT_IR, SR_OF1 | SR_OF2);
    gpt_go(&g, CR_FRR, CLKSRC_32K, HZ_32K);
    check_tick(&g, 10, 1, 9, 10, SR_OF1 | SR_OF2 | SR_OF3, true);
    wr(&g, GPT_SR, 0);
    g_assert_cmphex(rd(&g, GPT_SR), ==, SR_OF1 | SR_OF2 | SR_OF3);
    wr(&g, GPT_SR, SR_OF1);
    g_assert_cmphex(rd(&g, GPT_SR), ==, SR_OF2 | SR_OF3);
    g_assert_true(irq(&g));
    wr(&g, GPT_SR, SR_OF2);
    g_assert_cmphex(rd(&g, GPT_SR), ==, SR_OF3);
    g_assert_false(irq(&g));
    wr(&g, GPT_SR, 0xffffffff);
    g_assert_cmphex(rd(&g, GPT_SR), ==, 0);
    g_assert_false(irq(&g));
    /* Nothing fires again before the counter comes back to 10 */
    at(&g, edge_t(&g, 1000000));
    g_assert_cmphex(rd(&g, GPT_SR), ==, 0);
    g_assert_false(irq(&g));
    gpt_end(&g);
}

/* Restart mode: 0..OCR1 then 0 again, a period of OCR1 + 1 ticks */
static void test_restart_period(void)
{
    Gpt g = gpt_start();

    wr(&g, GPT_OCR1, 99);
    wr(&g, GPT_IR, SR_OF1);
    gpt_go(&g, 0, CLKSRC_32K, HZ_32K);
    check_tick(&g, 99, 1, 98, 99, SR_OF1, true);
    at(&g, edge_t(&g, 100) - 1);
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 99);
    at(&g, edge_t(&g, 100));
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 0);
    wr(&g, GPT_SR, SR_OF1);
    g_assert_false(irq(&g));
    check_tick(&g, 199, 1, 98, 99, SR_OF1, true);
    /* Many periods later, still in phase */
    at(&g, edge_t(&g, 100 * 1000));
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 0);
    wr(&g, GPT_SR, SR_OF1);
    check_tick(&g, 100 * 1000 + 99, 1, 98, 99, SR_OF1, true);
    at(&g, edge_t(&g, 100 * 1000 + 100));
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 0);
    /* No rollover in restart mode below the full range */
    g_assert_cmphex(rd(&g, GPT_SR) & SR_ROV, ==, 0);
    gpt_end(&g);
}

/* Restart mode: writing OCR1 resets the counter, the tick phase is kept */
static void test_restart_ocr1_write(void)
{
    Gpt g = gpt_start();

    wr(&g, GPT_OCR1, 1000);
    gpt_go(&g, 0, CLKSRC_32K, HZ_32K);
    at(&g, edge_t(&g, 50) + 10000);
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 50);
    wr(&g, GPT_OCR1, 20);
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 0);
    at(&g, edge_t(&g, 51) - 1);
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 0);
    at(&g, edge_t(&g, 51));
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 1);
    /* The new period applies: OCR1 = 20 is reached 20 ticks later */
    check_tick(&g, 70, 1, 19, 20, SR_OF1, false);
    at(&g, edge_t(&g, 71));
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 0);
    gpt_end(&g);
}

/* Free-run mode: writing OCR1 leaves the counter alone */
static void test_freerun_ocr1_write(void)
{
    Gpt g = gpt_start();

    gpt_go(&g, CR_FRR, CLKSRC_32K, HZ_32K);
    at(&g, edge_t(&g, 50) + 10000);
    wr(&g, GPT_OCR1, 20);
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 50);
    check_tick(&g, 51, 1, 50, 51, 0, false);
    g_assert_cmphex(rd(&g, GPT_SR), ==, 0);
    gpt_end(&g);
}

/*
 * Writes between ticks (interrupt, compare and status registers) do not
 * move the tick instants.
 */
static void test_phase_kept(void)
{
    Gpt g = gpt_start();
    int i;

    gpt_go(&g, CR_FRR, CLKSRC_32K, HZ_32K);
    for (i = 10; i < 20; i++) {
        at(&g, edge_t(&g, i) + 17000);
        wr(&g, GPT_OCR2, 5000 + i);
        wr(&g, GPT_IR, SR_OF2);
        wr(&g, GPT_SR, SR_OF2);
        wr(&g, GPT_OCR3, 7);
        check_tick(&g, i + 1, 1, i, i + 1, 0, false);
    }
    gpt_end(&g);
}

/* Rollover race: 0xffffffff -> 0 and ROV appear at the same instant */
static void test_rollover_race(void)
{
    Gpt g = gpt_start();

    wr(&g, GPT_IR, SR_ROV);
    gpt_go(&g, CR_FRR, CLKSRC_OSC, HZ_OSC);
    check_tick(&g, LAP - 1, 1, 0xfffffffe, 0xffffffff, 0, false);
    check_tick(&g, LAP, 1, 0xffffffff, 0, SR_ROV, true);
    at(&g, edge_t(&g, LAP + 1));
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 1);
    wr(&g, GPT_SR, SR_ROV);
    g_assert_false(irq(&g));
    /* And again one lap later */
    check_tick(&g, 2 * LAP, 1, 0xffffffff, 0, SR_ROV, true);
    gpt_end(&g);
}

/* Restart mode with OCR1 = 0xffffffff rolls over like free-run */
static void test_restart_full_range(void)
{
    Gpt g = gpt_start();

    wr(&g, GPT_IR, SR_ROV | SR_OF1);
    gpt_go(&g, 0, CLKSRC_OSC, HZ_OSC);
    check_tick(&g, LAP - 1, 1, 0xfffffffe, 0xffffffff, SR_OF1, true);
    /* OCR2 and OCR3 still hold their reset value 0xffffffff */
    g_assert_cmphex(rd(&g, GPT_SR), ==, SR_OF1 | SR_OF2 | SR_OF3);
    wr(&g, GPT_SR, SR_OF1 | SR_OF2 | SR_OF3);
    g_assert_false(irq(&g));
    check_tick(&g, LAP, 1, 0xffffffff, 0, SR_ROV, true);
    g_assert_cmphex(rd(&g, GPT_SR), ==, SR_ROV);
    gpt_end(&g);
}

/* A compare fires once per lap in free-run mode */
static void test_compare_next_lap(void)
{
    Gpt g = gpt_start();

    wr(&g, GPT_OCR3, 7);
    wr(&g, GPT_IR, SR_OF3);
    gpt_go(&g, CR_FRR, CLKSRC_OSC, HZ_OSC);
    check_tick(&g, 7, 1, 6, 7, SR_OF3, true);
    wr(&g, GPT_SR, SR_OF3);
    g_assert_false(irq(&g));
    check_tick(&g, LAP + 7, 1, 6, 7, SR_OF3, true);
    /* On the way: OCR1 and OCR2 (0xffffffff) and the rollover */
    g_assert_cmphex(rd(&g, GPT_SR), ==, SR_OF1 | SR_OF2 | SR_OF3 | SR_ROV);
    gpt_end(&g);
}

/* Several channels at one tick; the earliest one is not hidden */
static void test_compare_channels(void)
{
    Gpt g = gpt_start();

    wr(&g, GPT_OCR1, 300);
    wr(&g, GPT_OCR2, 100);
    wr(&g, GPT_OCR3, 300);
    wr(&g, GPT_IR, SR_OF1 | SR_OF2 | SR_OF3);
    gpt_go(&g, CR_FRR, CLKSRC_32K, HZ_32K);
    check_tick(&g, 100, 1, 99, 100, SR_OF2, true);
    wr(&g, GPT_SR, SR_OF2);
    g_assert_false(irq(&g));
    /* Move OCR3 earlier while running */
    at(&g, edge_t(&g, 150) + 3);
    wr(&g, GPT_OCR3, 200);
    check_tick(&g, 200, 1, 199, 200, SR_OF3, true);
    wr(&g, GPT_SR, SR_OF3);
    check_tick(&g, 300, 1, 299, 300, SR_OF1, true);
    g_assert_cmphex(rd(&g, GPT_SR), ==, SR_OF1);
    gpt_end(&g);
}

/*
 * SWR: registers back to reset values except EN, ENMOD, the mode enables
 * and CLKSRC; counter and prescaler cleared; the bit clears itself
 */
static void test_soft_reset(void)
{
    Gpt g = gpt_start();
    uint32_t keep = CR_ENMOD | CR_DBGEN | CR_WAITEN | CR_DOZEN | CR_STOPEN;
    int64_t tw;
    uint64_t e;

    wr(&g, GPT_PR, 1);
    wr(&g, GPT_OCR1, 30);
    wr(&g, GPT_OCR2, 40);
    wr(&g, GPT_IR, SR_OF1);
    gpt_go(&g, keep | CR_FRR | CR_OM1(3), CLKSRC_32K, HZ_32K);
    at(&g, edge_t(&g, 2 * 45) + 100);
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 45);
    g_assert_true(irq(&g));
    tw = now(&g);
    wr(&g, GPT_CR, rd(&g, GPT_CR) | CR_SWR);
    e = edge_at(&g, tw);
    g_assert_cmphex(rd(&g, GPT_CR), ==,
                    keep | CR_EN | CR_CLKSRC(CLKSRC_32K));
    g_assert_cmphex(rd(&g, GPT_PR), ==, 0);
    g_assert_cmphex(rd(&g, GPT_SR), ==, 0);
    g_assert_cmphex(rd(&g, GPT_IR), ==, 0);
    g_assert_cmphex(rd(&g, GPT_OCR1), ==, 0xffffffff);
    g_assert_cmphex(rd(&g, GPT_OCR2), ==, 0xffffffff);
    g_assert_cmphex(rd(&g, GPT_OCR3), ==, 0xffffffff);
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 0);
    g_assert_false(irq(&g));
    /* Still enabled: counts from 0, one tick per edge (PR = 0 now) */
    at(&g, edge_t(&g, e + 1) - 1);
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 0);
    at(&g, edge_t(&g, e + 1));
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 1);
    at(&g, edge_t(&g, e + 9));
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 9);
    gpt_end(&g);
}

/* CR: FOn are self-negating, reserved bits read 0, the rest read back */
static void test_control_bits(void)
{
    Gpt g = gpt_start();

    wr(&g, GPT_CR, CR_FO1 | CR_FO2 | CR_FO3 | (0x1f << 10));
    g_assert_cmphex(rd(&g, GPT_CR), ==, 0);
    wr(&g, GPT_CR, 0x1fff03fe);
    g_assert_cmphex(rd(&g, GPT_CR), ==, 0x1fff03fe);
    gpt_end(&g);
}

/* No clock selected: an enabled counter does not move */
static void test_no_clock(void)
{
    Gpt g = gpt_start();

    wr(&g, GPT_OCR1, 1);
    wr(&g, GPT_IR, SR_OF1);
    wr(&g, GPT_CR, CR_FRR | CR_EN);
    at(&g, now(&g) + 10 * NANOSECONDS_PER_SECOND);
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 0);
    g_assert_cmphex(rd(&g, GPT_SR), ==, 0);
    g_assert_false(irq(&g));
    /* Selecting a clock starts it */
    gpt_go(&g, CR_FRR, CLKSRC_32K, HZ_32K);
    check_tick(&g, 1, 1, 0, 1, SR_OF1, true);
    gpt_end(&g);
}

/* Read-only and unknown registers: guest errors, no effect, no crash */
static void test_bad_accesses(void)
{
    Gpt g = gpt_start();

    gpt_go(&g, CR_FRR, CLKSRC_32K, HZ_32K);
    at(&g, edge_t(&g, 5));
    wr(&g, GPT_CNT, 0x12345678);
    wr(&g, GPT_ICR1, 1);
    wr(&g, GPT_ICR2, 1);
    wr(&g, 0x28, 0xffffffff);
    wr(&g, 0xffc, 0xffffffff);
    g_assert_cmphex(rd(&g, 0x28), ==, 0);
    g_assert_cmphex(rd(&g, GPT_ICR1), ==, 0);
    g_assert_cmphex(rd(&g, GPT_CNT), ==, 5);
    check_tick(&g, 6, 1, 5, 6, 0, false);
    gpt_end(&g);
}

/* The same block on i.MX25 and i.MX7D boards, from the 32 kHz clock */
static void test_other_boards(void)
{
    static const struct {
        const char *machine;
        uint64_t base;
    } boards[] = {
        { "imx25-pdk", IMX25_GPT1_BASE },
        { "mcimx7d-sabre", IMX7_GPT1_BASE },
    };
    int i;

    for (i = 0; i < ARRAY_SIZE(boards); i++) {
        Gpt g;

        if (!qtest_has_machine(boards[i].machine)) {
            continue;
        }
        g = gpt_start_on(boards[i].machine, boards[i].base);
        wr(&g, GPT_OCR2, 3);
        gpt_go(&g, CR_FRR, CLKSRC_32K, HZ_32K);
        check_tick(&g, 1, 1, 0, 1, 0, false);
        check_tick(&g, 3, 1, 2, 3, SR_OF2, false);
        gpt_end(&g);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    if (!qtest_has_machine("sabrelite")) {
        g_test_skip("sabrelite machine not available");
        return g_test_run();
    }

    qtest_add_func("/imx-gpt/reset-values", test_reset_values);
    qtest_add_func("/imx-gpt/count-exact", test_count_exact);
    qtest_add_func("/imx-gpt/prescaler", test_prescaler);
    qtest_add_func("/imx-gpt/prescaler-write", test_prescaler_write);
    qtest_add_func("/imx-gpt/disable-resume", test_disable_resume);
    qtest_add_func("/imx-gpt/enable-mode-reset", test_enable_mode_reset);
    qtest_add_func("/imx-gpt/compare-race", test_compare_race);
    qtest_add_func("/imx-gpt/flags-without-irq", test_flags_without_irq);
    qtest_add_func("/imx-gpt/status-w1c", test_status_w1c);
    qtest_add_func("/imx-gpt/restart-period", test_restart_period);
    qtest_add_func("/imx-gpt/restart-ocr1-write", test_restart_ocr1_write);
    qtest_add_func("/imx-gpt/freerun-ocr1-write", test_freerun_ocr1_write);
    qtest_add_func("/imx-gpt/phase-kept", test_phase_kept);
    qtest_add_func("/imx-gpt/rollover-race", test_rollover_race);
    qtest_add_func("/imx-gpt/restart-full-range", test_restart_full_range);
    qtest_add_func("/imx-gpt/compare-next-lap", test_compare_next_lap);
    qtest_add_func("/imx-gpt/compare-channels", test_compare_channels);
    qtest_add_func("/imx-gpt/soft-reset", test_soft_reset);
    qtest_add_func("/imx-gpt/control-bits", test_control_bits);
    qtest_add_func("/imx-gpt/no-clock", test_no_clock);
    qtest_add_func("/imx-gpt/bad-accesses", test_bad_accesses);
    qtest_add_func("/imx-gpt/other-boards", test_other_boards);

    return g_test_run();
}
