/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * QTest for the Allwinner watchdog: sun4i (cubieboard) and sun6i
 * (orangepi-pc)
 *
 * Copyright (c) 2026 The ptimer-ng authors
 *
 * The watchdog has no counter register, so what is checked is the only
 * thing a guest sees: the system is reset exactly when the selected
 * interval has passed since the last start or kick, and not one
 * nanosecond earlier.  A reset is seen as the QMP RESET event and as the
 * watchdog's own registers going back to zero.  The model has no
 * interrupt output (IRQ_EN and IRQ_STA are plain storage), so the reset
 * request is the only line there is to observe.
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "qobject/qdict.h"

#define SEC             1000000000LL

typedef struct WdtVariant {
    const char *name;
    const char *machine;
    uint64_t base;
    uint32_t ctrl;              /* control register offset */
    uint32_t mode;              /* mode register offset */
    int32_t cfg;                /* config register offset, -1 if none */
    uint32_t key;               /* bits a kick must carry */
    int intv_shift;             /* INTV_VALUE field in the mode register */
    uint32_t mode_rst_en;       /* reset enable in the mode register */
} WdtVariant;

static const WdtVariant sun4i = {
    .name = "sun4i",
    .machine = "cubieboard",
    .base = 0x01c20c90,
    .ctrl = 0x0,
    .mode = 0x4,
    .cfg = -1,
    .key = 0,
    .intv_shift = 3,
    .mode_rst_en = 1 << 1,
};

static const WdtVariant sun6i = {
    .name = "sun6i",
    .machine = "orangepi-pc",
    .base = 0x01c20ca0,
    .ctrl = 0x10,
    .mode = 0x18,
    .cfg = 0x14,
    .key = 0xa57 << 1,
    .intv_shift = 4,
    .mode_rst_en = 0,
};

#define MODE_EN         (1u << 0)
#define CTRL_RESTART    (1u << 0)
#define CFG_SYSTEM      1u

/* INTV_VALUE 0-11 in ns: 0.5, 1, 2, 3, 4, 5, 6, 8, 10, 12, 14, 16 s */
static const int64_t intv_ns[] = {
    SEC / 2, 1 * SEC, 2 * SEC, 3 * SEC, 4 * SEC, 5 * SEC,
    6 * SEC, 8 * SEC, 10 * SEC, 12 * SEC, 14 * SEC, 16 * SEC,
};

typedef struct Wdt {
    QTestState *qts;
    const WdtVariant *v;
    int64_t clock;              /* virtual clock, as last reported */
} Wdt;

static Wdt start(const WdtVariant *v)
{
    Wdt w = { .v = v };

    w.qts = qtest_initf("-machine %s", v->machine);
    w.clock = qtest_clock_step(w.qts, 1);
    return w;
}

static uint32_t rd(Wdt *w, uint32_t reg)
{
    return qtest_readl(w->qts, w->v->base + reg);
}

static void wr(Wdt *w, uint32_t reg, uint32_t val)
{
    qtest_writel(w->qts, w->v->base + reg, val);
}

static void step_to(Wdt *w, int64_t t)
{
    g_assert_cmpint(t, >, w->clock);
    w->clock = qtest_clock_set(w->qts, t);
    g_assert_cmpint(w->clock, ==, t);
}

/* Enable with INTV_VALUE @intv, reset on expiry if @rst; returns when */
static int64_t enable(Wdt *w, int intv, bool rst)
{
    if (w->v->cfg >= 0) {
        wr(w, w->v->cfg, rst ? CFG_SYSTEM : 0);
    }
    wr(w, w->v->mode, MODE_EN | (rst ? w->v->mode_rst_en : 0) |
       (intv << w->v->intv_shift));
    return w->clock;
}

static int64_t kick(Wdt *w)
{
    wr(w, w->v->ctrl, w->v->key | CTRL_RESTART);
    return w->clock;
}

/*
 * No reset so far: no RESET event came before the reply to a command.
 * (WATCHDOG events are rate-limited by QEMU, so only the first one of a
 * run is checked, in test_deadlines.)
 */
static void assert_no_reset(Wdt *w)
{
    QDict *ev;

    qtest_qmp_assert_success(w->qts, "{'execute': 'query-status'}");
    ev = qtest_qmp_event_ref(w->qts, "RESET");
    g_assert_null(ev);
}

/*
 * Wait for @event.  The reset runs in the main loop right after the timer
 * event, so its events come before the reply to the next command; allow
 * a few round trips rather than wait forever.  Events queued before
 * @event are dropped.
 */
static void assert_event(Wdt *w, const char *event)
{
    QDict *ev = NULL;
    int i;

    for (i = 0; i < 10 && !ev; i++) {
        qtest_qmp_assert_success(w->qts, "{'execute': 'query-status'}");
        ev = qtest_qmp_event_ref(w->qts, event);
    }
    g_assert_nonnull(ev);
    qobject_unref(ev);
}

/* The watchdog reset the system */
static void assert_reset(Wdt *w)
{
    assert_event(w, "RESET");
    g_assert_cmphex(rd(w, w->v->mode), ==, 0);
}

static void test_reset_values(const void *data)
{
    Wdt w = start(data);

    g_assert_cmphex(rd(&w, w.v->ctrl), ==, 0);
    g_assert_cmphex(rd(&w, w.v->mode), ==, 0);
    if (w.v->cfg >= 0) {
        g_assert_cmphex(rd(&w, w.v->cfg), ==, 0);
        g_assert_cmphex(rd(&w, 0x0), ==, 0);
        g_assert_cmphex(rd(&w, 0x4), ==, 0);
    }
    /* disabled out of reset: nothing happens, ever */
    step_to(&w, w.clock + 200 * SEC);
    assert_no_reset(&w);
    qtest_quit(w.qts);
}

/* Every interval: no reset 1 ns before the deadline, reset at it */
static void test_deadlines(const void *data)
{
    Wdt w = start(data);
    int intv;

    for (intv = 0; intv < ARRAY_SIZE(intv_ns); intv++) {
        int64_t t0 = enable(&w, intv, true);

        step_to(&w, t0 + intv_ns[intv] - 1);
        assert_no_reset(&w);
        g_assert_cmphex(rd(&w, w.v->mode), !=, 0);
        if (intv == 0) {
            g_assert_null(qtest_qmp_event_ref(w.qts, "WATCHDOG"));
        }
        step_to(&w, t0 + intv_ns[intv]);
        if (intv == 0) {
            /* sent before the RESET event */
            assert_event(&w, "WATCHDOG");
        }
        assert_reset(&w);
    }
    qtest_quit(w.qts);
}

static void test_kick_postpones(const void *data)
{
    Wdt w = start(data);
    int64_t t0 = enable(&w, 1, true);
    int64_t t1;
    int i;

    /* kicked 1 ns before each deadline: never resets */
    for (i = 0; i < 5; i++) {
        step_to(&w, t0 + SEC - 1);
        t0 = kick(&w);
    }
    t1 = t0;
    step_to(&w, t1 + SEC - 1);
    assert_no_reset(&w);
    step_to(&w, t1 + SEC);
    assert_reset(&w);
    qtest_quit(w.qts);
}

static void test_kick_bad_key(const void *data)
{
    Wdt w = start(data);
    int64_t t0 = enable(&w, 2, true);

    /* a kick without the key is ignored */
    step_to(&w, t0 + SEC);
    wr(&w, w.v->ctrl, CTRL_RESTART);
    wr(&w, w.v->ctrl, (0x123 << 1) | CTRL_RESTART);
    step_to(&w, t0 + 2 * SEC - 1);
    assert_no_reset(&w);
    step_to(&w, t0 + 2 * SEC);
    assert_reset(&w);
    qtest_quit(w.qts);
}

static void test_enable_again_keeps_deadline(const void *data)
{
    Wdt w = start(data);
    int64_t t0 = enable(&w, 2, true);

    /* writing the mode register with EN still set is not a restart */
    step_to(&w, t0 + SEC);
    enable(&w, 2, true);
    step_to(&w, t0 + 2 * SEC - 1);
    assert_no_reset(&w);
    step_to(&w, t0 + 2 * SEC);
    assert_reset(&w);
    qtest_quit(w.qts);
}

static void test_no_reset_when_not_enabled(const void *data)
{
    Wdt w = start(data);
    int64_t t0 = enable(&w, 0, false);

    /* counting, but reset not enabled: the expiry does nothing */
    step_to(&w, t0 + 30 * SEC);
    assert_no_reset(&w);
    g_assert_cmphex(rd(&w, w.v->mode), !=, 0);
    qtest_quit(w.qts);
}

static void add(const WdtVariant *v, const char *name,
                void (*fn)(const void *))
{
    g_autofree char *path = g_strdup_printf("/allwinner-wdt/%s/%s",
                                            v->name, name);

    qtest_add_data_func(path, v, fn);
}

int main(int argc, char **argv)
{
    static const WdtVariant *const variants[] = { &sun4i, &sun6i };
    int i;

    g_test_init(&argc, &argv, NULL);

    for (i = 0; i < ARRAY_SIZE(variants); i++) {
        const WdtVariant *v = variants[i];

        if (!qtest_has_machine(v->machine)) {
            continue;
        }
        add(v, "reset-values", test_reset_values);
        add(v, "deadlines", test_deadlines);
        add(v, "kick-postpones", test_kick_postpones);
        add(v, "enable-again-keeps-deadline",
            test_enable_again_keeps_deadline);
        add(v, "no-reset-when-not-enabled", test_no_reset_when_not_enabled);
    }
    if (qtest_has_machine(sun6i.machine)) {
        add(&sun6i, "kick-bad-key", test_kick_bad_key);
    }

    return g_test_run();
}
