/*
 * QTest for the ARM SP804 dual timer and the Integrator/CP timers
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (c) 2026 The ptimer-ng authors
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "ptimer-qom.h"

/* vexpress-a9 motherboard timers 0/1, 1 MHz */
#define VEXPRESS_SP804      0x10011000
/* integratorcp: timer 0 at 40 MHz, timers 1 and 2 at 1 MHz, PIC 5..7 */
#define ICP_PIT             0x13000000

/* Registers of one timer (timer 2 of an SP804 is at +0x20) */
#define LOAD        0x00
#define VALUE       0x04
#define CONTROL     0x08
#define RIS         0x10
#define MIS         0x14
#define BGLOAD      0x18
#define TIMER2      0x20

#define CTRL_32BIT      (1 << 1)
#define CTRL_DIV16      (1 << 2)
#define CTRL_IE         (1 << 5)
#define CTRL_PERIODIC   (1 << 6)
#define CTRL_ENABLE     (1 << 7)

#define PERIODIC_32 (CTRL_ENABLE | CTRL_PERIODIC | CTRL_IE | CTRL_32BIT)
#define FREERUN_32  (CTRL_ENABLE | CTRL_IE | CTRL_32BIT)

/* One tick at 1 MHz, in ns */
#define TICK        1000

typedef struct {
    QTestState *qts;
    uint64_t base;
} Timer;

/*
 * The virtual clock of the running test (qtest can only read it while
 * advancing it, so every step goes through step()).
 */
static int64_t vclock;

/*
 * Whether the running test is on the Integrator/CP, whose counter/timer
 * module has an interrupt output per timer; an SP804 has one output
 * that QEMU models, TIMINTC, the OR of its two timers' interrupts
 * (DDI 0271D).
 */
static bool icp;

/* The QOM path of the "sp804" whose registers are at @base */
static char *sp804_at(QTestState *qts, uint64_t base)
{
    QDict *resp;
    QListEntry *e;
    char *path = NULL;

    resp = qtest_qmp(qts, "{ 'execute': 'qom-list', 'arguments': "
                     "{ 'path': '/machine/unattached' } }");
    g_assert(qdict_haskey(resp, "return"));
    QLIST_FOREACH_ENTRY(qdict_get_qlist(resp, "return"), e) {
        QDict *prop = qobject_to(QDict, qlist_entry_obj(e));
        g_autofree char *dev = NULL;
        g_autofree char *mr = NULL;
        QDict *addr;

        if (strcmp(qdict_get_str(prop, "type"), "child<sp804>")) {
            continue;
        }
        dev = g_strdup_printf("/machine/unattached/%s",
                              qdict_get_str(prop, "name"));
        /* the address its register bank is mapped at */
        mr = g_strdup_printf("%s/sp804[0]", dev);
        addr = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments': "
                         "{ 'path': %s, 'property': 'addr' } }", mr);
        if (qdict_get_int(addr, "return") == base) {
            path = g_steal_pointer(&dev);
        }
        qobject_unref(addr);
        if (path) {
            break;
        }
    }
    qobject_unref(resp);
    g_assert(path);
    return path;
}

/*
 * Start @machine and observe the interrupt output(s) of the timer
 * device whose registers are at @base, read with line().
 */
static Timer timer_open(const char *machine, uint64_t base)
{
    Timer t = {
        .qts = qtest_initf("-machine %s", machine),
        .base = base,
    };
    g_autofree char *dev = NULL;

    icp = !strcmp(machine, "integratorcp");
    if (icp) {
        dev = ptimer_qom_find(t.qts, "/machine/unattached",
                              "integrator_pit");
    } else {
        dev = sp804_at(t.qts, base);
    }
    qtest_irq_intercept_out_named(t.qts, dev, "sysbus-irq");
    vclock = qtest_clock_step(t.qts, 1);
    return t;
}

static uint32_t rd(Timer *t, uint32_t reg)
{
    return qtest_readl(t->qts, t->base + reg);
}

static void wr(Timer *t, uint32_t reg, uint32_t val)
{
    qtest_writel(t->qts, t->base + reg, val);
}

/* The interrupt output that @t drives */
static bool line(Timer *t)
{
    return qtest_get_irq(t->qts, icp ? (t->base - ICP_PIT) / 0x100 : 0);
}

/* Advance the virtual clock by @ns (> 0). */
static void step(Timer *t, int64_t ns)
{
    int64_t want = vclock + ns;

    vclock = qtest_clock_step(t->qts, ns);
    g_assert_cmpint(vclock, ==, want);
}

/* Reset values, DDI 0271D table 3-1, for both timers. */
static void test_reset_values(void)
{
    Timer t = timer_open("vexpress-a9", VEXPRESS_SP804);
    int i;

    for (i = 0; i < 2; i++) {
        t.base = VEXPRESS_SP804 + i * TIMER2;
        g_assert_cmphex(rd(&t, LOAD), ==, 0);
        g_assert_cmphex(rd(&t, VALUE), ==, 0xffffffff);
        g_assert_cmphex(rd(&t, CONTROL), ==, 0x20);
        g_assert_cmphex(rd(&t, RIS), ==, 0);
        g_assert_cmphex(rd(&t, MIS), ==, 0);
        g_assert_cmphex(rd(&t, BGLOAD), ==, 0);
    }
    /* Not enabled: nothing counts. */
    step(&t, 10 * TICK);
    g_assert_cmphex(rd(&t, VALUE), ==, 0xffffffff);
    qtest_quit(t.qts);
}

/* A system reset stops the counters and restores the reset values. */
static void test_system_reset(void)
{
    Timer t = timer_open("vexpress-a9", VEXPRESS_SP804);
    Timer t2 = { .qts = t.qts, .base = VEXPRESS_SP804 + TIMER2 };
    int i;

    wr(&t, LOAD, 10);
    wr(&t, CONTROL, PERIODIC_32);
    wr(&t2, LOAD, 100000);
    wr(&t2, CONTROL, FREERUN_32 | CTRL_DIV16);
    step(&t, 20 * TICK);
    g_assert_cmpuint(rd(&t, RIS), ==, 1);
    g_assert_true(line(&t));

    qtest_qmp_assert_success(t.qts, "{'execute': 'system_reset'}");
    qtest_qmp_eventwait(t.qts, "RESET");
    /* The reset drops the line with the pending interrupt. */
    g_assert_false(line(&t));

    for (i = 0; i < 2; i++) {
        Timer *p = i ? &t2 : &t;

        g_assert_cmphex(rd(p, LOAD), ==, 0);
        g_assert_cmphex(rd(p, BGLOAD), ==, 0);
        g_assert_cmphex(rd(p, VALUE), ==, 0xffffffff);
        g_assert_cmphex(rd(p, CONTROL), ==, 0x20);
        g_assert_cmphex(rd(p, RIS), ==, 0);
        g_assert_cmphex(rd(p, MIS), ==, 0);
    }
    step(&t, 100000 * TICK);
    g_assert_cmphex(rd(&t, VALUE), ==, 0xffffffff);
    g_assert_cmphex(rd(&t, RIS), ==, 0);
    g_assert_cmphex(rd(&t2, VALUE), ==, 0xffffffff);
    g_assert_cmphex(rd(&t2, RIS), ==, 0);
    g_assert_false(line(&t));
    qtest_quit(t.qts);
}

/* Integrator/CP timers: the reset values, as on the SP804. */
static void test_icp_pit(void)
{
    Timer t = timer_open("integratorcp", ICP_PIT);

    g_assert_cmphex(rd(&t, VALUE), ==, 0xffffffff);
    g_assert_cmphex(rd(&t, CONTROL), ==, 0x20);
    qtest_quit(t.qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    if (qtest_has_machine("vexpress-a9")) {
        qtest_add_func("sp804/reset_values", test_reset_values);
        qtest_add_func("sp804/system_reset", test_system_reset);
    }
    if (qtest_has_machine("integratorcp")) {
        qtest_add_func("icp-pit/timers", test_icp_pit);
    }
    return g_test_run();
}
