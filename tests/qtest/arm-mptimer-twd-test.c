/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QTest for the Cortex-A9 MPCore private timer and watchdog ("TWD"),
 * hw/timer/arm_mptimer.c, on the vexpress-a9 machine.
 *
 * Copyright (c) 2026 The ptimer-ng authors
 *
 * Every case steps the virtual clock to exact instants and checks the
 * registers against the Cortex-A9 MPCore TRM (ARM DDI 0407), "Calculating
 * timer intervals" and 4.2 "Private timer and watchdog registers":
 *  - the counter decrements once every (prescaler + 1) PERIPHCLK cycles
 *    (QEMU models PERIPHCLK at 100 MHz: 10 ns);
 *  - when it reaches zero the event flag is set; with auto-reload the
 *    counter reloads from the Load register at the next decrement, so the
 *    interval between events is (prescaler + 1) * (load + 1) cycles;
 *  - writing the Load register writes the Counter register as well.
 * Above all, at the instant the counter reaches zero (and 1 ns before and
 * after) the count and the event flag must agree: the counter reads zero
 * if and only if the event flag is set.
 *
 * The decrement to zero is visible from its exact instant.  The other
 * decrements are checked 1 ns before and 1 ns after their instant only:
 * which value a read at the very edge returns is not defined by the TRM.
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "ptimer-qom.h"

#define PRIV_BASE           0x1e000000
#define TWD_TIMER           (PRIV_BASE + 0x600)
#define TWD_WDT             (PRIV_BASE + 0x620)

#define R_LOAD              0x00
#define R_COUNTER           0x04
#define R_CONTROL           0x08
#define R_INTSTAT           0x0c

#define C_ENABLE            (1 << 0)
#define C_AUTO_RELOAD       (1 << 1)
#define C_IT_ENABLE         (1 << 2)
#define C_PRESCALER(p)      (((p) & 0xff) << 8)

/* PERIPHCLK period in QEMU's model of the vexpress-a9 */
#define PERIPHCLK_NS        10

typedef struct Twd {
    QTestState *qts;
    int64_t now;            /* virtual time, ns */
    bool irq;               /* the IRQ outputs are intercepted */
} Twd;

/* Nanoseconds per decrement */
static int64_t tick_ns(unsigned prescaler)
{
    return (int64_t)(prescaler + 1) * PERIPHCLK_NS;
}

/* QOM path of the a9mpcore_priv container */
static char *find_mpcore(QTestState *qts)
{
    return ptimer_qom_find(qts, "/machine/unattached", "a9mpcore_priv");
}

/*
 * Start a vexpress-a9.  @intercept names the block ("mptimer" or "wdt")
 * whose IRQ output is observed, or is NULL.
 */
static Twd *twd_start(const char *intercept, const char *extra)
{
    Twd *t = g_new0(Twd, 1);

    t->qts = qtest_initf("-machine vexpress-a9 %s", extra ? extra : "");
    if (intercept) {
        char *mpcore = find_mpcore(t->qts);
        char *path = g_strdup_printf("%s/%s", mpcore, intercept);

        qtest_irq_intercept_out_named(t->qts, path, "sysbus-irq");
        t->irq = true;
        g_free(path);
        g_free(mpcore);
    }
    t->now = qtest_clock_step(t->qts, 1);
    return t;
}

static void twd_end(Twd *t)
{
    qtest_quit(t->qts);
    g_free(t);
}

static uint32_t rd(Twd *t, uint32_t base, uint32_t reg)
{
    return qtest_readl(t->qts, base + reg);
}

static void wr(Twd *t, uint32_t base, uint32_t reg, uint32_t val)
{
    qtest_writel(t->qts, base + reg, val);
}

/* Move the virtual clock forward to the absolute instant @when */
static void at(Twd *t, int64_t when)
{
    g_assert_cmpint(when, >=, t->now);
    if (when > t->now) {
        t->now = qtest_clock_set(t->qts, when);
        g_assert_cmpint(t->now, ==, when);
    }
}

/* The level of the intercepted IRQ output of CPU 0's block */
static bool irq_level(Twd *t)
{
    g_assert(t->irq);
    return qtest_get_irq(t->qts, 0);
}

/*
 * The counter and the event flag at the current instant must be @count
 * and @fired.
 */
static void check_now(Twd *t, uint32_t base, uint32_t count, bool fired)
{
    g_assert_cmpuint(rd(t, base, R_INTSTAT), ==, fired);
    g_assert_cmpuint(rd(t, base, R_COUNTER), ==, count);
}

/*
 * THE RACE: the counter reaches zero at the exact instant @e.  1 ns
 * before, it reads 1 and the event flag is clear; at @e and 1 ns later it
 * reads 0 and the flag is set.  With IT enabled (@it) the IRQ output
 * follows the flag.
 */
static void check_rollover(Twd *t, uint32_t base, int64_t e, bool it)
{
    at(t, e - 1);
    check_now(t, base, 1, false);
    if (t->irq) {
        g_assert_false(irq_level(t));
    }
    at(t, e);
    check_now(t, base, 0, true);
    if (t->irq) {
        g_assert(irq_level(t) == it);
    }
    at(t, e + 1);
    check_now(t, base, 0, true);
    if (t->irq) {
        g_assert(irq_level(t) == it);
    }
}

static void clear_event(Twd *t, uint32_t base)
{
    wr(t, base, R_INTSTAT, 1);
    g_assert_cmpuint(rd(t, base, R_INTSTAT), ==, 0);
    if (t->irq) {
        g_assert_false(irq_level(t));
    }
}

/* One-shot: a single event exactly load * tick after the start */
static void test_race_oneshot(gconstpointer data)
{
    unsigned p = GPOINTER_TO_UINT(data);
    int64_t tick = tick_ns(p), t0, e;
    const uint32_t load = 1000;
    Twd *t = twd_start("mptimer", NULL);

    wr(t, TWD_TIMER, R_LOAD, load);
    wr(t, TWD_TIMER, R_CONTROL, C_ENABLE | C_IT_ENABLE | C_PRESCALER(p));
    t0 = t->now;
    check_now(t, TWD_TIMER, load, false);
    e = t0 + load * tick;

    at(t, e - tick - 1);
    check_now(t, TWD_TIMER, 2, false);
    at(t, e - tick + 1);
    check_now(t, TWD_TIMER, 1, false);
    check_rollover(t, TWD_TIMER, e, true);

    /* It stays at zero and does not fire again */
    clear_event(t, TWD_TIMER);
    at(t, e + 3 * (load + 1) * tick);
    check_now(t, TWD_TIMER, 0, false);
    g_assert_false(irq_level(t));
    twd_end(t);
}

/*
 * Auto-reload: events every (load + 1) ticks; the counter reads zero for
 * one tick, then the Load value.
 */
static void test_race_periodic(gconstpointer data)
{
    unsigned p = GPOINTER_TO_UINT(data);
    int64_t tick = tick_ns(p), e;
    const uint32_t load = 100;
    Twd *t = twd_start("mptimer", NULL);
    int k;

    wr(t, TWD_TIMER, R_LOAD, load);
    wr(t, TWD_TIMER, R_CONTROL,
       C_ENABLE | C_AUTO_RELOAD | C_IT_ENABLE | C_PRESCALER(p));
    e = t->now + load * tick;

    for (k = 0; k < 4; k++) {
        check_rollover(t, TWD_TIMER, e, true);
        clear_event(t, TWD_TIMER);
        at(t, e + tick - 1);
        check_now(t, TWD_TIMER, 0, false);
        at(t, e + tick + 1);
        check_now(t, TWD_TIMER, load, false);
        at(t, e + 2 * tick + 1);
        check_now(t, TWD_TIMER, load - 1, false);
        e += (load + 1) * tick;
    }
    twd_end(t);
}

/* Prescaler: each decrement takes exactly (prescaler + 1) * 10 ns */
static void test_prescaler(gconstpointer data)
{
    unsigned p = GPOINTER_TO_UINT(data);
    int64_t tick = tick_ns(p), t0;
    const uint32_t load = 6;
    Twd *t = twd_start(NULL, NULL);
    uint32_t k;

    wr(t, TWD_TIMER, R_LOAD, load);
    wr(t, TWD_TIMER, R_CONTROL, C_ENABLE | C_PRESCALER(p));
    t0 = t->now;
    for (k = 1; k < load; k++) {
        at(t, t0 + k * tick - 1);
        check_now(t, TWD_TIMER, load - k + 1, false);
        at(t, t0 + k * tick + 1);
        check_now(t, TWD_TIMER, load - k, false);
    }
    check_rollover(t, TWD_TIMER, t0 + load * tick, false);
    twd_end(t);
}

/* Changing the prescaler of a running timer: the new rate from then on */
static void test_prescaler_change(void)
{
    Twd *t = twd_start(NULL, NULL);
    int64_t tw;

    wr(t, TWD_TIMER, R_LOAD, 1000);
    wr(t, TWD_TIMER, R_CONTROL, C_ENABLE | C_PRESCALER(0));
    at(t, t->now + 100 * tick_ns(0) + 1);
    tw = t->now;
    wr(t, TWD_TIMER, R_CONTROL, C_ENABLE | C_PRESCALER(9));
    check_now(t, TWD_TIMER, 900, false);
    at(t, tw + 10 * tick_ns(9) + 1);
    check_now(t, TWD_TIMER, 890, false);
    check_rollover(t, TWD_TIMER, tw + 900 * tick_ns(9), false);
    twd_end(t);
}

/*
 * Writing the Load register while running: Load and Counter both take
 * the value, counting restarts from it at once, and later reloads use it.
 */
static void test_load_write_running(void)
{
    const unsigned p = 1;
    int64_t tick = tick_ns(p), tw, e;
    Twd *t = twd_start("mptimer", NULL);

    wr(t, TWD_TIMER, R_LOAD, 1000);
    wr(t, TWD_TIMER, R_CONTROL,
       C_ENABLE | C_AUTO_RELOAD | C_IT_ENABLE | C_PRESCALER(p));
    at(t, t->now + 100 * tick + 5);
    wr(t, TWD_TIMER, R_LOAD, 50);
    tw = t->now;
    g_assert_cmpuint(rd(t, TWD_TIMER, R_LOAD), ==, 50);
    check_now(t, TWD_TIMER, 50, false);
    e = tw + 50 * tick;
    check_rollover(t, TWD_TIMER, e, true);
    clear_event(t, TWD_TIMER);
    at(t, e + tick + 1);
    check_now(t, TWD_TIMER, 50, false);
    check_rollover(t, TWD_TIMER, e + 51 * tick, true);
    twd_end(t);
}

/*
 * Writing the Counter register while running: counting restarts from the
 * written value; the Load register is untouched and the next reload uses
 * it.
 */
static void test_counter_write_running(void)
{
    const unsigned p = 1;
    int64_t tick = tick_ns(p), tw, e;
    Twd *t = twd_start("mptimer", NULL);

    wr(t, TWD_TIMER, R_LOAD, 1000);
    wr(t, TWD_TIMER, R_CONTROL,
       C_ENABLE | C_AUTO_RELOAD | C_IT_ENABLE | C_PRESCALER(p));
    at(t, t->now + 10 * tick + 5);
    wr(t, TWD_TIMER, R_COUNTER, 30);
    tw = t->now;
    g_assert_cmpuint(rd(t, TWD_TIMER, R_LOAD), ==, 1000);
    check_now(t, TWD_TIMER, 30, false);
    e = tw + 30 * tick;
    check_rollover(t, TWD_TIMER, e, true);
    clear_event(t, TWD_TIMER);
    at(t, e + tick + 1);
    check_now(t, TWD_TIMER, 1000, false);
    check_rollover(t, TWD_TIMER, e + 1001 * tick, true);
    twd_end(t);
}

/* Disable keeps the count; enable resumes from it */
static void test_enable_disable(void)
{
    const unsigned p = 3;
    int64_t tick = tick_ns(p), tr;
    Twd *t = twd_start(NULL, NULL);

    wr(t, TWD_TIMER, R_LOAD, 100);
    at(t, t->now + 50 * tick);
    check_now(t, TWD_TIMER, 100, false);
    wr(t, TWD_TIMER, R_CONTROL, C_ENABLE | C_PRESCALER(p));
    at(t, t->now + 40 * tick + 1);
    wr(t, TWD_TIMER, R_CONTROL, C_PRESCALER(p));
    check_now(t, TWD_TIMER, 60, false);
    at(t, t->now + 1000 * tick);
    check_now(t, TWD_TIMER, 60, false);
    wr(t, TWD_TIMER, R_CONTROL, C_ENABLE | C_PRESCALER(p));
    tr = t->now;
    check_rollover(t, TWD_TIMER, tr + 60 * tick, false);
    twd_end(t);
}

/*
 * The IRQ output is the event flag masked by IT enable, at all times:
 * setting IT enable with the flag already set raises it, clearing IT
 * enable lowers it.
 */
static void test_irq_enable_mask(void)
{
    const unsigned p = 0;
    int64_t tick = tick_ns(p), e;
    Twd *t = twd_start("mptimer", NULL);

    wr(t, TWD_TIMER, R_LOAD, 10);
    wr(t, TWD_TIMER, R_CONTROL, C_ENABLE | C_PRESCALER(p));
    e = t->now + 10 * tick;
    check_rollover(t, TWD_TIMER, e, false);
    g_assert_false(irq_level(t));

    wr(t, TWD_TIMER, R_CONTROL, C_ENABLE | C_IT_ENABLE | C_PRESCALER(p));
    g_assert_true(irq_level(t));
    wr(t, TWD_TIMER, R_CONTROL, C_ENABLE | C_PRESCALER(p));
    g_assert_false(irq_level(t));
    wr(t, TWD_TIMER, R_CONTROL, C_ENABLE | C_IT_ENABLE | C_PRESCALER(p));
    g_assert_true(irq_level(t));
    /* Writing 0 leaves the flag alone; writing 1 clears it */
    wr(t, TWD_TIMER, R_INTSTAT, 0);
    g_assert_cmpuint(rd(t, TWD_TIMER, R_INTSTAT), ==, 1);
    g_assert_true(irq_level(t));
    clear_event(t, TWD_TIMER);
    twd_end(t);
}

/*
 * Zero Load with auto-reload and a non-zero prescaler: the counter stays
 * at zero and the event flag is set at every decrement, from one tick
 * after the start.
 */
static void test_zero_load_autoreload(void)
{
    const unsigned p = 1;
    int64_t tick = tick_ns(p), t0;
    Twd *t = twd_start("mptimer", NULL);
    int k;

    wr(t, TWD_TIMER, R_LOAD, 0);
    wr(t, TWD_TIMER, R_CONTROL,
       C_ENABLE | C_AUTO_RELOAD | C_IT_ENABLE | C_PRESCALER(p));
    t0 = t->now;
    for (k = 1; k <= 4; k++) {
        at(t, t0 + k * tick - 1);
        check_now(t, TWD_TIMER, 0, false);
        g_assert_false(irq_level(t));
        at(t, t0 + k * tick);
        check_now(t, TWD_TIMER, 0, true);
        g_assert_true(irq_level(t));
        clear_event(t, TWD_TIMER);
    }
    twd_end(t);
}

/*
 * Zero Load with auto-reload and prescaler 0: no event storm, the counter
 * stays at zero (as measured on hardware).  A later non-zero Load starts
 * normal counting.
 */
static void test_zero_load_prescaler0(void)
{
    int64_t tick = tick_ns(0);
    Twd *t = twd_start("mptimer", NULL);

    wr(t, TWD_TIMER, R_LOAD, 0);
    wr(t, TWD_TIMER, R_CONTROL,
       C_ENABLE | C_AUTO_RELOAD | C_IT_ENABLE | C_PRESCALER(0));
    at(t, t->now + 1000 * tick);
    check_now(t, TWD_TIMER, 0, false);
    g_assert_false(irq_level(t));
    wr(t, TWD_TIMER, R_LOAD, 20);
    check_rollover(t, TWD_TIMER, t->now + 20 * tick, true);
    twd_end(t);
}

/* Writing a zero Load while running: the event follows one tick later */
static void test_zero_load_write_running(void)
{
    const unsigned p = 4;
    int64_t tick = tick_ns(p), tw;
    Twd *t = twd_start("mptimer", NULL);

    wr(t, TWD_TIMER, R_LOAD, 1000);
    wr(t, TWD_TIMER, R_CONTROL,
       C_ENABLE | C_AUTO_RELOAD | C_IT_ENABLE | C_PRESCALER(p));
    at(t, t->now + 10 * tick + 3);
    wr(t, TWD_TIMER, R_LOAD, 0);
    tw = t->now;
    check_now(t, TWD_TIMER, 0, false);
    at(t, tw + tick - 1);
    check_now(t, TWD_TIMER, 0, false);
    at(t, tw + tick);
    check_now(t, TWD_TIMER, 0, true);
    g_assert_true(irq_level(t));
    clear_event(t, TWD_TIMER);
    at(t, tw + 2 * tick);
    check_now(t, TWD_TIMER, 0, true);
    twd_end(t);
}

/* The watchdog block in timer mode is a timer: event at the deadline */
static void test_wdt_timer_mode(void)
{
    const unsigned p = 5;
    int64_t tick = tick_ns(p), e;
    Twd *t = twd_start("wdt", NULL);

    wr(t, TWD_WDT, R_LOAD, 77);
    wr(t, TWD_WDT, R_CONTROL,
       C_ENABLE | C_AUTO_RELOAD | C_IT_ENABLE | C_PRESCALER(p));
    e = t->now + 77 * tick;
    check_rollover(t, TWD_WDT, e, true);
    clear_event(t, TWD_WDT);
    at(t, e + tick + 1);
    check_now(t, TWD_WDT, 77, false);
    check_rollover(t, TWD_WDT, e + 78 * tick, true);
    /* The private timer did not move */
    check_now(t, TWD_TIMER, 0, false);
    twd_end(t);
}

static void add_prescaled(const char *name, void (*fn)(gconstpointer),
                          const unsigned *list, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        char *path = g_strdup_printf("arm-mptimer-twd/%s/prescaler=%u",
                                     name, list[i]);

        qtest_add_data_func(path, GUINT_TO_POINTER(list[i]), fn);
        g_free(path);
    }
}

int main(int argc, char **argv)
{
    static const unsigned race[] = { 0, 1, 122, 255 };
    static const unsigned presc[] = { 0, 1, 2, 7, 99, 255 };

    g_test_init(&argc, &argv, NULL);

    add_prescaled("race/oneshot", test_race_oneshot, race,
                  ARRAY_SIZE(race));
    add_prescaled("race/periodic", test_race_periodic, race,
                  ARRAY_SIZE(race));
    add_prescaled("prescaler/exact", test_prescaler, presc,
                  ARRAY_SIZE(presc));
    qtest_add_func("arm-mptimer-twd/prescaler/change-running",
                   test_prescaler_change);
    qtest_add_func("arm-mptimer-twd/write-running/load",
                   test_load_write_running);
    qtest_add_func("arm-mptimer-twd/write-running/counter",
                   test_counter_write_running);
    qtest_add_func("arm-mptimer-twd/enable-disable", test_enable_disable);
    qtest_add_func("arm-mptimer-twd/irq/enable-mask", test_irq_enable_mask);
    qtest_add_func("arm-mptimer-twd/zero-load/autoreload",
                   test_zero_load_autoreload);
    qtest_add_func("arm-mptimer-twd/zero-load/prescaler0",
                   test_zero_load_prescaler0);
    qtest_add_func("arm-mptimer-twd/zero-load/write-running",
                   test_zero_load_write_running);
    qtest_add_func("arm-mptimer-twd/wdt/timer-mode", test_wdt_timer_mode);

    return g_test_run();
}
