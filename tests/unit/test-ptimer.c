/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for the ptimer core (hw/core/ptimer.c)
 *
 * Copyright (c) 2026 The ptimer-ng authors
 *
 * The timer under test runs on QEMU's real timer lists (util/qemu-timer.c).
 * The test owns QEMU_CLOCK_VIRTUAL through cpus_get_virtual_clock() and
 * moves it by hand, stopping at every timer deadline on the way and
 * running the due timers there, as qtest's clock_step does.
 *
 * Expected values never come from the core: they come from a reference
 * model of the ptimer-ng contract (notes/semantics.md) written below with
 * exact rational arithmetic.  Every case compares the timer with the model
 * or with a closed form.
 *
 * qtest_allowed and use_icount are the real globals the core reads: a test
 * picks "exact" mode (every expiry is its own host event) or "coalesced"
 * mode (fast periodic timers are delivered in batches) by setting them.
 *
 * The model uses __int128; on hosts without it the suite is skipped.
 */

#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/main-loop.h"
#include "qemu/module.h"
#include "qemu/timer.h"
#include "hw/clock.h"
#include "hw/ptimer.h"
#include "migration/vmstate.h"
#include "migration/qemu-file-types.h"
#include "../migration/qemu-file.h"
#include "../migration/savevm.h"
#include "io/channel-buffer.h"
#include "system/cpu-timers.h"
#include "system/qtest.h"

#define P_WRAP  PTIMER_POLICY_WRAP_AFTER_ONE_PERIOD
#define P_CONT  PTIMER_POLICY_CONTINUOUS_TRIGGER
#define P_NIT   PTIMER_POLICY_NO_IMMEDIATE_TRIGGER
#define P_NIR   PTIMER_POLICY_NO_IMMEDIATE_RELOAD
#define P_NRD   PTIMER_POLICY_NO_COUNTER_ROUND_DOWN
#define P_TOOD  PTIMER_POLICY_TRIGGER_ONLY_ON_DECREMENT

/* An arbitrary start instant, deliberately not a multiple of any period */
#define T0 INT64_C(1000000000123)

/*
 * ===================================================================
 * The virtual clock
 */

static int64_t vclock_ns;
static uint64_t vclock_reads;   /* reads of QEMU_CLOCK_VIRTUAL so far */

/* Replaces stubs/cpus-virtual-clock.c: QEMU_CLOCK_VIRTUAL reads this */
int64_t cpus_get_virtual_clock(void)
{
    vclock_reads++;
    return vclock_ns;
}

void cpus_set_virtual_clock(int64_t new_time)
{
    vclock_ns = new_time;
}

/*
 * VMSTATE_TIMER_PTR's wire format (the expiry instant, be64, -1 when the
 * timer is not pending).  QEMU implements it in migration/savevm.c, which
 * the "migration" library of unit tests does not include.
 */
static int timer_field_get(QEMUFile *f, void *pv, size_t size,
                           const VMStateField *field)
{
    QEMUTimer *ts = pv;
    int64_t expire = qemu_get_be64(f);

    if (expire == -1) {
        timer_del(ts);
    } else {
        timer_mod_ns(ts, expire);
    }
    return 0;
}

static int timer_field_put(QEMUFile *f, void *pv, size_t size,
                           const VMStateField *field, JSONWriter *vmdesc)
{
    QEMUTimer *ts = pv;

    qemu_put_be64(f, timer_pending(ts) ? timer_expire_time_ns(ts) : -1);
    return 0;
}

const VMStateInfo vmstate_info_timer = {
    .name = "timer",
    .get = timer_field_get,
    .put = timer_field_put,
};

#ifdef CONFIG_INT128

/*
 * Move the virtual clock to @target, stopping at each timer deadline on
 * the way and running the timers due there.
 */
static void clock_run_to(int64_t target)
{
    unsigned same_instant = 0;

    g_assert_cmpint(target, >=, vclock_ns);
    for (;;) {
        int64_t dl = qemu_clock_deadline_ns_all(QEMU_CLOCK_VIRTUAL,
                                                QEMU_TIMER_ATTR_ALL);

        if (dl < 0 || dl > target - vclock_ns) {
            break;
        }
        /* a timer that keeps re-arming itself in the past never ends */
        same_instant = dl ? 0 : same_instant + 1;
        g_assert_cmpuint(same_instant, <, 1000);
        vclock_ns += dl;
        qemu_clock_run_timers(QEMU_CLOCK_VIRTUAL);
    }
    vclock_ns = target;
}

/* Move the virtual clock without running any timer (an "overdue" timer) */
static void clock_warp(int64_t ns)
{
    vclock_ns += ns;
}

static bool host_timer_pending(void)
{
    return qemu_clock_deadline_ns_all(QEMU_CLOCK_VIRTUAL,
                                      QEMU_TIMER_ATTR_ALL) >= 0;
}

/*
 * ===================================================================
 * Policies
 */

static bool policy_valid(unsigned p)
{
    return !((p & P_NIT) && (p & P_TOOD));
}

static char *policy_name(unsigned p)
{
    static const char *const bits[] = {
        "wrap", "cont", "nit", "nir", "nrd", "tood",
    };
    GString *s = g_string_new(NULL);
    int i;

    for (i = 0; i < ARRAY_SIZE(bits); i++) {
        if (p & (1 << i)) {
            g_string_append_printf(s, "%s%s", s->len ? "-" : "", bits[i]);
        }
    }
    if (!s->len) {
        g_string_append(s, "legacy");
    }
    return g_string_free(s, false);
}

/* All 48 valid policy masks */
static unsigned valid_policies[64];
static unsigned n_valid_policies;

static void init_policies(void)
{
    unsigned p;

    for (p = 0; p < 64; p++) {
        if (policy_valid(p)) {
            valid_policies[n_valid_policies++] = p;
        }
    }
    g_assert_cmpuint(n_valid_policies, ==, 48);
}

/*
 * ===================================================================
 * Reference model of notes/semantics.md
 *
 * The period is num/den ns (reduced).  Instants inside the model are in
 * units of 1/den ns, so every anchor and segment end is exact.
 */

typedef __int128_t i128;

enum { M_STOPPED, M_PERIODIC, M_ONESHOT };
enum { SEG_NONE, SEG_COUNT, SEG_HOLD };

typedef struct Model {
    uint8_t policy;
    int mode;
    uint64_t d;             /* counter while stopped, frozen or loading */
    uint64_t l;             /* limit */
    i128 pnum, pden;        /* period, ns; pnum == 0: no period */
    int seg;                /* current segment of a running timer */
    uint64_t n;             /* SEG_COUNT: counts down from n */
    bool zf;                /* SEG_COUNT: reads zero first for a period */
    bool deferred;          /* SEG_HOLD: triggers at its end */
    i128 a;                 /* segment anchor, 1/pden ns */
    bool load;              /* a load is due at the outermost commit */
    int depth;              /* transaction depth */
    bool have_t;            /* the transaction has taken its instant */
    int64_t tx_t;           /* the instant of the transaction */
    int64_t now;            /* host events up to here are accounted */
    uint64_t pending;       /* triggers waiting for delivery */
    uint64_t triggers;      /* all triggers so far */
    uint64_t calls;         /* callback calls so far (exact mode) */
    uint64_t delivered;     /* triggers delivered so far */
} Model;

static i128 gcd128(i128 a, i128 b)
{
    while (b) {
        i128 t = a % b;

        a = b;
        b = t;
    }
    return a;
}

static i128 ceil_div(i128 a, i128 b)
{
    g_assert(a >= 0 && b > 0);
    return (a + b - 1) / b;
}

static void m_init(Model *m, uint8_t policy)
{
    memset(m, 0, sizeof(*m));
    m->policy = policy;
    m->pden = 1;
}

static bool m_ticking(const Model *m)
{
    return m->mode != M_STOPPED && m->pnum && m->seg != SEG_NONE;
}

/* End of the current segment, 1/pden ns */
static i128 m_end(const Model *m)
{
    i128 k = m->seg == SEG_COUNT ? (i128)m->n + m->zf : 1;

    return m->a + k * m->pnum;
}

/* Host instant (ns) of the end of the current segment */
static int64_t m_end_ns(const Model *m)
{
    i128 ns = ceil_div(m_end(m), m->pden);

    return ns > INT64_MAX ? INT64_MAX : ns;
}

static void m_trigger(Model *m)
{
    m->pending++;
    m->triggers++;
}

static void m_count(Model *m, uint64_t n, bool zf, i128 at)
{
    m->seg = SEG_COUNT;
    m->n = n;
    m->zf = zf;
    m->a = at;
}

static void m_hold(Model *m, bool deferred, i128 at)
{
    m->seg = SEG_HOLD;
    m->deferred = deferred;
    m->a = at;
}

static void m_halt(Model *m)
{
    m->mode = M_STOPPED;
    m->seg = SEG_NONE;
    m->d = 0;
}

/* "End of a segment at exact instant E" */
static void m_segment_end(Model *m)
{
    i128 e = m_end(m);
    bool periodic = m->mode == M_PERIODIC;
    bool cont = m->policy & P_CONT;
    bool was_count = m->seg == SEG_COUNT;

    if (was_count || m->deferred || (periodic && !m->l && cont)) {
        m_trigger(m);
    }
    if (!periodic) {
        m_halt(m);
    } else if (m->l) {
        m->d = m->l;
        m_count(m, m->l, was_count && (m->policy & P_WRAP), e);
    } else if (cont) {
        m_hold(m, m->policy & P_NIT, e);
    } else {
        m_halt(m);
    }
}

/* Account for every segment end at or before @t */
static void m_process(Model *m, int64_t t)
{
    while (m_ticking(m) && m_end(m) <= (i128)t * m->pden) {
        m_segment_end(m);
    }
}

/* ptimer_get_count() at @t, segment ends before @t not processed */
static uint64_t m_read(const Model *m, int64_t t)
{
    bool nrd = m->policy & P_NRD;
    i128 tt, e;
    uint64_t c;

    if (!m_ticking(m)) {
        return m->d;
    }
    if (m->seg == SEG_HOLD) {
        return 0;
    }
    tt = (i128)t * m->pden;
    e = m_end(m);
    if (tt >= e) {
        return nrd && tt > m->a;
    }
    if (m->zf && tt - m->a <= m->pnum) {
        return 0;
    }
    c = (e - tt) / m->pnum;
    return c + (nrd && tt > m->a);
}

/* "Starting a segment at instant X" */
static void m_load(Model *m, int64_t t)
{
    i128 x = (i128)t * m->pden;
    uint8_t p = m->policy;

    if (m->d) {
        m_count(m, m->d, false, x);
        return;
    }
    if (!(p & (P_NIT | P_TOOD))) {
        m_trigger(m);
    }
    if (p & P_NIR) {
        m_hold(m, p & P_NIT, x);
    } else if (m->l) {
        m->d = m->l;
        m_count(m, m->l, false, x);
    } else if ((p & P_NIT) || (m->mode == M_PERIODIC && (p & P_CONT))) {
        m_hold(m, p & P_NIT, x);
    } else {
        m_halt(m);
    }
}

static void m_deliver(Model *m)
{
    if (m->pending) {
        m->calls++;
        m->delivered += m->pending;
        m->pending = 0;
    }
}

/*
 * Every change of a transaction happens at one instant.  Taking it, at
 * @t, accounts for the segment ends due then.
 */
static void m_take(Model *m, int64_t t)
{
    m->have_t = true;
    m->tx_t = t;
    m_process(m, t);
    m->now = MAX(m->now, t);
}

/*
 * A change at @t.  Returns the instant of the transaction; a timer that
 * was stopped at the begin has none yet (its changes do not depend on
 * it: a count read after a run in the same transaction is the count
 * loaded).
 */
static int64_t m_change(Model *m, int64_t t)
{
    g_assert_cmpint(m->depth, >, 0);
    return m->have_t ? m->tx_t : t;
}

/*
 * An enabled timer (running, or frozen at period 0) takes the instant at
 * the outermost begin, and delivers there the segment ends already due
 * (a late host event), before any change; a stopped one takes it at the
 * commit that starts it.
 */
static void m_begin(Model *m, int64_t t)
{
    if (m->depth++ == 0) {
        m->have_t = false;
        if (m->mode != M_STOPPED) {
            m_take(m, t);
            m_deliver(m);
        }
    }
}

static void m_commit(Model *m)
{
    g_assert_cmpint(m->depth, >, 0);
    if (--m->depth) {
        return;
    }
    if (m->load && m->mode != M_STOPPED && m->pnum) {
        if (!m->have_t) {
            m_take(m, vclock_ns);
        }
        m_load(m, m->tx_t);
    }
    m->load = false;
    m_deliver(m);
}

/* A load at commit replaces the segment; until then the timer reads D */
static void m_restart(Model *m)
{
    if (m->mode != M_STOPPED) {
        m->seg = SEG_NONE;
        m->load = true;
    }
}

static void m_set_count(Model *m, uint64_t c)
{
    m->d = c;
    m_restart(m);
}

static void m_set_limit(Model *m, uint64_t l, bool reload)
{
    m->l = l;
    if (reload) {
        m->d = l;
        m_restart(m);
    }
}

static void m_set_period(Model *m, i128 num, i128 den, int64_t t)
{
    i128 g;

    if (num <= 0 || den <= 0) {
        num = 0;
        den = 1;
    } else {
        g = gcd128(num, den);
        num /= g;
        den /= g;
    }
    if (num == m->pnum && den == m->pden) {
        return;
    }
    if (m->mode != M_STOPPED) {
        if (m->pnum) {
            m->d = m_read(m, t);
        }
        m->seg = SEG_NONE;
        m->load = num != 0;
    }
    m->pnum = num;
    m->pden = den;
}

static void m_run(Model *m, bool oneshot)
{
    if (m->mode == M_STOPPED) {
        m->seg = SEG_NONE;
        m->load = true;
    }
    m->mode = oneshot ? M_ONESHOT : M_PERIODIC;
}

static void m_stop(Model *m, int64_t t)
{
    if (m->mode != M_STOPPED) {
        m->d = m_read(m, t);
    }
    m->mode = M_STOPPED;
    m->seg = SEG_NONE;
    m->load = false;
}

/*
 * Let time pass up to @target.  In exact mode each segment end is a host
 * event at ceil(E) (or at once, when it is overdue) that delivers its own
 * trigger.  In coalesced mode the ends are accounted for (reads are exact)
 * but only bounds are known about their delivery.
 */
static void m_advance(Model *m, int64_t target, bool exact)
{
    if (!exact) {
        m_process(m, target);
        m->now = target;
        return;
    }
    while (m_ticking(m)) {
        int64_t ev = MAX(m_end_ns(m), m->now);

        if (ev > target) {
            break;
        }
        m->now = ev;
        m_process(m, ev);
        m_deliver(m);
    }
    m->now = target;
}

/*
 * A periodic timer whose reload cycle is shorter than 10 us: outside
 * qtest and icount the core delivers its expiries in batches.
 */
static bool m_fast(const Model *m)
{
    i128 periods;

    if (m->mode != M_PERIODIC || !m->pnum) {
        return false;
    }
    if (m->l) {
        periods = (i128)m->l + !!(m->policy & P_WRAP);
    } else {
        periods = !!(m->policy & P_CONT);
    }
    return periods && periods * m->pnum < (i128)10000 * m->pden;
}

/* Period as a rounded-down integer number of ns, at least 1 */
static int64_t m_period_ns(const Model *m)
{
    return m->pnum ? MAX(m->pnum / m->pden, 1) : 1000;
}

/*
 * ===================================================================
 * The rig: a real ptimer and its model, driven together
 */

enum { MODE_QTEST, MODE_ICOUNT, MODE_COALESCED };
static const char *const mode_names[] = { "qtest", "icount", "coalesced" };

typedef struct Rig Rig;

typedef struct CbRecord {
    int64_t t;
    uint64_t expiries;
} CbRecord;

struct Rig {
    ptimer_state *pt;
    Model m;
    bool exact;             /* qtest or icount */
    bool model;             /* compare with the model (no callback hook) */
    uint64_t calls;
    uint64_t expiries;
    uint64_t zero_expiries; /* calls for which get_expiries() was 0 */
    int cb_depth;
    int cb_max_depth;
    bool in_dev_txn;        /* the device is between begin and commit */
    bool cb_in_dev_txn;     /* the callback ran there */
    GArray *records;        /* CbRecord per call, when wanted */
    void (*hook)(Rig *r);   /* extra callback work */
    int hook_calls;
    GString *log;           /* recent operations, printed on failure */
    unsigned seed;
    bool alone;             /* no other timer exists */
};

static void rig_note(Rig *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void rig_note(Rig *r, const char *fmt, ...)
{
    va_list ap;

    if (r->log->len > 6000) {
        g_string_erase(r->log, 0, r->log->len - 3000);
    }
    g_string_append_printf(r->log, "  @%" PRId64 ": ", vclock_ns - T0);
    va_start(ap, fmt);
    g_string_append_vprintf(r->log, fmt, ap);
    va_end(ap);
    g_string_append_c(r->log, '\n');
}

static void rig_dump(Rig *r, const char *what, uint64_t got, uint64_t want)
{
    const Model *m = &r->m;
    g_autofree char *pname = policy_name(m->policy);

    fprintf(stderr, "\n*** mismatch in %s at t=T0+%" PRId64
            " (seed %u, policy %s, %s): got %" PRIu64 ", model %" PRIu64
            "\n", what, vclock_ns - T0, r->seed, pname,
            r->exact ? "exact" : "coalesced", got, want);
    fprintf(stderr, "model: mode=%d d=%" PRIu64 " l=%" PRIu64
            " period=%" PRIu64 "/%" PRIu64 " seg=%d n=%" PRIu64
            " zf=%d def=%d a=%" PRIu64 "/den triggers=%" PRIu64
            " calls=%" PRIu64 "\n", m->mode, m->d, m->l,
            (uint64_t)m->pnum, (uint64_t)m->pden, m->seg, m->n, m->zf,
            m->deferred, (uint64_t)(m->a - (i128)T0 * m->pden),
            m->triggers, m->calls);
    fprintf(stderr, "timer: calls=%" PRIu64 " expiries=%" PRIu64
            "\nrecent operations (t relative to T0):\n%s",
            r->calls, r->expiries, r->log->str);
}

#define RIG_EXPECT(r, what, got, op, want)                      \
    do {                                                        \
        uint64_t got_ = (got), want_ = (want);                  \
        if (!(got_ op want_)) {                                 \
            rig_dump((r), (what), got_, want_);                 \
        }                                                       \
        g_assert_cmpuint(got_, op, want_);                      \
    } while (0)

static void rig_cb(void *opaque)
{
    Rig *r = opaque;
    uint64_t e = ptimer_get_expiries(r->pt);
    CbRecord rec = { vclock_ns, e };

    r->calls++;
    r->expiries += e;
    r->zero_expiries += !e;
    r->cb_in_dev_txn |= r->in_dev_txn;
    r->cb_max_depth = MAX(r->cb_max_depth, ++r->cb_depth);
    if (r->records) {
        g_array_append_val(r->records, rec);
    }
    if (r->hook) {
        r->hook_calls++;
        r->hook(r);
    }
    r->cb_depth--;
}

static void set_mode(int mode)
{
    qtest_allowed = mode == MODE_QTEST;
    use_icount = mode == MODE_ICOUNT ? ICOUNT_PRECISE : ICOUNT_DISABLED;
}

/* A new rig at the current instant (other timers may be running) */
static void rig_init_here(Rig *r, uint8_t policy, int mode)
{
    memset(r, 0, sizeof(*r));
    set_mode(mode);
    r->exact = mode != MODE_COALESCED;
    r->model = true;
    r->log = g_string_new(NULL);
    m_init(&r->m, policy);
    r->m.now = vclock_ns;
    r->pt = ptimer_init(rig_cb, r, policy);
}

/* A new rig, alone, at T0 */
static void rig_init(Rig *r, uint8_t policy, int mode)
{
    g_assert_false(host_timer_pending());
    vclock_ns = T0;
    rig_init_here(r, policy, mode);
    r->alone = true;
}

static void rig_fini(Rig *r)
{
    ptimer_free(r->pt);
    if (r->alone) {
        g_assert_false(host_timer_pending());
    }
    if (r->records) {
        g_array_free(r->records, true);
    }
    g_string_free(r->log, true);
}

/* Compare the timer with the model now */
static void rig_check(Rig *r)
{
    const Model *m = &r->m;

    RIG_EXPECT(r, "callback inside a device transaction",
               r->cb_in_dev_txn, ==, false);
    RIG_EXPECT(r, "nested callback", r->cb_max_depth, <=, 1);
    RIG_EXPECT(r, "get_expiries() == 0 in a callback",
               r->zero_expiries, ==, 0);
    if (!r->model) {
        return;
    }
    RIG_EXPECT(r, "count", ptimer_get_count(r->pt), ==, m_read(m, vclock_ns));
    RIG_EXPECT(r, "limit", ptimer_get_limit(r->pt), ==, m->l);
    if (r->exact) {
        RIG_EXPECT(r, "callback calls", r->calls, ==, m->calls);
        RIG_EXPECT(r, "expiries", r->expiries, ==, m->delivered);
    } else {
        RIG_EXPECT(r, "expiries (low)", r->expiries, >=, m->delivered);
        RIG_EXPECT(r, "expiries (high)", r->expiries, <=, m->triggers);
    }
}

/* The count only, for reads inside a transaction */
static void rig_check_count(Rig *r)
{
    if (r->model) {
        RIG_EXPECT(r, "count", ptimer_get_count(r->pt), ==,
                   m_read(&r->m, vclock_ns));
    }
}

static void rig_begin(Rig *r)
{
    rig_note(r, "begin");
    ptimer_transaction_begin(r->pt);
    m_begin(&r->m, vclock_ns);
    r->in_dev_txn = true;
}

static void rig_commit(Rig *r)
{
    rig_note(r, "commit");
    m_commit(&r->m);
    r->in_dev_txn = r->m.depth > 0;
    ptimer_transaction_commit(r->pt);
    if (!r->in_dev_txn) {
        rig_check(r);
    }
}

static void rig_set_count(Rig *r, uint64_t c)
{
    rig_note(r, "set_count(%" PRIu64 ")", c);
    ptimer_set_count(r->pt, c);
    m_change(&r->m, vclock_ns);
    m_set_count(&r->m, c);
}

static void rig_set_limit(Rig *r, uint64_t l, bool reload)
{
    rig_note(r, "set_limit(%" PRIu64 ", %d)", l, reload);
    ptimer_set_limit(r->pt, l, reload);
    m_change(&r->m, vclock_ns);
    m_set_limit(&r->m, l, reload);
}

static void rig_set_period(Rig *r, int64_t p)
{
    rig_note(r, "set_period(%" PRId64 ")", p);
    ptimer_set_period(r->pt, p);
    m_set_period(&r->m, p, 1, m_change(&r->m, vclock_ns));
}

static void rig_set_freq(Rig *r, uint32_t f)
{
    rig_note(r, "set_freq(%" PRIu32 ")", f);
    ptimer_set_freq(r->pt, f);
    m_set_period(&r->m, f ? 1000000000 : 0, f ? f : 1,
                 m_change(&r->m, vclock_ns));
}

static void rig_set_ratio(Rig *r, uint64_t num, uint64_t den)
{
    rig_note(r, "set_period_ratio(%" PRIu64 ", %" PRIu64 ")", num, den);
    ptimer_set_period_ratio(r->pt, num, den);
    m_set_period(&r->m, num, num ? den : 1, m_change(&r->m, vclock_ns));
}

/*
 * hw/core/clock.c is not linked into unit tests; clock_get() only reads
 * the period field, so a zeroed Clock with its period set stands in for
 * a QOM clock object.
 */
static void rig_set_clock(Rig *r, uint64_t clk_period, unsigned div)
{
    Clock clk = { .period = clk_period };

    rig_note(r, "set_period_from_clock(%" PRIu64 ", %u)", clk_period, div);
    ptimer_set_period_from_clock(r->pt, &clk, div);
    m_set_period(&r->m, (i128)clk_period * div, (i128)1 << 32,
                 m_change(&r->m, vclock_ns));
}

static void rig_run(Rig *r, bool oneshot)
{
    rig_note(r, "run(%d)", oneshot);
    ptimer_run(r->pt, oneshot);
    m_change(&r->m, vclock_ns);
    m_run(&r->m, oneshot);
}

static void rig_stop(Rig *r)
{
    rig_note(r, "stop");
    ptimer_stop(r->pt);
    m_stop(&r->m, m_change(&r->m, vclock_ns));
}

/* Let @ns pass, firing timers on the way, then compare */
static void rig_step(Rig *r, int64_t ns)
{
    int64_t target = vclock_ns + ns;

    rig_note(r, "step %" PRId64, ns);
    clock_run_to(target);
    m_advance(&r->m, target, r->exact);
    rig_check(r);
}

/*
 * Let @ns pass without running timers: the host event of the timer, if
 * any, becomes overdue.  In exact mode reads see the value before zero;
 * in coalesced mode (fast timers only) they stay exact, across every
 * reload not delivered yet.
 */
static void rig_warp(Rig *r, int64_t ns)
{
    g_assert(r->exact || !m_ticking(&r->m) || m_fast(&r->m));
    rig_note(r, "warp %" PRId64, ns);
    clock_warp(ns);
    if (!r->exact) {
        m_process(&r->m, vclock_ns);
    }
    r->m.now = vclock_ns;
    rig_check(r);
}

/*
 * Let @total ns pass in small steps, checking just before, at and just
 * after every segment end and at points in between.
 */
static void rig_walk(Rig *r, int64_t total)
{
    int64_t end = vclock_ns + total;
    unsigned i = 0;

    while (vclock_ns < end) {
        int64_t next;

        if (m_ticking(&r->m)) {
            int64_t ev = m_end_ns(&r->m);

            switch (i++ % 4) {
            case 0:
                next = ev - 1;
                break;
            case 1:
                next = ev;
                break;
            case 2:
                next = vclock_ns + 1;
                break;
            default:
                next = vclock_ns + 1 + m_period_ns(&r->m) * 2 / 3;
                break;
            }
        } else {
            next = vclock_ns + 1 + total / 5;
        }
        next = MIN(MAX(next, vclock_ns), end);
        rig_step(r, next - vclock_ns);
    }
}

/* Go to the next segment end, then to @ns before the one after it */
static void rig_step_before_end(Rig *r, int64_t ns)
{
    g_assert(m_ticking(&r->m));
    rig_step(r, m_end_ns(&r->m) - vclock_ns);
    g_assert(m_ticking(&r->m));
    rig_step(r, m_end_ns(&r->m) - vclock_ns - ns);
}

/* Run @n rigs side by side on the shared clock for @total ns */
static void rigs_walk(Rig **rs, int n, int64_t total, int64_t stride)
{
    int64_t end = vclock_ns + total;
    int i;

    while (vclock_ns < end) {
        int64_t target = MIN(vclock_ns + stride, end);

        clock_run_to(target);
        for (i = 0; i < n; i++) {
            m_advance(&rs[i]->m, target, rs[i]->exact);
            rig_check(rs[i]);
        }
    }
}

/*
 * An empty transaction (begin/commit, no change).  A running timer takes
 * the instant at the begin: every segment end due then is accounted for,
 * and delivered at the commit.  A stopped timer reads no clock.
 */
static void rig_flush(Rig *r)
{
    bool enabled = r->m.mode != M_STOPPED;
    uint64_t reads = vclock_reads;

    g_assert_cmpint(r->m.depth, ==, 0);
    rig_note(r, "begin; commit (empty)");
    ptimer_transaction_begin(r->pt);
    m_begin(&r->m, vclock_ns);
    m_commit(&r->m);
    ptimer_transaction_commit(r->pt);
    if (!enabled) {
        RIG_EXPECT(r, "clock reads by an empty transaction, stopped",
                   vclock_reads, ==, reads);
    }
    RIG_EXPECT(r, "expiries after an empty transaction",
               r->expiries, ==, r->m.triggers);
    rig_check(r);
}

/*
 * A transaction with a change that changes nothing (the same limit, no
 * reload): it accounts for every segment end due now and delivers their
 * triggers at the commit.
 */
static void rig_touch(Rig *r)
{
    rig_begin(r);
    rig_set_limit(r, ptimer_get_limit(r->pt), false);
    rig_commit(r);
}

/*
 * ===================================================================
 * 1. Every valid policy (48) x scenario, against the model
 *
 * All scenarios but the last run in exact mode (qtest or icount), where
 * the number of callback calls is predicted too.
 */

typedef struct Case {
    uint8_t policy;
    int mode;
    unsigned param;
    void (*fn)(Rig *r);
} Case;

/* One-shot: counts down once, triggers once, stops; restart from zero */
static void sc_oneshot(Rig *r)
{
    rig_begin(r);
    rig_set_period(r, 1000);
    rig_set_count(r, 10);
    rig_run(r, true);
    rig_commit(r);
    rig_walk(r, 12500);
    rig_begin(r);
    rig_set_limit(r, 4, false);
    rig_run(r, true);
    rig_commit(r);
    rig_walk(r, 7000);
}

/* Periodic at 3 MHz: exact reloads over several cycles */
static void sc_periodic(Rig *r)
{
    rig_begin(r);
    rig_set_freq(r, 3000000);
    rig_set_limit(r, 7, true);
    rig_run(r, false);
    rig_commit(r);
    rig_walk(r, 12000);
}

/* set_count() on a running timer, including 0 */
static void sc_set_count(Rig *r)
{
    rig_begin(r);
    rig_set_period(r, 1000);
    rig_set_limit(r, 5, true);
    rig_run(r, false);
    rig_commit(r);
    rig_walk(r, 2300);
    rig_begin(r);
    rig_set_count(r, 3);
    rig_commit(r);
    rig_walk(r, 4200);
    rig_begin(r);
    rig_set_count(r, 0);
    rig_commit(r);
    rig_walk(r, 3100);
    rig_begin(r);
    rig_run(r, true);
    rig_set_count(r, 0);
    rig_commit(r);
    rig_walk(r, 7000);
}

/* set_limit() with and without reload, down to 0 */
static void sc_set_limit(Rig *r)
{
    rig_begin(r);
    rig_set_period(r, 1000);
    rig_set_limit(r, 6, true);
    rig_run(r, false);
    rig_commit(r);
    rig_walk(r, 2500);
    rig_begin(r);
    rig_set_limit(r, 9, false);
    rig_commit(r);
    rig_walk(r, 12000);
    rig_begin(r);
    rig_set_limit(r, 3, true);
    rig_commit(r);
    rig_walk(r, 7000);
    rig_begin(r);
    rig_set_limit(r, 0, false);
    rig_commit(r);
    rig_walk(r, 8000);
    rig_begin(r);
    rig_set_limit(r, 2, true);
    rig_run(r, false);
    rig_commit(r);
    rig_walk(r, 5000);
    rig_begin(r);
    rig_set_limit(r, 0, true);
    rig_commit(r);
    rig_walk(r, 5000);
}

/* Period changes on the fly (set_period, set_freq, from a clock) */
static void sc_period_change(Rig *r)
{
    rig_begin(r);
    rig_set_freq(r, 1000000);
    rig_set_limit(r, 8, true);
    rig_run(r, false);
    rig_commit(r);
    rig_walk(r, 3500);
    rig_begin(r);
    rig_set_period(r, 700);
    rig_commit(r);
    rig_walk(r, 9000);
    rig_begin(r);
    rig_set_freq(r, 3000000);
    rig_commit(r);
    rig_walk(r, 6000);
    /* 2.5 ns clock, divisor 300: 750 ns */
    rig_begin(r);
    rig_set_clock(r, CLOCK_PERIOD_FROM_NS(5) / 2, 300);
    rig_commit(r);
    rig_walk(r, 10000);
    /* the same period again: nothing changes */
    rig_begin(r);
    rig_set_period(r, 750);
    rig_commit(r);
    rig_walk(r, 5000);
    /* a change during the last period (count reads 0 when rounding) */
    rig_step_before_end(r, 100);
    rig_begin(r);
    rig_set_period(r, 900);
    rig_commit(r);
    rig_walk(r, 10000);
}

/* stop() and restart, including a stop in the last period */
static void sc_stop_restart(Rig *r)
{
    rig_begin(r);
    rig_set_period(r, 1000);
    rig_set_limit(r, 6, true);
    rig_run(r, false);
    rig_commit(r);
    rig_walk(r, 2500);
    rig_begin(r);
    rig_stop(r);
    rig_commit(r);
    rig_walk(r, 3000);
    rig_begin(r);
    rig_run(r, false);
    rig_commit(r);
    rig_walk(r, 4000);
    rig_step_before_end(r, 500);
    rig_begin(r);
    rig_stop(r);
    rig_commit(r);
    rig_step(r, 777);
    rig_begin(r);
    rig_run(r, false);
    rig_commit(r);
    rig_walk(r, 3000);
    rig_begin(r);
    rig_stop(r);
    rig_run(r, false);
    rig_commit(r);
    rig_walk(r, 9000);
}

/* Mode changes on a running timer keep the phase */
static void sc_mode_change(Rig *r)
{
    rig_begin(r);
    rig_set_period(r, 1000);
    rig_set_limit(r, 4, true);
    rig_run(r, false);
    rig_commit(r);
    rig_walk(r, 2500);
    rig_begin(r);
    rig_run(r, true);
    rig_commit(r);
    rig_walk(r, 6000);
    rig_begin(r);
    rig_set_count(r, 3);
    rig_run(r, true);
    rig_commit(r);
    rig_walk(r, 1500);
    rig_begin(r);
    rig_run(r, false);
    rig_commit(r);
    rig_walk(r, 9000);
}

/* Limit 0: what a periodic timer does at zero with nothing to reload */
static void sc_limit_zero(Rig *r)
{
    rig_begin(r);
    rig_set_period(r, 1000);
    rig_set_count(r, 3);
    rig_run(r, false);
    rig_commit(r);
    rig_walk(r, 6000);
    rig_begin(r);
    rig_stop(r);
    rig_set_count(r, 0);
    rig_run(r, false);
    rig_commit(r);
    rig_walk(r, 5000);
    rig_begin(r);
    rig_stop(r);
    rig_set_count(r, 0);
    rig_run(r, true);
    rig_commit(r);
    rig_walk(r, 4000);
}

/* Starting from a zero count with a non-zero limit */
static void sc_zero_start(Rig *r)
{
    rig_begin(r);
    rig_set_period(r, 1000);
    rig_set_limit(r, 4, false);
    rig_run(r, false);
    rig_commit(r);
    rig_walk(r, 12000);
    rig_begin(r);
    rig_stop(r);
    rig_set_count(r, 0);
    rig_run(r, true);
    rig_commit(r);
    rig_walk(r, 8000);
}

/* Period 0 / freq 0 while running freeze the count; a period resumes */
static void sc_frozen(Rig *r)
{
    rig_begin(r);
    rig_set_period(r, 1000);
    rig_set_limit(r, 5, true);
    rig_run(r, false);
    rig_commit(r);
    rig_walk(r, 2500);
    rig_begin(r);
    rig_set_period(r, 0);
    rig_commit(r);
    rig_walk(r, 5000);
    rig_begin(r);
    rig_set_period(r, 1000);
    rig_commit(r);
    rig_walk(r, 8000);
    rig_step_before_end(r, 300);
    rig_begin(r);
    rig_set_freq(r, 0);
    rig_commit(r);
    rig_walk(r, 3000);
    rig_begin(r);
    rig_set_freq(r, 1000000);
    rig_commit(r);
    rig_walk(r, 8000);
}

/*
 * An expiry whose host event has not run reads as the value before zero.
 * The next transaction of the running timer, empty or not, accounts for
 * it at its begin and delivers it at its commit; without one, the late
 * host event does.
 */
static void sc_overdue(Rig *r)
{
    uint64_t calls;

    rig_begin(r);
    rig_set_period(r, 1000);
    rig_set_limit(r, 3, true);
    rig_run(r, false);
    rig_commit(r);
    rig_walk(r, 1000);
    rig_warp(r, m_end_ns(&r->m) - vclock_ns + 400);
    calls = r->calls;
    rig_flush(r);
    RIG_EXPECT(r, "calls after an empty transaction", r->calls, ==,
               calls + 1);
    rig_walk(r, 1500);
    /* overdue again, no transaction: the host event delivers it */
    rig_warp(r, m_end_ns(&r->m) - vclock_ns + 300);
    calls = r->calls;
    rig_step(r, 0);
    RIG_EXPECT(r, "calls after the host event", r->calls, ==, calls + 1);
    rig_walk(r, 1500);
    /* two ends overdue; the late host event accounts for both */
    rig_warp(r, m_end_ns(&r->m) - vclock_ns + 4200);
    rig_step(r, 0);
    rig_walk(r, 5000);
    /* the same, delivered by an empty transaction */
    rig_warp(r, m_end_ns(&r->m) - vclock_ns + 4200);
    rig_flush(r);
    rig_walk(r, 5000);
    /* overdue, then changes: the ends are accounted for before them */
    rig_warp(r, m_end_ns(&r->m) - vclock_ns + 2700);
    rig_begin(r);
    rig_set_count(r, 2);
    rig_commit(r);
    rig_walk(r, 5000);
    rig_warp(r, m_end_ns(&r->m) - vclock_ns + 1900);
    rig_begin(r);
    rig_stop(r);
    rig_commit(r);
    rig_walk(r, 2000);
}

/* Several changes in one bracket: applied once, one trigger at most */
static void sc_one_bracket(Rig *r)
{
    rig_begin(r);
    rig_set_period(r, 1000);
    rig_set_limit(r, 5, true);
    rig_set_count(r, 0);
    rig_run(r, false);
    rig_set_count(r, 0);
    rig_commit(r);
    rig_walk(r, 7000);
    rig_begin(r);
    rig_set_count(r, 0);
    rig_set_limit(r, 0, true);
    rig_set_limit(r, 2, false);
    rig_commit(r);
    rig_walk(r, 7000);
    rig_begin(r);
    rig_set_freq(r, 3000000);
    rig_set_limit(r, 3, true);
    rig_set_count(r, 4);
    rig_run(r, true);
    rig_commit(r);
    rig_walk(r, 3000);
}

/* A fast timer in coalesced mode: exact reads, exact expiry total */
static void sc_fast(Rig *r)
{
    rig_begin(r);
    rig_set_period(r, 10);
    rig_set_limit(r, 3, true);
    rig_run(r, false);
    rig_commit(r);
    rig_walk(r, 25000);
    /* an empty transaction delivers every expiry due */
    rig_flush(r);
    /* the host event overdue: reads stay exact */
    rig_warp(r, 23457);
    rig_flush(r);
    rig_walk(r, 5000);
    rig_warp(r, 31111);
    rig_step(r, 0);
    rig_begin(r);
    rig_set_limit(r, 0, true);
    rig_commit(r);
    rig_walk(r, 25000);
    rig_warp(r, 12345);
    rig_touch(r);
    RIG_EXPECT(r, "expiries after a change", r->expiries, ==, r->m.triggers);
    /*
     * 55 us walked in three walks (one call more each at most), four
     * commits that deliver (two empty, the zero load, a change), one late
     * host event
     */
    RIG_EXPECT(r, "callback bound", r->calls, <=, 55000 / 10000 + 3 + 4 + 1);
}

static void run_case(gconstpointer data)
{
    const Case *c = data;
    Rig r;

    rig_init(&r, c->policy, c->mode);
    c->fn(&r);
    rig_fini(&r);
}

static const struct {
    const char *name;
    void (*fn)(Rig *r);
    int mode;
} scenarios[] = {
    { "oneshot", sc_oneshot, MODE_QTEST },
    { "periodic", sc_periodic, MODE_QTEST },
    { "set-count", sc_set_count, MODE_QTEST },
    { "set-limit", sc_set_limit, MODE_ICOUNT },
    { "period-change", sc_period_change, MODE_QTEST },
    { "stop-restart", sc_stop_restart, MODE_QTEST },
    { "mode-change", sc_mode_change, MODE_ICOUNT },
    { "limit-zero", sc_limit_zero, MODE_QTEST },
    { "zero-start", sc_zero_start, MODE_QTEST },
    { "frozen", sc_frozen, MODE_QTEST },
    { "overdue", sc_overdue, MODE_QTEST },
    { "one-bracket", sc_one_bracket, MODE_QTEST },
    { "fast-coalesced", sc_fast, MODE_COALESCED },
};

static void add_policy_cases(void)
{
    unsigned i, j;

    for (i = 0; i < ARRAY_SIZE(scenarios); i++) {
        for (j = 0; j < n_valid_policies; j++) {
            Case *c = g_new0(Case, 1);
            g_autofree char *pname = policy_name(valid_policies[j]);
            g_autofree char *path = g_strdup_printf("/ptimer-ng/policy/%s/%s",
                                                    scenarios[i].name, pname);

            c->policy = valid_policies[j];
            c->mode = scenarios[i].mode;
            c->fn = scenarios[i].fn;
            g_test_add_data_func(path, c, run_case);
        }
    }
}

/*
 * ===================================================================
 * 2. Seeded random operation sequences
 *
 * PTIMER_TEST_SEED=<n> in the environment reruns one seed in every case.
 */

#define RANDOM_CASES 72
#define RANDOM_OPS 10000

/* xorshift32: fixed, reproducible on every host */
static uint32_t rnd_next(uint32_t *s)
{
    uint32_t x = *s;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

static uint32_t rnd(uint32_t *s, uint32_t n)
{
    return n ? rnd_next(s) % n : 0;
}

static void random_period(Rig *r, uint32_t *s)
{
    static const int64_t periods[] = { 1, 2, 7, 10, 100, 333, 999, 1000,
                                       4096, 12345 };
    static const uint32_t freqs[] = { 1000000, 3000000, 32768, 7, 12000000,
                                      1000000000, 999999937, 33333333 };

    switch (rnd(s, 8)) {
    case 0:
        rig_set_period(r, periods[rnd(s, ARRAY_SIZE(periods))]);
        break;
    case 1:
        rig_set_period(r, 1 + rnd(s, 3000));
        break;
    case 2:
        rig_set_freq(r, freqs[rnd(s, ARRAY_SIZE(freqs))]);
        break;
    case 3:
        rig_set_freq(r, 100000 + rnd(s, 100000000) * 2 + 1);
        break;
    case 4:
        /* 1..2000 ns clock with a fractional part, divisor 1..8 */
        rig_set_clock(r, ((uint64_t)1 << 32) +
                      (uint64_t)rnd(s, 2000) * rnd_next(s),
                      1 + rnd(s, 8));
        break;
    case 5:
        rig_set_clock(r, CLOCK_PERIOD_FROM_HZ(1 + rnd(s, 50000000)),
                      rnd(s, 3) ? 1 + rnd(s, 4) : 0);
        break;
    case 6:
        if (rnd(s, 2)) {
            rig_set_period(r, rnd(s, 2) ? 0 : -(int64_t)rnd(s, 1000));
        } else {
            rig_set_freq(r, 0);
        }
        break;
    default:
        /* the period the timer has, written another way */
        if (!r->m.pnum) {
            rig_set_clock(r, 0, 1);
        } else if (((i128)1 << 32) % r->m.pden == 0 &&
                   r->m.pnum < ((i128)1 << 31)) {
            rig_set_clock(r, r->m.pnum * (((i128)1 << 32) / r->m.pden), 1);
        } else if ((r->m.pden * 1000000000) % r->m.pnum == 0 &&
                   (r->m.pden * 1000000000) / r->m.pnum <= UINT32_MAX) {
            rig_set_freq(r, (r->m.pden * 1000000000) / r->m.pnum);
        } else {
            rig_check(r);
        }
        break;
    }
}

static uint64_t random_count(uint32_t *s)
{
    switch (rnd(s, 6)) {
    case 0:
        return 0;
    case 1:
        return 1;
    case 2:
        return 1000 + rnd(s, 100);
    default:
        return rnd(s, 20);
    }
}

static void random_op(Rig *r, uint32_t *s)
{
    int64_t p = m_period_ns(&r->m);
    uint64_t span = p * (MAX(r->m.l, 3) + 2);

    switch (rnd(s, 16)) {
    case 0:
    case 1:
        rig_step(r, rnd(s, 3 * p + 1));
        break;
    case 2:
    case 3:
        if (m_ticking(&r->m)) {
            int64_t ev = m_end_ns(&r->m) - 1 + rnd(s, 3);

            rig_step(r, MAX(ev - vclock_ns, 0));
        } else {
            rig_step(r, rnd(s, 1000));
        }
        break;
    case 4:
        rig_step(r, rnd(s, MIN(3 * span, 400000) + 1));
        break;
    case 5:
        rig_begin(r);
        rig_set_count(r, random_count(s));
        rig_commit(r);
        break;
    case 6:
        rig_begin(r);
        rig_set_limit(r, random_count(s), rnd(s, 2));
        rig_commit(r);
        break;
    case 7:
        rig_begin(r);
        random_period(r, s);
        rig_commit(r);
        break;
    case 8:
        rig_begin(r);
        rig_run(r, rnd(s, 2));
        rig_commit(r);
        break;
    case 9:
        rig_begin(r);
        rig_stop(r);
        rig_commit(r);
        break;
    case 10:
        rig_begin(r);
        rig_stop(r);
        rig_run(r, rnd(s, 2));
        rig_commit(r);
        break;
    case 11:
        /*
         * period, limit, count, run: in an order that reads no count;
         * the count read between the changes too
         */
        rig_begin(r);
        rig_check_count(r);
        if (rnd(s, 2)) {
            random_period(r, s);
            rig_check_count(r);
        }
        if (rnd(s, 2)) {
            rig_set_limit(r, random_count(s), rnd(s, 2));
            rig_check_count(r);
        }
        if (rnd(s, 2)) {
            rig_set_count(r, random_count(s));
            rig_check_count(r);
        }
        if (rnd(s, 2)) {
            rig_run(r, rnd(s, 2));
            rig_check_count(r);
        }
        rig_commit(r);
        break;
    case 12:
        if (rnd(s, 2)) {
            rig_flush(r);
        } else {
            rig_touch(r);
        }
        break;
    case 13:
        if (m_ticking(&r->m) && (r->exact || m_fast(&r->m))) {
            int64_t ev = m_end_ns(&r->m);

            rig_warp(r, ev - vclock_ns + rnd(s, 2 * span));
            switch (rnd(s, 4)) {
            case 0:
                rig_flush(r);
                break;
            case 1:
                rig_touch(r);
                break;
            default:
                break;
            }
        }
        break;
    case 14:
        rig_begin(r);
        if (r->exact && !rnd(s, 4)) {
            /* time passes between the begin and the first change */
            rig_warp(r, rnd(s, span + 1));
        }
        rig_begin(r);
        rig_set_count(r, random_count(s));
        rig_commit(r);
        if (r->exact && rnd(s, 2)) {
            /* time passes inside the transaction: its instant stays */
            rig_warp(r, rnd(s, span + 1));
            rig_set_limit(r, random_count(s), rnd(s, 2));
        }
        rig_commit(r);
        break;
    default:
        rig_check(r);
        break;
    }
}

static void run_random(gconstpointer data)
{
    uintptr_t idx = (uintptr_t)data;
    const char *env = g_getenv("PTIMER_TEST_SEED");
    unsigned int seed = 0x9e3779b9u * (idx + 1);
    uint32_t s;
    int mode = idx % 3;
    uint8_t policy;
    Rig r;
    int i;

    if (env) {
        g_assert_cmpint(qemu_strtoui(env, NULL, 0, &seed), ==, 0);
    }
    s = seed ? seed : 1;
    policy = valid_policies[rnd(&s, n_valid_policies)];
    rig_init(&r, policy, mode);
    r.seed = seed;
    rig_begin(&r);
    rig_set_period(&r, 1000);
    rig_commit(&r);
    for (i = 0; i < RANDOM_OPS; i++) {
        random_op(&r, &s);
    }
    rig_flush(&r);
    RIG_EXPECT(&r, "expiries at end", r.expiries, ==, r.m.triggers);
    rig_fini(&r);
}

static void add_random_cases(void)
{
    uintptr_t i;

    for (i = 0; i < RANDOM_CASES; i++) {
        g_autofree char *path = g_strdup_printf("/ptimer-ng/random/%s/%02u",
                                                mode_names[i % 3],
                                                (unsigned)i);

        g_test_add_data_func(path, (void *)i, run_random);
    }
}

/*
 * ===================================================================
 * 3. Transactions and callbacks
 */

/* A new rig under qtest, running periodic from @count in one transaction */
static void rig_start_periodic(Rig *r, uint8_t policy, int64_t period,
                               uint64_t limit, uint64_t count)
{
    rig_init(r, policy, MODE_QTEST);
    rig_begin(r);
    rig_set_period(r, period);
    rig_set_limit(r, limit, false);
    rig_set_count(r, count);
    rig_run(r, false);
    rig_commit(r);
}

/* Common set-up: LEGACY unless told, period 1000 ns, periodic */
static void txn_start(Rig *r, uint8_t policy, uint64_t limit, uint64_t count)
{
    rig_start_periodic(r, policy, 1000, limit, count);
    r->records = g_array_new(false, false, sizeof(CbRecord));
}

static int64_t cb_time(Rig *r, unsigned i)
{
    g_assert_cmpuint(i, <, r->records->len);
    return g_array_index(r->records, CbRecord, i).t;
}

static void hook_nested_txn(Rig *r)
{
    ptimer_transaction_begin(r->pt);
    ptimer_set_limit(r->pt, 20, 0);
    ptimer_transaction_begin(r->pt);
    ptimer_transaction_commit(r->pt);
    ptimer_transaction_commit(r->pt);
}

/*
 * The callback opens its own (nested) transaction: no assertion, and the
 * change applies after the callback, at the next reload.
 */
static void test_txn_nested_in_callback(void)
{
    Rig r;

    txn_start(&r, PTIMER_POLICY_LEGACY, 10, 3);
    r.model = false;
    r.hook = hook_nested_txn;
    clock_run_to(T0 + 3000 + 10000 + 20000 + 1);
    g_assert_cmpuint(r.calls, ==, 3);
    g_assert_cmpint(cb_time(&r, 0), ==, T0 + 3000);
    /* the reload at the first expiry used the old limit */
    g_assert_cmpint(cb_time(&r, 1), ==, T0 + 13000);
    g_assert_cmpint(cb_time(&r, 2), ==, T0 + 33000);
    g_assert_cmpuint(ptimer_get_limit(r.pt), ==, 20);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 19);
    rig_check(&r);
    rig_fini(&r);
}

static void hook_set_count_5(Rig *r)
{
    ptimer_set_count(r->pt, 5);
}

/* The callback calls a mutator directly: it restarts the count there */
static void test_txn_mutator_in_callback(void)
{
    Rig r;

    txn_start(&r, PTIMER_POLICY_LEGACY, 10, 3);
    r.model = false;
    r.hook = hook_set_count_5;
    clock_run_to(T0 + 3000);
    g_assert_cmpuint(r.calls, ==, 1);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 5);
    clock_run_to(T0 + 3000 + 1);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 4);
    clock_run_to(T0 + 3000 + 5000 - 1);
    g_assert_cmpuint(r.calls, ==, 1);
    clock_run_to(T0 + 3000 + 5000);
    g_assert_cmpuint(r.calls, ==, 2);
    g_assert_cmpint(cb_time(&r, 1), ==, T0 + 8000);
    rig_check(&r);
    rig_fini(&r);
}

static GString *order_log;

static void hook_rearm_once(Rig *r)
{
    g_string_append_printf(order_log, "enter%d(%" PRIu64 ") ", r->hook_calls,
                           ptimer_get_expiries(r->pt));
    if (r->hook_calls == 1) {
        /* LEGACY: loading 0 triggers at once and reloads the limit */
        ptimer_set_count(r->pt, 0);
    }
    g_string_append_printf(order_log, "exit%d ", r->hook_calls);
}

/*
 * A callback whose changes cause a new trigger is called again after it
 * returns, never recursively, at the same instant.
 */
static void test_txn_rearm_order(void)
{
    Rig r;

    order_log = g_string_new(NULL);
    txn_start(&r, PTIMER_POLICY_LEGACY, 10, 3);
    r.model = false;
    r.hook = hook_rearm_once;
    clock_run_to(T0 + 3000);
    g_assert_cmpstr(order_log->str, ==,
                    "enter1(1) exit1 enter2(1) exit2 ");
    g_assert_cmpint(r.cb_max_depth, ==, 1);
    g_assert_cmpint(cb_time(&r, 1), ==, T0 + 3000);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 10);
    clock_run_to(T0 + 13000);
    g_assert_cmpuint(r.calls, ==, 3);
    g_assert_cmpint(cb_time(&r, 2), ==, T0 + 13000);
    rig_check(&r);
    rig_fini(&r);
    g_string_free(order_log, true);
}

/*
 * Many changes that each would trigger, inside one bracket, deliver
 * exactly one trigger at the commit.
 */
static void test_txn_one_trigger(void)
{
    Rig r;

    rig_init(&r, PTIMER_POLICY_LEGACY, MODE_QTEST);
    rig_begin(&r);
    rig_set_period(&r, 1000);
    rig_set_limit(&r, 5, true);
    rig_set_count(&r, 0);
    rig_run(&r, false);
    rig_set_count(&r, 0);
    rig_set_limit(&r, 0, true);
    rig_set_limit(&r, 5, false);
    g_assert_cmpuint(r.calls, ==, 0);
    rig_commit(&r);
    g_assert_cmpuint(r.calls, ==, 1);
    g_assert_cmpuint(r.expiries, ==, 1);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 5);
    rig_walk(&r, 12000);
    rig_fini(&r);
}

/*
 * An expiry that is overdue (host event not run) reads as "just before
 * zero"; the next begin of the running timer accounts for it and
 * delivers it there, before the device's changes (as the host event
 * would have, had it run on time), and the stale host event does not
 * deliver it twice.
 */
static void test_txn_overdue(gconstpointer data)
{
    uint8_t policy = (uintptr_t)data;
    bool nrd = policy & P_NRD;
    Rig r;

    txn_start(&r, policy, 10, 10);
    clock_warp(10000 + 500);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, nrd ? 1 : 0);
    ptimer_transaction_begin(r.pt);
    r.in_dev_txn = true;
    /* delivered by the begin, before any change */
    g_assert_cmpuint(r.calls, ==, 1);
    g_assert_cmpuint(r.expiries, ==, 1);
    /* accounted: reloaded at T0 + 10000 exactly */
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, nrd ? 10 : 9);
    ptimer_set_limit(r.pt, 10, 0);
    r.in_dev_txn = false;
    ptimer_transaction_commit(r.pt);
    g_assert_cmpuint(r.calls, ==, 1);
    g_assert_cmpuint(r.expiries, ==, 1);
    g_assert_false(r.cb_in_dev_txn);
    clock_run_to(T0 + 20000 - 1);
    g_assert_cmpuint(r.calls, ==, 1);
    clock_run_to(T0 + 20000);
    g_assert_cmpuint(r.calls, ==, 2);
    g_assert_cmpint(cb_time(&r, 1), ==, T0 + 20000);
    rig_fini(&r);
}

/*
 * An empty begin/commit pair of a running timer takes the instant at the
 * begin: an overdue expiry is accounted for and delivered there, once
 * (inside the pair the count reads the reloaded value), with nested pairs
 * too; the stale host event does not deliver it again.
 * Without a transaction, the host event delivers it when it runs.  An
 * empty pair of a stopped timer reads no clock and does nothing.
 */
static void test_txn_empty(gconstpointer data)
{
    uint8_t policy = (uintptr_t)data;
    uint64_t before_zero = !!(policy & P_NRD);
    uint64_t reloaded = (policy & P_NRD) ? 10 : 9;
    uint64_t reads, calls;
    Rig r;

    txn_start(&r, policy, 10, 10);
    rig_warp(&r, 10000 + 500);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, before_zero);
    rig_begin(&r);
    g_assert_cmpuint(r.calls, ==, 1);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, reloaded);
    rig_begin(&r);
    rig_commit(&r);
    g_assert_cmpuint(r.calls, ==, 1);
    rig_commit(&r);
    g_assert_cmpuint(r.calls, ==, 1);
    g_assert_cmpuint(r.expiries, ==, 1);
    g_assert_cmpint(cb_time(&r, 0), ==, T0 + 10500);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, reloaded);
    rig_step(&r, 20000 - 1 - 10500);
    g_assert_cmpuint(r.calls, ==, 1);

    /* overdue again, no transaction: the host event delivers it */
    rig_warp(&r, 1 + 700);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, before_zero);
    rig_step(&r, 0);
    g_assert_cmpuint(r.calls, ==, 2);
    g_assert_cmpint(cb_time(&r, 1), ==, T0 + 20700);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, reloaded);
    rig_walk(&r, 25000);

    /* stopped */
    rig_begin(&r);
    rig_stop(&r);
    rig_commit(&r);
    calls = r.calls;
    reads = vclock_reads;
    ptimer_transaction_begin(r.pt);
    ptimer_transaction_begin(r.pt);
    ptimer_transaction_commit(r.pt);
    ptimer_transaction_commit(r.pt);
    g_assert_cmpuint(vclock_reads, ==, reads);
    g_assert_cmpuint(r.calls, ==, calls);
    rig_flush(&r);
    rig_step(&r, 50000);
    g_assert_cmpuint(r.calls, ==, calls);
    rig_fini(&r);
}

/*
 * ptimer_set_count_in_phase(): two timers of the same period and start,
 * one loaded with ptimer_set_count() and one with the in-phase load,
 * in the same instant part way through a period.
 */
static unsigned phase_calls[2];
static int64_t phase_at[2];

static void phase_cb(void *opaque)
{
    unsigned i = (uintptr_t)opaque;

    phase_calls[i]++;
    phase_at[i] = vclock_ns;
}

static void phase_pair(ptimer_state *pt[2], uint8_t policy, uint32_t freq,
                       int64_t period, uint64_t limit)
{
    unsigned i;

    for (i = 0; i < 2; i++) {
        pt[i] = ptimer_init(phase_cb, (void *)(uintptr_t)i, policy);
        phase_calls[i] = 0;
        ptimer_transaction_begin(pt[i]);
        if (freq) {
            ptimer_set_freq(pt[i], freq);
        } else {
            ptimer_set_period(pt[i], period);
        }
        ptimer_set_limit(pt[i], limit, 1);
        ptimer_run(pt[i], 0);
        ptimer_transaction_commit(pt[i]);
    }
}

/* pt[0] gets ptimer_set_count(@count), pt[1] the in-phase load */
static void phase_load(ptimer_state *pt[2], uint64_t count)
{
    ptimer_transaction_begin(pt[0]);
    ptimer_set_count(pt[0], count);
    ptimer_transaction_commit(pt[0]);
    ptimer_transaction_begin(pt[1]);
    ptimer_set_count_in_phase(pt[1], count);
    ptimer_transaction_commit(pt[1]);
}

static void phase_free(ptimer_state *pt[2])
{
    ptimer_free(pt[0]);
    ptimer_free(pt[1]);
}

/*
 * Period 10 ns from T: loaded with 50 at T + 25, the in-phase timer keeps
 * its boundaries (T + 30, T + 40, ...) and ends at T + 20 + 500; the
 * other restarts its period at T + 25 and ends at T + 525.
 */
static void test_count_in_phase(void)
{
    int64_t t = vclock_ns;
    ptimer_state *pt[2];

    phase_pair(pt, P_NRD, 0, 10, 1000);
    clock_run_to(t + 25);
    phase_load(pt, 50);
    g_assert_cmpuint(ptimer_get_count(pt[0]), ==, 50);
    g_assert_cmpuint(ptimer_get_count(pt[1]), ==, 50);
    clock_run_to(t + 30);
    g_assert_cmpuint(ptimer_get_count(pt[1]), ==, 50);
    clock_run_to(t + 31);
    g_assert_cmpuint(ptimer_get_count(pt[0]), ==, 50);
    g_assert_cmpuint(ptimer_get_count(pt[1]), ==, 49);
    clock_run_to(t + 519);
    g_assert_cmpuint(phase_calls[1], ==, 0);
    clock_run_to(t + 520);
    g_assert_cmpuint(phase_calls[1], ==, 1);
    g_assert_cmpint(phase_at[1], ==, t + 520);
    g_assert_cmpuint(phase_calls[0], ==, 0);
    clock_run_to(t + 525);
    g_assert_cmpuint(phase_calls[0], ==, 1);
    g_assert_cmpint(phase_at[0], ==, t + 525);
    phase_free(pt);
}

/*
 * A load at the very end of a period (T + 30): with NO_COUNTER_ROUND_DOWN
 * the count there is still the one of the period (T + 20, T + 30], so
 * that period is the one kept, and its end decrements the new count
 * (expiry at T + 520); rounding down, T + 30 starts the next period
 * (expiry at T + 530, as for ptimer_set_count()).
 */
static void test_count_in_phase_edge(void)
{
    int64_t t = vclock_ns;
    ptimer_state *pt[2];

    phase_pair(pt, P_NRD, 0, 10, 1000);
    clock_run_to(t + 30);
    g_assert_cmpuint(ptimer_get_count(pt[1]), ==, 998);
    phase_load(pt, 50);
    g_assert_cmpuint(ptimer_get_count(pt[1]), ==, 50);
    clock_run_to(t + 31);
    g_assert_cmpuint(ptimer_get_count(pt[1]), ==, 49);
    g_assert_cmpuint(ptimer_get_count(pt[0]), ==, 50);
    clock_run_to(t + 520);
    g_assert_cmpuint(phase_calls[1], ==, 1);
    g_assert_cmpint(phase_at[1], ==, t + 520);
    phase_free(pt);

    t = vclock_ns;
    phase_pair(pt, PTIMER_POLICY_LEGACY, 0, 10, 1000);
    clock_run_to(t + 30);
    phase_load(pt, 50);
    clock_run_to(t + 530);
    g_assert_cmpuint(phase_calls[0], ==, 1);
    g_assert_cmpuint(phase_calls[1], ==, 1);
    g_assert_cmpint(phase_at[1], ==, t + 530);
    phase_free(pt);
}

/*
 * At 24 MHz (125/3 ns) the phase is a fraction of a ns: 24 ticks end at
 * T + 1000 exactly, so a load of 10 at T + 1010 ends at T + 1416 2/3
 * (host event T + 1417), not at T + 1426 2/3.
 */
static void test_count_in_phase_fraction(void)
{
    int64_t t = vclock_ns;
    ptimer_state *pt[2];

    phase_pair(pt, 0, 24000000, 0, 100000);
    clock_run_to(t + 1010);
    phase_load(pt, 10);
    clock_run_to(t + 1416);
    g_assert_cmpuint(phase_calls[1], ==, 0);
    clock_run_to(t + 1417);
    g_assert_cmpuint(phase_calls[1], ==, 1);
    clock_run_to(t + 1426);
    g_assert_cmpuint(phase_calls[0], ==, 0);
    clock_run_to(t + 1427);
    g_assert_cmpuint(phase_calls[0], ==, 1);
    phase_free(pt);
}

/*
 * A zero load in phase triggers at once (LEGACY) and reloads the limit
 * from the start of the period: period 10, limit 1000 (a 10 us cycle,
 * not coalesced), loaded at T + 25: next expiry at T + 20 + 10000.
 */
static void test_count_in_phase_zero(void)
{
    int64_t t = vclock_ns;
    ptimer_state *pt[2];

    phase_pair(pt, PTIMER_POLICY_LEGACY, 0, 10, 1000);
    clock_run_to(t + 25);
    phase_load(pt, 0);
    g_assert_cmpuint(phase_calls[0], ==, 1);
    g_assert_cmpuint(phase_calls[1], ==, 1);
    clock_run_to(t + 10019);
    g_assert_cmpuint(phase_calls[1], ==, 1);
    clock_run_to(t + 10020);
    g_assert_cmpuint(phase_calls[1], ==, 2);
    g_assert_cmpuint(phase_calls[0], ==, 1);
    clock_run_to(t + 10025);
    g_assert_cmpuint(phase_calls[0], ==, 2);
    phase_free(pt);
}

/*
 * No phase to keep: a stopped timer takes the count, as with
 * ptimer_set_count(), and so does a timer whose period changed in the
 * same transaction.
 */
static void test_count_in_phase_fallback(void)
{
    int64_t t = vclock_ns;
    ptimer_state *pt = ptimer_init(phase_cb, NULL, P_NRD);

    ptimer_transaction_begin(pt);
    ptimer_set_period(pt, 10);
    ptimer_set_count_in_phase(pt, 7);
    ptimer_transaction_commit(pt);
    g_assert_cmpuint(ptimer_get_count(pt), ==, 7);
    clock_run_to(t + 25);
    ptimer_transaction_begin(pt);
    ptimer_run(pt, 1);
    ptimer_transaction_commit(pt);
    clock_run_to(t + 35);
    g_assert_cmpuint(ptimer_get_count(pt), ==, 7);
    clock_run_to(t + 36);
    g_assert_cmpuint(ptimer_get_count(pt), ==, 6);
    /* period change first: the load restarts at the instant, as usual */
    ptimer_transaction_begin(pt);
    ptimer_set_period(pt, 20);
    ptimer_set_count_in_phase(pt, 7);
    ptimer_transaction_commit(pt);
    clock_run_to(t + 56);
    g_assert_cmpuint(ptimer_get_count(pt), ==, 7);
    clock_run_to(t + 57);
    g_assert_cmpuint(ptimer_get_count(pt), ==, 6);
    ptimer_free(pt);
}

/*
 * ptimer_deliver_due(): an expiry whose timer event has not run yet is
 * delivered by the call, with the count reloaded; nothing is delivered
 * twice, nothing before it is due, nothing inside a transaction.
 */
static void test_txn_deliver_due(void)
{
    Rig r;

    rig_start_periodic(&r, P_NRD, 10, 5, 5);
    clock_warp(49);
    ptimer_deliver_due(r.pt);
    g_assert_cmpuint(r.calls, ==, 0);
    clock_warp(4);              /* due at +50, its event not run */
    rig_begin(&r);
    ptimer_deliver_due(r.pt);   /* nested: the begin delivered it */
    g_assert_cmpuint(r.calls, ==, 1);
    rig_commit(&r);
    clock_warp(50);             /* due again at +100 */
    ptimer_deliver_due(r.pt);
    g_assert_cmpuint(r.calls, ==, 2);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 5);
    ptimer_deliver_due(r.pt);
    g_assert_cmpuint(r.calls, ==, 2);
    clock_run_to(vclock_ns);    /* the host event, late: nothing more */
    g_assert_cmpuint(r.calls, ==, 2);
    rig_fini(&r);
}

/*
 * All changes of a transaction happen at one instant: that of the
 * outermost begin for a running timer, that of the commit that starts a
 * stopped one, even when the clock moves on in between.
 */
static void test_txn_instant(void)
{
    uint64_t reads;
    Rig r;

    txn_start(&r, PTIMER_POLICY_LEGACY, 10, 10);
    rig_step(&r, 9000);
    /* begun before the end at T0 + 10000: not accounted for by the change */
    rig_begin(&r);
    rig_warp(&r, 1500);
    rig_set_limit(&r, 10, false);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 0);
    rig_commit(&r);
    g_assert_cmpuint(r.calls, ==, 0);
    /* its host event, overdue, delivers it */
    rig_step(&r, 0);
    g_assert_cmpuint(r.calls, ==, 1);
    g_assert_cmpint(cb_time(&r, 0), ==, T0 + 10500);

    /*
     * Begun at T0 + 19500; the end at T0 + 20000 passes before the change,
     * which still loads at T0 + 19500: that end never comes.
     */
    rig_step(&r, 9000);
    rig_begin(&r);
    rig_warp(&r, 1000);
    rig_set_count(&r, 4);
    rig_commit(&r);
    g_assert_cmpuint(r.calls, ==, 1);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 3);
    rig_step(&r, 23500 - 1 - 20500);
    g_assert_cmpuint(r.calls, ==, 1);
    rig_step(&r, 1);
    g_assert_cmpuint(r.calls, ==, 2);
    g_assert_cmpint(cb_time(&r, 1), ==, T0 + 23500);

    /*
     * stopped: no clock read at the begin; the commit that starts it
     * starts counting at its own instant
     */
    rig_begin(&r);
    rig_stop(&r);
    rig_commit(&r);
    reads = vclock_reads;
    rig_begin(&r);
    g_assert_cmpuint(vclock_reads, ==, reads);
    rig_warp(&r, 700);
    rig_set_count(&r, 5);
    rig_warp(&r, 300);
    rig_run(&r, true);
    rig_commit(&r);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 5);
    rig_step(&r, 1);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 4);
    rig_step(&r, 24500 + 5000 - 2 - 24500);
    g_assert_cmpuint(r.calls, ==, 2);
    rig_step(&r, 1);
    g_assert_cmpuint(r.calls, ==, 3);
    g_assert_cmpint(cb_time(&r, 2), ==, T0 + 29500);
    rig_walk(&r, 20000);
    rig_fini(&r);
}

/*
 * Overdue expiries and an immediate trigger in the same transaction: the
 * overdue ones are delivered by the begin, in one callback standing for
 * all of them, the trigger of the change by the commit.
 */
static void test_txn_overdue_and_load(void)
{
    Rig r;

    txn_start(&r, PTIMER_POLICY_LEGACY, 2, 2);
    rig_walk(&r, 1500);
    /* three ends overdue: T0 + 2000, 4000, 6000 */
    rig_warp(&r, 5000);
    rig_begin(&r);
    g_assert_cmpuint(r.calls, ==, 1);
    g_assert_cmpuint(r.expiries, ==, 3);
    rig_set_count(&r, 0);
    rig_commit(&r);
    g_assert_cmpuint(r.calls, ==, 2);
    g_assert_cmpuint(r.expiries, ==, 4);
    rig_walk(&r, 5000);
    rig_fini(&r);
}

/*
 * The overdue window as a device meets it (Linux's exynos_mct driver on a
 * busy host: the tick's QEMUTimer has not run yet when the driver stops
 * the tick, loads a new count and starts it again).  The device below
 * keeps its own state beside the timer, as MCT and i.MX EPIT do: an
 * "enabled" bit, the count it loaded last ("armed") and the expiries it
 * has seen.  Its callback must see the state in which the expiry
 * happened: the timer enabled, the count it loaded still the one that
 * expired.  It must never run after the device disabled or reprogrammed
 * the timer, and the device must never see a rolled-over count with no
 * expiry recorded.
 */
typedef struct LateDev {
    ptimer_state *pt;
    bool enabled;
    uint64_t armed;         /* count loaded by the device last */
    uint64_t seen;          /* expiries the callback has recorded */
    unsigned calls;
    unsigned bad_calls;     /* callbacks after a disable or a reload */
    uint64_t cb_armed;
    int64_t cb_t;
    bool in_txn;
} LateDev;

static void late_dev_cb(void *opaque)
{
    LateDev *d = opaque;

    d->calls++;
    d->seen += ptimer_get_expiries(d->pt);
    d->cb_armed = d->armed;
    d->cb_t = vclock_ns;
    if (!d->enabled || d->in_txn) {
        d->bad_calls++;
    }
}

static void late_dev_init(LateDev *d, uint8_t policy, bool oneshot,
                          uint64_t count)
{
    memset(d, 0, sizeof(*d));
    g_assert_false(host_timer_pending());
    set_mode(MODE_QTEST);
    vclock_ns = T0;
    d->pt = ptimer_init(late_dev_cb, d, policy);
    ptimer_transaction_begin(d->pt);
    ptimer_set_period(d->pt, 1000);
    ptimer_set_limit(d->pt, count, 1);
    ptimer_run(d->pt, oneshot);
    ptimer_transaction_commit(d->pt);
    d->enabled = true;
    d->armed = count;
}

/* The device's register write handler: begin, change state, commit */
static void late_dev_begin(LateDev *d)
{
    ptimer_transaction_begin(d->pt);
    d->in_txn = true;
}

static void late_dev_commit(LateDev *d)
{
    d->in_txn = false;
    ptimer_transaction_commit(d->pt);
}

static void late_dev_fini(LateDev *d)
{
    ptimer_free(d->pt);
    g_assert_false(host_timer_pending());
}

/* Overdue, then the device disables the timer: delivered before that */
static void test_late_stop(gconstpointer data)
{
    bool oneshot = (uintptr_t)data;
    LateDev d;

    late_dev_init(&d, PTIMER_POLICY_LEGACY, oneshot, 10);
    /* the end at T0 + 10000 passes, its host event does not run */
    clock_warp(10000 + 700);
    late_dev_begin(&d);
    g_assert_cmpuint(d.calls, ==, 1);
    g_assert_cmpuint(d.seen, ==, 1);
    d.enabled = false;
    ptimer_stop(d.pt);
    late_dev_commit(&d);
    g_assert_cmpuint(d.calls, ==, 1);
    g_assert_cmpuint(d.bad_calls, ==, 0);
    g_assert_cmpint(d.cb_t, ==, T0 + 10700);
    /* stopped where the expiry left it; nothing comes later */
    g_assert_cmpuint(ptimer_get_count(d.pt), ==, oneshot ? 0 : 9);
    clock_run_to(T0 + 100000);
    g_assert_cmpuint(d.calls, ==, 1);
    late_dev_fini(&d);
}

/*
 * Overdue, then stop / load a new count / start in one transaction (the
 * MCT driver's tick_stop, ICNTB write, tick_start): the late expiry is
 * delivered for the old count, before the reload, and the new count then
 * runs in full from the instant of the write.
 */
static void test_late_stop_load_start(gconstpointer data)
{
    bool oneshot = (uintptr_t)data;
    LateDev d;

    late_dev_init(&d, PTIMER_POLICY_LEGACY, oneshot, 10);
    clock_warp(10000 + 700);
    late_dev_begin(&d);
    d.enabled = false;
    ptimer_stop(d.pt);
    ptimer_set_limit(d.pt, 4, 1);
    d.armed = 4;
    ptimer_run(d.pt, oneshot);
    d.enabled = true;
    late_dev_commit(&d);
    g_assert_cmpuint(d.calls, ==, 1);
    g_assert_cmpuint(d.bad_calls, ==, 0);
    g_assert_cmpuint(d.cb_armed, ==, 10);
    g_assert_cmpuint(d.seen, ==, 1);
    g_assert_cmpuint(ptimer_get_count(d.pt), ==, 4);
    clock_run_to(T0 + 10700 + 4000 - 1);
    g_assert_cmpuint(d.calls, ==, 1);
    clock_run_to(T0 + 10700 + 4000);
    g_assert_cmpuint(d.calls, ==, 2);
    g_assert_cmpuint(d.cb_armed, ==, 4);
    g_assert_cmpint(d.cb_t, ==, T0 + 14700);
    g_assert_cmpuint(d.bad_calls, ==, 0);
    late_dev_begin(&d);
    d.enabled = false;
    ptimer_stop(d.pt);
    late_dev_commit(&d);
    clock_run_to(T0 + 100000);
    g_assert_cmpuint(d.calls, ==, 2);
    late_dev_fini(&d);
}

/*
 * Inside the device's transaction the count and the expiries it has seen
 * agree: once the begin has reloaded an overdue periodic timer, the
 * device has recorded that expiry.
 */
static void test_late_count_vs_status(void)
{
    LateDev d;

    late_dev_init(&d, PTIMER_POLICY_LEGACY, false, 10);
    clock_warp(10000 + 2500);
    /* outside a transaction: not rolled over yet, no expiry seen */
    g_assert_cmpuint(ptimer_get_count(d.pt), ==, 0);
    g_assert_cmpuint(d.seen, ==, 0);
    late_dev_begin(&d);
    /* rolled over at T0 + 10000: the expiry is recorded already */
    g_assert_cmpuint(ptimer_get_count(d.pt), ==, 7);
    g_assert_cmpuint(d.seen, ==, 1);
    late_dev_commit(&d);
    g_assert_cmpuint(d.calls, ==, 1);
    g_assert_cmpuint(d.bad_calls, ==, 0);
    late_dev_begin(&d);
    d.enabled = false;
    ptimer_stop(d.pt);
    late_dev_commit(&d);
    late_dev_fini(&d);
}

static void hook_zero_run(Rig *r)
{
    ptimer_set_count(r->pt, 0);
    ptimer_run(r->pt, 0);
}

static void hook_zero(Rig *r)
{
    ptimer_set_count(r->pt, 0);
}

/*
 * A callback that re-triggers at once forever is cut: one commit calls it
 * PTIMER_MAX_CALLBACK_CHAIN times (the first trigger counts as part of
 * the chain, as ptimer.h and docs/devel/ptimer.rst say), then the timer
 * stops, nothing more happens, and the timer works normally afterwards.
 */
static void test_txn_chain_bound(gconstpointer data)
{
    bool cont = (uintptr_t)data;
    Rig r;

    rig_init(&r, cont ? P_CONT : PTIMER_POLICY_LEGACY, MODE_QTEST);
    r.model = false;
    r.hook = cont ? hook_zero : hook_zero_run;
    ptimer_transaction_begin(r.pt);
    ptimer_set_period(r.pt, 1000);
    ptimer_set_limit(r.pt, 0, 1);
    ptimer_run(r.pt, 0);
    ptimer_transaction_commit(r.pt);
    g_assert_cmpuint(r.calls, ==, PTIMER_MAX_CALLBACK_CHAIN);
    g_assert_cmpint(r.cb_max_depth, ==, 1);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 0);
    clock_run_to(T0 + 100000);
    g_assert_cmpuint(r.calls, ==, PTIMER_MAX_CALLBACK_CHAIN);
    g_assert_false(host_timer_pending());
    /* stopped: a plain restart works again */
    r.hook = NULL;
    ptimer_transaction_begin(r.pt);
    ptimer_set_limit(r.pt, 5, 1);
    ptimer_run(r.pt, 1);
    ptimer_transaction_commit(r.pt);
    clock_run_to(T0 + 100000 + 5000);
    g_assert_cmpuint(r.calls, ==, PTIMER_MAX_CALLBACK_CHAIN + 1);
    rig_fini(&r);
}

/* get_expiries() is 0 outside the callback */
static void test_txn_expiries_outside(void)
{
    Rig r;

    txn_start(&r, PTIMER_POLICY_LEGACY, 10, 3);
    g_assert_cmpuint(ptimer_get_expiries(r.pt), ==, 0);
    rig_step(&r, 3000);
    g_assert_cmpuint(r.calls, ==, 1);
    g_assert_cmpuint(ptimer_get_expiries(r.pt), ==, 0);
    rig_fini(&r);
}

static void nop_cb(void *opaque)
{
}

/* Mutators outside a transaction are a device bug and abort */
static void test_txn_assert_outside(void)
{
    if (g_test_subprocess()) {
        ptimer_state *s = ptimer_init(nop_cb, NULL, 0);

        ptimer_set_count(s, 1);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*changed outside a transaction*");
}

/* NO_IMMEDIATE_TRIGGER with TRIGGER_ONLY_ON_DECREMENT asserts */
static void test_txn_assert_policy(void)
{
    if (g_test_subprocess()) {
        ptimer_init(nop_cb, NULL, P_NIT | P_TOOD);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
}

/*
 * ===================================================================
 * 4. Exactness
 */

#define EXACT_RELOADS 1000000
#define EXACT_LIMIT 1000

typedef struct ExactRun {
    i128 num, den;          /* period */
    uint64_t bad;           /* callbacks away from their exact instant */
    int64_t first_bad;
} ExactRun;

static ExactRun exact_run;

static void hook_exact(Rig *r)
{
    /* expiry k is at T0 + ceil(k * limit * num / den) */
    i128 k = r->hook_calls;
    int64_t want = T0 + ceil_div(k * EXACT_LIMIT * exact_run.num,
                                 exact_run.den);

    if (vclock_ns != want) {
        if (!exact_run.bad++) {
            exact_run.first_bad = k;
        }
    }
}

/* Count at @t of a LEGACY periodic timer started at T0 */
static uint64_t exact_count(int64_t t)
{
    i128 u = (i128)(t - T0) * exact_run.den;         /* 1/den ns */
    i128 cycle = EXACT_LIMIT * exact_run.num;
    i128 rem = u % cycle;

    return (cycle - rem) / exact_run.num;
}

static void exact_million(bool use_clock)
{
    uint64_t clk = CLOCK_PERIOD_FROM_HZ(3000000);
    uint32_t s = 12345;
    int64_t last, t;
    Rig r;
    int i;

    rig_init(&r, PTIMER_POLICY_LEGACY, MODE_QTEST);
    r.model = false;
    r.hook = hook_exact;
    memset(&exact_run, 0, sizeof(exact_run));
    if (use_clock) {
        exact_run.num = clk;
        exact_run.den = (i128)1 << 32;
    } else {
        exact_run.num = 1000;
        exact_run.den = 3;
    }
    last = T0 + ceil_div((i128)EXACT_RELOADS * EXACT_LIMIT * exact_run.num,
                         exact_run.den);
    ptimer_transaction_begin(r.pt);
    if (use_clock) {
        Clock c = { .period = clk };

        ptimer_set_period_from_clock(r.pt, &c, 1);
    } else {
        ptimer_set_freq(r.pt, 3000000);
    }
    ptimer_set_limit(r.pt, EXACT_LIMIT, 1);
    ptimer_run(r.pt, 0);
    ptimer_transaction_commit(r.pt);

    /* reads at random instants on the way */
    t = T0;
    for (i = 0; i < 2000; i++) {
        t += rnd(&s, (last - T0) / 1000);
        if (t >= last) {
            break;
        }
        clock_run_to(t);
        g_assert_cmpuint(ptimer_get_count(r.pt), ==, exact_count(t));
    }
    clock_run_to(last - 1);
    g_assert_cmpuint(r.calls, ==, EXACT_RELOADS - 1);
    clock_run_to(last);
    g_assert_cmpuint(r.calls, ==, EXACT_RELOADS);
    g_assert_cmpuint(exact_run.bad, ==, 0);
    g_assert_cmpuint(r.expiries, ==, EXACT_RELOADS);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, exact_count(last));
    rig_fini(&r);
}

/*
 * 3 MHz, limit 1000: the millionth expiry is at exactly
 * ceil(10^6 * 1000 * 10^9 / (3 * 10^6)) ns, every expiry on the way is
 * at its exact instant and reads in between are exact.
 */
static void test_exact_3mhz(void)
{
    exact_million(false);
}

/* The same with the period taken from a 3 MHz Clock (2^-32 ns units) */
static void test_exact_clock(void)
{
    exact_million(true);
}

/*
 * A commit that sets the same period, the same limit without reload and
 * runs again keeps the phase: the next expiry does not move.
 */
static void test_exact_phase_kept(void)
{
    Rig r;
    int64_t first = T0 + 333334;        /* ceil(1000 * 1000 / 3) */

    rig_init(&r, PTIMER_POLICY_LEGACY, MODE_QTEST);
    r.records = g_array_new(false, false, sizeof(CbRecord));
    rig_begin(&r);
    rig_set_freq(&r, 3000000);
    rig_set_limit(&r, 1000, true);
    rig_run(&r, false);
    rig_commit(&r);
    rig_step(&r, 123457);
    rig_begin(&r);
    rig_set_freq(&r, 3000000);
    rig_set_limit(&r, 1000, false);
    rig_run(&r, false);
    rig_commit(&r);
    rig_flush(&r);
    rig_step(&r, 1);
    rig_begin(&r);
    rig_begin(&r);
    rig_set_freq(&r, 3000000);
    rig_commit(&r);
    rig_commit(&r);
    rig_step(&r, first - 1 - vclock_ns);
    g_assert_cmpuint(r.calls, ==, 0);
    rig_step(&r, 1);
    g_assert_cmpuint(r.calls, ==, 1);
    g_assert_cmpint(cb_time(&r, 0), ==, first);
    /* in the second period, with a non-integer anchor */
    rig_step(&r, 1000);
    rig_begin(&r);
    rig_set_freq(&r, 3000000);
    rig_set_limit(&r, 1000, false);
    rig_run(&r, false);
    rig_commit(&r);
    clock_run_to(T0 + 666667);
    g_assert_cmpuint(r.calls, ==, 2);
    g_assert_cmpint(cb_time(&r, 1), ==, T0 + 666667);
    rig_fini(&r);
}

/* The same period written another way is the same period */
/*
 * The end of a continuous-trigger hold (periodic, zero limit) when a
 * limit is set, without reload, during the hold.  As in QEMU 10.0, that
 * end triggers if it reloads zero (it no longer does) or under
 * NO_IMMEDIATE_TRIGGER (the hold stands for a deferred trigger); then
 * the count starts from the new limit.
 */
static void test_hold_limit_change(gconstpointer data)
{
    unsigned policy = GPOINTER_TO_UINT(data);
    unsigned at_end = !!(policy & P_NIT);
    Rig r;

    rig_start_periodic(&r, policy, 10, 0, 1);
    rig_step(&r, 10);           /* 1 -> 0: trigger, then a hold */
    g_assert_cmpuint(r.calls, ==, 1);
    rig_step(&r, 10);           /* a hold that reloads zero triggers */
    g_assert_cmpuint(r.calls, ==, 2);
    rig_step(&r, 5);
    rig_begin(&r);
    rig_set_limit(&r, 5, false);
    rig_commit(&r);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 0);
    rig_step(&r, 5);            /* the hold's end reloads 5 */
    g_assert_cmpuint(r.calls, ==, 2 + at_end);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 5);
    rig_step(&r, 49);
    g_assert_cmpuint(r.calls, ==, 2 + at_end);
    rig_step(&r, 1);
    g_assert_cmpuint(r.calls, ==, 3 + at_end);
    rig_fini(&r);
}

/*
 * ===================================================================
 * Differences from QEMU 10.0 that scripts/diff.sh lets in one at a time
 * (docs/devel/ptimer.rst, "Differences from QEMU 10.0")
 */

/* In one transaction, set_period after set_count keeps the new count. */
static void test_v10_count_then_period(void)
{
    Rig r;

    rig_start_periodic(&r, P_NRD, 10, 100, 100);
    rig_step(&r, 355);
    rig_begin(&r);
    rig_set_count(&r, 50);
    rig_set_period(&r, 20);     /* 10.0: count from the old anchor, 65 */
    rig_commit(&r);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 50);
    rig_step(&r, 50 * 20 - 1);
    g_assert_cmpuint(r.calls, ==, 0);
    rig_step(&r, 1);
    g_assert_cmpuint(r.calls, ==, 1);
    rig_fini(&r);
}

/* In one transaction, stop after a reload keeps the reloaded count. */
static void test_v10_reload_then_stop(void)
{
    Rig r;

    rig_start_periodic(&r, P_NRD, 10, 100, 100);
    rig_step(&r, 355);
    rig_begin(&r);
    rig_set_limit(&r, 7, true);
    rig_stop(&r);               /* 10.0: the count of before the txn */
    rig_commit(&r);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 7);
    rig_fini(&r);
}

/*
 * WRAP_AFTER_ONE_PERIOD: a limit set without reload while the counter
 * holds zero before its reload does not change what it reads (10.0 tells
 * that period by comparing its counter with the limit, and reads a
 * count there); the reload then in progress keeps the old limit.
 */
static void test_v10_wrap_limit(void)
{
    Rig r;

    rig_start_periodic(&r, P_WRAP | P_NRD, 10, 2, 2);
    rig_step(&r, 25);           /* 2, 1, then zero at 20 */
    g_assert_cmpuint(r.calls, ==, 1);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 0);
    rig_begin(&r);
    rig_set_limit(&r, 1, false);
    rig_commit(&r);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 0);     /* 10.0: 3 */
    rig_step(&r, 10);           /* reloaded with 2 at 30 */
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 2);
    rig_step(&r, 15);           /* zero at 50, then 1 after 60 */
    g_assert_cmpuint(r.calls, ==, 2);
    rig_step(&r, 11);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 1);
    rig_fini(&r);
}

static uint64_t v10_cb_count;

static void hook_read_count(Rig *r)
{
    v10_cb_count = ptimer_get_count(r->pt);
}

/*
 * The callback of a zero load reads the count the load left: the
 * reloaded limit (10.0 calls it before reloading, so it reads 0).  The
 * interrupt and the reload are one hardware event; a handler reads the
 * reloaded value.
 */
static void test_v10_zero_load_callback(void)
{
    Rig r;

    rig_init(&r, P_NRD, MODE_QTEST);
    r.hook = hook_read_count;
    rig_begin(&r);
    rig_set_period(&r, 10);
    rig_set_limit(&r, 5, false);
    rig_set_count(&r, 0);
    rig_run(&r, false);
    rig_commit(&r);
    g_assert_cmpuint(r.calls, ==, 1);
    g_assert_cmpuint(v10_cb_count, ==, 5);
    rig_fini(&r);
}

/*
 * NO_IMMEDIATE_RELOAD: a one-shot loaded with zero holds zero for a
 * period while running, so running it again inside that period is only
 * a mode change and does not trigger again (10.0 stops it at the load,
 * so its second run() is a new zero load that triggers).
 */
static void test_v10_nir_oneshot_rerun(void)
{
    Rig r;

    rig_init(&r, P_NIR | P_NRD, MODE_QTEST);
    rig_begin(&r);
    rig_set_period(&r, 10);
    rig_set_limit(&r, 5, false);
    rig_set_count(&r, 0);
    rig_run(&r, true);
    rig_commit(&r);
    g_assert_cmpuint(r.calls, ==, 1);
    rig_step(&r, 5);
    rig_begin(&r);
    rig_run(&r, true);
    rig_commit(&r);
    g_assert_cmpuint(r.calls, ==, 1);
    rig_step(&r, 5);            /* the hold ends; the one-shot stops */
    g_assert_cmpuint(r.calls, ==, 1);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 0);
    rig_begin(&r);
    rig_run(&r, true);          /* stopped at zero: a new zero load */
    rig_commit(&r);
    g_assert_cmpuint(r.calls, ==, 2);
    rig_fini(&r);
}

static void test_exact_same_period_value(void)
{
    Rig r;

    rig_init(&r, PTIMER_POLICY_LEGACY, MODE_QTEST);
    rig_begin(&r);
    rig_set_freq(&r, 1000000);
    rig_set_limit(&r, 100, true);
    rig_run(&r, false);
    rig_commit(&r);
    rig_step(&r, 45678);
    rig_begin(&r);
    rig_set_period(&r, 1000);
    rig_commit(&r);
    rig_begin(&r);
    rig_set_clock(&r, CLOCK_PERIOD_FROM_NS(1), 1000);
    rig_commit(&r);
    rig_step(&r, 100000 - 45678 - 1);
    g_assert_cmpuint(r.calls, ==, 0);
    rig_step(&r, 1);
    g_assert_cmpuint(r.calls, ==, 1);
    rig_fini(&r);
}

/*
 * ptimer_set_period_ratio: a Cortex-A9 TWD at PERIPHCLK 396 MHz with
 * prescaler 1 ticks every 2 * 10^9 / 396e6 = 500/99 ns, exactly: 198000
 * ticks are 1 ms, and a million reloads later the phase has not moved.
 * Out-of-range fractions are approximated, den 0 stops the clock.
 */
static void test_exact_period_ratio(void)
{
    Rig r;

    rig_init(&r, P_WRAP | P_NRD, MODE_QTEST);
    rig_begin(&r);
    rig_set_ratio(&r, 2ULL * 1000000000, 396000000);
    rig_set_limit(&r, 197999, true);
    rig_run(&r, false);
    rig_commit(&r);
    g_assert_cmpuint(r.m.pnum, ==, 500);
    g_assert_cmpuint(r.m.pden, ==, 99);
    rig_walk(&r, 3000000);
    g_assert_cmpuint(r.calls, ==, 3);
    /*
     * The first expiry is 197999 ticks in (999994.95 ns), the next ones
     * every 198000 ticks (1 ms): the millionth is at 999999999994.95 ns,
     * due at ...995, not a nanosecond either side.
     */
    rig_step(&r, T0 + 999999999994LL - vclock_ns);
    g_assert_cmpuint(r.calls, ==, 999999);
    rig_step(&r, 1);
    g_assert_cmpuint(r.calls, ==, 1000000);
    rig_begin(&r);
    rig_stop(&r);
    rig_commit(&r);
    rig_fini(&r);

    /* den 0: no clock; huge fractions still count, approximately */
    rig_init(&r, P_NRD, MODE_QTEST);
    r.model = false;
    ptimer_transaction_begin(r.pt);
    ptimer_set_period_ratio(r.pt, 1000, 0);
    ptimer_set_limit(r.pt, 10, 1);
    ptimer_run(r.pt, 1);
    ptimer_transaction_commit(r.pt);
    clock_run_to(T0 + 1000000);
    g_assert_cmpuint(r.calls, ==, 0);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 10);
    ptimer_transaction_begin(r.pt);
    ptimer_set_period_ratio(r.pt, UINT64_MAX - 1, UINT64_MAX / 3);
    ptimer_transaction_commit(r.pt);
    clock_run_to(T0 + 1000000 + 29);
    g_assert_cmpuint(r.calls, ==, 0);
    clock_run_to(T0 + 1000000 + 31);
    g_assert_cmpuint(r.calls, ==, 1);
    rig_fini(&r);

    /*
     * The extremes: a whole period beyond INT64_MAX ns is clamped to it,
     * not halved (halving gave 2^63 / 2 ns: one tick 2^62 ns in); the
     * smallest fraction, 2^-32 ns, stays exact (2^32 ticks: 1 ns).
     */
    rig_init(&r, P_NRD, MODE_QTEST);
    r.model = false;
    ptimer_transaction_begin(r.pt);
    ptimer_set_period_ratio(r.pt, UINT64_MAX, 1);
    ptimer_set_limit(r.pt, 1, 1);
    ptimer_run(r.pt, 1);
    ptimer_transaction_commit(r.pt);
    clock_run_to(vclock_ns + (1LL << 62) + 1000);
    g_assert_cmpuint(r.calls, ==, 0);
    rig_fini(&r);

    rig_init(&r, P_NRD, MODE_QTEST);
    r.model = false;
    ptimer_transaction_begin(r.pt);
    ptimer_set_period_ratio(r.pt, 1, 1ULL << 32);
    ptimer_set_limit(r.pt, 1ULL << 32, 1);
    ptimer_run(r.pt, 1);
    ptimer_transaction_commit(r.pt);
    clock_run_to(vclock_ns);
    g_assert_cmpuint(r.calls, ==, 0);
    clock_run_to(vclock_ns + 1);
    g_assert_cmpuint(r.calls, ==, 1);
    rig_fini(&r);
}

/*
 * A device model that forgets a commit would leave the timer inside a
 * transaction for good (every later commit nested, none applied): the
 * timer event catches it.
 */
static void test_txn_assert_forgotten_commit(void)
{
    if (g_test_subprocess()) {
        ptimer_state *s = ptimer_init(nop_cb, NULL, 0);

        ptimer_transaction_begin(s);
        ptimer_set_period(s, 100);
        ptimer_set_limit(s, 10, 1);
        ptimer_run(s, 1);
        ptimer_transaction_commit(s);
        ptimer_transaction_begin(s);        /* never committed */
        clock_run_to(vclock_ns + 2000);
        return;
    }
    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();
}

/*
 * ===================================================================
 * 5. Fast timers
 */

typedef struct FastCase {
    uint8_t policy;
    uint64_t limit;
} FastCase;

/*
 * A 10 ns periodic timer outside qtest/icount: reads are exact at any
 * instant, callbacks come at least 10 us apart, and each stands for
 * exactly the expiries since the previous one.
 */
static void test_fast_coalesced(gconstpointer data)
{
    const FastCase *fc = data;
    int64_t span = 1000000, cycle;
    uint32_t s = 777;
    Model replay;
    uint64_t sum = 0;
    Rig r;
    guint i;

    rig_init(&r, fc->policy, MODE_COALESCED);
    r.records = g_array_new(false, false, sizeof(CbRecord));
    rig_begin(&r);
    rig_set_period(&r, 10);
    rig_set_limit(&r, fc->limit, true);
    rig_run(&r, false);
    rig_commit(&r);
    replay = r.m;
    cycle = fc->limit ? (fc->limit + !!(fc->policy & P_WRAP)) * 10 : 10;

    while (vclock_ns < T0 + span) {
        rig_step(&r, MIN(1 + rnd(&s, 3000), T0 + span - vclock_ns));
    }
    g_assert_cmpuint(r.calls, <=, span / 10000 + 2);
    g_assert_cmpuint(r.calls, >=, span / (10000 + cycle) - 1);

    /* each call stands for the expiries since the previous one */
    for (i = 0; i < r.records->len; i++) {
        CbRecord *rec = &g_array_index(r.records, CbRecord, i);

        m_process(&replay, rec->t);
        sum += rec->expiries;
        g_assert_cmpuint(sum, ==, replay.triggers);
        if (i > 0) {
            int64_t gap = rec->t - g_array_index(r.records, CbRecord,
                                                 i - 1).t;

            g_assert_cmpint(gap, >=, 10000);
            g_assert_cmpint(gap, <=, 10000 + cycle);
        }
    }
    /* an empty transaction delivers the rest */
    rig_flush(&r);
    g_assert_cmpuint(r.expiries, ==, r.m.triggers);
    rig_fini(&r);
}

/* Under qtest the same timer delivers every expiry as its own call */
static void test_fast_qtest(gconstpointer data)
{
    const FastCase *fc = data;
    Rig r;
    guint i;

    rig_init(&r, fc->policy, MODE_QTEST);
    r.records = g_array_new(false, false, sizeof(CbRecord));
    rig_begin(&r);
    rig_set_period(&r, 10);
    rig_set_limit(&r, fc->limit, true);
    rig_run(&r, false);
    rig_commit(&r);
    rig_walk(&r, 20000);
    g_assert_cmpuint(r.calls, ==, r.m.triggers);
    g_assert_cmpuint(r.calls, >=, 20000 / (10 * (fc->limit + 1) + 10));
    for (i = 0; i < r.records->len; i++) {
        g_assert_cmpuint(g_array_index(r.records, CbRecord, i).expiries,
                         ==, 1);
    }
    rig_fini(&r);
}

static void add_fast_cases(void)
{
    static const uint8_t policies[] = {
        PTIMER_POLICY_LEGACY, P_WRAP, P_WRAP | P_NRD, P_NIT | P_NRD,
        P_CONT | P_TOOD,
    };
    static const uint64_t limits[] = { 1, 5 };
    unsigned i, j;

    for (i = 0; i < ARRAY_SIZE(policies); i++) {
        for (j = 0; j < ARRAY_SIZE(limits); j++) {
            FastCase *fc = g_new0(FastCase, 1);
            g_autofree char *pname = policy_name(policies[i]);
            g_autofree char *p1 = g_strdup_printf(
                "/ptimer-ng/fast/coalesced/limit%" PRIu64 "/%s",
                limits[j], pname);
            g_autofree char *p2 = g_strdup_printf(
                "/ptimer-ng/fast/qtest/limit%" PRIu64 "/%s",
                limits[j], pname);

            fc->policy = policies[i];
            fc->limit = limits[j];
            g_test_add_data_func(p1, fc, test_fast_coalesced);
            g_test_add_data_func(p2, fc, test_fast_qtest);
        }
    }
    /* a continuous-trigger timer with limit 0 */
    {
        FastCase *fc = g_new0(FastCase, 1);

        fc->policy = P_CONT;
        fc->limit = 0;
        g_test_add_data_func("/ptimer-ng/fast/coalesced/limit0/cont", fc,
                             test_fast_coalesced);
    }
}

/*
 * ===================================================================
 * 6. Bad values
 */

/* freq 0 on a running timer freezes it; a frequency resumes it */
static void test_bad_freq0(void)
{
    Rig r;

    rig_init(&r, PTIMER_POLICY_LEGACY, MODE_QTEST);
    rig_begin(&r);
    rig_set_freq(&r, 1000000);
    rig_set_limit(&r, 5, true);
    rig_run(&r, false);
    rig_commit(&r);
    rig_step(&r, 2500);
    rig_begin(&r);
    rig_set_freq(&r, 0);
    rig_commit(&r);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 2);
    rig_walk(&r, 1000000);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 2);
    g_assert_cmpuint(r.calls, ==, 0);
    rig_begin(&r);
    rig_set_freq(&r, 1000000);
    rig_commit(&r);
    rig_walk(&r, 10000);
    g_assert_cmpuint(r.calls, >, 0);
    rig_fini(&r);
}

/* Starting with period 0 gives a frozen timer that reads its count */
static void test_bad_period0_run(void)
{
    Rig r;

    rig_init(&r, PTIMER_POLICY_LEGACY, MODE_QTEST);
    rig_begin(&r);
    rig_set_count(&r, 5);
    rig_run(&r, false);
    rig_commit(&r);
    rig_walk(&r, 100000);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 5);
    g_assert_cmpuint(r.calls, ==, 0);
    rig_begin(&r);
    rig_set_period(&r, 1000);
    rig_commit(&r);
    rig_walk(&r, 12000);
    rig_fini(&r);
}

/*
 * Starting a zero count with period 0: frozen, nothing happens (the load,
 * and the trigger of loading zero, come when a period is set)
 */
static void test_bad_period0_zero_count(gconstpointer data)
{
    uint8_t policy = (uintptr_t)data;
    Rig r;

    rig_init(&r, policy, MODE_QTEST);
    rig_begin(&r);
    rig_set_limit(&r, 5, false);
    rig_run(&r, false);
    rig_commit(&r);
    g_assert_cmpuint(r.calls, ==, 0);
    rig_walk(&r, 50000);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 0);
    rig_begin(&r);
    rig_set_period(&r, 1000);
    rig_commit(&r);
    rig_walk(&r, 12000);
    rig_fini(&r);
}

/* A negative period means "no clock", as 0 does */
static void test_bad_negative_period(void)
{
    Rig r;

    rig_init(&r, P_NRD, MODE_QTEST);
    rig_begin(&r);
    rig_set_period(&r, 1000);
    rig_set_limit(&r, 8, true);
    rig_run(&r, false);
    rig_commit(&r);
    rig_step(&r, 3500);
    rig_begin(&r);
    rig_set_period(&r, -1000);
    rig_commit(&r);
    rig_walk(&r, 50000);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 5);
    rig_begin(&r);
    rig_set_period(&r, INT64_MIN);
    rig_commit(&r);
    rig_begin(&r);
    rig_set_period(&r, 1000);
    rig_commit(&r);
    rig_walk(&r, 20000);
    rig_fini(&r);
}

/* A count above the limit counts down from the count, then reloads */
static void test_bad_count_above_limit(void)
{
    Rig r;

    rig_init(&r, P_WRAP, MODE_QTEST);
    rig_begin(&r);
    rig_set_period(&r, 100);
    rig_set_limit(&r, 10, false);
    rig_set_count(&r, 100);
    rig_run(&r, false);
    rig_commit(&r);
    rig_walk(&r, 15000);
    g_assert_cmpuint(r.calls, >=, 3);
    rig_fini(&r);
}

/* Freeing a running timer cancels its host timer; no callback follows */
static void test_bad_free_running(void)
{
    Rig r;

    rig_init(&r, PTIMER_POLICY_LEGACY, MODE_QTEST);
    rig_begin(&r);
    rig_set_period(&r, 1000);
    rig_set_limit(&r, 3, true);
    rig_run(&r, false);
    rig_commit(&r);
    rig_step(&r, 1500);
    g_assert_true(host_timer_pending());
    ptimer_free(r.pt);
    g_assert_false(host_timer_pending());
    clock_run_to(vclock_ns + 100000);
    g_assert_cmpuint(r.calls, ==, 0);
    ptimer_free(NULL);
    g_string_free(r.log, true);
}

/* Divisor 0 and a disabled clock freeze; a huge divisor does not wrap */
static void test_bad_clock(void)
{
    Rig r;

    rig_init(&r, P_NIT, MODE_QTEST);
    rig_begin(&r);
    rig_set_clock(&r, CLOCK_PERIOD_FROM_NS(10), 100);
    rig_set_limit(&r, 4, true);
    rig_run(&r, false);
    rig_commit(&r);
    rig_step(&r, 1500);
    rig_begin(&r);
    rig_set_clock(&r, CLOCK_PERIOD_FROM_NS(10), 0);
    rig_commit(&r);
    rig_walk(&r, 20000);
    g_assert_cmpuint(r.calls, ==, 0);
    rig_begin(&r);
    rig_set_clock(&r, 0, 100);
    rig_commit(&r);
    rig_walk(&r, 20000);
    rig_begin(&r);
    rig_set_clock(&r, CLOCK_PERIOD_FROM_NS(10), 100);
    rig_commit(&r);
    rig_walk(&r, 9000);
    /* 1000 ns clock, divisor 2^32 - 1: a period of about 71 minutes */
    rig_begin(&r);
    rig_set_clock(&r, CLOCK_PERIOD_FROM_NS(1000), UINT_MAX);
    rig_set_count(&r, 3);
    rig_commit(&r);
    rig_step(&r, INT64_C(4294967295000) + 1);
    rig_step(&r, INT64_C(4294967295000) * 2);
    rig_fini(&r);
}

/*
 * The longest clock period, (2^64 - 1) * 2^-32 ns (about 4.3 s): no
 * overflow; just past 2^32 ns a round-down count of 1000 reads 998.
 */
static void test_bad_clock_max_period(void)
{
    Rig r;

    rig_init(&r, PTIMER_POLICY_LEGACY, MODE_QTEST);
    rig_begin(&r);
    rig_set_clock(&r, UINT64_MAX, 1);
    rig_set_count(&r, 1000);
    rig_run(&r, true);
    rig_commit(&r);
    rig_step(&r, INT64_C(1) << 32);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, 998);
    rig_step(&r, INT64_C(300) << 32);
    rig_step(&r, 1);
    rig_fini(&r);
}

/* The largest count and limit do not overflow */
static void test_bad_huge_count(void)
{
    Rig r;

    rig_init(&r, PTIMER_POLICY_LEGACY, MODE_QTEST);
    rig_begin(&r);
    rig_set_freq(&r, 3000000);
    rig_set_limit(&r, UINT64_MAX, true);
    rig_run(&r, false);
    rig_commit(&r);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, UINT64_MAX);
    rig_step(&r, 1000);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, UINT64_MAX - 3);
    rig_walk(&r, 100000);
    rig_begin(&r);
    rig_set_period(&r, 1000);
    rig_set_count(&r, UINT64_MAX);
    rig_commit(&r);
    rig_step(&r, 5000);
    g_assert_cmpuint(ptimer_get_count(r.pt), ==, UINT64_MAX - 5);
    g_assert_cmpuint(r.calls, ==, 0);
    rig_fini(&r);
}

/* Frequencies above 1 GHz: sub-ns periods stay exact */
static void test_bad_high_freq(void)
{
    Rig r;

    rig_init(&r, P_NRD, MODE_QTEST);
    rig_begin(&r);
    rig_set_freq(&r, UINT32_MAX);
    rig_set_limit(&r, 100000, true);
    rig_run(&r, false);
    rig_commit(&r);
    rig_walk(&r, 100000);
    g_assert_cmpuint(r.calls, ==, 4);
    rig_fini(&r);
}

/* Limit 0 with every policy and a zero count, one-shot and periodic */
static void test_bad_limit0_all(void)
{
    unsigned i;

    for (i = 0; i < n_valid_policies; i++) {
        Rig r;

        rig_init(&r, valid_policies[i], MODE_QTEST);
        rig_begin(&r);
        rig_set_period(&r, 1000);
        rig_set_limit(&r, 0, true);
        rig_run(&r, false);
        rig_commit(&r);
        rig_walk(&r, 3500);
        rig_begin(&r);
        rig_stop(&r);
        rig_set_limit(&r, 0, true);
        rig_run(&r, true);
        rig_commit(&r);
        rig_walk(&r, 3500);
        rig_fini(&r);
    }
}

/*
 * ===================================================================
 * 7. Migration through the real vmstate code
 */

typedef struct MigDev {
    ptimer_state *pt;
} MigDev;

static const VMStateDescription vmstate_migdev = {
    .name = "test-ptimer-dev",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_PTIMER(pt, MigDev),
        VMSTATE_END_OF_LIST()
    },
};

/* Save @opaque with @vmsd, then an end marker */
static GByteArray *vm_save(const VMStateDescription *vmsd, void *opaque)
{
    QIOChannelBuffer *bioc = qio_channel_buffer_new(256);
    QEMUFile *f = qemu_file_new_output(QIO_CHANNEL(bioc));
    GByteArray *out = g_byte_array_new();

    g_assert_cmpint(vmstate_save_state(f, vmsd, opaque, NULL), ==, 0);
    qemu_put_byte(f, QEMU_VM_EOF);
    g_assert_cmpint(qemu_fflush(f), ==, 0);
    g_byte_array_append(out, bioc->data, bioc->usage);
    g_assert_cmpint(qemu_fclose(f), ==, 0);
    object_unref(OBJECT(bioc));
    return out;
}

/* Load @in into @opaque with @vmsd: all of it but the end marker */
static void vm_load(const VMStateDescription *vmsd, void *opaque,
                    const GByteArray *in)
{
    QIOChannelBuffer *bioc = qio_channel_buffer_new(in->len);
    QEMUFile *f;

    memcpy(bioc->data, in->data, in->len);
    bioc->usage = in->len;
    f = qemu_file_new_input(QIO_CHANNEL(bioc));
    g_assert_cmpint(vmstate_load_state(f, vmsd, opaque, 1), ==, 0);
    /* everything but our end marker was consumed */
    g_assert_cmpint(qemu_get_byte(f), ==, QEMU_VM_EOF);
    g_assert_cmpint(qemu_file_get_error(f), ==, 0);
    qemu_fclose(f);
    object_unref(OBJECT(bioc));
}

static GByteArray *mig_save(ptimer_state *pt)
{
    MigDev dev = { .pt = pt };

    return vm_save(&vmstate_migdev, &dev);
}

static void mig_load(ptimer_state *pt, const GByteArray *in)
{
    MigDev dev = { .pt = pt };

    vm_load(&vmstate_migdev, &dev, in);
}

static void put_u8(GByteArray *b, uint8_t v)
{
    g_byte_array_append(b, &v, 1);
}

static void put_be32(GByteArray *b, uint32_t v)
{
    uint8_t buf[4];

    stl_be_p(buf, v);
    g_byte_array_append(b, buf, 4);
}

static void put_be64(GByteArray *b, uint64_t v)
{
    uint8_t buf[8];

    stq_be_p(buf, v);
    g_byte_array_append(b, buf, 8);
}

/* The QEMU 10.0 "ptimer" fields, in order */
static GByteArray *v10_stream(uint8_t enabled, uint64_t limit,
                              uint64_t delta, uint32_t frac, int64_t period,
                              int64_t last, int64_t next, int64_t expire)
{
    GByteArray *b = g_byte_array_new();

    put_u8(b, enabled);
    put_be64(b, limit);
    put_be64(b, delta);
    put_be32(b, frac);
    put_be64(b, period);
    put_be64(b, last);
    put_be64(b, next);
    put_be64(b, expire);
    return b;
}

static void expect_bytes(const GByteArray *got, const GByteArray *want)
{
    if (got->len != want->len || memcmp(got->data, want->data, got->len)) {
        g_autofree char *g = g_strdup("");
        g_autofree char *w = g_strdup("");
        guint i;

        for (i = 0; i < got->len; i++) {
            char *t = g_strdup_printf("%s%02x", g, got->data[i]);

            g_free(g);
            g = t;
        }
        for (i = 0; i < want->len; i++) {
            char *t = g_strdup_printf("%s%02x", w, want->data[i]);

            g_free(w);
            w = t;
        }
        g_assert_cmpstr(g, ==, w);
    }
}

/* A second rig for the destination, with the source's future behaviour */
static void mig_dest(Rig *dst, const Rig *src)
{
    rig_init_here(dst, src->m.policy,
                  src->exact ? MODE_QTEST : MODE_COALESCED);
    dst->m = src->m;
    dst->m.calls = dst->m.delivered = dst->m.triggers = 0;
    dst->m.pending = 0;
}

/*
 * 1 MHz: no subsection, the exact 10.0 byte layout (built here from the
 * known state), and the destination follows the source exactly.
 */
static void test_mig_1mhz_layout(gconstpointer data)
{
    bool oneshot = (uintptr_t)data;
    g_autoptr(GByteArray) want = NULL;
    g_autoptr(GByteArray) got = NULL;
    int64_t start = T0;
    Rig r, d;
    Rig *both[2] = { &r, &d };

    rig_init(&r, PTIMER_POLICY_LEGACY, MODE_QTEST);
    rig_begin(&r);
    rig_set_freq(&r, 1000000);
    rig_set_limit(&r, 1000, false);
    rig_set_count(&r, 500);
    rig_run(&r, oneshot);
    rig_commit(&r);
    rig_step(&r, 123456);
    got = mig_save(r.pt);
    want = v10_stream(oneshot ? 2 : 1, 1000, 500, 0, 1000, start,
                      start + 500000, start + 500000);
    put_u8(want, QEMU_VM_EOF);
    expect_bytes(got, want);

    mig_dest(&d, &r);
    mig_load(d.pt, got);
    rig_check(&d);
    rigs_walk(both, 2, 2600000, 777);

    if (!oneshot) {
        /* after a reload: anchored at the exact end of the first count */
        g_byte_array_unref(got);
        g_byte_array_unref(want);
        got = mig_save(r.pt);
        want = v10_stream(1, 1000, 1000, 0, 1000, start + 2500000,
                          start + 3500000, start + 3500000);
        put_u8(want, QEMU_VM_EOF);
        expect_bytes(got, want);
    }
    rig_fini(&d);
    rig_fini(&r);
}

/*
 * 3 MHz: the period (1000/3 ns) and the sub-nanosecond phase go in the
 * 10.0 fields themselves, so no subsection: the period as 32.32, last_event
 * as the anchor less anchor_rem ns.  The round trip is exact.
 */
static void test_mig_3mhz_phase(void)
{
    g_autoptr(GByteArray) got = NULL;
    const uint8_t *p;
    Rig r, d;
    Rig *both[2] = { &r, &d };

    rig_init(&r, P_WRAP | P_NRD, MODE_QTEST);
    rig_begin(&r);
    rig_set_freq(&r, 3000000);
    rig_set_limit(&r, 1000, true);
    rig_run(&r, false);
    rig_commit(&r);
    /* the current reload is anchored at T0 + 3002000/3 ns = 1000666 + 2/3 */
    rig_step(&r, 1100000);
    got = mig_save(r.pt);

    p = got->data;
    g_assert_cmpuint(got->len, ==, 53 + 1);
    g_assert_cmpuint(p[0], ==, 1);
    g_assert_cmpuint(ldq_be_p(p + 1), ==, 1000);
    g_assert_cmpuint(ldl_be_p(p + 17), ==, 0x55555555);
    g_assert_cmpuint(ldq_be_p(p + 21), ==, 333);
    /* last_event: 1000666 less 2; next_event: (3002000 + 1001000) / 3 up */
    g_assert_cmpuint(ldq_be_p(p + 29), ==, T0 + 1000664);
    g_assert_cmpuint(ldq_be_p(p + 37), ==, T0 + 1334334);
    g_assert_cmpuint(got->data[got->len - 1], ==, QEMU_VM_EOF);

    mig_dest(&d, &r);
    mig_load(d.pt, got);
    rig_check(&d);
    rigs_walk(both, 2, 3000000, 1237);
    g_assert_cmpuint(d.calls, ==, 9);
    rig_fini(&d);
    rig_fini(&r);
}

/*
 * 999983 Hz (prime): the period's denominator is too large for the 10.0
 * fields, so the "ptimer/exact" subsection follows with it; the round trip
 * is exact.
 */
static void test_mig_odd_freq_exact(void)
{
    static const char name[] = "ptimer/exact";
    g_autoptr(GByteArray) got = NULL;
    const uint8_t *p;
    Rig r, d;
    Rig *both[2] = { &r, &d };

    rig_init(&r, P_NRD, MODE_QTEST);
    rig_begin(&r);
    rig_set_freq(&r, 999983);
    rig_set_limit(&r, 777, true);
    rig_run(&r, false);
    rig_commit(&r);
    rig_step(&r, 2000000);
    got = mig_save(r.pt);

    p = got->data;
    g_assert_cmpuint(got->len, ==, 53 + 1 + 1 + 12 + 4 + 35 + 1);
    p += 53;
    g_assert_cmpuint(p[0], ==, QEMU_VM_SUBSECTION);
    g_assert_cmpuint(p[1], ==, strlen(name));
    g_assert_cmpmem(p + 2, strlen(name), name, strlen(name));
    p += 2 + strlen(name) + 4;
    g_assert_cmpuint(p[0], ==, 1);                          /* enabled */
    g_assert_cmpuint(ldq_be_p(p + 3 + 8), ==, 1000000000);  /* num */
    g_assert_cmpuint(ldq_be_p(p + 3 + 16), ==, 999983);     /* den */
    g_assert_cmpuint(got->data[got->len - 1], ==, QEMU_VM_EOF);

    mig_dest(&d, &r);
    mig_load(d.pt, got);
    rig_check(&d);
    rigs_walk(both, 2, 3000000, 1237);
    rig_fini(&d);
    rig_fini(&r);
}

typedef struct ImgDev {
    PTimerV10Image img;
} ImgDev;

static const VMStateDescription vmstate_imgdev = {
    .name = "test-ptimer-dev",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_PTIMER_V10_IMAGE(img, ImgDev),
        VMSTATE_END_OF_LIST()
    },
};

/*
 * PTimerV10Image: the same bytes as VMSTATE_PTIMER() for the same state,
 * both ways, and the count a 10.0 LEGACY timer reads.
 */
static void test_mig_v10_image(void)
{
    g_autoptr(GByteArray) ref = NULL;
    g_autoptr(GByteArray) back = NULL;
    ImgDev dev = { };
    PTimerV10Image *img = &dev.img;
    Rig r;

    rig_init(&r, PTIMER_POLICY_LEGACY, MODE_QTEST);
    rig_begin(&r);
    rig_set_freq(&r, 1000000);
    rig_set_limit(&r, 1000, false);
    rig_set_count(&r, 500);
    rig_run(&r, false);
    rig_commit(&r);
    ref = mig_save(r.pt);
    rig_fini(&r);

    /* load the ptimer's bytes into an image */
    vm_load(&vmstate_imgdev, &dev, ref);
    g_assert_cmpuint(img->enabled, ==, 1);
    g_assert_cmpuint(img->limit, ==, 1000);
    g_assert_cmpuint(img->delta, ==, 500);
    g_assert_cmpuint(img->period_frac, ==, 0);
    g_assert_cmpint(img->period, ==, 1000);
    g_assert_cmpint(img->last_event, ==, T0);
    g_assert_cmpint(img->next_event, ==, T0 + 500000);
    g_assert_cmpint(img->expire, ==, T0 + 500000);

    /* and save it back: the same bytes */
    back = vm_save(&vmstate_imgdev, &dev);
    g_assert_cmpmem(back->data, back->len, ref->data, ref->len);

    /* 10.0's period for 3 MHz, and its counts */
    ptimer_v10_image_set_freq(img, 3000000);
    g_assert_cmpint(img->period, ==, 333);
    g_assert_cmpuint(img->period_frac, ==, 0x55555555);
    img->enabled = 1;
    img->delta = 10;
    img->next_event = T0 + 3334;
    g_assert_cmpuint(ptimer_v10_image_count(img, T0), ==, 10);
    g_assert_cmpuint(ptimer_v10_image_count(img, T0 + 1), ==, 9);
    g_assert_cmpuint(ptimer_v10_image_count(img, T0 + 3000), ==, 1);
    g_assert_cmpuint(ptimer_v10_image_count(img, T0 + 3001), ==, 0);
    g_assert_cmpuint(ptimer_v10_image_count(img, T0 + 3334), ==, 0);
    g_assert_cmpuint(ptimer_v10_image_count(img, T0 + 99999), ==, 0);
    img->enabled = 0;
    g_assert_cmpuint(ptimer_v10_image_count(img, T0 + 99999), ==, 10);
    ptimer_v10_image_set_freq(img, 0);
    g_assert_cmpint(img->period, ==, 0);
    g_assert_cmpuint(img->period_frac, ==, 0);
}

/* A stopped and a frozen timer round-trip too */
static void test_mig_stopped_frozen(void)
{
    g_autoptr(GByteArray) s1 = NULL;
    g_autoptr(GByteArray) s2 = NULL;
    Rig r, d, e;
    Rig *all[3] = { &r, &d, &e };

    rig_init(&r, P_CONT, MODE_QTEST);
    rig_begin(&r);
    rig_set_period(&r, 1000);
    rig_set_limit(&r, 50, true);
    rig_run(&r, false);
    rig_commit(&r);
    rig_step(&r, 12345);
    rig_begin(&r);
    rig_stop(&r);
    rig_commit(&r);
    s1 = mig_save(r.pt);
    mig_dest(&d, &r);
    mig_load(d.pt, s1);
    rig_check(&d);
    g_assert_cmpuint(ptimer_get_count(d.pt), ==, 37);

    rig_begin(&r);
    rig_set_period(&r, 0);
    rig_run(&r, false);
    rig_commit(&r);
    s2 = mig_save(r.pt);
    mig_dest(&e, &r);
    mig_load(e.pt, s2);
    rigs_walk(all, 3, 5000, 500);
    /* all three resume the same way */
    rig_begin(&r);
    rig_set_period(&r, 700);
    rig_commit(&r);
    rig_begin(&e);
    rig_set_period(&e, 700);
    rig_commit(&e);
    rig_begin(&d);
    rig_set_period(&d, 700);
    rig_run(&d, false);
    rig_commit(&d);
    rigs_walk(all, 3, 100000, 333);
    rig_fini(&e);
    rig_fini(&d);
    rig_fini(&r);
}

/*
 * Round trips at the rates boards use, each set both ways a device sets
 * it: as a Clock period (2^-32 ns units, CLOCK_PERIOD_FROM_HZ()) and with
 * ptimer_set_freq().  The same timer is migrated again and again, at
 * phases spread over the reload cycle, and each destination is walked
 * across segment ends (1 ns before, at and after each) against the exact
 * model: a round trip that moved the timer by even 1 ns fails there.
 */
typedef struct MigRate {
    const char *name;
    uint32_t hz;
    bool clock;
} MigRate;

static const MigRate mig_rates[] = {
    { "3mhz-clock", 3000000, true },      { "3mhz-freq", 3000000, false },
    { "12mhz-clock", 12000000, true },    { "12mhz-freq", 12000000, false },
    { "19.2mhz-clock", 19200000, true },  { "19.2mhz-freq", 19200000, false },
    { "24mhz-clock", 24000000, true },    { "24mhz-freq", 24000000, false },
    { "33mhz-clock", 33000000, true },    { "33mhz-freq", 33000000, false },
    { "14.31818mhz-clock", 14318180, true },
    { "14.31818mhz-freq", 14318180, false },
    { "32768hz-clock", 32768, true },     { "32768hz-freq", 32768, false },
};

#define MIG_TRIPS 24

static void mig_rate_set(Rig *r, const MigRate *c)
{
    if (c->clock) {
        rig_set_clock(r, (1000000000ULL << 32) / c->hz, 1);
    } else {
        rig_set_freq(r, c->hz);
    }
}

static void test_mig_rate(gconstpointer data)
{
    static const uint8_t policies[] = { PTIMER_POLICY_LEGACY, P_WRAP | P_NRD };
    const MigRate *c = data;
    unsigned p, k;

    for (p = 0; p < ARRAY_SIZE(policies); p++) {
        Rig rigs[2];
        Rig *src = &rigs[0], *dst = &rigs[1];
        uint64_t limit = 997 + 4 * p;
        int64_t cycle;
        uint32_t seed = 12345 + p;

        rig_init(src, policies[p], MODE_QTEST);
        rig_begin(src);
        mig_rate_set(src, c);
        rig_set_limit(src, limit, true);
        rig_run(src, false);
        rig_commit(src);
        cycle = (int64_t)(((i128)limit + 1) * src->m.pnum / src->m.pden) + 1;

        for (k = 0; k < MIG_TRIPS; k++) {
            g_autoptr(GByteArray) st = NULL;
            Rig *t;

            /* somewhere in the next cycle or two: a new phase each time */
            seed = seed * 1103515245u + 12345u;
            rig_step(src, 1 + (seed >> 8) % (2 * cycle));
            st = mig_save(src->pt);
            mig_dest(dst, src);
            mig_load(dst->pt, st);
            rig_check(dst);
            src->alone = false;
            rig_fini(src);
            rig_walk(dst, 2 * cycle);
            t = src;
            src = dst;
            dst = t;
        }
        src->alone = true;
        rig_fini(src);
    }
}

/*
 * A stopped timer sends only the 10.0 section, whatever its period, so
 * 10.0 can load it.  A Clock-driven 24 MHz period (89478485333 / 2^31 ns)
 * has the same 32.32 image as 125/3 ns and comes back as 125/3 ns.
 */
static void test_mig_stopped_clock(void)
{
    g_autoptr(GByteArray) st = NULL;
    Rig r, d;
    Rig *both[2] = { &r, &d };

    rig_init(&r, PTIMER_POLICY_LEGACY, MODE_QTEST);
    rig_begin(&r);
    rig_set_clock(&r, (1000000000ULL << 32) / 24000000, 1);
    rig_set_limit(&r, 1000, true);
    rig_run(&r, false);
    rig_commit(&r);
    rig_step(&r, 12345);
    rig_begin(&r);
    rig_stop(&r);
    rig_commit(&r);
    st = mig_save(r.pt);
    g_assert_cmpuint(st->len, ==, 53 + 1);
    g_assert_cmpuint(st->data[53], ==, QEMU_VM_EOF);

    mig_dest(&d, &r);
    mig_load(d.pt, st);
    rig_check(&d);
    /* both resume at 125/3 ns */
    rig_begin(&r);
    rig_set_freq(&r, 24000000);
    rig_run(&r, false);
    rig_commit(&r);
    d.m.pnum = 125;
    d.m.pden = 3;
    rig_begin(&d);
    rig_run(&d, false);
    rig_commit(&d);
    rigs_walk(both, 2, 200000, 333);
    rig_fini(&d);
    rig_fini(&r);
}

typedef struct V10Case {
    const char *name;
    uint8_t policy;
    uint8_t enabled;
    uint64_t limit, delta;
    uint32_t frac;
    int64_t period, last, next;  /* last/next relative to T0 */
    /* expected model state after load */
    int seg;
    uint64_t n;
    bool zf, deferred;
    uint64_t pnum, pden;    /* the period read back, if not W / 2^32 */
} V10Case;

static const V10Case v10_cases[] = {
    { "periodic", PTIMER_POLICY_LEGACY, 1, 1000, 400, 0, 1000,
      0, 400000, SEG_COUNT, 400, false, false },
    { "oneshot-frac", P_NRD, 2, 10, 10, 0x80000000u, 333,
      0, 3335, SEG_COUNT, 10, false, false },
    { "wrap", P_WRAP, 1, 5, 5, 0, 1000,
      0, 6000, SEG_COUNT, 5, true, false },
    { "hold-nit", P_NIT, 1, 3, 0, 0, 1000,
      0, 1000, SEG_HOLD, 0, false, true },
    { "hold", P_NIR, 1, 3, 0, 0, 1000,
      0, 1000, SEG_HOLD, 0, false, false },
    { "stopped", PTIMER_POLICY_LEGACY, 0, 9, 77, 0, 1000,
      0, 0, SEG_NONE, 0, false, false },
    /*
     * 24 MHz as 10.0 saves it: 41 + 0xaaaaaaaa / 2^32 ns, next_event
     * rounded down from 24e9 of those (999999999996 ns).  It reads back
     * as 125/3 ns, so the count ends at 1000 s exactly, not 4 ns early.
     */
    { "24mhz-frac", P_NRD, 1, 24000000000ULL, 24000000000ULL, 0xaaaaaaaau,
      41, 0, 999999999996LL, SEG_COUNT, 24000000000ULL, false, false,
      125, 3 },
};

/* A hand-built QEMU 10.0 stream (no subsection) loads and counts */
static void test_mig_v10_load(gconstpointer data)
{
    const V10Case *c = data;
    g_autoptr(GByteArray) b = NULL;
    i128 num, g;
    Rig d;

    b = v10_stream(c->enabled, c->limit, c->delta, c->frac, c->period,
                   T0 + c->last, T0 + c->next,
                   c->enabled ? T0 + c->next : -1);
    put_u8(b, QEMU_VM_EOF);
    rig_init(&d, c->policy, MODE_QTEST);
    vclock_ns = T0 + 100;
    d.m.mode = c->enabled == 2 ? M_ONESHOT : c->enabled ? M_PERIODIC
                                                        : M_STOPPED;
    d.m.l = c->limit;
    d.m.d = c->delta;
    num = ((i128)c->period << 32) + c->frac;
    g = gcd128(num, (i128)1 << 32);
    d.m.pnum = c->pden ? c->pnum : num / g;
    d.m.pden = c->pden ? c->pden : ((i128)1 << 32) / g;
    d.m.seg = c->seg;
    d.m.n = c->n;
    d.m.zf = c->zf;
    d.m.deferred = c->deferred;
    d.m.a = (i128)(T0 + c->last) * d.m.pden;
    d.m.now = vclock_ns;
    mig_load(d.pt, b);
    g_assert_cmpuint(ptimer_get_limit(d.pt), ==, c->limit);
    rig_check(&d);
    rig_walk(&d, 20000);
    if (m_ticking(&d.m)) {
        /* the first end after the load, to the nanosecond */
        rig_step(&d, m_end_ns(&d.m) - 1 - vclock_ns);
        rig_step(&d, 1);
    }
    rig_fini(&d);
}

/* ------------------------------------------------------------------------ */

static void add_tests(void)
{
    unsigned i;

    init_policies();
    add_policy_cases();
    add_random_cases();

    g_test_add_func("/ptimer-ng/txn/nested-in-callback",
                    test_txn_nested_in_callback);
    g_test_add_func("/ptimer-ng/txn/mutator-in-callback",
                    test_txn_mutator_in_callback);
    g_test_add_func("/ptimer-ng/txn/rearm-order", test_txn_rearm_order);
    g_test_add_func("/ptimer-ng/txn/one-trigger", test_txn_one_trigger);
    g_test_add_data_func("/ptimer-ng/txn/overdue/legacy",
                         (void *)(uintptr_t)PTIMER_POLICY_LEGACY,
                         test_txn_overdue);
    g_test_add_data_func("/ptimer-ng/txn/overdue/nrd",
                         (void *)(uintptr_t)P_NRD, test_txn_overdue);
    g_test_add_data_func("/ptimer-ng/txn/empty/legacy",
                         (void *)(uintptr_t)PTIMER_POLICY_LEGACY,
                         test_txn_empty);
    g_test_add_data_func("/ptimer-ng/txn/empty/nrd",
                         (void *)(uintptr_t)P_NRD, test_txn_empty);
    g_test_add_func("/ptimer-ng/txn/instant", test_txn_instant);
    g_test_add_func("/ptimer-ng/txn/deliver-due", test_txn_deliver_due);
    g_test_add_func("/ptimer-ng/count-in-phase/keeps-phase",
                    test_count_in_phase);
    g_test_add_func("/ptimer-ng/count-in-phase/edge",
                    test_count_in_phase_edge);
    g_test_add_func("/ptimer-ng/count-in-phase/fraction",
                    test_count_in_phase_fraction);
    g_test_add_func("/ptimer-ng/count-in-phase/zero",
                    test_count_in_phase_zero);
    g_test_add_func("/ptimer-ng/count-in-phase/fallback",
                    test_count_in_phase_fallback);
    g_test_add_func("/ptimer-ng/txn/overdue-and-load",
                    test_txn_overdue_and_load);
    g_test_add_data_func("/ptimer-ng/txn/late/stop/periodic",
                         (void *)(uintptr_t)0, test_late_stop);
    g_test_add_data_func("/ptimer-ng/txn/late/stop/oneshot",
                         (void *)(uintptr_t)1, test_late_stop);
    g_test_add_data_func("/ptimer-ng/txn/late/stop-load-start/periodic",
                         (void *)(uintptr_t)0, test_late_stop_load_start);
    g_test_add_data_func("/ptimer-ng/txn/late/stop-load-start/oneshot",
                         (void *)(uintptr_t)1, test_late_stop_load_start);
    g_test_add_func("/ptimer-ng/txn/late/count-vs-status",
                    test_late_count_vs_status);
    g_test_add_data_func("/ptimer-ng/txn/chain-bound/legacy",
                         (void *)(uintptr_t)0, test_txn_chain_bound);
    g_test_add_data_func("/ptimer-ng/txn/chain-bound/cont",
                         (void *)(uintptr_t)1, test_txn_chain_bound);
    g_test_add_func("/ptimer-ng/txn/expiries-outside",
                    test_txn_expiries_outside);
    g_test_add_func("/ptimer-ng/txn/assert-outside",
                    test_txn_assert_outside);
    g_test_add_func("/ptimer-ng/txn/assert-policy", test_txn_assert_policy);
    g_test_add_func("/ptimer-ng/txn/assert-forgotten-commit",
                    test_txn_assert_forgotten_commit);

    g_test_add_func("/ptimer-ng/exact/3mhz-million", test_exact_3mhz);
    g_test_add_func("/ptimer-ng/exact/clock-million", test_exact_clock);
    g_test_add_func("/ptimer-ng/exact/phase-kept", test_exact_phase_kept);
    g_test_add_func("/ptimer-ng/exact/same-period-value",
                    test_exact_same_period_value);
    g_test_add_func("/ptimer-ng/exact/period-ratio", test_exact_period_ratio);
    g_test_add_func("/ptimer-ng/v10-diff/count-then-period",
                    test_v10_count_then_period);
    g_test_add_func("/ptimer-ng/v10-diff/reload-then-stop",
                    test_v10_reload_then_stop);
    g_test_add_func("/ptimer-ng/v10-diff/wrap-limit", test_v10_wrap_limit);
    g_test_add_func("/ptimer-ng/v10-diff/zero-load-callback",
                    test_v10_zero_load_callback);
    g_test_add_func("/ptimer-ng/v10-diff/nir-oneshot-rerun",
                    test_v10_nir_oneshot_rerun);
    g_test_add_data_func("/ptimer-ng/policy/hold-limit-change/cont",
                         GUINT_TO_POINTER(P_CONT | P_NRD),
                         test_hold_limit_change);
    g_test_add_data_func("/ptimer-ng/policy/hold-limit-change/cont-nit",
                         GUINT_TO_POINTER(P_CONT | P_NIT | P_NRD),
                         test_hold_limit_change);

    add_fast_cases();

    g_test_add_func("/ptimer-ng/bad/freq0", test_bad_freq0);
    g_test_add_func("/ptimer-ng/bad/period0-run", test_bad_period0_run);
    for (i = 0; i < 4; i++) {
        static const uint8_t pol[] = {
            PTIMER_POLICY_LEGACY, P_NIT, P_NIR | P_CONT, P_TOOD,
        };
        g_autofree char *pname = policy_name(pol[i]);
        g_autofree char *path = g_strdup_printf(
            "/ptimer-ng/bad/period0-zero-count/%s", pname);

        g_test_add_data_func(path, (void *)(uintptr_t)pol[i],
                             test_bad_period0_zero_count);
    }
    g_test_add_func("/ptimer-ng/bad/negative-period",
                    test_bad_negative_period);
    g_test_add_func("/ptimer-ng/bad/count-above-limit",
                    test_bad_count_above_limit);
    g_test_add_func("/ptimer-ng/bad/free-running", test_bad_free_running);
    g_test_add_func("/ptimer-ng/bad/clock", test_bad_clock);
    g_test_add_func("/ptimer-ng/bad/huge-count", test_bad_huge_count);
    g_test_add_func("/ptimer-ng/bad/clock-max-period",
                    test_bad_clock_max_period);
    g_test_add_func("/ptimer-ng/bad/high-freq", test_bad_high_freq);
    g_test_add_func("/ptimer-ng/bad/limit0-all-policies",
                    test_bad_limit0_all);

    g_test_add_data_func("/ptimer-ng/migration/1mhz-layout/periodic",
                         (void *)(uintptr_t)0, test_mig_1mhz_layout);
    g_test_add_data_func("/ptimer-ng/migration/1mhz-layout/oneshot",
                         (void *)(uintptr_t)1, test_mig_1mhz_layout);
    g_test_add_func("/ptimer-ng/migration/3mhz-phase", test_mig_3mhz_phase);
    g_test_add_func("/ptimer-ng/migration/odd-freq-exact",
                    test_mig_odd_freq_exact);
    g_test_add_func("/ptimer-ng/migration/v10-image", test_mig_v10_image);
    for (i = 0; i < ARRAY_SIZE(mig_rates); i++) {
        g_autofree char *path = g_strdup_printf(
            "/ptimer-ng/migration/rate/%s", mig_rates[i].name);

        g_test_add_data_func(path, &mig_rates[i], test_mig_rate);
    }
    g_test_add_func("/ptimer-ng/migration/stopped-clock",
                    test_mig_stopped_clock);
    g_test_add_func("/ptimer-ng/migration/stopped-frozen",
                    test_mig_stopped_frozen);
    for (i = 0; i < ARRAY_SIZE(v10_cases); i++) {
        g_autofree char *path = g_strdup_printf(
            "/ptimer-ng/migration/v10-load/%s", v10_cases[i].name);

        g_test_add_data_func(path, &v10_cases[i], test_mig_v10_load);
    }
}

#else /* !CONFIG_INT128 */

static void test_skip(void)
{
    g_test_skip("the reference model needs a 128-bit integer type");
}

static void add_tests(void)
{
    g_test_add_func("/ptimer-ng/skip", test_skip);
}

#endif /* CONFIG_INT128 */

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    module_call_init(MODULE_INIT_QOM);
    init_clocks(NULL);
    qemu_clock_enable(QEMU_CLOCK_VIRTUAL, true);
    add_tests();
    return g_test_run();
}
