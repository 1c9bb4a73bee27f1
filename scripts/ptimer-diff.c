/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ptimer-diff: differential test of ptimer-ng's core against QEMU 10.0's.
 *
 * scripts/diff.sh links this harness with both cores in one program:
 * ptimer-ng's as built, and 10.0's compiled from the pristine source with
 * its global symbols renamed ptimer_* -> up_ptimer_* (objcopy), so that
 * no line of 10.0's code is copied here.  Both cores run on the same
 * stub clock and timer list (tests/unit/ptimer-test-stubs.c).
 *
 * Usage: ptimer-diff MODE SEED SEQUENCES [STEPS]
 *   Runs SEQUENCES random call sequences of at most STEPS steps each (the
 *   same calls on both cores, whole-ns periods, every valid policy) and
 *   compares, after every step, the count, the limit, and every callback
 *   (its instant and the count it reads).  A sequence stops at its first
 *   disagreement.  MODE says which calls the sequences may make (see
 *   Mode below): in mode "clean" any disagreement is unexplained, the
 *   program prints it with its sequence and exits 1; in the other modes
 *   it prints how many sequences disagree and the first few of them.
 *
 * qtest_allowed is set, so neither core clamps or batches fast timers
 * (the batching is a documented difference with its own unit tests;
 * comparing it call by call says nothing more).
 *
 * Copyright (c) 2026 The ptimer-ng authors
 */

#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/main-loop.h"
#include "hw/ptimer.h"
#include "ptimer-test.h"

/* QEMU 10.0's core, renamed at link time; its ptimer_state is opaque. */
ptimer_state *up_ptimer_init(ptimer_cb cb, void *opaque, uint8_t policy);
void up_ptimer_free(ptimer_state *s);
void up_ptimer_transaction_begin(ptimer_state *s);
void up_ptimer_transaction_commit(ptimer_state *s);
void up_ptimer_set_period(ptimer_state *s, int64_t period);
void up_ptimer_set_limit(ptimer_state *s, uint64_t limit, int reload);
uint64_t up_ptimer_get_limit(ptimer_state *s);
uint64_t up_ptimer_get_count(ptimer_state *s);
void up_ptimer_set_count(ptimer_state *s, uint64_t count);
void up_ptimer_run(ptimer_state *s, int oneshot);
void up_ptimer_stop(ptimer_state *s);

enum { NG, UP, NSIDES };

/* One core's API, so that each call is made the same way on both. */
typedef struct CoreOps {
    ptimer_state *(*init)(ptimer_cb cb, void *opaque, uint8_t policy);
    void (*free)(ptimer_state *s);
    void (*begin)(ptimer_state *s);
    void (*commit)(ptimer_state *s);
    void (*set_period)(ptimer_state *s, int64_t period);
    void (*set_limit)(ptimer_state *s, uint64_t limit, int reload);
    uint64_t (*get_limit)(ptimer_state *s);
    uint64_t (*get_count)(ptimer_state *s);
    void (*set_count)(ptimer_state *s, uint64_t count);
    void (*run)(ptimer_state *s, int oneshot);
    void (*stop)(ptimer_state *s);
} CoreOps;

static const CoreOps core_ops[NSIDES] = {
    [NG] = {
        ptimer_init, ptimer_free, ptimer_transaction_begin,
        ptimer_transaction_commit, ptimer_set_period, ptimer_set_limit,
        ptimer_get_limit, ptimer_get_count, ptimer_set_count, ptimer_run,
        ptimer_stop,
    },
    [UP] = {
        up_ptimer_init, up_ptimer_free, up_ptimer_transaction_begin,
        up_ptimer_transaction_commit, up_ptimer_set_period,
        up_ptimer_set_limit, up_ptimer_get_limit, up_ptimer_get_count,
        up_ptimer_set_count, up_ptimer_run, up_ptimer_stop,
    },
};

typedef struct Side {
    ptimer_state *pt;
    const CoreOps *ops;
    /* Callbacks since the last comparison: instant and count read. */
    GArray *cb_at;
    GArray *cb_count;
} Side;

static Side side[NSIDES];

/* Make the same call on both cores: EACH(set_count, v) */
#define EACH(op, ...)                                       \
    do {                                                    \
        int i_;                                             \
        for (i_ = 0; i_ < NSIDES; i_++) {                   \
            side[i_].ops->op(side[i_].pt, ##__VA_ARGS__);   \
        }                                                   \
    } while (0)

static uint64_t op_count(Side *d)
{
    return d->ops->get_count(d->pt);
}

static uint64_t op_limit(Side *d)
{
    return d->ops->get_limit(d->pt);
}

static void diff_cb(void *opaque)
{
    Side *d = opaque;
    uint64_t c = op_count(d);

    g_array_append_val(d->cb_at, ptimer_test_time_ns);
    g_array_append_val(d->cb_count, c);
}

/*
 * Modes.  "clean" makes no call that could reach a difference that
 * docs/devel/ptimer.rst ("Differences from QEMU 10.0") lists: no event
 * runs late; set_period never sets the period the timer has; no
 * transaction reads the count (set_period, stop) after reloading it;
 * nothing loads zero (no zero count or limit, run() only in a
 * transaction that set a non-zero count, no period change while the
 * count reads 0); and under WRAP_AFTER_ONE_PERIOD the limit is only set
 * with a reload.  There the two cores must agree at every step.  Each
 * other mode lets exactly one of those in, so what disagrees there comes
 * from the difference that mode lets in.
 */
typedef enum {
    M_CLEAN,
    M_LATE,
    M_SAME_PERIOD,
    M_STALE,
    M_ZERO_LOAD,
    M_WRAP_LIMIT,
    M_COUNT
} Mode;

static const char *const mode_name[M_COUNT] = {
    [M_CLEAN] = "clean",
    [M_LATE] = "late",
    [M_SAME_PERIOD] = "same-period",
    [M_STALE] = "stale",
    [M_ZERO_LOAD] = "zero-load",
    [M_WRAP_LIMIT] = "wrap-limit",
};

/* What the harness knows of the sequence: the calls it made. */
typedef struct Ctx {
    Mode mode;
    uint8_t policy;
    int64_t period;
    bool reloaded;          /* this transaction reloaded the counter */
    bool counted;           /* this transaction set a count */
    GString *log;
} Ctx;

static QEMUTimer *first_due(int64_t until)
{
    QEMUTimer *t = main_loop_tlg.tl[QEMU_CLOCK_VIRTUAL]->active_timers.next;
    QEMUTimer *first = NULL;

    for (; t; t = t->next) {
        if (t->expire_time <= until &&
            (!first || t->expire_time < first->expire_time)) {
            first = t;
        }
    }
    return first;
}

/* Run every timer event due by @until, each at its instant. */
static void pump(int64_t until)
{
    QEMUTimer *t;

    while ((t = first_due(until))) {
        ptimer_test_time_ns = MAX(ptimer_test_time_ns, t->expire_time);
        timer_del(t);
        t->cb(t->opaque);
    }
    ptimer_test_time_ns = MAX(ptimer_test_time_ns, until);
}

/*
 * Compare both sides, and forget their callbacks; on disagreement,
 * describe it into @why and return false.
 */
static bool agree(GString *why)
{
    Side *a = &side[NG], *b = &side[UP];
    uint64_t ca = op_count(a), cb = op_count(b);
    bool ok = true;
    guint i;

    if (a->cb_at->len != b->cb_at->len) {
        g_string_append_printf(why, "callbacks: ng %u, 10.0 %u; ",
                               a->cb_at->len, b->cb_at->len);
        ok = false;
    }
    for (i = 0; ok && i < a->cb_at->len; i++) {
        int64_t ta = g_array_index(a->cb_at, int64_t, i);
        int64_t tb = g_array_index(b->cb_at, int64_t, i);
        uint64_t na = g_array_index(a->cb_count, uint64_t, i);
        uint64_t nb = g_array_index(b->cb_count, uint64_t, i);

        if (ta != tb || na != nb) {
            g_string_append_printf(why, "callback %u: ng at %" PRId64
                                   " reads %" PRIu64 ", 10.0 at %" PRId64
                                   " reads %" PRIu64 "; ", i, ta, na, tb, nb);
            ok = false;
        }
    }
    if (ca != cb) {
        g_string_append_printf(why, "count: ng %" PRIu64 ", 10.0 %" PRIu64
                               "; ", ca, cb);
        ok = false;
    }
    if (op_limit(a) != op_limit(b)) {
        g_string_append_printf(why, "limit differs; ");
        ok = false;
    }
    for (i = 0; i < NSIDES; i++) {
        g_array_set_size(side[i].cb_at, 0);
        g_array_set_size(side[i].cb_count, 0);
    }
    return ok;
}

static const uint8_t policy_bits[] = {
    PTIMER_POLICY_WRAP_AFTER_ONE_PERIOD,
    PTIMER_POLICY_CONTINUOUS_TRIGGER,
    PTIMER_POLICY_NO_IMMEDIATE_TRIGGER,
    PTIMER_POLICY_NO_IMMEDIATE_RELOAD,
    PTIMER_POLICY_NO_COUNTER_ROUND_DOWN,
    PTIMER_POLICY_TRIGGER_ONLY_ON_DECREMENT,
};

static uint8_t random_policy(GRand *r)
{
    uint8_t p = 0;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(policy_bits); i++) {
        if (g_rand_boolean(r)) {
            p |= policy_bits[i];
        }
    }
    /* Both cores assert that these two do not come together. */
    if ((p & PTIMER_POLICY_TRIGGER_ONLY_ON_DECREMENT) &&
        (p & PTIMER_POLICY_NO_IMMEDIATE_TRIGGER)) {
        p &= ~PTIMER_POLICY_NO_IMMEDIATE_TRIGGER;
    }
    return p;
}

/*
 * No period 0: 10.0 divides by it (ptimer_get_count() of a timer enabled
 * in the same transaction), so no sequence with it can be compared call
 * by call; the unit tests pin what this core does.
 */
static const int64_t periods[] = { 1, 2, 3, 7, 10, 100 };
static const uint64_t values[] = { 0, 1, 2, 3, 5, 10 };

static uint64_t random_value(GRand *r, const Ctx *c)
{
    uint64_t v = values[g_rand_int_range(r, 0, ARRAY_SIZE(values))];

    return c->mode != M_ZERO_LOAD && v == 0 ? 1 : v;
}

/* One random mutator call on both sides, inside their transactions. */
static void random_call(GRand *r, Ctx *c)
{
    int k = g_rand_int_range(r, 0, 100);
    bool may_read = !c->reloaded || c->mode == M_STALE;

    /*
     * A period change restarts a running timer from its count: a zero
     * load if that reads 0.
     */
    if (k < 20 && may_read &&
        (c->mode == M_ZERO_LOAD || op_count(&side[NG]) != 0)) {
        int64_t p = periods[g_rand_int_range(r, 0, ARRAY_SIZE(periods))];

        if (p == c->period && c->mode != M_SAME_PERIOD) {
            p = p == periods[0] ? periods[1] : periods[0];
        }
        g_string_append_printf(c->log, " set_period(%" PRId64 ")", p);
        c->reloaded |= p != c->period;
        c->period = p;
        EACH(set_period, p);
    } else if (k < 40) {
        uint64_t v = random_value(r, c);
        int reload = g_rand_boolean(r);

        if ((c->policy & PTIMER_POLICY_WRAP_AFTER_ONE_PERIOD) &&
            c->mode != M_WRAP_LIMIT) {
            reload = 1;
        }

        g_string_append_printf(c->log, " set_limit(%" PRIu64 ",%d)", v,
                               reload);
        c->reloaded |= reload;
        c->counted |= reload;
        EACH(set_limit, v, reload);
    } else if (k < 60) {
        uint64_t v = random_value(r, c);

        g_string_append_printf(c->log, " set_count(%" PRIu64 ")", v);
        c->reloaded = true;
        c->counted = true;
        EACH(set_count, v);
    } else if (k < 85 && (c->counted || c->mode == M_ZERO_LOAD)) {
        int oneshot = g_rand_boolean(r);

        g_string_append_printf(c->log, " run(%d)", oneshot);
        c->reloaded = true;
        EACH(run, oneshot);
    } else if (k >= 85 && may_read) {
        g_string_append_printf(c->log, " stop");
        EACH(stop);
    }
}

/* One sequence; returns whether the cores agreed at every step. */
static bool run_sequence(GRand *r, Mode mode, int steps, GString *log,
                             GString *why)
{
    Ctx c = { .mode = mode, .log = log };
    bool ok = true;
    int s, i, n;

    c.policy = random_policy(r);
    if (mode == M_WRAP_LIMIT) {
        c.policy |= PTIMER_POLICY_WRAP_AFTER_ONE_PERIOD;
    }
    c.period = periods[g_rand_int_range(r, 0, ARRAY_SIZE(periods))];
    g_string_printf(log, "policy 0x%02x, period %" PRId64 ":", c.policy,
                    c.period);
    for (i = 0; i < NSIDES; i++) {
        side[i].pt = side[i].ops->init(diff_cb, &side[i], c.policy);
    }
    EACH(begin);
    EACH(set_period, c.period);
    EACH(commit);
    for (s = 0; s < steps && ok; s++) {
        if (g_rand_int_range(r, 0, 100) < 45) {
            /* A transaction of one to three calls. */
            n = g_rand_int_range(r, 1, 4);
            c.reloaded = c.counted = false;
            g_string_append(log, "\n  {");
            EACH(begin);
            while (n--) {
                random_call(r, &c);
            }
            EACH(commit);
            g_string_append(log, " }");
        } else {
            /* Time passes; in mode "late", events may run late. */
            int64_t dt = g_rand_int_range(r, 0, 40);
            bool late = mode == M_LATE && g_rand_boolean(r);

            g_string_append_printf(log, "\n  +%" PRId64 "%s", dt,
                                   late ? " (events late)" : "");
            if (late) {
                ptimer_test_time_ns += dt;
            } else {
                pump(ptimer_test_time_ns + dt);
            }
        }
        g_string_append_printf(log, "  [t=%" PRId64 "]", ptimer_test_time_ns);
        ok = agree(why);
    }
    for (i = 0; i < NSIDES; i++) {
        side[i].ops->free(side[i].pt);
    }
    return ok;
}

int main(int argc, char **argv)
{
    uint64_t seed, nseq, steps = 30, i, disagree = 0;
    GString *log = g_string_new(NULL), *why = g_string_new(NULL);
    Mode mode = M_COUNT;
    GRand *r;
    int k, shown = 0;

    for (k = 0; argc > 1 && k < M_COUNT; k++) {
        if (!strcmp(argv[1], mode_name[k])) {
            mode = k;
        }
    }
    if (argc < 4 || mode == M_COUNT ||
        qemu_strtou64(argv[2], NULL, 0, &seed) < 0 ||
        qemu_strtou64(argv[3], NULL, 0, &nseq) < 0 ||
        (argc > 4 && qemu_strtou64(argv[4], NULL, 0, &steps) < 0)) {
        fprintf(stderr, "usage: %s clean|late|same-period|stale|zero-load|"
                "wrap-limit SEED SEQUENCES [STEPS]\n", argv[0]);
        return 2;
    }
    for (k = 0; k < QEMU_CLOCK_MAX; k++) {
        main_loop_tlg.tl[k] = g_new0(QEMUTimerList, 1);
    }
    qtest_allowed = true;
    for (k = 0; k < NSIDES; k++) {
        side[k].ops = &core_ops[k];
        side[k].cb_at = g_array_new(false, false, sizeof(int64_t));
        side[k].cb_count = g_array_new(false, false, sizeof(uint64_t));
    }
    r = g_rand_new_with_seed(seed);
    for (i = 0; i < nseq; i++) {
        g_string_truncate(why, 0);
        if (!run_sequence(r, mode, steps, log, why)) {
            const char *last = strrchr(log->str, '\n');

            disagree++;
            if (mode == M_CLEAN || shown < 3) {
                shown++;
                printf("%s: sequence %" PRIu64 " disagrees: %safter%s\n"
                       "  %s\n\n", mode_name[mode], i, why->str,
                       last ? last + 2 : " set-up", log->str);
            }
        }
    }
    printf("mode %s, seed %" PRIu64 ": %" PRIu64 " of %" PRIu64
           " sequences (up to %" PRIu64 " steps) disagree\n",
           mode_name[mode], seed, disagree, nseq, steps);
    return mode == M_CLEAN && disagree ? 1 : 0;
}
