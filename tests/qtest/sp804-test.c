/*
 * QTest for the ARM SP804 dual timer and the Integrator/CP timers
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (c) 2026 The ptimer-ng authors
 *
 * The expected values follow the SP804 TRM (ARM DDI 0271D): the counter
 * reads the loaded value until the first tick, reaches zero after as
 * many ticks as it was loaded with (the interrupt fires at that instant),
 * shows zero for one more tick, then reloads (periodic), wraps to the
 * maximum (free-running) or halts (one-shot).  A value read exactly at a
 * tick instant is the one before that tick; 1 ns later it is the new one.
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "ptimer-qom.h"

/* vexpress-a9 motherboard timers 0/1, 1 MHz */
#define VEXPRESS_SP804      0x10011000
/* versatilepb timers 0/1 (VIC line 4), 1 MHz */
#define VERSATILE_SP804     0x101e2000
#define VERSATILE_VIC       0x10140000
#define VIC_RAWINTR         0x08
#define VERSATILE_SP804_IRQ 4
/* integratorcp: timer 0 at 40 MHz, timers 1 and 2 at 1 MHz, PIC 5..7 */
#define ICP_PIT             0x13000000
#define ICP_PIC             0x14000000
#define ICP_PIC_RAWSTAT     0x04
#define ICP_PIT_IRQ0        5
/* highbank: timers 0/1 at 150 MHz */
#define HIGHBANK_SP804      0xfff34000

/* Registers of one timer (timer 2 of an SP804 is at +0x20) */
#define LOAD        0x00
#define VALUE       0x04
#define CONTROL     0x08
#define INTCLR      0x0c
#define RIS         0x10
#define MIS         0x14
#define BGLOAD      0x18
#define TIMER2      0x20

#define CTRL_ONESHOT    (1 << 0)
#define CTRL_32BIT      (1 << 1)
#define CTRL_DIV16      (1 << 2)
#define CTRL_DIV256     (2 << 2)
#define CTRL_IE         (1 << 5)
#define CTRL_PERIODIC   (1 << 6)
#define CTRL_ENABLE     (1 << 7)

#define PERIODIC_32 (CTRL_ENABLE | CTRL_PERIODIC | CTRL_IE | CTRL_32BIT)
#define ONESHOT_32  (CTRL_ENABLE | CTRL_ONESHOT | CTRL_IE | CTRL_32BIT)
#define FREERUN_32  (CTRL_ENABLE | CTRL_IE | CTRL_32BIT)

/* One tick at 1 MHz, in ns */
#define TICK        1000

typedef struct {
    QTestState *qts;
    uint64_t base;
} Timer;

/*
 * The virtual clock of the running test (qtest can only read it while
 * advancing it, so every step goes through step() or at()).
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

/*
 * The output is high iff @t's own interrupt (@own: raw status and
 * interrupt enable) or, on an SP804, the other timer's is.
 */
static void expect_line(Timer *t, bool own)
{
    bool other = !icp && qtest_readl(t->qts, (t->base ^ TIMER2) + MIS);

    g_assert_cmpint(line(t), ==, own || other);
}

/* Write TimerXIntClr (any value clears the interrupt): the line drops */
static void intclr(Timer *t, uint32_t val)
{
    wr(t, INTCLR, val);
    g_assert_cmpuint(rd(t, RIS), ==, 0);
    expect_line(t, false);
}

static int64_t now(Timer *t)
{
    return vclock;
}

/* Advance the virtual clock by @ns (> 0). */
static void step(Timer *t, int64_t ns)
{
    int64_t want = vclock + ns;

    vclock = qtest_clock_step(t->qts, ns);
    g_assert_cmpint(vclock, ==, want);
}

/* Move the virtual clock to the absolute instant @when. */
static void at(Timer *t, int64_t when)
{
    g_assert_cmpint(when, >=, vclock);
    if (when > vclock) {
        step(t, when - vclock);
    }
}

/*
 * Value and RIS at @when, read back to back at that instant, and the
 * interrupt line, which is RIS masked by the interrupt enable.
 */
static void expect_at(Timer *t, int64_t when, uint32_t value, uint32_t ris)
{
    bool ie = rd(t, CONTROL) & CTRL_IE;

    at(t, when);
    g_assert_cmphex(rd(t, VALUE), ==, value);
    g_assert_cmpuint(rd(t, RIS), ==, ris);
    expect_line(t, ris && ie);
}

/*
 * The race: around an expiry instant @e the count and the interrupt
 * status must agree, whichever is read first: the counter has reached
 * zero exactly when the interrupt has fired.  The line is low 1 ns
 * before and, if the interrupt is enabled, high from @e.
 */
static void expect_rollover(Timer *t, int64_t e)
{
    bool ie = rd(t, CONTROL) & CTRL_IE;
    int64_t d;

    g_assert_cmpuint(rd(t, RIS), ==, 0);
    for (d = -1; d <= 1; d++) {
        uint32_t v1, r1, r2, v2;

        at(t, e + d);
        v1 = rd(t, VALUE);
        r1 = rd(t, RIS);
        r2 = rd(t, RIS);
        v2 = rd(t, VALUE);
        g_assert_cmphex(v1, ==, v2);
        g_assert_cmpuint(r1, ==, r2);
        g_assert_cmpuint(r1, ==, d >= 0);
        g_assert_cmphex(v1, ==, d < 0 ? 1 : 0);
        g_assert_cmpuint(v1 == 0, ==, r1 == 1);
        expect_line(t, d >= 0 && ie);
    }
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

/* Periodic counting: the hardware value at and just after each tick. */
static void test_periodic_count(void)
{
    Timer t = timer_open("vexpress-a9", VEXPRESS_SP804);
    int64_t t0;

    wr(&t, LOAD, 1000);
    g_assert_cmpuint(rd(&t, VALUE), ==, 1000);
    wr(&t, CONTROL, PERIODIC_32);
    t0 = now(&t);
    expect_at(&t, t0, 1000, 0);
    expect_at(&t, t0 + 1, 1000, 0);
    expect_at(&t, t0 + TICK, 1000, 0);
    expect_at(&t, t0 + TICK + 1, 999, 0);
    expect_at(&t, t0 + 500 * TICK + 1, 500, 0);
    expect_at(&t, t0 + 999 * TICK + 1, 1, 0);
    qtest_quit(t.qts);
}

/*
 * Periodic rollover: the race at each expiry, zero shown for one tick,
 * then the reload; Load + 1 ticks between interrupts, with no drift.
 */
static void test_periodic_rollover(void)
{
    Timer t = timer_open("vexpress-a9", VEXPRESS_SP804);
    int64_t t0, e;
    int i;

    wr(&t, LOAD, 999);
    wr(&t, CONTROL, PERIODIC_32);
    t0 = now(&t);
    e = t0 + 999 * TICK;
    expect_rollover(&t, e);
    expect_at(&t, e + TICK, 0, 1);
    expect_at(&t, e + TICK + 1, 999, 1);
    expect_at(&t, e + 2 * TICK + 1, 998, 1);
    intclr(&t, 1);
    for (i = 1; i <= 5; i++) {
        e += 1000 * TICK;
        expect_rollover(&t, e);
        intclr(&t, 0);
    }
    /* The 100th expiry, exactly on time. */
    e += 94 * 1000 * TICK;
    at(&t, e - 1);
    g_assert_cmpuint(rd(&t, VALUE), ==, 1);
    g_assert_cmpuint(rd(&t, RIS), ==, 1);       /* not cleared since */
    intclr(&t, 0);
    expect_rollover(&t, e);
    qtest_quit(t.qts);
}

/* Free-running 32-bit: counts from the written Load, then wraps at 2^32. */
static void test_freerunning_32(void)
{
    Timer t = timer_open("vexpress-a9", VEXPRESS_SP804);
    int64_t t0, e;

    wr(&t, CONTROL, FREERUN_32 & ~CTRL_ENABLE);
    wr(&t, LOAD, 5);
    g_assert_cmpuint(rd(&t, VALUE), ==, 5);
    wr(&t, CONTROL, FREERUN_32);
    t0 = now(&t);
    e = t0 + 5 * TICK;
    expect_at(&t, t0 + 2 * TICK + 1, 3, 0);
    expect_rollover(&t, e);
    expect_at(&t, e + TICK, 0, 1);
    expect_at(&t, e + TICK + 1, 0xffffffff, 1);
    expect_at(&t, e + 2 * TICK + 1, 0xfffffffe, 1);
    intclr(&t, 1);
    /* The next wrap is 2^32 ticks after the previous one. */
    e += (1ULL << 32) * TICK;
    expect_rollover(&t, e);
    qtest_quit(t.qts);
}

/*
 * Linux's SP804 clocksource: Control 0, Load and Value 0xffffffff, then
 * periodic 32-bit.  The count must wrap every 2^32 ticks exactly, as the
 * clocksource treats it as a free-running 32-bit counter.
 */
static void test_linux_clocksource(void)
{
    Timer t = timer_open("vexpress-a9", VEXPRESS_SP804);
    int64_t t0, e;

    wr(&t, CONTROL, 0);
    wr(&t, LOAD, 0xffffffff);
    wr(&t, VALUE, 0xffffffff);          /* read-only: ignored */
    /* The register holds all 32 bits, even in 16-bit mode. */
    g_assert_cmphex(rd(&t, VALUE), ==, 0xffffffff);
    wr(&t, CONTROL, CTRL_32BIT | CTRL_ENABLE | CTRL_PERIODIC);
    t0 = now(&t);
    expect_at(&t, t0 + TICK + 1, 0xfffffffe, 0);
    e = t0 + 0xffffffffULL * TICK;
    expect_rollover(&t, e);
    expect_at(&t, e + TICK + 1, 0xffffffff, 1);
    intclr(&t, 1);
    e += (1ULL << 32) * TICK;
    expect_at(&t, e - TICK + 1, 1, 0);
    expect_rollover(&t, e);
    qtest_quit(t.qts);
}

/* 16-bit free-running from reset: wraps every 2^16 ticks at 0xffff. */
static void test_freerunning_16(void)
{
    Timer t = timer_open("vexpress-a9", VEXPRESS_SP804);
    int64_t t0, e;

    wr(&t, CONTROL, CTRL_ENABLE | CTRL_IE);
    t0 = now(&t);
    expect_at(&t, t0, 0xffff, 0);
    expect_at(&t, t0 + TICK + 1, 0xfffe, 0);
    e = t0 + 0xffff * TICK;
    expect_rollover(&t, e);
    expect_at(&t, e + TICK + 1, 0xffff, 1);
    intclr(&t, 1);
    e += 0x10000 * TICK;
    expect_rollover(&t, e);
    qtest_quit(t.qts);
}

/*
 * One-shot: fires once and halts at zero; a new Load restarts it
 * (the way Linux programs its clockevent).
 */
static void test_oneshot(void)
{
    Timer t = timer_open("vexpress-a9", VEXPRESS_SP804);
    int64_t t0, e;

    wr(&t, CONTROL, ONESHOT_32 & ~CTRL_ENABLE);
    wr(&t, LOAD, 100);
    wr(&t, CONTROL, ONESHOT_32);
    t0 = now(&t);
    e = t0 + 100 * TICK;
    expect_at(&t, t0 + 40 * TICK + 1, 60, 0);
    expect_rollover(&t, e);
    intclr(&t, 1);
    /* Halted: stays at zero, no further interrupt. */
    expect_at(&t, e + 5000 * TICK, 0, 0);
    g_assert_cmphex(rd(&t, CONTROL), ==, ONESHOT_32);
    /* Re-arm with a new load value. */
    wr(&t, LOAD, 50);
    t0 = now(&t);
    expect_at(&t, t0, 50, 0);
    expect_rollover(&t, t0 + 50 * TICK);
    expect_at(&t, t0 + 500 * TICK, 0, 1);
    qtest_quit(t.qts);
}

/*
 * A halted one-shot switched to periodic goes on from zero: one tick at
 * zero, then the reload, without a second interrupt for the old zero.
 */
static void test_oneshot_to_periodic(void)
{
    Timer t = timer_open("vexpress-a9", VEXPRESS_SP804);
    int64_t t0, e;

    wr(&t, LOAD, 10);
    wr(&t, CONTROL, ONESHOT_32);
    t0 = now(&t);
    expect_rollover(&t, t0 + 10 * TICK);
    intclr(&t, 1);
    at(&t, t0 + 20 * TICK + 500);
    wr(&t, CONTROL, PERIODIC_32);
    t0 = now(&t);
    expect_at(&t, t0, 0, 0);
    expect_at(&t, t0 + TICK - 1, 0, 0);
    expect_at(&t, t0 + TICK + 1, 10, 0);
    e = t0 + 11 * TICK;
    expect_rollover(&t, e);
    qtest_quit(t.qts);
}

/* Writing Load while running restarts the count from the new value. */
static void test_load_while_running(void)
{
    Timer t = timer_open("vexpress-a9", VEXPRESS_SP804);
    int64_t t0, tw;

    wr(&t, LOAD, 1000);
    wr(&t, CONTROL, PERIODIC_32);
    t0 = now(&t);
    tw = t0 + 300 * TICK + 1;
    expect_at(&t, tw, 700, 0);
    wr(&t, LOAD, 2000);
    g_assert_cmpuint(rd(&t, VALUE), ==, 2000);
    g_assert_cmpuint(rd(&t, LOAD), ==, 2000);
    /* No interrupt at the old expiry instant. */
    expect_at(&t, t0 + 1000 * TICK + 2, 2000 - 700, 0);
    expect_rollover(&t, tw + 2000 * TICK);
    expect_at(&t, tw + 2001 * TICK + 1, 2000, 1);
    qtest_quit(t.qts);
}

/*
 * TimerXBGLoad: the current count goes on, the next reload takes the
 * new value, and TimerXLoad reads it back.
 */
static void test_bgload(void)
{
    Timer t = timer_open("vexpress-a9", VEXPRESS_SP804);
    int64_t t0, e;

    wr(&t, LOAD, 1000);
    wr(&t, CONTROL, PERIODIC_32);
    t0 = now(&t);
    at(&t, t0 + 300 * TICK + 1);
    wr(&t, BGLOAD, 200);
    g_assert_cmpuint(rd(&t, VALUE), ==, 700);
    g_assert_cmpuint(rd(&t, LOAD), ==, 200);
    g_assert_cmpuint(rd(&t, BGLOAD), ==, 200);
    e = t0 + 1000 * TICK;
    expect_rollover(&t, e);
    expect_at(&t, e + TICK + 1, 200, 1);
    intclr(&t, 1);
    expect_rollover(&t, e + 201 * TICK);
    qtest_quit(t.qts);
}

/* Prescaler /16 and /256 of the 1 MHz clock, exact periods. */
static void test_prescale(void)
{
    Timer t = timer_open("vexpress-a9", VEXPRESS_SP804);
    Timer t2 = { .qts = t.qts, .base = VEXPRESS_SP804 + TIMER2 };
    int64_t t0;

    wr(&t, LOAD, 10);
    wr(&t2, LOAD, 1000);
    /* Start both in the same instant. */
    wr(&t, CONTROL, PERIODIC_32 | CTRL_DIV256);
    wr(&t2, CONTROL, PERIODIC_32 | CTRL_DIV16);
    t0 = now(&t);
    expect_at(&t2, t0 + 16 * TICK, 1000, 0);
    expect_at(&t2, t0 + 16 * TICK + 1, 999, 0);
    expect_at(&t, t0 + 256 * TICK, 10, 0);
    expect_at(&t, t0 + 256 * TICK + 1, 9, 0);
    /* 10 ticks of 256 us, then every 11. */
    expect_rollover(&t, t0 + 10 * 256 * TICK);
    intclr(&t, 1);
    expect_rollover(&t, t0 + 21 * 256 * TICK);
    /* 1000 ticks of 16 us. */
    expect_rollover(&t2, t0 + 1000 * 16 * TICK);
    qtest_quit(t.qts);
}

/*
 * highbank clocks its SP804 at 150 MHz: prescaled by 256 the period is
 * 1706 2/3 ns, and 150000 of them are 256 ms exactly (a frequency
 * rounded to 585937 Hz would roll over 219 ns late).
 */
static void test_prescale_exact(void)
{
    Timer t = timer_open("highbank", HIGHBANK_SP804);

    wr(&t, LOAD, 150000);
    wr(&t, CONTROL, PERIODIC_32 | CTRL_DIV256);
    expect_rollover(&t, now(&t) + 256000000);
    qtest_quit(t.qts);
}

/* Changing the prescaler while running keeps the count. */
static void test_prescale_change_running(void)
{
    Timer t = timer_open("vexpress-a9", VEXPRESS_SP804);
    int64_t t0, tw;

    wr(&t, LOAD, 1000);
    wr(&t, CONTROL, PERIODIC_32);
    t0 = now(&t);
    tw = t0 + 100 * TICK + 1;
    expect_at(&t, tw, 900, 0);
    wr(&t, CONTROL, PERIODIC_32 | CTRL_DIV16);
    expect_at(&t, tw + 16 * TICK, 900, 0);
    expect_at(&t, tw + 16 * TICK + 1, 899, 0);
    expect_rollover(&t, tw + 900 * 16 * TICK);
    qtest_quit(t.qts);
}

/* Disable holds the count; enable continues from it (no reload). */
static void test_disable_enable(void)
{
    Timer t = timer_open("vexpress-a9", VEXPRESS_SP804);
    int64_t t0, t1;

    wr(&t, LOAD, 1000);
    wr(&t, CONTROL, PERIODIC_32);
    t0 = now(&t);
    at(&t, t0 + 400 * TICK + 1);
    wr(&t, CONTROL, PERIODIC_32 & ~CTRL_ENABLE);
    g_assert_cmpuint(rd(&t, VALUE), ==, 600);
    step(&t, 5000 * TICK);
    g_assert_cmpuint(rd(&t, VALUE), ==, 600);
    g_assert_cmpuint(rd(&t, RIS), ==, 0);
    wr(&t, CONTROL, PERIODIC_32);
    t1 = now(&t);
    expect_at(&t, t1, 600, 0);
    expect_at(&t, t1 + TICK + 1, 599, 0);
    expect_rollover(&t, t1 + 600 * TICK);
    qtest_quit(t.qts);
}

/*
 * A Control write that keeps the counter enabled (here: interrupt enable
 * toggled) neither reloads nor shifts the phase of the count.
 */
static void test_control_keeps_phase(void)
{
    Timer t = timer_open("vexpress-a9", VEXPRESS_SP804);
    int64_t t0;

    wr(&t, LOAD, 1000);
    wr(&t, CONTROL, PERIODIC_32);
    t0 = now(&t);
    at(&t, t0 + 250 * TICK + 400);
    wr(&t, CONTROL, PERIODIC_32 & ~CTRL_IE);
    g_assert_cmpuint(rd(&t, VALUE), ==, 750);
    at(&t, t0 + 250 * TICK + 800);
    wr(&t, CONTROL, PERIODIC_32);
    g_assert_cmpuint(rd(&t, VALUE), ==, 750);
    expect_at(&t, t0 + 251 * TICK + 1, 749, 0);
    expect_rollover(&t, t0 + 1000 * TICK);
    qtest_quit(t.qts);
}

/* RIS, MIS and TimerXIntClr; the interrupt enable masks MIS only. */
static void test_interrupt_status(void)
{
    Timer t = timer_open("vexpress-a9", VEXPRESS_SP804);
    int64_t t0;

    wr(&t, LOAD, 10);
    wr(&t, CONTROL, PERIODIC_32 & ~CTRL_IE);
    t0 = now(&t);
    expect_rollover(&t, t0 + 10 * TICK);
    g_assert_cmpuint(rd(&t, MIS), ==, 0);
    wr(&t, CONTROL, PERIODIC_32);
    g_assert_cmpuint(rd(&t, MIS), ==, 1);
    /* Enabling the pending interrupt raises the line at once. */
    expect_line(&t, true);
    intclr(&t, 0x12345678);
    g_assert_cmpuint(rd(&t, RIS), ==, 0);
    g_assert_cmpuint(rd(&t, MIS), ==, 0);
    /* The next expiry sets it again. */
    expect_rollover(&t, t0 + 21 * TICK);
    g_assert_cmpuint(rd(&t, MIS), ==, 1);
    qtest_quit(t.qts);
}

/* Loading zero into an enabled counter interrupts at once (3.3.1). */
static void test_load_zero(void)
{
    Timer t = timer_open("vexpress-a9", VEXPRESS_SP804);

    wr(&t, LOAD, 100);
    wr(&t, CONTROL, PERIODIC_32);
    step(&t, 10 * TICK + 1);
    g_assert_cmpuint(rd(&t, RIS), ==, 0);
    wr(&t, LOAD, 0);
    g_assert_cmpuint(rd(&t, RIS), ==, 1);
    g_assert_cmpuint(rd(&t, VALUE), ==, 0);
    expect_line(&t, true);
    intclr(&t, 1);
    /* Zero reloads zero: the counter stays at zero. */
    step(&t, 5 * TICK);
    g_assert_cmpuint(rd(&t, VALUE), ==, 0);
    /* A new value starts it again. */
    wr(&t, LOAD, 20);
    g_assert_cmpuint(rd(&t, VALUE), ==, 20);
    step(&t, 5 * TICK + 1);
    g_assert_cmpuint(rd(&t, VALUE), ==, 15);
    qtest_quit(t.qts);
}

/* The SP804's output, and the VIC input it drives, are at @level. */
static void expect_vic_line(Timer *t, bool level)
{
    uint32_t raw = qtest_readl(t->qts, VERSATILE_VIC + VIC_RAWINTR);

    g_assert_cmpint(line(t), ==, level);
    g_assert_cmpint(!!(raw & (1 << VERSATILE_SP804_IRQ)), ==, level);
}

/* The IRQ line (and VIC raw status on versatilepb), ORed for both timers. */
static void test_irq_line(void)
{
    Timer t = timer_open("versatilepb", VERSATILE_SP804);
    Timer t2 = { .qts = t.qts, .base = VERSATILE_SP804 + TIMER2 };
    int64_t t0;

    wr(&t, LOAD, 10);
    wr(&t2, LOAD, 30);
    wr(&t, CONTROL, ONESHOT_32);
    wr(&t2, CONTROL, ONESHOT_32);
    t0 = now(&t);
    at(&t, t0 + 10 * TICK - 1);
    expect_vic_line(&t, false);
    at(&t, t0 + 10 * TICK);
    expect_vic_line(&t, true);
    g_assert_cmpuint(rd(&t, MIS), ==, 1);
    intclr(&t, 1);
    expect_vic_line(&t, false);
    expect_rollover(&t2, t0 + 30 * TICK);
    expect_vic_line(&t, true);
    /* Masked by the interrupt enable, though still raw-pending. */
    wr(&t2, CONTROL, ONESHOT_32 & ~CTRL_IE);
    expect_vic_line(&t, false);
    g_assert_cmpuint(rd(&t2, RIS), ==, 1);
    wr(&t2, CONTROL, ONESHOT_32);
    expect_vic_line(&t, true);
    intclr(&t2, 1);
    expect_vic_line(&t, false);
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

/*
 * Integrator/CP timers: timer 0 at 40 MHz (25 ns), timer 1 at 1 MHz
 * with the /256 prescaler; interrupts on PIC lines 5 and 6, from the
 * module's outputs 0 and 1 (observed in expect_rollover()).
 */
static void test_icp_pit(void)
{
    Timer t = timer_open("integratorcp", ICP_PIT);
    Timer t1 = { .qts = t.qts, .base = ICP_PIT + 0x100 };
    uint32_t bit0 = 1 << ICP_PIT_IRQ0, bit1 = 1 << (ICP_PIT_IRQ0 + 1);
    int64_t t0;

#define RAW() qtest_readl(t.qts, ICP_PIC + ICP_PIC_RAWSTAT)
    g_assert_cmphex(rd(&t, VALUE), ==, 0xffffffff);
    g_assert_cmphex(rd(&t, CONTROL), ==, 0x20);
    wr(&t, LOAD, 100);
    wr(&t1, LOAD, 3);
    wr(&t, CONTROL, PERIODIC_32);
    wr(&t1, CONTROL, PERIODIC_32 | CTRL_DIV256);
    t0 = now(&t);
    expect_at(&t, t0 + 25 + 1, 99, 0);
    expect_rollover(&t, t0 + 100 * 25);
    g_assert_cmphex(RAW() & (bit0 | bit1), ==, bit0);
    intclr(&t, 1);
    expect_rollover(&t, t0 + 201 * 25);
    wr(&t, CONTROL, 0);
    intclr(&t, 1);
    g_assert_cmphex(RAW() & (bit0 | bit1), ==, 0);
    expect_rollover(&t1, t0 + 3 * 256 * TICK);
    g_assert_cmphex(RAW() & (bit0 | bit1), ==, bit1);
    /* Timer 1's interrupt is on its own output, not on timer 0's. */
    g_assert_false(line(&t));
#undef RAW
    qtest_quit(t.qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    if (qtest_has_machine("vexpress-a9")) {
        qtest_add_func("sp804/reset_values", test_reset_values);
        qtest_add_func("sp804/periodic_count", test_periodic_count);
        qtest_add_func("sp804/periodic_rollover", test_periodic_rollover);
        qtest_add_func("sp804/freerunning_32", test_freerunning_32);
        qtest_add_func("sp804/freerunning_16", test_freerunning_16);
        qtest_add_func("sp804/linux_clocksource", test_linux_clocksource);
        qtest_add_func("sp804/oneshot", test_oneshot);
        qtest_add_func("sp804/oneshot_to_periodic",
                       test_oneshot_to_periodic);
        qtest_add_func("sp804/load_while_running", test_load_while_running);
        qtest_add_func("sp804/bgload", test_bgload);
        qtest_add_func("sp804/prescale", test_prescale);
        qtest_add_func("sp804/prescale_change_running",
                       test_prescale_change_running);
        qtest_add_func("sp804/disable_enable", test_disable_enable);
        qtest_add_func("sp804/control_keeps_phase",
                       test_control_keeps_phase);
        qtest_add_func("sp804/interrupt_status", test_interrupt_status);
        qtest_add_func("sp804/load_zero", test_load_zero);
        qtest_add_func("sp804/system_reset", test_system_reset);
    }
    if (qtest_has_machine("highbank")) {
        qtest_add_func("sp804/prescale_exact", test_prescale_exact);
    }
    if (qtest_has_machine("versatilepb")) {
        qtest_add_func("sp804/irq_line", test_irq_line);
    }
    if (qtest_has_machine("integratorcp")) {
        qtest_add_func("icp-pit/timers", test_icp_pit);
    }
    return g_test_run();
}
