/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QTest: exact timing of the CMSDK APB timer
 *
 * Copyright (c) 2026 The ptimer-ng authors
 *
 * The timer (Cortex-M System Design Kit TRM, ARM DDI 0479, "APB timer")
 * decrements VALUE once per PCLK cycle while CTRL.EN is set.  When it
 * goes from 1 to 0 with CTRL.IRQEN set, INTSTATUS is set (and TIMERINT
 * raised) until the guest writes 1 to it; the counter shows 0 for one
 * cycle and then reloads from RELOAD.  A write to RELOAD also sets the
 * current value.
 *
 * Every case runs on its own mps2-an385 (timer0 at 0x40000000, timer1 at
 * 0x40001000, PCLK 25 MHz, so 40 ns per count) and steps the virtual
 * clock to exact instants.  At each expiry it checks, 1 ns before, at the
 * instant and 1 ns after, that the count and the interrupt status agree:
 * the counter has reached zero exactly when INTSTATUS says so.
 */

#include "qemu/osdep.h"
#include "libqtest.h"

#define TIMER0_BASE 0x40000000
#define TIMER1_BASE 0x40001000
#define P 40                    /* ns per count at 25 MHz */

#define CTRL 0x0
#define VALUE 0x4
#define RELOAD 0x8
#define INTSTATUS 0xc
#define PID4 0xfd0
#define PID0 0xfe0
#define CID0 0xff0

#define CTRL_EN (1 << 0)
#define CTRL_IRQEN (1 << 3)

typedef struct Env {
    QTestState *qts;
    int64_t now;    /* current virtual time */
    int64_t t0;     /* origin of the instants used by a case */
} Env;

static void env_init(Env *e)
{
    e->qts = qtest_init("-machine mps2-an385");
    /* The TIMERINT output of timer0 is sysbus IRQ 0 */
    qtest_irq_intercept_out_named(e->qts, "/machine/timer0", "sysbus-irq");
    e->now = qtest_clock_set(e->qts, 0);
    e->t0 = e->now;
}

static void env_fini(Env *e)
{
    qtest_quit(e->qts);
}

static uint32_t rd(Env *e, uint32_t base, uint32_t reg)
{
    return qtest_readl(e->qts, base + reg);
}

static void wr(Env *e, uint32_t base, uint32_t reg, uint32_t val)
{
    qtest_writel(e->qts, base + reg, val);
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

static bool irq0(Env *e)
{
    return qtest_get_irq(e->qts, 0);
}

/*
 * Check timer0 around the instant t0 + @when at which the counter goes
 * from 1 to 0 with IRQEN set.  INTSTATUS must be clear on entry.
 */
static void check_expiry(Env *e, uint32_t base, int64_t when)
{
    at(e, when - 1);
    g_assert_cmpuint(rd(e, base, VALUE), ==, 1);
    g_assert_cmpuint(rd(e, base, INTSTATUS), ==, 0);
    if (base == TIMER0_BASE) {
        g_assert_false(irq0(e));
    }

    at(e, when);
    g_assert_cmpuint(rd(e, base, INTSTATUS), ==, 1);
    g_assert_cmpuint(rd(e, base, VALUE), ==, 0);
    if (base == TIMER0_BASE) {
        g_assert_true(irq0(e));
    }

    at(e, when + 1);
    g_assert_cmpuint(rd(e, base, VALUE), ==, 0);
    g_assert_cmpuint(rd(e, base, INTSTATUS), ==, 1);
}

/* Start timer0 with @reload, interrupt enabled; the origin is the start */
static void start_periodic(Env *e, uint32_t reload)
{
    wr(e, TIMER0_BASE, RELOAD, reload);
    wr(e, TIMER0_BASE, CTRL, CTRL_EN | CTRL_IRQEN);
    mark(e);
}

static void test_reset_state(void)
{
    Env e;

    env_init(&e);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, CTRL), ==, 0);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 0);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, RELOAD), ==, 0);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, INTSTATUS), ==, 0);
    g_assert_cmphex(rd(&e, TIMER0_BASE, PID4), ==, 0x04);
    g_assert_cmphex(rd(&e, TIMER0_BASE, PID0), ==, 0x22);
    g_assert_cmphex(rd(&e, TIMER0_BASE, CID0), ==, 0x0d);
    g_assert_false(irq0(&e));

    /* A disabled timer holds its value */
    wr(&e, TIMER0_BASE, VALUE, 100);
    at(&e, 1000 * P);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 100);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, INTSTATUS), ==, 0);
    env_fini(&e);
}

static void test_count_instants(void)
{
    static const uint32_t k[] = { 1, 2, 3, 499, 500, 998, 999 };
    Env e;
    int i;

    env_init(&e);
    wr(&e, TIMER0_BASE, RELOAD, 1000);
    /* Writing RELOAD sets the current value too */
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 1000);
    wr(&e, TIMER0_BASE, CTRL, CTRL_EN);
    mark(&e);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 1000);

    /* In the middle of cycle n (n = 0, 1, ...) VALUE reads 1000 - n */
    at(&e, P / 2);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 1000);
    for (i = 0; i < ARRAY_SIZE(k); i++) {
        at(&e, k[i] * P + P / 2);
        g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 1000 - k[i]);
    }
    at(&e, 1000 * P - 1);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 1);
    at(&e, 1000 * P);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 0);
    /* IRQEN was clear: no interrupt */
    g_assert_cmpuint(rd(&e, TIMER0_BASE, INTSTATUS), ==, 0);
    env_fini(&e);
}

static void test_rollover_race(void)
{
    Env e;

    env_init(&e);
    start_periodic(&e, 1000);
    check_expiry(&e, TIMER0_BASE, 1000 * P);

    /* Zero for one whole cycle, then RELOAD */
    at(&e, 1000 * P + P / 2);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 0);
    at(&e, 1001 * P + 1);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 1000);
    at(&e, 1002 * P + 1);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 999);
    /* The interrupt stays until cleared */
    g_assert_cmpuint(rd(&e, TIMER0_BASE, INTSTATUS), ==, 1);
    g_assert_true(irq0(&e));
    env_fini(&e);
}

static void test_periodic_repeats(void)
{
    Env e;
    int n;

    env_init(&e);
    start_periodic(&e, 250);
    /* Expiries at 250, 250 + 251, 250 + 2 * 251, ... counts: no drift */
    for (n = 0; n < 4; n++) {
        int64_t when = 250 * P + n * 251 * P;

        check_expiry(&e, TIMER0_BASE, when);
        wr(&e, TIMER0_BASE, INTSTATUS, 1);
        g_assert_false(irq0(&e));
    }
    env_fini(&e);
}

static void test_intstatus_w1c(void)
{
    Env e;

    env_init(&e);
    /* Clearing with nothing pending does nothing */
    wr(&e, TIMER0_BASE, INTSTATUS, 1);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, INTSTATUS), ==, 0);

    start_periodic(&e, 100);
    check_expiry(&e, TIMER0_BASE, 100 * P);
    /* Only a 1 in bit 0 clears */
    wr(&e, TIMER0_BASE, INTSTATUS, 0);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, INTSTATUS), ==, 1);
    wr(&e, TIMER0_BASE, INTSTATUS, 0xfffffffe);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, INTSTATUS), ==, 1);
    g_assert_true(irq0(&e));
    wr(&e, TIMER0_BASE, INTSTATUS, 1);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, INTSTATUS), ==, 0);
    g_assert_false(irq0(&e));
    /* The next expiry sets it again */
    check_expiry(&e, TIMER0_BASE, 100 * P + 101 * P);
    env_fini(&e);
}

static void test_irqen_at_expiry(void)
{
    Env e;

    env_init(&e);
    wr(&e, TIMER0_BASE, RELOAD, 100);
    wr(&e, TIMER0_BASE, CTRL, CTRL_EN);
    mark(&e);
    /* IRQEN clear when the counter reaches zero: nothing latched */
    at(&e, 100 * P);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 0);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, INTSTATUS), ==, 0);
    g_assert_false(irq0(&e));

    /* Setting IRQEN afterwards does not make up the missed interrupt */
    at(&e, 150 * P + P / 2);
    wr(&e, TIMER0_BASE, CTRL, CTRL_EN | CTRL_IRQEN);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, INTSTATUS), ==, 0);
    /* Changing CTRL does not disturb the count: next expiry on time */
    check_expiry(&e, TIMER0_BASE, 100 * P + 101 * P);

    /* Clearing IRQEN does not clear a pending interrupt */
    wr(&e, TIMER0_BASE, CTRL, CTRL_EN);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, INTSTATUS), ==, 1);
    g_assert_true(irq0(&e));
    env_fini(&e);
}

static void test_reload_write_running(void)
{
    Env e;
    int64_t w = 100 * P + P / 2;

    env_init(&e);
    start_periodic(&e, 1000);
    at(&e, w);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 900);
    wr(&e, TIMER0_BASE, RELOAD, 500);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 500);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, RELOAD), ==, 500);
    /* Counting restarts from 500 at the write */
    check_expiry(&e, TIMER0_BASE, w + 500 * P);
    wr(&e, TIMER0_BASE, INTSTATUS, 1);
    /* and the period is now 501 counts */
    check_expiry(&e, TIMER0_BASE, w + 500 * P + 501 * P);
    env_fini(&e);
}

static void test_value_write_running(void)
{
    Env e;
    int64_t w = 10 * P + 7;

    env_init(&e);
    start_periodic(&e, 1000);
    at(&e, w);
    wr(&e, TIMER0_BASE, VALUE, 300);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 300);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, RELOAD), ==, 1000);
    check_expiry(&e, TIMER0_BASE, w + 300 * P);
    /* The reload comes from RELOAD, not from the value written */
    at(&e, w + 301 * P + 1);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 1000);
    wr(&e, TIMER0_BASE, INTSTATUS, 1);
    check_expiry(&e, TIMER0_BASE, w + 300 * P + 1001 * P);
    env_fini(&e);
}

static void test_value_write_zero(void)
{
    Env e;
    int64_t w = 20 * P + P / 2;

    env_init(&e);
    start_periodic(&e, 50);
    at(&e, w);
    wr(&e, TIMER0_BASE, VALUE, 0);
    /* Loading zero is not a decrement to zero: no interrupt */
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 0);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, INTSTATUS), ==, 0);
    at(&e, w + P / 2);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 0);
    /* One cycle at zero, then RELOAD, then 50 counts to the expiry */
    at(&e, w + P + 1);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 50);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, INTSTATUS), ==, 0);
    check_expiry(&e, TIMER0_BASE, w + P + 50 * P);
    env_fini(&e);
}

static void test_zero_reload_stays_zero(void)
{
    Env e;

    env_init(&e);
    wr(&e, TIMER0_BASE, VALUE, 100);
    wr(&e, TIMER0_BASE, CTRL, CTRL_EN | CTRL_IRQEN);
    mark(&e);
    check_expiry(&e, TIMER0_BASE, 100 * P);
    wr(&e, TIMER0_BASE, INTSTATUS, 1);
    /* RELOAD is 0: the counter stays at 0 and never interrupts again */
    at(&e, 100 * P + 10000 * P);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 0);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, INTSTATUS), ==, 0);
    g_assert_false(irq0(&e));

    /* A new RELOAD value restarts it, periodic from now on */
    mark(&e);
    wr(&e, TIMER0_BASE, RELOAD, 30);
    check_expiry(&e, TIMER0_BASE, 30 * P);
    wr(&e, TIMER0_BASE, INTSTATUS, 1);
    check_expiry(&e, TIMER0_BASE, 30 * P + 31 * P);
    env_fini(&e);
}

static void test_reload_write_zero(void)
{
    Env e;
    int64_t w = 100 * P + 3;

    env_init(&e);
    start_periodic(&e, 1000);
    at(&e, w);
    wr(&e, TIMER0_BASE, RELOAD, 0);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 0);
    at(&e, w + 5000 * P);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 0);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, INTSTATUS), ==, 0);
    g_assert_false(irq0(&e));
    env_fini(&e);
}

static void test_disable_holds(void)
{
    Env e;
    int64_t t1;

    env_init(&e);
    start_periodic(&e, 1000);
    at(&e, 300 * P + P / 2);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 700);
    wr(&e, TIMER0_BASE, CTRL, CTRL_IRQEN);
    at(&e, 5000 * P);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 700);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, INTSTATUS), ==, 0);

    /* Enabling again counts on from the value held */
    t1 = 5000 * P + 11;
    at(&e, t1);
    wr(&e, TIMER0_BASE, CTRL, CTRL_EN | CTRL_IRQEN);
    check_expiry(&e, TIMER0_BASE, t1 + 700 * P);
    env_fini(&e);
}

static void test_two_timers(void)
{
    Env e;

    env_init(&e);
    wr(&e, TIMER0_BASE, RELOAD, 300);
    wr(&e, TIMER1_BASE, RELOAD, 200);
    wr(&e, TIMER0_BASE, CTRL, CTRL_EN | CTRL_IRQEN);
    wr(&e, TIMER1_BASE, CTRL, CTRL_EN | CTRL_IRQEN);
    mark(&e);
    check_expiry(&e, TIMER1_BASE, 200 * P);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, INTSTATUS), ==, 0);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, VALUE), ==, 100);
    g_assert_false(irq0(&e));
    check_expiry(&e, TIMER0_BASE, 300 * P);
    /* timer1 reloaded 200 at 201 counts and is counting down again */
    g_assert_cmpuint(rd(&e, TIMER1_BASE, VALUE), ==, 200 - (300 - 201));
    wr(&e, TIMER1_BASE, INTSTATUS, 1);
    g_assert_cmpuint(rd(&e, TIMER0_BASE, INTSTATUS), ==, 1);
    check_expiry(&e, TIMER1_BASE, 200 * P + 201 * P);
    env_fini(&e);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/cmsdk-apb-timer-race/reset-state", test_reset_state);
    qtest_add_func("/cmsdk-apb-timer-race/count-instants",
                   test_count_instants);
    qtest_add_func("/cmsdk-apb-timer-race/rollover-race", test_rollover_race);
    qtest_add_func("/cmsdk-apb-timer-race/periodic-repeats",
                   test_periodic_repeats);
    qtest_add_func("/cmsdk-apb-timer-race/intstatus-w1c", test_intstatus_w1c);
    qtest_add_func("/cmsdk-apb-timer-race/irqen-at-expiry",
                   test_irqen_at_expiry);
    qtest_add_func("/cmsdk-apb-timer-race/reload-write-running",
                   test_reload_write_running);
    qtest_add_func("/cmsdk-apb-timer-race/value-write-running",
                   test_value_write_running);
    qtest_add_func("/cmsdk-apb-timer-race/value-write-zero",
                   test_value_write_zero);
    qtest_add_func("/cmsdk-apb-timer-race/zero-reload-stays-zero",
                   test_zero_reload_stays_zero);
    qtest_add_func("/cmsdk-apb-timer-race/reload-write-zero",
                   test_reload_write_zero);
    qtest_add_func("/cmsdk-apb-timer-race/disable-holds", test_disable_holds);
    qtest_add_func("/cmsdk-apb-timer-race/two-timers", test_two_timers);

    return g_test_run();
}
