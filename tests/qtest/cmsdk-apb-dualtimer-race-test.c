/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QTest: exact timing of the CMSDK APB dual-input timer
 *
 * Copyright (c) 2026 The ptimer-ng authors
 *
 * The dual-input timer (Cortex-M System Design Kit TRM, ARM DDI 0479,
 * "APB dual-input timers", programmers' model of the ARM Dual-Timer
 * Module SP804) has two down-counters.  Each decrements once per TIMCLK
 * cycle divided by the prescaler (1, 16 or 256) while CONTROL.ENABLE is
 * set, in 16- or 32-bit size, free-running (wraps to the maximum),
 * periodic (reloads from LOAD) or one-shot (halts at zero).  Reaching
 * zero sets the raw interrupt status until TIMERxINTCLR is written;
 * writing LOAD sets the count at once, writing BGLOAD only the value
 * used at the next reload, and loading zero interrupts immediately.
 *
 * Every case runs on its own mps2-an385 (dual timer at 0x40002000,
 * TIMCLK 25 MHz, so 40 ns per count) and steps the virtual clock to
 * exact instants.  At each expiry it checks, 1 ns before, at the instant
 * and 1 ns after, that the count and the interrupt status agree: the
 * counter has reached zero exactly when TIMERxRIS says so.
 */

#include "qemu/osdep.h"
#include "libqtest.h"

#define DT_BASE 0x40002000
#define T1 (DT_BASE + 0x00)
#define T2 (DT_BASE + 0x20)
#define P 40                    /* ns per count at 25 MHz */

#define LOAD 0x00
#define VALUE 0x04
#define CONTROL 0x08
#define INTCLR 0x0c
#define RIS 0x10
#define MIS 0x14
#define BGLOAD 0x18
#define ITCR 0xf00
#define PID0 0xfe0

#define CTRL_ONESHOT (1 << 0)
#define CTRL_32BIT (1 << 1)
#define CTRL_PRESCALE_16 (1 << 2)
#define CTRL_PRESCALE_256 (2 << 2)
#define CTRL_INTEN (1 << 5)
#define CTRL_PERIODIC (1 << 6)
#define CTRL_ENABLE (1 << 7)

/* sysbus IRQs of the device: TIMINTC, TIMINT1, TIMINT2 */
#define IRQ_C 0
#define IRQ_1 1
#define IRQ_2 2

typedef struct Env {
    QTestState *qts;
    int64_t now;    /* current virtual time */
    int64_t t0;     /* origin of the instants used by a case */
} Env;

static void env_init(Env *e)
{
    e->qts = qtest_init("-machine mps2-an385");
    qtest_irq_intercept_out_named(e->qts, "/machine/dualtimer", "sysbus-irq");
    e->now = qtest_clock_set(e->qts, 0);
    e->t0 = e->now;
}

static void env_fini(Env *e)
{
    qtest_quit(e->qts);
}

static uint32_t rd(Env *e, uint32_t addr)
{
    return qtest_readl(e->qts, addr);
}

static void wr(Env *e, uint32_t addr, uint32_t val)
{
    qtest_writel(e->qts, addr, val);
}

/* Step to t0 + @rel ns (never backwards) */
static void at(Env *e, int64_t rel)
{
    g_assert_cmpint(e->t0 + rel, >=, e->now);
    if (e->t0 + rel > e->now) {
        e->now = qtest_clock_set(e->qts, e->t0 + rel);
    }
    g_assert_cmpint(e->now, ==, e->t0 + rel);
}

/* Make the current instant the origin */
static void mark(Env *e)
{
    e->t0 = e->now;
}

static bool irq(Env *e, int n)
{
    return qtest_get_irq(e->qts, n);
}

static int irq_of(uint32_t t)
{
    return t == T1 ? IRQ_1 : IRQ_2;
}

/* Interrupt state of module @t, which has INTEN set */
static void check_int(Env *e, uint32_t t, bool on)
{
    g_assert_cmpuint(rd(e, t + RIS), ==, on);
    g_assert_cmpuint(rd(e, t + MIS), ==, on);
    g_assert_cmpint(irq(e, irq_of(t)), ==, on);
    if (on) {
        g_assert_true(irq(e, IRQ_C));
    }
}

/*
 * Check module @t (INTEN set, raw status clear on entry) around the
 * instant t0 + @when at which its counter goes from 1 to 0.
 */
static void check_expiry(Env *e, uint32_t t, int64_t when)
{
    at(e, when - 1);
    g_assert_cmphex(rd(e, t + VALUE), ==, 1);
    check_int(e, t, false);

    at(e, when);
    g_assert_cmpuint(rd(e, t + RIS), ==, 1);
    g_assert_cmphex(rd(e, t + VALUE), ==, 0);
    check_int(e, t, true);

    at(e, when + 1);
    g_assert_cmphex(rd(e, t + VALUE), ==, 0);
    check_int(e, t, true);
}

static void test_reset_state(void)
{
    Env e;
    uint32_t t;

    env_init(&e);
    for (t = T1; t <= T2; t += T2 - T1) {
        g_assert_cmphex(rd(&e, t + LOAD), ==, 0);
        g_assert_cmphex(rd(&e, t + VALUE), ==, 0xffffffff);
        g_assert_cmphex(rd(&e, t + CONTROL), ==, CTRL_INTEN);
        g_assert_cmpuint(rd(&e, t + RIS), ==, 0);
        g_assert_cmpuint(rd(&e, t + MIS), ==, 0);
        g_assert_cmphex(rd(&e, t + BGLOAD), ==, 0);
    }
    g_assert_cmpuint(rd(&e, DT_BASE + ITCR), ==, 0);
    g_assert_cmphex(rd(&e, DT_BASE + PID0), ==, 0x23);
    /* Disabled: not counting */
    at(&e, 100000);
    g_assert_cmphex(rd(&e, T1 + VALUE), ==, 0xffffffff);
    g_assert_false(irq(&e, IRQ_C));
    env_fini(&e);
}

static void test_periodic_race(void)
{
    static const uint32_t k[] = { 1, 2, 500, 998, 999 };
    Env e;
    int i, n;

    env_init(&e);
    wr(&e, T1 + CONTROL, CTRL_PERIODIC | CTRL_32BIT | CTRL_INTEN);
    wr(&e, T1 + LOAD, 1000);
    g_assert_cmpuint(rd(&e, T1 + VALUE), ==, 1000);
    wr(&e, T1 + CONTROL, CTRL_ENABLE | CTRL_PERIODIC | CTRL_32BIT |
       CTRL_INTEN);
    mark(&e);
    at(&e, P / 2);
    g_assert_cmpuint(rd(&e, T1 + VALUE), ==, 1000);
    for (i = 0; i < ARRAY_SIZE(k); i++) {
        at(&e, k[i] * P + P / 2);
        g_assert_cmpuint(rd(&e, T1 + VALUE), ==, 1000 - k[i]);
    }
    for (n = 0; n < 3; n++) {
        int64_t when = 1000 * P + n * 1001 * P;

        check_expiry(&e, T1, when);
        /* zero for one count, then LOAD */
        at(&e, when + P / 2);
        g_assert_cmpuint(rd(&e, T1 + VALUE), ==, 0);
        at(&e, when + P + 1);
        g_assert_cmpuint(rd(&e, T1 + VALUE), ==, 1000);
        wr(&e, T1 + INTCLR, 0);
        check_int(&e, T1, false);
        g_assert_false(irq(&e, IRQ_C));
    }
    env_fini(&e);
}

static void test_freerun16_wrap(void)
{
    Env e;

    env_init(&e);
    /* Reset state: free-running, 16-bit */
    wr(&e, T1 + LOAD, 1000);
    wr(&e, T1 + CONTROL, CTRL_ENABLE | CTRL_INTEN);
    mark(&e);
    check_expiry(&e, T1, 1000 * P);
    /* The 16-bit counter wraps to 0xffff after one count at zero */
    at(&e, 1001 * P + 1);
    g_assert_cmphex(rd(&e, T1 + VALUE), ==, 0xffff);
    at(&e, 1002 * P + 1);
    g_assert_cmphex(rd(&e, T1 + VALUE), ==, 0xfffe);
    wr(&e, T1 + INTCLR, 1);
    /* Next zero after 0x10000 more counts */
    check_expiry(&e, T1, 1000 * P + 0x10000 * P);
    env_fini(&e);
}

static void test_oneshot_halts(void)
{
    Env e;

    env_init(&e);
    wr(&e, T1 + CONTROL, CTRL_ONESHOT | CTRL_32BIT | CTRL_INTEN);
    wr(&e, T1 + LOAD, 500);
    wr(&e, T1 + CONTROL, CTRL_ENABLE | CTRL_ONESHOT | CTRL_32BIT |
       CTRL_INTEN);
    mark(&e);
    check_expiry(&e, T1, 500 * P);
    wr(&e, T1 + INTCLR, 1);
    /* Halted at zero: no wrap, no further interrupt */
    at(&e, 500 * P + 100000 * P);
    g_assert_cmphex(rd(&e, T1 + VALUE), ==, 0);
    check_int(&e, T1, false);
    g_assert_cmphex(rd(&e, T1 + CONTROL), ==, CTRL_ENABLE | CTRL_ONESHOT |
                    CTRL_32BIT | CTRL_INTEN);
    env_fini(&e);
}

static void oneshot_restart(uint32_t mode)
{
    uint32_t ctrl = CTRL_ENABLE | CTRL_ONESHOT | CTRL_32BIT | CTRL_INTEN |
                    mode;
    Env e;
    int64_t w = 300 * P + 17;

    env_init(&e);
    wr(&e, T1 + CONTROL, ctrl & ~CTRL_ENABLE);
    wr(&e, T1 + LOAD, 100);
    wr(&e, T1 + CONTROL, ctrl);
    mark(&e);
    check_expiry(&e, T1, 100 * P);
    wr(&e, T1 + INTCLR, 1);
    at(&e, w);
    g_assert_cmphex(rd(&e, T1 + VALUE), ==, 0);

    /* Writing LOAD restarts the halted counter, still one-shot */
    wr(&e, T1 + LOAD, 200);
    g_assert_cmpuint(rd(&e, T1 + VALUE), ==, 200);
    at(&e, w + 50 * P + P / 2);
    g_assert_cmpuint(rd(&e, T1 + VALUE), ==, 150);
    check_expiry(&e, T1, w + 200 * P);
    wr(&e, T1 + INTCLR, 1);
    at(&e, w + 200 * P + 5000 * P);
    g_assert_cmphex(rd(&e, T1 + VALUE), ==, 0);
    check_int(&e, T1, false);
    env_fini(&e);
}

static void test_oneshot_restart_periodic(void)
{
    oneshot_restart(CTRL_PERIODIC);
}

static void test_load_write_keeps_periodic(void)
{
    uint32_t ctrl = CTRL_ENABLE | CTRL_PERIODIC | CTRL_32BIT | CTRL_INTEN;
    Env e;
    int64_t w = 400 * P + 9;

    env_init(&e);
    wr(&e, T1 + CONTROL, ctrl & ~CTRL_ENABLE);
    wr(&e, T1 + LOAD, 1000);
    wr(&e, T1 + CONTROL, ctrl);
    mark(&e);
    at(&e, w);
    wr(&e, T1 + LOAD, 300);
    g_assert_cmpuint(rd(&e, T1 + VALUE), ==, 300);
    g_assert_cmpuint(rd(&e, T1 + LOAD), ==, 300);
    check_expiry(&e, T1, w + 300 * P);
    wr(&e, T1 + INTCLR, 1);
    /* Still periodic: reloads 300 and expires again 301 counts later */
    at(&e, w + 301 * P + 1);
    g_assert_cmpuint(rd(&e, T1 + VALUE), ==, 300);
    check_expiry(&e, T1, w + 300 * P + 301 * P);
    g_assert_cmphex(rd(&e, T1 + CONTROL), ==, ctrl);
    env_fini(&e);
}

static void test_bgload(void)
{
    uint32_t ctrl = CTRL_ENABLE | CTRL_PERIODIC | CTRL_32BIT | CTRL_INTEN;
    Env e;

    env_init(&e);
    wr(&e, T1 + CONTROL, ctrl & ~CTRL_ENABLE);
    wr(&e, T1 + LOAD, 1000);
    wr(&e, T1 + CONTROL, ctrl);
    mark(&e);
    at(&e, 100 * P + P / 2);
    wr(&e, T1 + BGLOAD, 400);
    /* The count goes on; LOAD and BGLOAD read the next reload value */
    g_assert_cmpuint(rd(&e, T1 + VALUE), ==, 900);
    g_assert_cmpuint(rd(&e, T1 + LOAD), ==, 400);
    g_assert_cmpuint(rd(&e, T1 + BGLOAD), ==, 400);
    check_expiry(&e, T1, 1000 * P);
    at(&e, 1001 * P + 1);
    g_assert_cmpuint(rd(&e, T1 + VALUE), ==, 400);
    wr(&e, T1 + INTCLR, 1);
    check_expiry(&e, T1, 1000 * P + 401 * P);
    env_fini(&e);
}

static void prescale(uint32_t presc, int64_t div)
{
    uint32_t ctrl = CTRL_ENABLE | CTRL_PERIODIC | CTRL_32BIT | CTRL_INTEN |
                    presc;
    int64_t pp = P * div;
    Env e;

    env_init(&e);
    wr(&e, T2 + CONTROL, ctrl & ~CTRL_ENABLE);
    wr(&e, T2 + LOAD, 20);
    wr(&e, T2 + CONTROL, ctrl);
    mark(&e);
    at(&e, pp / 2);
    g_assert_cmpuint(rd(&e, T2 + VALUE), ==, 20);
    /* One count per @div TIMCLK cycles */
    at(&e, pp - 1);
    g_assert_cmpuint(rd(&e, T2 + VALUE), ==, 20);
    at(&e, pp + 1);
    g_assert_cmpuint(rd(&e, T2 + VALUE), ==, 19);
    at(&e, 10 * pp + pp / 2);
    g_assert_cmpuint(rd(&e, T2 + VALUE), ==, 10);
    check_expiry(&e, T2, 20 * pp);
    at(&e, 21 * pp + 1);
    g_assert_cmpuint(rd(&e, T2 + VALUE), ==, 20);
    wr(&e, T2 + INTCLR, 1);
    check_expiry(&e, T2, 20 * pp + 21 * pp);
    env_fini(&e);
}

static void test_prescale_16(void)
{
    prescale(CTRL_PRESCALE_16, 16);
}

static void test_prescale_256(void)
{
    prescale(CTRL_PRESCALE_256, 256);
}

static void test_inten_mask(void)
{
    uint32_t ctrl = CTRL_ENABLE | CTRL_PERIODIC | CTRL_32BIT;
    Env e;

    env_init(&e);
    wr(&e, T1 + CONTROL, ctrl);
    wr(&e, T1 + LOAD, 100);
    mark(&e);
    at(&e, 100 * P - 1);
    g_assert_cmpuint(rd(&e, T1 + RIS), ==, 0);
    at(&e, 100 * P);
    /* Raw status set, masked status and outputs low */
    g_assert_cmpuint(rd(&e, T1 + VALUE), ==, 0);
    g_assert_cmpuint(rd(&e, T1 + RIS), ==, 1);
    g_assert_cmpuint(rd(&e, T1 + MIS), ==, 0);
    g_assert_false(irq(&e, IRQ_1));
    g_assert_false(irq(&e, IRQ_C));
    /* Unmasking shows it at once */
    wr(&e, T1 + CONTROL, ctrl | CTRL_INTEN);
    check_int(&e, T1, true);
    /* Clearing lowers everything */
    wr(&e, T1 + INTCLR, 0xffffffff);
    check_int(&e, T1, false);
    g_assert_false(irq(&e, IRQ_C));
    /* The CONTROL write did not disturb the count */
    check_expiry(&e, T1, 100 * P + 101 * P);
    env_fini(&e);
}

static void test_clear_oneshot_resumes(void)
{
    uint32_t ctrl = CTRL_ENABLE | CTRL_PERIODIC | CTRL_32BIT | CTRL_INTEN;
    Env e;
    int64_t w = 300 * P + 21;

    env_init(&e);
    wr(&e, T1 + CONTROL, ctrl | CTRL_ONESHOT);
    wr(&e, T1 + LOAD, 100);
    mark(&e);
    check_expiry(&e, T1, 100 * P);
    wr(&e, T1 + INTCLR, 1);
    at(&e, w);
    g_assert_cmphex(rd(&e, T1 + VALUE), ==, 0);
    /* Leaving one-shot mode: one more count at zero, then LOAD */
    wr(&e, T1 + CONTROL, ctrl);
    g_assert_cmphex(rd(&e, T1 + VALUE), ==, 0);
    check_int(&e, T1, false);
    at(&e, w + P + 1);
    g_assert_cmpuint(rd(&e, T1 + VALUE), ==, 100);
    check_expiry(&e, T1, w + P + 100 * P);
    env_fini(&e);
}

static void test_disable_holds(void)
{
    uint32_t ctrl = CTRL_ENABLE | CTRL_PERIODIC | CTRL_32BIT | CTRL_INTEN;
    Env e;
    int64_t t1 = 10000 * P + 5;

    env_init(&e);
    wr(&e, T1 + CONTROL, ctrl);
    wr(&e, T1 + LOAD, 1000);
    mark(&e);
    at(&e, 250 * P + P / 2);
    wr(&e, T1 + CONTROL, ctrl & ~CTRL_ENABLE);
    g_assert_cmpuint(rd(&e, T1 + VALUE), ==, 750);
    at(&e, t1);
    g_assert_cmpuint(rd(&e, T1 + VALUE), ==, 750);
    check_int(&e, T1, false);
    wr(&e, T1 + CONTROL, ctrl);
    check_expiry(&e, T1, t1 + 750 * P);
    env_fini(&e);
}

static void test_two_modules(void)
{
    uint32_t ctrl = CTRL_ENABLE | CTRL_PERIODIC | CTRL_32BIT | CTRL_INTEN;
    Env e;

    env_init(&e);
    wr(&e, T1 + CONTROL, ctrl & ~CTRL_ENABLE);
    wr(&e, T2 + CONTROL, ctrl & ~CTRL_ENABLE);
    wr(&e, T1 + LOAD, 300);
    wr(&e, T2 + LOAD, 200);
    wr(&e, T1 + CONTROL, ctrl);
    wr(&e, T2 + CONTROL, ctrl);
    mark(&e);
    check_expiry(&e, T2, 200 * P);
    g_assert_cmpuint(rd(&e, T1 + RIS), ==, 0);
    g_assert_false(irq(&e, IRQ_1));
    g_assert_cmpuint(rd(&e, T1 + VALUE), ==, 100);
    check_expiry(&e, T1, 300 * P);
    /* TIMINTC is the OR of both */
    wr(&e, T2 + INTCLR, 1);
    g_assert_false(irq(&e, IRQ_2));
    g_assert_true(irq(&e, IRQ_C));
    wr(&e, T1 + INTCLR, 1);
    g_assert_false(irq(&e, IRQ_C));
    /* T2 reloaded 200 at 201 counts and went on */
    g_assert_cmpuint(rd(&e, T2 + VALUE), ==, 200 - (300 - 201));
    check_expiry(&e, T2, 200 * P + 201 * P);
    env_fini(&e);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/cmsdk-apb-dualtimer-race/reset-state",
                   test_reset_state);
    qtest_add_func("/cmsdk-apb-dualtimer-race/periodic-race",
                   test_periodic_race);
    qtest_add_func("/cmsdk-apb-dualtimer-race/freerun16-wrap",
                   test_freerun16_wrap);
    qtest_add_func("/cmsdk-apb-dualtimer-race/oneshot-halts",
                   test_oneshot_halts);
    qtest_add_func("/cmsdk-apb-dualtimer-race/oneshot-restart-periodic",
                   test_oneshot_restart_periodic);
    qtest_add_func("/cmsdk-apb-dualtimer-race/load-write-keeps-periodic",
                   test_load_write_keeps_periodic);
    qtest_add_func("/cmsdk-apb-dualtimer-race/bgload", test_bgload);
    qtest_add_func("/cmsdk-apb-dualtimer-race/prescale-16", test_prescale_16);
    qtest_add_func("/cmsdk-apb-dualtimer-race/prescale-256",
                   test_prescale_256);
    qtest_add_func("/cmsdk-apb-dualtimer-race/inten-mask", test_inten_mask);
    qtest_add_func("/cmsdk-apb-dualtimer-race/clear-oneshot-resumes",
                   test_clear_oneshot_resumes);
    qtest_add_func("/cmsdk-apb-dualtimer-race/disable-holds",
                   test_disable_holds);
    qtest_add_func("/cmsdk-apb-dualtimer-race/two-modules", test_two_modules);

    return g_test_run();
}
