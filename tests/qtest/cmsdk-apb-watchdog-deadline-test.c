/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QTest: exact deadlines of the CMSDK APB watchdog
 *
 * Copyright (c) 2026 The ptimer-ng authors
 *
 * The watchdog (Cortex-M System Design Kit TRM, ARM DDI 0479, "APB
 * watchdog", programmers' model of the ARM Watchdog Module SP805) counts
 * down from WDOGLOAD while WDOGCONTROL.INTEN is set.  Reaching zero sets
 * the interrupt; the counter shows zero for one cycle and reloads from
 * WDOGLOAD.  Reaching zero again with the interrupt still pending asserts
 * the reset, if WDOGCONTROL.RESEN is set, and the counter stops.
 * Writing WDOGLOAD, clearing the interrupt (WDOGINTCLR) or setting INTEN
 * reloads the counter.  WDOGLOCK blocks writes to the other registers.
 *
 * Every case runs on its own machine with "-action watchdog=none", so a
 * reset shows as a WATCHDOG event and leaves the state to inspect, and
 * steps the virtual clock to exact instants: the interrupt and the reset
 * must come exactly at their deadline, and not 1 ns before.
 * mps2-an385 (0x40008000, 25 MHz), mps2-an505 (non-secure watchdog at
 * 0x40081000, 20 MHz), mps2-an521 (S32K watchdog at 0x5002e000, 32 kHz)
 * and lm3s811evb (Luminary variant at 0x40000000, 12.5 MHz).
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "qobject/qdict.h"

#define WDOGLOAD 0x00
#define WDOGVALUE 0x04
#define WDOGCONTROL 0x08
#define WDOGINTCLR 0x0c
#define WDOGRIS 0x10
#define WDOGMIS 0x14
#define WDOGLOCK 0xc00
#define PID0 0xfe0

#define CTRL_INTEN (1 << 0)
#define CTRL_RESEN (1 << 1)
#define UNLOCK 0x1acce551

typedef struct Board {
    const char *machine;
    uint32_t base;
    int64_t tick;           /* ns per count */
    const char *qom;        /* path of the device, for its IRQ; or NULL */
} Board;

static const Board an385 = {
    "mps2-an385", 0x40008000, 40, "/machine/watchdog"
};
static const Board an505 = { "mps2-an505", 0x40081000, 50, NULL };
static const Board an521 = { "mps2-an521", 0x5002e000, 31250, NULL };
static const Board lm3s811 = { "lm3s811evb", 0x40000000, 80, NULL };

typedef struct Env {
    QTestState *qts;
    const Board *b;
    int64_t now;    /* current virtual time */
    int64_t t0;     /* origin of the instants used by a case */
} Env;

static void env_init(Env *e, const Board *b)
{
    e->b = b;
    e->qts = qtest_initf("-machine %s -action watchdog=none", b->machine);
    if (b->qom) {
        qtest_irq_intercept_out_named(e->qts, b->qom, "sysbus-irq");
    }
    e->now = qtest_clock_set(e->qts, 0);
    e->t0 = e->now;
}

static void env_fini(Env *e)
{
    qtest_quit(e->qts);
}

static uint32_t rd(Env *e, uint32_t reg)
{
    return qtest_readl(e->qts, e->b->base + reg);
}

static void wr(Env *e, uint32_t reg, uint32_t val)
{
    qtest_writel(e->qts, e->b->base + reg, val);
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

/* Number of WATCHDOG events (watchdog actions) since the last call */
static int resets(Env *e)
{
    QDict *ev;
    int n = 0;

    /* Events emitted so far arrive before this reply */
    qobject_unref(qtest_qmp(e->qts, "{'execute': 'query-status'}"));
    while ((ev = qtest_qmp_event_ref(e->qts, "WATCHDOG"))) {
        QDict *data = qdict_get_qdict(ev, "data");

        g_assert_cmpstr(qdict_get_str(data, "action"), ==, "none");
        qobject_unref(ev);
        n++;
    }
    return n;
}

static void check_int(Env *e, bool on)
{
    g_assert_cmpuint(rd(e, WDOGRIS), ==, on);
    if (rd(e, WDOGCONTROL) & CTRL_INTEN) {
        g_assert_cmpuint(rd(e, WDOGMIS), ==, on);
    }
    if (e->b->qom) {
        g_assert_cmpint(qtest_get_irq(e->qts, 0), ==, on);
    }
}

/* The counter reaches zero at t0 + @when with the interrupt clear */
static void check_interrupt(Env *e, int64_t when)
{
    at(e, when - 1);
    g_assert_cmpuint(rd(e, WDOGVALUE), ==, 1);
    check_int(e, false);
    at(e, when);
    g_assert_cmpuint(rd(e, WDOGRIS), ==, 1);
    g_assert_cmpuint(rd(e, WDOGVALUE), ==, 0);
    check_int(e, true);
    at(e, when + 1);
    g_assert_cmpuint(rd(e, WDOGVALUE), ==, 0);
    check_int(e, true);
    g_assert_cmpint(resets(e), ==, 0);
}

/* The counter reaches zero at t0 + @when with the interrupt pending */
static void check_reset(Env *e, int64_t when)
{
    at(e, when - 1);
    g_assert_cmpuint(rd(e, WDOGVALUE), ==, 1);
    g_assert_cmpint(resets(e), ==, 0);
    at(e, when);
    g_assert_cmpint(resets(e), ==, 1);
    g_assert_cmpuint(rd(e, WDOGVALUE), ==, 0);
    check_int(e, true);
}

/* Program @load, enable interrupt (and reset); the origin is now */
static void start(Env *e, uint32_t load, uint32_t ctrl)
{
    wr(e, WDOGLOAD, load);
    wr(e, WDOGCONTROL, ctrl);
    mark(e);
}

static void deadlines(const Board *b)
{
    int64_t p = b->tick;
    Env e;

    env_init(&e, b);
    start(&e, 1000, CTRL_INTEN | CTRL_RESEN);
    g_assert_cmpuint(rd(&e, WDOGVALUE), ==, 1000);
    at(&e, p / 2);
    g_assert_cmpuint(rd(&e, WDOGVALUE), ==, 1000);
    at(&e, 500 * p + p / 2);
    g_assert_cmpuint(rd(&e, WDOGVALUE), ==, 500);
    check_interrupt(&e, 1000 * p);
    /* One count at zero, then the reload */
    at(&e, 1001 * p + 1);
    g_assert_cmpuint(rd(&e, WDOGVALUE), ==, 1000);
    check_reset(&e, 1000 * p + 1001 * p);
    /* The counter stopped with the reset */
    at(&e, 5000 * p);
    g_assert_cmpuint(rd(&e, WDOGVALUE), ==, 0);
    g_assert_cmpint(resets(&e), ==, 0);
    env_fini(&e);
}

static void test_reset_state(void)
{
    Env e;

    env_init(&e, &an385);
    g_assert_cmphex(rd(&e, WDOGLOAD), ==, 0xffffffff);
    g_assert_cmphex(rd(&e, WDOGVALUE), ==, 0xffffffff);
    g_assert_cmphex(rd(&e, WDOGCONTROL), ==, 0);
    g_assert_cmpuint(rd(&e, WDOGRIS), ==, 0);
    g_assert_cmpuint(rd(&e, WDOGMIS), ==, 0);
    g_assert_cmpuint(rd(&e, WDOGLOCK), ==, 0);
    g_assert_cmphex(rd(&e, PID0), ==, 0x24);
    /* Not counting until INTEN is set */
    wr(&e, WDOGLOAD, 10);
    at(&e, 1000 * an385.tick);
    g_assert_cmpuint(rd(&e, WDOGVALUE), ==, 10);
    check_int(&e, false);
    g_assert_cmpint(resets(&e), ==, 0);
    env_fini(&e);
}

static void test_interrupt_deadline(void)
{
    Env e;

    env_init(&e, &an385);
    start(&e, 1000, CTRL_INTEN);
    check_interrupt(&e, 1000 * an385.tick);
    env_fini(&e);
}

static void test_deadlines_an385(void)
{
    deadlines(&an385);
}

static void test_deadlines_an505(void)
{
    deadlines(&an505);
}

static void test_deadlines_an521_s32k(void)
{
    deadlines(&an521);
}

static void test_deadlines_luminary(void)
{
    deadlines(&lm3s811);
}

static void test_intclr_postpones(void)
{
    int64_t p = an385.tick;
    int64_t c = 1300 * p + 20;
    Env e;

    env_init(&e, &an385);
    start(&e, 1000, CTRL_INTEN | CTRL_RESEN);
    check_interrupt(&e, 1000 * p);
    at(&e, c);
    /* reloaded 1000 at 1001 counts, 299 counts ago */
    g_assert_cmpuint(rd(&e, WDOGVALUE), ==, 1000 - (1300 - 1001));
    /* Clearing the interrupt reloads the counter */
    wr(&e, WDOGINTCLR, 0);
    g_assert_cmpuint(rd(&e, WDOGVALUE), ==, 1000);
    check_int(&e, false);
    /* so the next zero is only an interrupt again */
    check_interrupt(&e, c + 1000 * p);
    check_reset(&e, c + 1000 * p + 1001 * p);
    env_fini(&e);
}

static void test_load_write_restarts(void)
{
    int64_t p = an385.tick;
    int64_t w = 200 * p + 20;
    Env e;

    env_init(&e, &an385);
    start(&e, 1000, CTRL_INTEN | CTRL_RESEN);
    at(&e, w);
    wr(&e, WDOGLOAD, 500);
    g_assert_cmpuint(rd(&e, WDOGLOAD), ==, 500);
    g_assert_cmpuint(rd(&e, WDOGVALUE), ==, 500);
    check_interrupt(&e, w + 500 * p);
    check_reset(&e, w + 500 * p + 501 * p);
    env_fini(&e);
}

static void test_inten_toggle(void)
{
    int64_t p = an385.tick;
    int64_t t1 = 5000 * p + 13;
    Env e;

    env_init(&e, &an385);
    start(&e, 1000, CTRL_INTEN);
    at(&e, 300 * p + p / 2);
    g_assert_cmpuint(rd(&e, WDOGVALUE), ==, 700);
    /* INTEN clear stops the counter */
    wr(&e, WDOGCONTROL, 0);
    at(&e, t1);
    g_assert_cmpuint(rd(&e, WDOGVALUE), ==, 700);
    check_int(&e, false);
    /* and setting it again reloads from WDOGLOAD */
    wr(&e, WDOGCONTROL, CTRL_INTEN);
    g_assert_cmpuint(rd(&e, WDOGVALUE), ==, 1000);
    check_interrupt(&e, t1 + 1000 * p);
    env_fini(&e);
}

static void test_no_reset_without_resen(void)
{
    int64_t p = an385.tick;
    int64_t t2 = 2500 * p + 20;
    Env e;

    env_init(&e, &an385);
    start(&e, 1000, CTRL_INTEN);
    check_interrupt(&e, 1000 * p);
    /* Second zero with the reset disabled: no reset, the counter goes on */
    at(&e, 2001 * p);
    g_assert_cmpuint(rd(&e, WDOGVALUE), ==, 0);
    g_assert_cmpint(resets(&e), ==, 0);
    at(&e, 2002 * p + 1);
    g_assert_cmpuint(rd(&e, WDOGVALUE), ==, 1000);
    check_int(&e, true);
    /* Enabling the reset later does not reset at once... */
    at(&e, t2);
    wr(&e, WDOGCONTROL, CTRL_INTEN | CTRL_RESEN);
    g_assert_cmpint(resets(&e), ==, 0);
    /* ...but at the next zero, the interrupt still being pending */
    check_reset(&e, 2001 * p + 1001 * p);
    env_fini(&e);
}

static void test_lock(void)
{
    int64_t p = an385.tick;
    Env e;

    env_init(&e, &an385);
    start(&e, 1000, CTRL_INTEN | CTRL_RESEN);
    wr(&e, WDOGLOCK, 0);
    g_assert_cmpuint(rd(&e, WDOGLOCK), ==, 1);
    check_interrupt(&e, 1000 * p);
    at(&e, 1500 * p);
    /* Locked: neither clearing nor reloading postpones the reset */
    wr(&e, WDOGINTCLR, 1);
    wr(&e, WDOGLOAD, 5);
    wr(&e, WDOGCONTROL, 0);
    g_assert_cmpuint(rd(&e, WDOGLOAD), ==, 1000);
    g_assert_cmpuint(rd(&e, WDOGCONTROL), ==, CTRL_INTEN | CTRL_RESEN);
    check_int(&e, true);
    check_reset(&e, 1000 * p + 1001 * p);
    /* Unlocked again */
    wr(&e, WDOGLOCK, UNLOCK);
    g_assert_cmpuint(rd(&e, WDOGLOCK), ==, 0);
    wr(&e, WDOGLOAD, 7);
    g_assert_cmpuint(rd(&e, WDOGLOAD), ==, 7);
    env_fini(&e);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/cmsdk-apb-watchdog-deadline/reset-state",
                   test_reset_state);
    qtest_add_func("/cmsdk-apb-watchdog-deadline/interrupt-deadline",
                   test_interrupt_deadline);
    qtest_add_func("/cmsdk-apb-watchdog-deadline/deadlines-an385",
                   test_deadlines_an385);
    if (qtest_has_machine(an505.machine)) {
        qtest_add_func("/cmsdk-apb-watchdog-deadline/deadlines-an505",
                       test_deadlines_an505);
    }
    if (qtest_has_machine(an521.machine)) {
        qtest_add_func("/cmsdk-apb-watchdog-deadline/deadlines-an521-s32k",
                       test_deadlines_an521_s32k);
    }
    if (qtest_has_machine(lm3s811.machine)) {
        qtest_add_func("/cmsdk-apb-watchdog-deadline/deadlines-luminary",
                       test_deadlines_luminary);
    }
    qtest_add_func("/cmsdk-apb-watchdog-deadline/intclr-postpones",
                   test_intclr_postpones);
    qtest_add_func("/cmsdk-apb-watchdog-deadline/load-write-restarts",
                   test_load_write_restarts);
    qtest_add_func("/cmsdk-apb-watchdog-deadline/inten-toggle",
                   test_inten_toggle);
    qtest_add_func("/cmsdk-apb-watchdog-deadline/no-reset-without-resen",
                   test_no_reset_without_resen);
    qtest_add_func("/cmsdk-apb-watchdog-deadline/lock", test_lock);

    return g_test_run();
}
