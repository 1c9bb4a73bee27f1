/*
 * QTest for the SH7750 timer unit (TMU), hw/timer/sh_timer.c
 *
 * Written for ptimer-ng.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"

/*
 * r2d: Pphi = 60 MHz, so the Pphi/4 count period is 200/3 ns and the
 * Pphi/16 one is 800/3 ns.  TCNT keeps a value for a whole count period,
 * and underflows (0 -> TCOR, UNF set) TCNT + 1 periods after a load.
 *
 * The interrupt request TUNIn (UNF & UNIE) is not observed, only UNF:
 * neither the TMU (tmu012_init()) nor the INTC it drives (sh_intc_init())
 * is a QOM device, so qtest has no path to intercept either end of the
 * line, and nothing else shows it while the CPU does not run.
 */
#define TMU_BASE    0xffd80000
#define TOCR        (TMU_BASE + 0x0)
#define TSTR        (TMU_BASE + 0x4)
#define TCOR(n)     (TMU_BASE + 0x08 + 12 * (n))
#define TCNT(n)     (TMU_BASE + 0x0c + 12 * (n))
#define TCR(n)      (TMU_BASE + 0x10 + 12 * (n))

#define TCR_TPSC_4      0x0
#define TCR_TPSC_16     0x1
#define TCR_UNIE        0x20
#define TCR_UNF         0x100

static QTestState *start(void)
{
    return qtest_init("-machine r2d -nic none");
}

static uint32_t tcnt(QTestState *qts, int n)
{
    return qtest_readl(qts, TCNT(n));
}

static bool unf(QTestState *qts, int n)
{
    return qtest_readw(qts, TCR(n)) & TCR_UNF;
}

/* Load channel n stopped and start it; the start is instant 0 */
static void load_and_start(QTestState *qts, int n, uint32_t tcor,
                           uint32_t count, uint16_t tcr)
{
    qtest_writew(qts, TCR(n), tcr);
    qtest_writel(qts, TCOR(n), tcor);
    qtest_writel(qts, TCNT(n), count);
    qtest_writeb(qts, TSTR, qtest_readb(qts, TSTR) | (1 << n));
}

static void test_reset_values(void)
{
    QTestState *qts = start();
    int n;

    g_assert_cmphex(qtest_readb(qts, TSTR), ==, 0);
    for (n = 0; n < 3; n++) {
        g_assert_cmphex(qtest_readl(qts, TCOR(n)), ==, 0xffffffff);
        g_assert_cmphex(tcnt(qts, n), ==, 0xffffffff);
        g_assert_cmphex(qtest_readw(qts, TCR(n)), ==, 0);
    }
    qtest_quit(qts);
}

static void test_stopped_holds(void)
{
    QTestState *qts = start();

    qtest_writew(qts, TCR(0), TCR_TPSC_4);
    qtest_writel(qts, TCNT(0), 1234);
    qtest_clock_step(qts, 1000000);
    g_assert_cmpuint(tcnt(qts, 0), ==, 1234);
    g_assert_false(unf(qts, 0));
    qtest_quit(qts);
}

static void test_count_down(void)
{
    QTestState *qts = start();

    load_and_start(qts, 0, 299, 299, TCR_TPSC_4);
    g_assert_cmpuint(tcnt(qts, 0), ==, 299);
    qtest_clock_step(qts, 50);          /* 0.75 P */
    g_assert_cmpuint(tcnt(qts, 0), ==, 299);
    qtest_clock_step(qts, 50);          /* 1.5 P */
    g_assert_cmpuint(tcnt(qts, 0), ==, 298);
    qtest_clock_step(qts, 200);         /* 4.5 P */
    g_assert_cmpuint(tcnt(qts, 0), ==, 295);
    qtest_clock_step(qts, 19600);       /* 298.5 P */
    g_assert_cmpuint(tcnt(qts, 0), ==, 1);
    g_assert_false(unf(qts, 0));
    qtest_quit(qts);
}

/* The race: TCNT has underflowed to TCOR exactly when UNF is set */
static void test_underflow_instant(void)
{
    QTestState *qts = start();

    /* TCNT = 2: underflow after 3 periods = 200 ns */
    load_and_start(qts, 0, 5, 2, TCR_TPSC_4);
    qtest_clock_step(qts, 199);
    g_assert_cmpuint(tcnt(qts, 0), ==, 0);
    g_assert_false(unf(qts, 0));
    qtest_clock_step(qts, 1);
    g_assert_cmpuint(tcnt(qts, 0), ==, 5);
    g_assert_true(unf(qts, 0));
    qtest_clock_step(qts, 1);
    g_assert_cmpuint(tcnt(qts, 0), ==, 5);
    g_assert_true(unf(qts, 0));
    qtest_quit(qts);
}

/* Reload cycle is TCOR + 1 counts, anchored on the exact underflow */
static void test_periodic_reload(void)
{
    QTestState *qts = start();
    int i;

    /* TCOR = 2: an underflow every 3 periods = 200 ns */
    load_and_start(qts, 0, 2, 2, TCR_TPSC_4);
    for (i = 0; i < 5; i++) {
        qtest_clock_step(qts, 199);
        g_assert_cmpuint(tcnt(qts, 0), ==, 0);
        g_assert_false(unf(qts, 0));
        qtest_clock_step(qts, 1);
        g_assert_cmpuint(tcnt(qts, 0), ==, 2);
        g_assert_true(unf(qts, 0));
        /* clear UNF by writing 0 to it */
        qtest_writew(qts, TCR(0), TCR_TPSC_4);
        g_assert_false(unf(qts, 0));
    }
    qtest_quit(qts);
}

/* UNF is set (and only cleared by writing 0) with or without UNIE */
static void test_unf_flag(void)
{
    QTestState *qts = start();

    load_and_start(qts, 0, 2, 2, TCR_TPSC_4 | TCR_UNIE);
    qtest_clock_step(qts, 200);
    g_assert_true(unf(qts, 0));
    g_assert_cmphex(qtest_readw(qts, TCR(0)), ==, TCR_UNF | TCR_UNIE);
    /* writing 1 keeps the flag, turning UNIE off does not clear it */
    qtest_writew(qts, TCR(0), TCR_TPSC_4 | TCR_UNF);
    g_assert_true(unf(qts, 0));
    qtest_writew(qts, TCR(0), TCR_TPSC_4 | TCR_UNIE);
    g_assert_false(unf(qts, 0));
    qtest_clock_step(qts, 200);
    g_assert_true(unf(qts, 0));
    qtest_quit(qts);
}

static void test_prescaler_16(void)
{
    QTestState *qts = start();

    /* P = 800/3 ns; underflow after 100 P = 26666.67 ns */
    load_and_start(qts, 0, 7, 99, TCR_TPSC_16);
    qtest_clock_step(qts, 400);         /* 1.5 P */
    g_assert_cmpuint(tcnt(qts, 0), ==, 98);
    qtest_clock_step(qts, 800);         /* 4.5 P */
    g_assert_cmpuint(tcnt(qts, 0), ==, 95);
    qtest_clock_step(qts, 26666 - 1200);
    g_assert_cmpuint(tcnt(qts, 0), ==, 0);
    g_assert_false(unf(qts, 0));
    qtest_clock_step(qts, 1);
    g_assert_cmpuint(tcnt(qts, 0), ==, 7);
    g_assert_true(unf(qts, 0));
    qtest_quit(qts);
}

/* Rewriting TCR with the same prescaler does not disturb the count */
static void test_tcr_write_keeps_phase(void)
{
    QTestState *qts = start();

    load_and_start(qts, 0, 299, 299, TCR_TPSC_4);
    qtest_clock_step(qts, 90);          /* 1.35 P */
    qtest_writew(qts, TCR(0), TCR_TPSC_4 | TCR_UNIE);
    qtest_clock_step(qts, 10);          /* 1.5 P */
    g_assert_cmpuint(tcnt(qts, 0), ==, 298);
    qtest_clock_step(qts, 19800);       /* 298.5 P */
    g_assert_cmpuint(tcnt(qts, 0), ==, 1);
    qtest_clock_step(qts, 99);          /* 299.985 P */
    g_assert_cmpuint(tcnt(qts, 0), ==, 0);
    g_assert_false(unf(qts, 0));
    qtest_clock_step(qts, 1);           /* 300 P: underflow */
    g_assert_cmpuint(tcnt(qts, 0), ==, 299);
    g_assert_true(unf(qts, 0));
    qtest_quit(qts);
}

/* A TCNT write while running counts from the new value at once */
static void test_tcnt_write_running(void)
{
    QTestState *qts = start();

    load_and_start(qts, 0, 9, 299, TCR_TPSC_4);
    qtest_clock_step(qts, 100);
    qtest_writel(qts, TCNT(0), 50);
    g_assert_cmpuint(tcnt(qts, 0), ==, 50);
    qtest_clock_step(qts, 100);         /* 1.5 P */
    g_assert_cmpuint(tcnt(qts, 0), ==, 49);
    qtest_clock_step(qts, 3299);        /* 51 P - 1 ns */
    g_assert_cmpuint(tcnt(qts, 0), ==, 0);
    g_assert_false(unf(qts, 0));
    qtest_clock_step(qts, 1);
    g_assert_cmpuint(tcnt(qts, 0), ==, 9);
    g_assert_true(unf(qts, 0));
    qtest_quit(qts);
}

/* A TCOR write while running takes effect at the next underflow */
static void test_tcor_write_running(void)
{
    QTestState *qts = start();

    load_and_start(qts, 0, 2, 2, TCR_TPSC_4);
    qtest_clock_step(qts, 100);
    qtest_writel(qts, TCOR(0), 5);
    g_assert_cmpuint(tcnt(qts, 0), ==, 1);
    qtest_clock_step(qts, 100);         /* underflow at 3 P */
    g_assert_cmpuint(tcnt(qts, 0), ==, 5);
    g_assert_true(unf(qts, 0));
    qtest_writew(qts, TCR(0), TCR_TPSC_4);
    qtest_clock_step(qts, 399);         /* next one 6 P later */
    g_assert_cmpuint(tcnt(qts, 0), ==, 0);
    g_assert_false(unf(qts, 0));
    qtest_clock_step(qts, 1);
    g_assert_cmpuint(tcnt(qts, 0), ==, 5);
    g_assert_true(unf(qts, 0));
    qtest_quit(qts);
}

/* TSTR stops and restarts a channel without losing the count */
static void test_start_stop(void)
{
    QTestState *qts = start();

    load_and_start(qts, 0, 299, 299, TCR_TPSC_4);
    qtest_clock_step(qts, 300);         /* 4.5 P */
    qtest_writeb(qts, TSTR, 0);
    g_assert_cmpuint(tcnt(qts, 0), ==, 295);
    qtest_clock_step(qts, 100000);
    g_assert_cmpuint(tcnt(qts, 0), ==, 295);
    g_assert_false(unf(qts, 0));
    qtest_writeb(qts, TSTR, 1);
    qtest_clock_step(qts, 100);         /* 1.5 P */
    g_assert_cmpuint(tcnt(qts, 0), ==, 294);
    qtest_quit(qts);
}

/* The three channels count independently */
static void test_channels(void)
{
    QTestState *qts = start();

    load_and_start(qts, 1, 2, 2, TCR_TPSC_4);
    load_and_start(qts, 2, 5, 5, TCR_TPSC_4);
    qtest_clock_step(qts, 200);
    g_assert_cmpuint(tcnt(qts, 0), ==, 0xffffffff);
    g_assert_false(unf(qts, 0));
    g_assert_cmpuint(tcnt(qts, 1), ==, 2);
    g_assert_true(unf(qts, 1));
    g_assert_cmpuint(tcnt(qts, 2), ==, 3);  /* 3 P after a load of 5 */
    g_assert_false(unf(qts, 2));
    qtest_clock_step(qts, 200);
    g_assert_cmpuint(tcnt(qts, 2), ==, 5);
    g_assert_true(unf(qts, 2));
    g_assert_cmphex(qtest_readb(qts, TSTR), ==, 6);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/sh-timer/reset-values", test_reset_values);
    qtest_add_func("/sh-timer/stopped-holds", test_stopped_holds);
    qtest_add_func("/sh-timer/count-down", test_count_down);
    qtest_add_func("/sh-timer/underflow-instant", test_underflow_instant);
    qtest_add_func("/sh-timer/periodic-reload", test_periodic_reload);
    qtest_add_func("/sh-timer/unf-flag", test_unf_flag);
    qtest_add_func("/sh-timer/prescaler-16", test_prescaler_16);
    qtest_add_func("/sh-timer/tcr-write-keeps-phase",
                   test_tcr_write_keeps_phase);
    qtest_add_func("/sh-timer/tcnt-write-running", test_tcnt_write_running);
    qtest_add_func("/sh-timer/tcor-write-running", test_tcor_write_running);
    qtest_add_func("/sh-timer/start-stop", test_start_stop);
    qtest_add_func("/sh-timer/channels", test_channels);

    return g_test_run();
}
