/*
 * QTest testcase for the Xilinx XPS/AXI timer (petalogix-s3adsp1800)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "ptimer-qom.h"

#define TIMER_BASE 0x83c00000
#define TCSR(n)    (0x00 + (n) * 0x10)
#define TLR(n)     (0x04 + (n) * 0x10)
#define TCR(n)     (0x08 + (n) * 0x10)

#define MDT   (1 << 0)
#define UDT   (1 << 1)
#define ARHT  (1 << 4)
#define LOAD  (1 << 5)
#define ENIT  (1 << 6)
#define ENT   (1 << 7)
#define TINT  (1 << 8)

/* 62 MHz clock: 62 ticks are exactly 1000 ns */
#define T62 1000

static uint32_t rd(QTestState *qts, uint32_t off)
{
    return qtest_readl(qts, TIMER_BASE + off);
}

static void wr(QTestState *qts, uint32_t off, uint32_t val)
{
    qtest_writel(qts, TIMER_BASE + off, val);
}

/*
 * Start the board and observe the timer's interrupt output (the OR of
 * both timers' TINT & ENIT), read with irq().
 */
static QTestState *start(void)
{
    QTestState *qts = qtest_init("-machine petalogix-s3adsp1800");

    ptimer_qom_intercept(qts, "/machine/unattached", "xlnx.xps-timer");
    return qts;
}

static bool irq(QTestState *qts)
{
    return qtest_get_irq(qts, 0);
}

/* Load TLR into the counter and start it with the given mode bits */
static void load_and_start(QTestState *qts, int n, uint32_t tlr,
                           uint32_t mode)
{
    wr(qts, TLR(n), tlr);
    wr(qts, TCSR(n), mode | LOAD);
    wr(qts, TCSR(n), mode | ENT);
}

static void test_reset_values(void)
{
    QTestState *qts = start();

    g_assert_cmphex(rd(qts, TCSR(0)), ==, 0);
    g_assert_cmphex(rd(qts, TLR(0)), ==, 0);
    g_assert_cmphex(rd(qts, TCR(0)), ==, 0);
    g_assert_cmphex(rd(qts, TCR(1)), ==, 0);
    qtest_quit(qts);
}

/* Down counter without ARHT: TLR + 1 ticks, then holds terminal count */
static void test_down_oneshot(void)
{
    QTestState *qts = start();

    load_and_start(qts, 0, 61, UDT | ENIT);
    g_assert_cmphex(rd(qts, TCR(0)), ==, 61);
    qtest_clock_step(qts, 501);
    g_assert_cmphex(rd(qts, TCR(0)), ==, 30);
    qtest_clock_step(qts, 498);
    g_assert_cmphex(rd(qts, TCR(0)), ==, 0);
    g_assert_false(rd(qts, TCSR(0)) & TINT);
    g_assert_false(irq(qts));
    qtest_clock_step(qts, 1);
    g_assert_true(rd(qts, TCSR(0)) & TINT);
    g_assert_true(irq(qts));
    g_assert_cmphex(rd(qts, TCR(0)), ==, 0);
    /* clearing TINT with ENT still set does not restart the counter */
    wr(qts, TCSR(0), UDT | ENIT | ENT | TINT);
    g_assert_false(irq(qts));
    qtest_clock_step(qts, 10 * T62);
    g_assert_cmphex(rd(qts, TCR(0)), ==, 0);
    g_assert_false(rd(qts, TCSR(0)) & TINT);
    g_assert_false(irq(qts));
    /* LOAD restarts it */
    load_and_start(qts, 0, 61, UDT | ENIT);
    qtest_clock_step(qts, T62);
    g_assert_true(rd(qts, TCSR(0)) & TINT);
    qtest_quit(qts);
}

/* Down counter with ARHT: reloads at each rollover, no drift */
static void test_down_autoreload(void)
{
    QTestState *qts = start();
    int i;

    load_and_start(qts, 0, 61, UDT | ENIT | ARHT);
    for (i = 0; i < 4; i++) {
        qtest_clock_step(qts, T62 - 1);
        g_assert_false(rd(qts, TCSR(0)) & TINT);
        g_assert_cmphex(rd(qts, TCR(0)), ==, 0);
        qtest_clock_step(qts, 1);
        g_assert_cmphex(rd(qts, TCSR(0)), ==, UDT | ENIT | ARHT | ENT | TINT);
        g_assert_cmphex(rd(qts, TCR(0)), ==, 61);
        /* write 1 to TINT clears it */
        wr(qts, TCSR(0), UDT | ENIT | ARHT | ENT | TINT);
        g_assert_false(rd(qts, TCSR(0)) & TINT);
    }
    qtest_quit(qts);
}

/* Up counter: rolls over from 0xffffffff to 0 */
static void test_up(void)
{
    QTestState *qts = start();

    load_and_start(qts, 0, 0xffffffff - 61, ARHT);
    g_assert_cmphex(rd(qts, TCR(0)), ==, 0xffffffff - 61);
    qtest_clock_step(qts, 501);
    g_assert_cmphex(rd(qts, TCR(0)), ==, 0xffffffff - 30);
    qtest_clock_step(qts, 498);
    g_assert_cmphex(rd(qts, TCR(0)), ==, 0xffffffff);
    g_assert_false(rd(qts, TCSR(0)) & TINT);
    qtest_clock_step(qts, 1);
    g_assert_true(rd(qts, TCSR(0)) & TINT);
    g_assert_cmphex(rd(qts, TCR(0)), ==, 0xffffffff - 61);
    qtest_quit(qts);
}

/* The count and TINT agree 1 ns before, at and 1 ns after the rollover */
static void test_race(void)
{
    QTestState *qts = start();
    uint32_t cnt, csr;

    load_and_start(qts, 1, 123, UDT | ENIT | ARHT);
    /* 124 ticks = 2000 ns */
    qtest_clock_step(qts, 2 * T62 - 1);
    cnt = rd(qts, TCR(1));
    csr = rd(qts, TCSR(1));
    g_assert_cmphex(cnt, ==, 0);
    g_assert_false(csr & TINT);
    g_assert_false(irq(qts));
    qtest_clock_step(qts, 1);
    g_assert_true(irq(qts));
    csr = rd(qts, TCSR(1));
    cnt = rd(qts, TCR(1));
    g_assert_true(csr & TINT);
    g_assert_cmphex(cnt, ==, 123);
    qtest_clock_step(qts, 1);
    cnt = rd(qts, TCR(1));
    csr = rd(qts, TCSR(1));
    g_assert_true(csr & TINT);
    g_assert_cmphex(cnt, ==, 123);
    qtest_quit(qts);
}

/* LOAD holds the counter at TLR; clearing it starts counting */
static void test_load_holds(void)
{
    QTestState *qts = start();

    wr(qts, TLR(0), 61);
    wr(qts, TCSR(0), UDT | ENT | LOAD);
    qtest_clock_step(qts, 5 * T62);
    g_assert_cmphex(rd(qts, TCR(0)), ==, 61);
    g_assert_false(rd(qts, TCSR(0)) & TINT);
    wr(qts, TCSR(0), UDT | ENT);
    qtest_clock_step(qts, T62 - 1);
    g_assert_false(rd(qts, TCSR(0)) & TINT);
    qtest_clock_step(qts, 1);
    g_assert_true(rd(qts, TCSR(0)) & TINT);
    qtest_quit(qts);
}

/* Clearing ENT stops the counter, setting it again resumes */
static void test_disable(void)
{
    QTestState *qts = start();

    load_and_start(qts, 0, 61, UDT);
    qtest_clock_step(qts, 501);
    g_assert_cmphex(rd(qts, TCR(0)), ==, 30);
    wr(qts, TCSR(0), UDT);
    qtest_clock_step(qts, 10 * T62);
    g_assert_cmphex(rd(qts, TCR(0)), ==, 30);
    g_assert_false(rd(qts, TCSR(0)) & TINT);
    wr(qts, TCSR(0), UDT | ENT);
    /* 31 ticks = 500 ns */
    qtest_clock_step(qts, 499);
    g_assert_cmphex(rd(qts, TCR(0)), ==, 0);
    g_assert_false(rd(qts, TCSR(0)) & TINT);
    qtest_clock_step(qts, 1);
    g_assert_true(rd(qts, TCSR(0)) & TINT);
    qtest_quit(qts);
}

/* A TCSR write without LOAD (e.g. clearing TINT) does not reload */
static void test_tcsr_write_no_reload(void)
{
    QTestState *qts = start();

    load_and_start(qts, 0, 61, UDT | ENIT | ARHT);
    qtest_clock_step(qts, 501);
    wr(qts, TCSR(0), UDT | ENIT | ARHT | ENT | TINT);
    g_assert_cmphex(rd(qts, TCR(0)), ==, 30);
    qtest_clock_step(qts, 498);
    g_assert_false(rd(qts, TCSR(0)) & TINT);
    qtest_clock_step(qts, 1);
    g_assert_true(rd(qts, TCSR(0)) & TINT);
    /* writing 0 to TINT keeps it */
    wr(qts, TCSR(0), UDT | ENIT | ARHT | ENT);
    g_assert_true(rd(qts, TCSR(0)) & TINT);
    qtest_quit(qts);
}

/* A TLR write while running applies at the next reload */
static void test_tlr_while_running(void)
{
    QTestState *qts = start();

    load_and_start(qts, 0, 61, UDT | ARHT);
    qtest_clock_step(qts, 501);
    wr(qts, TLR(0), 123);
    g_assert_cmphex(rd(qts, TCR(0)), ==, 30);
    qtest_clock_step(qts, 499);
    g_assert_true(rd(qts, TCSR(0)) & TINT);
    g_assert_cmphex(rd(qts, TCR(0)), ==, 123);
    wr(qts, TCSR(0), UDT | ARHT | ENT | TINT);
    qtest_clock_step(qts, 2 * T62 - 1);
    g_assert_false(rd(qts, TCSR(0)) & TINT);
    qtest_clock_step(qts, 1);
    g_assert_true(rd(qts, TCSR(0)) & TINT);
    qtest_quit(qts);
}

/* TCR is read-only; TINT is set even without ENIT */
static void test_tcr_readonly_no_enit(void)
{
    QTestState *qts = start();

    load_and_start(qts, 0, 61, UDT);
    wr(qts, TCR(0), 5);
    g_assert_cmphex(rd(qts, TCR(0)), ==, 61);
    qtest_clock_step(qts, T62);
    g_assert_cmphex(rd(qts, TCSR(0)), ==, UDT | ENT | TINT);
    /* TINT without ENIT leaves the line low; setting ENIT raises it */
    g_assert_false(irq(qts));
    wr(qts, TCSR(0), UDT | ENT | ENIT);
    g_assert_true(irq(qts));
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/xilinx-timer/reset_values", test_reset_values);
    qtest_add_func("/xilinx-timer/down_oneshot", test_down_oneshot);
    qtest_add_func("/xilinx-timer/down_autoreload", test_down_autoreload);
    qtest_add_func("/xilinx-timer/up", test_up);
    qtest_add_func("/xilinx-timer/race", test_race);
    qtest_add_func("/xilinx-timer/load_holds", test_load_holds);
    qtest_add_func("/xilinx-timer/disable", test_disable);
    qtest_add_func("/xilinx-timer/tcsr_write_no_reload",
                   test_tcsr_write_no_reload);
    qtest_add_func("/xilinx-timer/tlr_while_running",
                   test_tlr_while_running);
    qtest_add_func("/xilinx-timer/tcr_readonly_no_enit",
                   test_tcr_readonly_no_enit);

    return g_test_run();
}
