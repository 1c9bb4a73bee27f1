/*
 * QTest testcase for the MCF5206 timer module (an5206 board)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The timers' interrupt lines cannot be intercepted here: they are
 * anonymous qemu_irqs into the MBAR's interrupt controller, which has no
 * GPIO inputs and signals the CPU by a direct call.  The controller's
 * IPR bit follows the line's level (set while high, clear while low), so
 * the line is read there.
 */

#include "qemu/osdep.h"
#include "libqtest.h"

#define MBAR        0x10000000
#define TIMER1      (MBAR + 0x100)
#define TIMER2      (MBAR + 0x120)
#define TMR         0x0
#define TRR         0x4
#define TCR         0x8
#define TCN         0xc
#define TER         0x11
#define IPR         (MBAR + 0x3a)
#define TIMER1_IRQ  9
#define TIMER2_IRQ  10

#define TMR_RST     0x0001
#define TMR_CLK1    0x0002
#define TMR_CLK16   0x0004
#define TMR_FRR     0x0008
#define TMR_ORI     0x0010
#define TMR_PS(n)   ((n) << 8)

#define TER_REF     0x02

#define SYS_FREQ    66000000ULL

/* Time from the counter start to the end of @n timer clocks */
static int64_t ticks_div(uint64_t n, uint64_t div)
{
    uint64_t f = SYS_FREQ / div;

    return (n * 1000000000ULL + f - 1) / f;
}

static int64_t ticks_ns(uint64_t n)
{
    return ticks_div(n, 1);
}

static QTestState *tmr_init(void)
{
    return qtest_init("-machine an5206");
}

static uint16_t tcn(QTestState *qts, uint32_t base)
{
    return qtest_readw(qts, base + TCN);
}

static bool ref(QTestState *qts, uint32_t base)
{
    return qtest_readb(qts, base + TER) & TER_REF;
}

static void clear_ref(QTestState *qts, uint32_t base)
{
    qtest_writeb(qts, base + TER, TER_REF);
}

static bool irq_pending(QTestState *qts, int irq)
{
    return qtest_readw(qts, IPR) & (1u << irq);
}

/* The interrupt line of the timer at @base, as the IPR sees it */
static bool line(QTestState *qts, uint32_t base)
{
    return irq_pending(qts, base == TIMER1 ? TIMER1_IRQ : TIMER2_IRQ);
}

static void tmr_start(QTestState *qts, uint32_t base, uint16_t trr,
                      uint16_t tmr)
{
    qtest_writew(qts, base + TRR, trr);
    qtest_writew(qts, base + TMR, tmr | TMR_RST);
}

static void test_reset_values(void)
{
    QTestState *qts = tmr_init();

    g_assert_cmphex(qtest_readw(qts, TIMER1 + TMR), ==, 0);
    g_assert_cmphex(qtest_readw(qts, TIMER1 + TRR), ==, 0xffff);
    g_assert_cmphex(qtest_readw(qts, TIMER1 + TCR), ==, 0);
    g_assert_cmphex(tcn(qts, TIMER1), ==, 0);
    g_assert_cmphex(qtest_readb(qts, TIMER1 + TER), ==, 0);
    g_assert_cmphex(qtest_readw(qts, TIMER2 + TRR), ==, 0xffff);
    qtest_clock_step(qts, 10000000);
    g_assert_cmphex(tcn(qts, TIMER1), ==, 0);
    g_assert_false(ref(qts, TIMER1));
    qtest_quit(qts);
}

static void test_count_up(void)
{
    QTestState *qts = tmr_init();

    tmr_start(qts, TIMER1, 1000, TMR_CLK1 | TMR_FRR);
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 0);
    qtest_clock_step(qts, ticks_ns(1) - 1);
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 0);
    qtest_clock_step(qts, 1);
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 1);
    qtest_clock_step(qts, ticks_ns(500) + 1 - ticks_ns(1));
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 500);
    g_assert_false(ref(qts, TIMER1));
    qtest_quit(qts);
}

/* Restart mode: REF when TCN reaches TRR, TCN = 0 one clock later */
static void test_restart_period(void)
{
    QTestState *qts = tmr_init();

    tmr_start(qts, TIMER1, 100, TMR_CLK1 | TMR_FRR);
    qtest_clock_step(qts, ticks_ns(100) - 1);
    g_assert_false(ref(qts, TIMER1));
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 99);
    qtest_clock_step(qts, 1);
    g_assert_true(ref(qts, TIMER1));
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 100);
    clear_ref(qts, TIMER1);
    g_assert_false(ref(qts, TIMER1));
    qtest_clock_step(qts, ticks_ns(101) - ticks_ns(100));
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 0);
    qtest_clock_step(qts, ticks_ns(201) - 1 - ticks_ns(101));
    g_assert_false(ref(qts, TIMER1));
    qtest_clock_step(qts, 1);
    g_assert_true(ref(qts, TIMER1));
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 100);
    qtest_quit(qts);
}

/*
 * TCN and TER[REF] agree at the match instant and 1 ns either side, and
 * the interrupt line is high from the match on if TMR[ORI] enables it
 */
static void check_race(QTestState *qts, uint32_t base, uint16_t trr,
                       int64_t match, int64_t now)
{
    bool ori = qtest_readw(qts, base + TMR) & TMR_ORI;
    int64_t t;

    qtest_clock_step(qts, match - 1 - now);
    for (t = match - 1; t <= match + 1; t++) {
        bool fired = ref(qts, base);
        uint16_t count = tcn(qts, base);

        g_assert_cmpint(fired, ==, t >= match);
        g_assert_cmpuint(count, ==, t >= match ? trr : trr - 1);
        g_assert_cmpint(fired, ==, ref(qts, base));
        g_assert_cmpint(line(qts, base), ==, ori && t >= match);
        qtest_clock_step(qts, 1);
    }
}

static void test_race_restart(void)
{
    QTestState *qts = tmr_init();

    tmr_start(qts, TIMER1, 37, TMR_CLK1 | TMR_FRR | TMR_ORI);
    check_race(qts, TIMER1, 37, ticks_ns(37), 0);
    clear_ref(qts, TIMER1);
    g_assert_false(line(qts, TIMER1));
    check_race(qts, TIMER1, 37, ticks_ns(37 + 38), ticks_ns(37) + 2);
    qtest_quit(qts);
}

/* Free run: TCN goes on past TRR and wraps at 0xffff */
static void test_free_run(void)
{
    QTestState *qts = tmr_init();
    int64_t e = ticks_ns(5);

    tmr_start(qts, TIMER1, 5, TMR_CLK1);
    check_race(qts, TIMER1, 5, e, 0);
    clear_ref(qts, TIMER1);
    qtest_clock_step(qts, ticks_ns(6) - (e + 2));
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 6);
    qtest_clock_step(qts, ticks_ns(0x10000) - ticks_ns(6));
    g_assert_cmphex(tcn(qts, TIMER1), ==, 0);
    g_assert_false(ref(qts, TIMER1));
    check_race(qts, TIMER1, 5, ticks_ns(0x10005), ticks_ns(0x10000));
    qtest_quit(qts);
}

static void test_prescaler(void)
{
    QTestState *qts = tmr_init();

    tmr_start(qts, TIMER1, 300, TMR_CLK1 | TMR_FRR | TMR_PS(9));
    qtest_clock_step(qts, ticks_div(100, 10) - 1);
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 99);
    qtest_clock_step(qts, 1);
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 100);

    /* System clock / 16, prescaler 3: divide by 64 */
    tmr_start(qts, TIMER2, 20, TMR_CLK16 | TMR_FRR | TMR_PS(3));
    check_race(qts, TIMER2, 20, ticks_div(20, 64), 0);
    qtest_quit(qts);
}

/* Writing any value to TCN clears it; counting goes on from 0 */
static void test_tcn_write(void)
{
    QTestState *qts = tmr_init();
    int64_t now = ticks_ns(50);

    tmr_start(qts, TIMER1, 100, TMR_CLK1 | TMR_FRR);
    qtest_clock_step(qts, now);
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 50);
    qtest_writew(qts, TIMER1 + TCN, 0x1234);
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 0);
    qtest_clock_step(qts, ticks_ns(100) - 1);
    g_assert_false(ref(qts, TIMER1));
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 99);
    qtest_clock_step(qts, 1);
    g_assert_true(ref(qts, TIMER1));
    qtest_quit(qts);
}

/* A TRR write while running changes the compare value, not the count */
static void test_trr_write_running(void)
{
    QTestState *qts = tmr_init();
    int64_t now = ticks_ns(50);

    tmr_start(qts, TIMER1, 1000, TMR_CLK1 | TMR_FRR);
    qtest_clock_step(qts, now);
    qtest_writew(qts, TIMER1 + TRR, 60);
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 50);
    qtest_clock_step(qts, ticks_ns(10) - 1);
    g_assert_false(ref(qts, TIMER1));
    qtest_clock_step(qts, 1);
    g_assert_true(ref(qts, TIMER1));
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 60);
    clear_ref(qts, TIMER1);

    /* Below the count: TCN runs up to 0xffff and wraps before matching */
    qtest_clock_step(qts, ticks_ns(11));
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 10);
    qtest_writew(qts, TIMER1 + TRR, 5);
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 10);
    qtest_clock_step(qts, ticks_ns(0x10000 - 10) - 1);
    g_assert_false(ref(qts, TIMER1));
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 0xffff);
    qtest_clock_step(qts, ticks_ns(0x10000 - 10 + 5) -
                     ticks_ns(0x10000 - 10) + 1);
    g_assert_true(ref(qts, TIMER1));
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 5);
    qtest_quit(qts);
}

/* CLK = 00 stops the count, which resumes where it was */
static void test_stop_start(void)
{
    QTestState *qts = tmr_init();

    tmr_start(qts, TIMER1, 300, TMR_CLK1 | TMR_FRR);
    qtest_clock_step(qts, ticks_ns(100) + 1);
    qtest_writew(qts, TIMER1 + TMR, TMR_RST | TMR_FRR);
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 100);
    qtest_clock_step(qts, 10000000);
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 100);
    qtest_writew(qts, TIMER1 + TMR, TMR_RST | TMR_CLK1 | TMR_FRR);
    qtest_clock_step(qts, ticks_ns(200) - 1);
    g_assert_false(ref(qts, TIMER1));
    qtest_clock_step(qts, 1);
    g_assert_true(ref(qts, TIMER1));
    qtest_quit(qts);
}

/* RST 1 -> 0 resets the timer registers and holds TCN at 0 */
static void test_rst(void)
{
    QTestState *qts = tmr_init();

    tmr_start(qts, TIMER1, 10, TMR_CLK1 | TMR_FRR);
    qtest_clock_step(qts, ticks_ns(15));
    g_assert_true(ref(qts, TIMER1));
    qtest_writew(qts, TIMER1 + TMR, TMR_CLK1 | TMR_FRR);
    g_assert_false(ref(qts, TIMER1));
    g_assert_cmphex(qtest_readw(qts, TIMER1 + TRR), ==, 0xffff);
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 0);
    qtest_clock_step(qts, 1000000);
    g_assert_cmpuint(tcn(qts, TIMER1), ==, 0);
    g_assert_false(ref(qts, TIMER1));
    qtest_quit(qts);
}

/* TER[REF] is write-1-to-clear and drives the interrupt with TMR[ORI] */
static void test_ref_irq(void)
{
    QTestState *qts = tmr_init();

    tmr_start(qts, TIMER1, 20, TMR_CLK1 | TMR_FRR);
    qtest_clock_step(qts, ticks_ns(20));
    g_assert_true(ref(qts, TIMER1));
    g_assert_false(irq_pending(qts, TIMER1_IRQ));
    qtest_writew(qts, TIMER1 + TMR, TMR_RST | TMR_CLK1 | TMR_FRR | TMR_ORI);
    g_assert_true(irq_pending(qts, TIMER1_IRQ));
    qtest_writeb(qts, TIMER1 + TER, 0);
    g_assert_true(ref(qts, TIMER1));
    clear_ref(qts, TIMER1);
    g_assert_false(ref(qts, TIMER1));
    g_assert_false(irq_pending(qts, TIMER1_IRQ));
    qtest_clock_step(qts, ticks_ns(41) - 1 - ticks_ns(20));
    g_assert_false(irq_pending(qts, TIMER1_IRQ));
    qtest_clock_step(qts, 1);
    g_assert_true(irq_pending(qts, TIMER1_IRQ));
    g_assert_false(irq_pending(qts, TIMER2_IRQ));
    qtest_quit(qts);
}

/* TRR = 0 in restart mode: a reference event on every clock */
static void test_trr_zero(void)
{
    QTestState *qts = tmr_init();
    int64_t p = ticks_div(1, 16);

    tmr_start(qts, TIMER2, 0, TMR_CLK16 | TMR_FRR);
    g_assert_false(ref(qts, TIMER2));
    qtest_clock_step(qts, p - 1);
    g_assert_false(ref(qts, TIMER2));
    qtest_clock_step(qts, 1);
    g_assert_true(ref(qts, TIMER2));
    clear_ref(qts, TIMER2);
    qtest_clock_step(qts, ticks_div(2, 16) - p);
    g_assert_true(ref(qts, TIMER2));
    g_assert_cmpuint(tcn(qts, TIMER2), ==, 0);
    g_assert_false(ref(qts, TIMER1));
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("mcf5206-timer/reset_values", test_reset_values);
    qtest_add_func("mcf5206-timer/count_up", test_count_up);
    qtest_add_func("mcf5206-timer/restart_period", test_restart_period);
    qtest_add_func("mcf5206-timer/race_restart", test_race_restart);
    qtest_add_func("mcf5206-timer/free_run", test_free_run);
    qtest_add_func("mcf5206-timer/prescaler", test_prescaler);
    qtest_add_func("mcf5206-timer/tcn_write", test_tcn_write);
    qtest_add_func("mcf5206-timer/trr_write_running", test_trr_write_running);
    qtest_add_func("mcf5206-timer/stop_start", test_stop_start);
    qtest_add_func("mcf5206-timer/rst", test_rst);
    qtest_add_func("mcf5206-timer/ref_irq", test_ref_irq);
    qtest_add_func("mcf5206-timer/trr_zero", test_trr_zero);

    return g_test_run();
}
