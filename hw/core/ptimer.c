/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ptimer: exact down-counters for device models.
 *
 * Copyright (c) 2026 The ptimer-ng authors
 *
 * Model
 * -----
 * A running timer goes through "segments".  A segment starts at an exact
 * instant, the anchor, and lasts a whole number of periods:
 *
 *  SEG_COUNT  the counter goes down from @delta to zero, one per period.
 *             With SEG_ZERO_FIRST (wrap-after-one-period reloads) it first
 *             reads zero for one period, so the segment is @delta + 1
 *             periods long.  Its end is a decrement to zero: a trigger.
 *  SEG_HOLD   the counter reads zero for one period (a zero load under
 *             NO_IMMEDIATE_RELOAD or NO_IMMEDIATE_TRIGGER, or a continuous
 *             trigger).  Its end triggers if SEG_DEFERRED is set (under
 *             NO_IMMEDIATE_TRIGGER) or if it reloads a zero limit under
 *             CONTINUOUS_TRIGGER.
 *
 * The period is num / den nanoseconds, reduced, so equal periods compare
 * equal whichever setter produced them.  The anchor is anchor_ns +
 * anchor_rem / den, so every segment end is an exact rational instant and
 * successive reloads never accumulate rounding.  The host QEMUTimer is
 * armed at the first whole nanosecond at or after the end.
 *
 * advance() moves a segment past every end at or before a given instant,
 * counting triggers; repeating cycles are skipped with one division, so
 * its cost does not depend on how many ends were passed.  It runs when the
 * host timer fires and when a transaction takes its instant (see
 * txn_now()); the same function run on a copy gives exact counts for
 * coalesced fast timers.
 *
 * An expiry whose host event is late (its end has passed, the QEMUTimer
 * has not run) is delivered by the next outermost begin, before the
 * device changes anything: exactly what the host event would have done
 * had it run on time.  The device then reprograms a timer, and its own
 * state, that are up to date.
 */

#include "qemu/osdep.h"
#include "hw/ptimer.h"
#include "hw/clock.h"
#include "migration/vmstate.h"
#include "qemu/host-utils.h"
#include "qemu/int128.h"
#include "qemu/error-report.h"
#include "qemu/log.h"
#include "system/cpu-timers.h"
#include "system/qtest.h"
#include "trace.h"

/*
 * A periodic timer whose reload cycle is shorter than this is delivered
 * in batches: the host timer fires at the first expiry at least this far
 * ahead, and the callback stands for every expiry since the last one.
 * Not under icount or qtest, where virtual time is deterministic.
 */
#define PTIMER_MIN_HOST_INTERVAL_NS 10000

/* Largest period numerator: keeps every product below 2^127. */
#define PTIMER_MAX_NUM ((uint64_t)INT64_MAX)

enum {
    PT_STOPPED = 0,
    PT_PERIODIC = 1,
    PT_ONESHOT = 2,
};

enum {
    SEG_COUNT = 0,
    SEG_HOLD = 1,
};

/* ptimer_state.now of a transaction that has not read the clock */
#define NOW_UNREAD      (-1)    /* QEMU_CLOCK_VIRTUAL is never negative */

#define SEG_ZERO_FIRST  (1 << 0)
#define SEG_DEFERRED    (1 << 1)

typedef struct PTimerSeg {
    uint8_t enabled;        /* PT_STOPPED, PT_PERIODIC or PT_ONESHOT */
    uint8_t kind;           /* SEG_COUNT or SEG_HOLD */
    uint8_t flags;          /* SEG_ZERO_FIRST, SEG_DEFERRED */
    uint64_t delta;         /* count at the anchor; the count when stopped */
    int64_t anchor_ns;
    uint64_t anchor_rem;    /* in 1/den ns, below den */
    int64_t end_ns;         /* anchor + periods * P, kept by seg_set_end() */
    uint64_t end_rem;
    int64_t deadline;       /* the end rounded up to a whole ns */
} PTimerSeg;

struct ptimer_state {
    PTimerSeg seg;
    uint64_t limit;
    uint64_t num;           /* period = num / den ns; num == 0: no clock */
    uint64_t den;

    QEMUTimer *timer;
    int64_t armed;          /* host deadline programmed, INT64_MAX: none */
    bool coalescing;        /* fast periodic timer delivered in batches */

    /*
     * The steady reload of a periodic timer, kept by recalc() whenever
     * the limit or the period changes: after a segment of kind step_kind
     * comes one of step_flags that lasts step_periods periods, step_ns +
     * step_rem / den ns, so an expiry moves the segment by an add with
     * carry.
     */
    bool fast;              /* its cycle is under the host minimum */
    uint8_t step_kind;
    uint8_t step_flags;
    uint64_t step_periods;  /* 0: no steady reload (or beyond 2^64) */
    uint64_t step_ns;
    uint64_t step_rem;
    int64_t step_last;      /* last end it moves exactly, INT64_MIN: none */

    /* A coalescing timer's segment advanced to the last read (count_now) */
    PTimerSeg view;
    bool view_ok;

    uint8_t policy;
    ptimer_cb callback;
    void *callback_opaque;

    /* Transactions; never migrated (migration cannot happen inside one). */
    unsigned depth;
    int64_t now;            /* the instant of the open transaction */
    union {
        struct {
            bool dirty;         /* the host timer may need reprogramming */
            bool need_restart;  /* restart counting from seg.delta */
        };
        uint16_t todo;          /* either: the commit has work to do */
    };
    uint64_t pending;       /* expiries waiting for the callback */
    uint64_t delivering;    /* expiries the running callback stands for */

    /* The QEMU 10.0 wire image, filled by pre_save and read by post_load. */
    uint8_t wire_enabled;
    uint64_t wire_delta;
    uint32_t wire_period_frac;
    int64_t wire_period;
    int64_t wire_last;
    int64_t wire_next;
    /* The exact subsection; wire_exact says whether it was received. */
    uint8_t exact_enabled;
    uint8_t exact_kind;
    uint8_t exact_flags;
    uint64_t exact_delta;
    uint64_t exact_num;
    uint64_t exact_den;
    uint64_t exact_rem;
    bool wire_exact;
};

static inline bool policy(const ptimer_state *s, unsigned bit)
{
    return s->policy & bit;
}

static inline int64_t now_ns(void)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

static Int128 mul_64x64(uint64_t a, uint64_t b)
{
    uint64_t lo, hi;

    mulu64(&lo, &hi, a, b);
    return int128_make128(lo, hi);
}

/* a * b, for products known to stay below 2^127. */
static Int128 int128_mul_u64(Int128 a, uint64_t b)
{
    uint64_t lo = int128_getlo(a), hi = int128_gethi(a);

    mulu128(&lo, &hi, b);
    return int128_make128(lo, hi);
}

/* Periods in the segment: delta, one more for a leading zero, 1 for a hold. */
static Int128 seg_periods(const PTimerSeg *g)
{
    if (g->kind == SEG_HOLD) {
        return int128_one();
    }
    return int128_add(int128_make64(g->delta),
                      int128_make64(!!(g->flags & SEG_ZERO_FIRST)));
}

/*
 * Move an exact instant (ns + rem / den) forward by @units / den ns.
 * Saturates at INT64_MAX ("never").
 */
static void instant_add(const ptimer_state *s, int64_t *ns, uint64_t *rem,
                        Int128 units)
{
    Int128 total = int128_add(units, int128_make64(*rem));
    uint64_t lo = int128_getlo(total), hi = int128_gethi(total);

    if (hi) {
        *rem = divu128(&lo, &hi, s->den);
    } else if (s->den == 1) {
        *rem = 0;
    } else {
        *rem = lo % s->den;
        lo /= s->den;
    }
    if (hi || lo > (uint64_t)(INT64_MAX - *ns)) {
        *ns = INT64_MAX;
        *rem = 0;
    } else {
        *ns += lo;
    }
}

/* Time from the anchor to @now, in 1/den ns (zero if @now is earlier). */
static Int128 seg_elapsed(const ptimer_state *s, const PTimerSeg *g,
                          int64_t now)
{
    Int128 el;

    if (now <= g->anchor_ns) {
        return int128_zero();
    }
    el = int128_sub(mul_64x64(now - g->anchor_ns, s->den),
                    int128_make64(g->anchor_rem));
    return int128_lt(el, int128_zero()) ? int128_zero() : el;
}

/* Recompute the cached end of @g after its anchor, kind or delta changed. */
static inline void seg_set_end(const ptimer_state *s, PTimerSeg *g)
{
    uint64_t periods, units, q;

    periods = g->kind == SEG_HOLD ? 1
              : g->delta + !!(g->flags & SEG_ZERO_FIRST);
    g->end_ns = g->anchor_ns;
    g->end_rem = g->anchor_rem;
    if (!s->num || g->enabled == PT_STOPPED) {
        g->end_ns = INT64_MAX;     /* it never ends */
        g->end_rem = 0;
    } else if (periods >= g->delta &&
               !__builtin_mul_overflow(periods, s->num, &units) &&
               !__builtin_add_overflow(units, g->anchor_rem, &units)) {
        /* Everything fits in 64 bits: the usual case. */
        q = s->den == 1 ? units : units / s->den;
        g->end_rem = s->den == 1 ? 0 : units % s->den;
        if (q > (uint64_t)(INT64_MAX - g->anchor_ns)) {
            g->end_ns = INT64_MAX;
            g->end_rem = 0;
        } else {
            g->end_ns += q;
        }
    } else {
        instant_add(s, &g->end_ns, &g->end_rem,
                    int128_mul_u64(seg_periods(g), s->num));
    }
    g->deadline = g->end_ns + (g->end_rem && g->end_ns < INT64_MAX);
}

/* The instant the segment ends, rounded up to a whole nanosecond. */
static inline int64_t seg_deadline(const PTimerSeg *g)
{
    return g->deadline;
}

static inline bool seg_running(const ptimer_state *s, const PTimerSeg *g)
{
    return g->enabled != PT_STOPPED && s->num != 0;
}

/* A segment that does not end (stopped, or frozen at period 0). */
static void seg_never(PTimerSeg *g)
{
    g->end_ns = INT64_MAX;
    g->end_rem = 0;
    g->deadline = INT64_MAX;
}

static void seg_stop(PTimerSeg *g)
{
    g->enabled = PT_STOPPED;
    g->kind = SEG_COUNT;
    g->flags = 0;
    g->delta = 0;
    seg_never(g);
}

/*
 * The shape of the steady reload of a periodic timer (see ptimer_state):
 * the segment that follows a count with a nonzero limit, or a hold of a
 * continuous-trigger timer with a zero limit.  Depends on the limit and
 * the policy only.
 */
static void recalc_shape(ptimer_state *s)
{
    bool wrap = policy(s, PTIMER_POLICY_WRAP_AFTER_ONE_PERIOD);

    if (s->limit) {
        s->step_periods = s->limit + wrap;  /* 0 if beyond 2^64 */
        s->step_kind = SEG_COUNT;
        s->step_flags = wrap ? SEG_ZERO_FIRST : 0;
    } else {
        s->step_periods = policy(s, PTIMER_POLICY_CONTINUOUS_TRIGGER);
        s->step_kind = SEG_HOLD;
        s->step_flags = policy(s, PTIMER_POLICY_NO_IMMEDIATE_TRIGGER) ?
                        SEG_DEFERRED : 0;
    }
}

/* Cache the length of the steady reload, after the period or its shape. */
static void recalc(ptimer_state *s)
{
    uint64_t units;

    s->step_last = INT64_MIN;
    s->fast = false;
    if (__builtin_mul_overflow(s->step_periods, s->num, &units) || !units) {
        return;     /* no steady reload, or one far longer than the host's */
    }
    s->fast = units < PTIMER_MIN_HOST_INTERVAL_NS * s->den;
    s->step_ns = units / s->den;
    s->step_rem = units % s->den;
    if (s->step_ns < INT64_MAX / 2) {
        s->step_last = INT64_MAX - 1 - (int64_t)s->step_ns;
    }
}

/*
 * Having just started a repeating segment, skip the whole cycles that
 * ended at or before @now.  Returns how many were skipped (each is an
 * expiry).
 */
static uint64_t G_GNUC_NO_INLINE seg_skip_cycles(const ptimer_state *s,
                                                 PTimerSeg *g, int64_t now)
{
    Int128 cycle;
    Int128 k;

    if (seg_deadline(g) > now) {
        return 0;       /* the usual case: the new cycle is still ahead */
    }
    cycle = int128_mul_u64(seg_periods(g), s->num);
    if (!int128_nz(cycle)) {
        return 0;
    }
    k = int128_divu(seg_elapsed(s, g, now), cycle);
    if (!int128_nz(k)) {
        return 0;
    }
    if (int128_gethi(k)) {
        /* More than 2^64 cycles: only with sub-picosecond periods. */
        k = int128_make64(UINT64_MAX);
    }
    instant_add(s, &g->anchor_ns, &g->anchor_rem,
                int128_mul_u64(cycle, int128_getlo(k)));
    seg_set_end(s, g);
    return int128_getlo(k);
}

static uint64_t gcd_u64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;

        a = b;
        b = t;
    }
    return a;
}

static inline uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a + b < a ? UINT64_MAX : a + b;
}

/* Start a new segment of @kind at the end of the current one. */
static void seg_next(const ptimer_state *s, PTimerSeg *g, uint8_t kind,
                     uint64_t delta, uint8_t flags)
{
    g->anchor_ns = g->end_ns;
    g->anchor_rem = g->end_rem;
    g->kind = kind;
    g->delta = delta;
    g->flags = flags;
    seg_set_end(s, g);
}

/*
 * Account for every segment end at or before @now, one at a time (see
 * advance()).  Returns the number of triggers those ends produce.
 */
static uint64_t advance_slow(const ptimer_state *s, PTimerSeg *g,
                             int64_t now)
{
    uint64_t triggers = 0;
    bool cont = policy(s, PTIMER_POLICY_CONTINUOUS_TRIGGER);
    int guard;

    for (guard = 0; guard < 8 && seg_running(s, g); guard++) {
        bool repeat;

        if (seg_deadline(g) > now) {
            break;
        }
        if (g->kind == SEG_COUNT ||
            (g->flags & SEG_DEFERRED) ||
            (g->enabled == PT_PERIODIC && !s->limit && cont)) {
            triggers = sat_add(triggers, 1);
        }
        if (g->enabled == PT_ONESHOT) {
            seg_stop(g);
            break;
        }
        if (s->limit) {
            /* Reloads after a decrement may first stay at zero a period. */
            bool wrap = g->kind == SEG_COUNT &&
                        policy(s, PTIMER_POLICY_WRAP_AFTER_ONE_PERIOD);

            seg_next(s, g, SEG_COUNT, s->limit, wrap ? SEG_ZERO_FIRST : 0);
            repeat = wrap || !policy(s, PTIMER_POLICY_WRAP_AFTER_ONE_PERIOD);
        } else if (cont) {
            seg_next(s, g, SEG_HOLD, 0, s->step_flags);
            repeat = true;
        } else {
            qemu_log_mask(LOG_GUEST_ERROR,
                          "ptimer: periodic timer reached zero with a zero "
                          "limit, stopping it\n");
            seg_stop(g);
            break;
        }
        if (repeat) {
            triggers = sat_add(triggers, seg_skip_cycles(s, g, now));
        }
    }
    return triggers;
}

/*
 * Account for every segment end at or before @now.  Returns the number of
 * triggers those ends produce.  The usual end, a periodic reload into the
 * steady segment, moves the segment by the cached step: one trigger, no
 * multiplication, no division.
 */
static inline uint64_t advance(const ptimer_state *s, PTimerSeg *g,
                               int64_t now)
{
    uint64_t rem;

    /* A segment that is not running never ends: its deadline is "never". */
    if (likely(g->deadline > now)) {
        return 0;
    }
    if (unlikely(g->end_ns >= s->step_last || g->enabled != PT_PERIODIC ||
                 g->kind != s->step_kind)) {
        return advance_slow(s, g, now);
    }
    g->anchor_ns = g->end_ns;
    g->anchor_rem = g->end_rem;
    g->flags = s->step_flags;   /* its kind is step_kind already */
    g->delta = s->limit;
    rem = g->end_rem + s->step_rem;
    g->end_ns += s->step_ns;
    if (rem >= s->den) {
        rem -= s->den;
        g->end_ns++;
    }
    g->end_rem = rem;
    g->deadline = g->end_ns + !!rem;
    if (likely(g->deadline > now)) {
        return 1;
    }
    return sat_add(1, seg_skip_cycles(s, g, now));
}

/*
 * The count of a segment whose end lies beyond the range of the clock
 * (huge counts with long periods): computed forward from the anchor.
 */
static uint64_t seg_count_far(const ptimer_state *s, const PTimerSeg *g,
                              int64_t now)
{
    Int128 el = seg_elapsed(s, g, now);
    Int128 num = int128_make64(s->num);
    Int128 ticks, left;

    /* Whole periods begun since the anchor: ceil(el / num). */
    ticks = int128_divu(int128_add(el, int128_sub(num, int128_one())), num);
    if ((g->flags & SEG_ZERO_FIRST) && int128_le(el, num)) {
        return 0;
    }
    left = int128_sub(seg_periods(g), ticks);
    if (policy(s, PTIMER_POLICY_NO_COUNTER_ROUND_DOWN) && int128_nz(el)) {
        left = int128_add(left, int128_one());
    }
    return int128_getlo(left);
}

/* The count of segment @g at @now, as the policy shows it. */
static inline uint64_t seg_count(const ptimer_state *s, const PTimerSeg *g,
                          int64_t now)
{
    bool started = now > g->anchor_ns;
    uint64_t ahead, left, count;

    if (!seg_running(s, g)) {
        return g->delta;
    }
    if (g->kind == SEG_HOLD) {
        return 0;
    }
    if (now >= seg_deadline(g)) {
        /* Due but not delivered yet: still the value just before zero. */
        return policy(s, PTIMER_POLICY_NO_COUNTER_ROUND_DOWN) && started;
    }
    if (unlikely(g->end_ns == INT64_MAX)) {
        return seg_count_far(s, g, now);
    }
    /* Time left to the end, in 1/den ns, over the period: rounded down. */
    ahead = g->end_ns - now;
    if (ahead < (1ULL << 32)) {
        left = ahead * s->den + g->end_rem;     /* below 2^64 */
        count = left / s->num;
    } else {
        uint64_t hi;

        mulu64(&left, &hi, ahead, s->den);
        hi += uadd64_overflow(left, g->end_rem, &left);
        divu128(&left, &hi, s->num);
        count = left;
    }
    if ((g->flags & SEG_ZERO_FIRST) && count >= g->delta) {
        return 0;   /* the period at zero before a wrap reload */
    }
    if (policy(s, PTIMER_POLICY_NO_COUNTER_ROUND_DOWN) && started) {
        count++;
    }
    return count;
}

/* Trace points of hot paths: formatting them costs a frame of its own. */
static void G_GNUC_NO_INLINE trace_frozen(ptimer_state *s)
{
    trace_ptimer_frozen(s, s->seg.delta);
}

static void G_GNUC_NO_INLINE trace_arm(ptimer_state *s)
{
    trace_ptimer_arm(s, s->seg.enabled,
                     s->armed == INT64_MAX ? -1 : s->armed, s->coalescing);
}

static void G_GNUC_NO_INLINE trace_expired(ptimer_state *s)
{
    trace_ptimer_expired(s, s->now);
    if (s->delivering) {
        trace_ptimer_trigger(s, s->delivering);
    }
}

static void G_GNUC_NO_INLINE trace_trigger(ptimer_state *s)
{
    trace_ptimer_trigger(s, s->delivering);
}

static void G_GNUC_NO_INLINE trace_set_count(ptimer_state *s)
{
    trace_ptimer_set_count(s, s->seg.delta);
}

static void G_GNUC_NO_INLINE trace_set_limit(ptimer_state *s, uint64_t limit,
                                             int reload)
{
    trace_ptimer_set_limit(s, limit, reload);
}

static void G_GNUC_NO_INLINE trace_set_period(ptimer_state *s, uint64_t num,
                                              uint64_t den)
{
    trace_ptimer_set_period(s, num, den);
}

static void G_GNUC_NO_INLINE trace_run(ptimer_state *s, int oneshot)
{
    trace_ptimer_run(s, oneshot, s->seg.delta);
}

static void G_GNUC_NO_INLINE trace_stop(ptimer_state *s, uint64_t count)
{
    trace_ptimer_stop(s, count);
}

#define PTIMER_TRACING(ev) \
    unlikely(trace_event_get_state_backends(TRACE_PTIMER_##ev))

/*
 * The count of a coalescing timer whose segment end has passed: the
 * segment is advanced on a copy (the expiries stay for the host event to
 * deliver), kept from one read to the next until the timer changes.
 */
static uint64_t G_GNUC_NO_INLINE count_coalesced(ptimer_state *s,
                                                 int64_t now)
{
    if (!s->view_ok || s->view.anchor_ns > now) {
        s->view = s->seg;
        s->view_ok = true;
    }
    advance(s, &s->view, now);
    return seg_count(s, &s->view, now);
}

static inline uint64_t count_now(ptimer_state *s, int64_t now)
{
    if (unlikely(s->need_restart)) {
        return s->seg.delta;    /* loaded in this transaction */
    }
    if (unlikely(s->coalescing) && now >= s->seg.deadline) {
        return count_coalesced(s, now);
    }
    return seg_count(s, &s->seg, now);
}

/*
 * The host deadline of a fast periodic timer: the first expiry at least
 * the minimum ahead of @now.
 */
static int64_t G_GNUC_NO_INLINE coalesced_deadline(ptimer_state *s,
                                                   int64_t now)
{
    PTimerSeg ahead = s->seg;

    if (now <= INT64_MAX - PTIMER_MIN_HOST_INTERVAL_NS) {
        advance(s, &ahead, now + PTIMER_MIN_HOST_INTERVAL_NS - 1);
    }
    return seg_running(s, &ahead) ? ahead.deadline : s->seg.deadline;
}

/*
 * Program the host timer for the current segment.  A periodic timer that
 * reloads faster than the host should follow is delivered in batches;
 * not under icount or qtest, where virtual time is deterministic.
 */
static int64_t G_GNUC_NO_INLINE fast_deadline(ptimer_state *s, int64_t now)
{
    s->view_ok = false;
    s->coalescing = s->fast && s->seg.enabled == PT_PERIODIC &&
                    s->seg.deadline != INT64_MAX &&
                    !icount_enabled() && !qtest_enabled();
    return s->coalescing ? coalesced_deadline(s, now) : s->seg.deadline;
}

static inline void arm(ptimer_state *s, int64_t now)
{
    /* A segment that is not running has the deadline "never". */
    int64_t deadline = s->seg.deadline;

    if (unlikely(s->fast || s->coalescing)) {
        deadline = fast_deadline(s, now);
    }
    if (deadline == s->armed) {
        return;
    }
    s->armed = deadline;
    if (PTIMER_TRACING(ARM)) {
        trace_arm(s);
        deadline = s->armed;
    }
    if (deadline == INT64_MAX) {
        timer_del(s->timer);
    } else {
        timer_mod(s->timer, deadline);
    }
}

/* Load zero into a running timer, at the current anchor. */
static void zero_load(ptimer_state *s)
{
    PTimerSeg *g = &s->seg;
    bool late = policy(s, PTIMER_POLICY_NO_IMMEDIATE_TRIGGER);

    if (!late && !policy(s, PTIMER_POLICY_TRIGGER_ONLY_ON_DECREMENT)) {
        s->pending = sat_add(s->pending, 1);
    }
    g->delta = 0;
    g->flags = 0;
    if (policy(s, PTIMER_POLICY_NO_IMMEDIATE_RELOAD)) {
        g->kind = SEG_HOLD;
        g->flags = late ? SEG_DEFERRED : 0;
    } else if (s->limit) {
        g->kind = SEG_COUNT;
        g->delta = s->limit;
    } else if (late || (g->enabled == PT_PERIODIC &&
                        policy(s, PTIMER_POLICY_CONTINUOUS_TRIGGER))) {
        g->kind = SEG_HOLD;
        g->flags = late ? SEG_DEFERRED : 0;
    } else {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "ptimer: timer started with a zero count and a zero "
                      "limit, stopping it\n");
        seg_stop(g);
    }
}

/* restart() of a frozen timer, a zero load or a count beyond 2^64 units */
static void G_GNUC_NO_INLINE restart_slow(ptimer_state *s, int64_t now)
{
    PTimerSeg *g = &s->seg;

    if (!s->num) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "ptimer: timer running without a clock (period 0), "
                      "its count is frozen\n");
        if (PTIMER_TRACING(FROZEN)) {
            trace_frozen(s);
        }
        seg_never(g);
        return;
    }
    if (!g->delta) {
        zero_load(s);
    }
    seg_set_end(s, g);
}

/*
 * Start counting from seg.delta at @now; for need_restart, which only a
 * running timer has.  The caller reprograms the host timer.
 */
static inline void restart(ptimer_state *s, int64_t now)
{
    PTimerSeg *g = &s->seg;
    uint64_t units, q;
    int64_t end;

    g->anchor_ns = now;
    g->anchor_rem = 0;
    g->kind = SEG_COUNT;
    g->flags = 0;
    /*
     * The anchor is a whole ns: the end is @now + delta periods.  A zero
     * product is a zero count or period 0.  With @now >= 0, the end is
     * below INT64_MAX exactly when (int64_t)(end + 1) > @now.
     */
    if (likely(!__builtin_mul_overflow(g->delta, s->num, &units) && units)) {
        q = units / s->den;
        end = (int64_t)((uint64_t)now + q);
        if (likely((int64_t)((uint64_t)end + 1) > now)) {
            g->end_ns = end;
            g->end_rem = units % s->den;
            g->deadline = end + !!g->end_rem;
            return;
        }
    }
    restart_slow(s, now);
}

/* A device model calling a setter outside a transaction: a QEMU bug. */
static void G_GNUC_NO_INLINE G_NORETURN not_in_txn(ptimer_state *s)
{
    error_report("ptimer %p: changed outside a transaction", s);
    abort();
}

static inline void check_in_txn(ptimer_state *s)
{
    if (unlikely(!s->depth)) {
        not_in_txn(s);
    }
}

/*
 * The instant of the current transaction: every change in a transaction
 * happens at that instant.  It is read when the outermost transaction of
 * an enabled timer opens, or when the host timer event runs.  A stopped
 * timer needs it only to start counting, at the commit
 * (NOW_UNREAD until then): no setter reads it for such a timer, because
 * a count read after ptimer_run() in the same transaction is the count
 * loaded (need_restart).
 */
static inline int64_t txn_now(ptimer_state *s)
{
    check_in_txn(s);
    return s->now;
}

/* Deliver the pending trigger(s) to the device, inside our transaction. */
static inline void run_callback(ptimer_state *s)
{
    s->delivering = s->pending;
    s->pending = 0;
    if (PTIMER_TRACING(TRIGGER)) {
        trace_trigger(s);
    }
    s->callback(s->callback_opaque);
    assert(s->depth == 1);
    s->delivering = 0;
}

/*
 * Deliver the pending triggers, and again while the callbacks trigger
 * the timer anew (a zero load), up to PTIMER_MAX_CALLBACK_CHAIN calls.
 */
static void G_GNUC_NO_INLINE deliver(ptimer_state *s, int64_t now, int chain)
{
    while (s->pending) {
        if (chain++ == PTIMER_MAX_CALLBACK_CHAIN) {
            uint64_t count = count_now(s, now);

            qemu_log_mask(LOG_GUEST_ERROR,
                          "ptimer: callback re-triggered the timer %d times "
                          "in a row, stopping it\n", PTIMER_MAX_CALLBACK_CHAIN);
            seg_stop(&s->seg);
            s->seg.delta = count;
            s->pending = 0;
            s->need_restart = false;
            s->dirty = true;
            break;
        }
        run_callback(s);
        if (s->need_restart) {
            s->need_restart = false;
            s->dirty = true;
            restart(s, now);
        }
    }
}

/*
 * Apply the changes of the outermost transaction and deliver its
 * triggers: at the commit, or at the begin for late expiries.
 */
static inline void commit_changes(ptimer_state *s, int chain)
{
    int64_t now = txn_now(s);

    if (s->need_restart) {
        s->need_restart = false;
        s->dirty = true;
        restart(s, now);
    }
    if (unlikely(s->pending)) {
        deliver(s, now, chain);
    }
    if (s->dirty) {
        s->dirty = false;
        arm(s, now);
    }
}

/* The changes a callback made, run from the host timer event. */
static void G_GNUC_NO_INLINE commit_from_event(ptimer_state *s)
{
    commit_changes(s, 1);
}

/* A commit or timer event while the depth says something else. */
static void G_GNUC_NO_INLINE G_NORETURN unbalanced(ptimer_state *s)
{
    error_report("ptimer %p: unbalanced transaction (depth %u)", s, s->depth);
    abort();
}

/*
 * The host timer event: account for the expiry and deliver it, as an
 * outermost begin would (see ptimer_transaction_begin()), then re-arm.
 */
static void ptimer_expired(void *opaque)
{
    ptimer_state *s = opaque;
    int64_t now = now_ns();

    /*
     * No transaction can be open when the main loop runs a timer event:
     * a device model that forgot a commit would otherwise leave every
     * later commit a nested one, and the timer would silently die.
     */
    if (unlikely(s->depth)) {
        unbalanced(s);
    }
    s->depth = 1;
    s->now = now;
    s->armed = INT64_MAX;   /* the host timer is not pending any more */
    /* Nothing is pending outside a transaction: these are all. */
    s->delivering = advance(s, &s->seg, now);
    if (unlikely(trace_event_get_state_backends(TRACE_PTIMER_EXPIRED) ||
                 trace_event_get_state_backends(TRACE_PTIMER_TRIGGER))) {
        trace_expired(s);
    }
    if (likely(s->delivering)) {
        s->callback(s->callback_opaque);
        if (unlikely(s->depth != 1)) {
            unbalanced(s);
        }
        s->delivering = 0;
        if (unlikely(s->todo)) {
            commit_from_event(s);   /* the callback changed the timer */
        }
    }
    s->depth = 0;
    arm(s, s->now);
}

ptimer_state *ptimer_init(ptimer_cb callback, void *callback_opaque,
                          uint8_t policy_mask)
{
    ptimer_state *s;

    /* These two bits contradict each other: a device model bug. */
    assert(!((policy_mask & PTIMER_POLICY_NO_IMMEDIATE_TRIGGER) &&
             (policy_mask & PTIMER_POLICY_TRIGGER_ONLY_ON_DECREMENT)));

    s = g_new0(ptimer_state, 1);
    s->policy = policy_mask;
    s->callback = callback;
    s->callback_opaque = callback_opaque;
    s->den = 1;
    s->armed = INT64_MAX;
    seg_never(&s->seg);
    recalc_shape(s);
    s->timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, ptimer_expired, s);
    return s;
}

void ptimer_free(ptimer_state *s)
{
    if (!s) {
        return;
    }
    timer_free(s->timer);
    g_free(s);
}

/* A late expiry found by an outermost begin: deliver it now. */
static void G_GNUC_NO_INLINE begin_late(ptimer_state *s)
{
    s->pending = sat_add(s->pending, advance(s, &s->seg, s->now));
    s->dirty = true;
    if (!s->pending) {
        return;     /* an end that does not trigger: the commit re-arms */
    }
    /*
     * Its host event is late: deliver it now, as it would have, before
     * the device changes its registers or the timer.  The callback's own
     * changes are applied here too; the device's changes follow at the
     * same instant.
     */
    commit_changes(s, 0);
}

void ptimer_transaction_begin(ptimer_state *s)
{
    if (s->depth++ == 0) {
        if (s->seg.enabled == PT_STOPPED) {
            s->now = NOW_UNREAD;    /* read if the commit starts it */
        } else {
            /*
             * A running (or frozen) timer: take the instant, and deliver
             * the expiries already due (a late host timer event) before
             * anything changes.
             */
            s->now = now_ns();
            if (unlikely(s->now >= s->seg.deadline)) {
                begin_late(s);
            }
        }
    }
}

/* The outermost commit of a transaction that changed something. */
static void G_GNUC_NO_INLINE commit_deliver(ptimer_state *s)
{
    s->depth = 1;       /* still ours while the callbacks run */
    deliver(s, s->now, 0);
    s->depth = 0;
    s->todo = 0;
}

static void G_GNUC_NO_INLINE commit_outermost(ptimer_state *s)
{
    /* Every change leaves the host timer to reprogram: arm() either way. */
    if (s->need_restart) {
        if (unlikely(s->now == NOW_UNREAD)) {
            s->now = now_ns();      /* a timer that was not running */
        }
        restart(s, s->now);
    }
    s->todo = 0;
    if (unlikely(s->pending)) {
        commit_deliver(s);
    }
    arm(s, s->now);
}

void ptimer_transaction_commit(ptimer_state *s)
{
    if (unlikely(!s->depth)) {
        unbalanced(s);
    }
    /* A pending trigger always comes with dirty set. */
    if (--s->depth == 0 && s->todo) {
        commit_outermost(s);
    }
}

void ptimer_deliver_due(ptimer_state *s)
{
    ptimer_transaction_begin(s);
    ptimer_transaction_commit(s);
}

uint64_t ptimer_get_expiries(ptimer_state *s)
{
    return s->delivering;
}

/*
 * A period of (hi:lo) / 2^32 ns, as Clock periods and the 10.0 wire image
 * give it: cancel the common factors of two, leaving (hi:lo) / *den.
 */
static void reduce_fixed32(uint64_t *lo, uint64_t *hi, uint64_t *den)
{
    int shift = MIN(*lo ? ctz64(*lo) : 64, 32);

    *lo = (*lo >> shift) | (shift ? *hi << (64 - shift) : 0);
    *hi >>= shift;
    *den = (1ULL << 32) >> shift;
}

/* Install a new (reduced) period. */
static void set_period_exact(ptimer_state *s, uint64_t num, uint64_t den)
{
    int64_t now = txn_now(s);

    if (!num) {
        den = 1;
    }
    if (num == s->num && den == s->den) {
        return;     /* same period: keep the phase */
    }
    if (PTIMER_TRACING(SET_PERIOD)) {
        trace_set_period(s, num, den);
    }
    s->dirty = true;
    if (s->seg.enabled != PT_STOPPED) {
        if (s->num) {
            /* Restart the current period from the count read now. */
            s->seg.delta = count_now(s, now);
        }
        s->need_restart = true;
    }
    s->num = num;
    s->den = den;
    s->view_ok = false;
    recalc(s);
}

void ptimer_set_period(ptimer_state *s, int64_t period)
{
    set_period_exact(s, period > 0 ? period : 0, 1);
}

void ptimer_set_freq(ptimer_state *s, uint32_t freq)
{
    uint64_t g;

    if (!freq) {
        set_period_exact(s, 0, 1);
        return;
    }
    g = gcd_u64(NANOSECONDS_PER_SECOND, freq);
    set_period_exact(s, NANOSECONDS_PER_SECOND / g, freq / g);
}

void ptimer_set_period_ratio(ptimer_state *s, uint64_t num, uint64_t den)
{
    uint64_t g;

    if (!den) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "ptimer: period %" PRIu64 "/0 ns, timer stops\n", num);
        num = 0;
    }
    if (!num) {
        set_period_exact(s, 0, 1);
        return;
    }
    g = gcd_u64(num, den);
    num /= g;
    den /= g;
    /*
     * Keep the bounds of the exact state, scaling both down if needed;
     * a whole number of ns beyond the bound is clamped to it, as
     * ptimer_set_period_from_clock() does.
     */
    while (den > (1ULL << 32) || (num > PTIMER_MAX_NUM && den > 1)) {
        num = (num >> 1) + (num & 1);
        den = (den >> 1) + (den & 1);
        g = gcd_u64(num, den);
        num /= g;
        den /= g;
    }
    set_period_exact(s, MIN(num, PTIMER_MAX_NUM), den);
}

void ptimer_set_period_from_clock(ptimer_state *s, const Clock *clk,
                                  unsigned int divisor)
{
    uint64_t lo, hi, den;

    /* Clock periods are in 2^-32 ns: period = clock * divisor / 2^32. */
    mulu64(&lo, &hi, clock_get(clk), divisor);
    if (!lo && !hi) {
        set_period_exact(s, 0, 1);
        return;
    }
    reduce_fixed32(&lo, &hi, &den);
    /* Beyond 2^63 units, keep the most significant bits. */
    while ((hi || lo > PTIMER_MAX_NUM) && den > 1) {
        lo = (lo >> 1) | (hi << 63);
        hi >>= 1;
        den >>= 1;
    }
    if (hi || lo > PTIMER_MAX_NUM) {
        lo = PTIMER_MAX_NUM;
    }
    set_period_exact(s, lo, den);
}

uint64_t ptimer_get_limit(ptimer_state *s)
{
    return s->limit;
}

void ptimer_set_limit(ptimer_state *s, uint64_t limit, int reload)
{
    check_in_txn(s);
    if (PTIMER_TRACING(SET_LIMIT)) {
        trace_set_limit(s, limit, reload);
    }
    if (s->limit != limit) {
        s->limit = limit;
        s->dirty = true;
        s->view_ok = false;
        recalc_shape(s);
        recalc(s);
    }
    if (reload) {
        s->seg.delta = limit;
        s->need_restart = s->seg.enabled != PT_STOPPED;
    }
}

uint64_t ptimer_get_count(ptimer_state *s)
{
    return count_now(s, now_ns());
}

void ptimer_set_count(ptimer_state *s, uint64_t count)
{
    check_in_txn(s);
    s->seg.delta = count;
    s->need_restart = s->seg.enabled != PT_STOPPED;
    if (PTIMER_TRACING(SET_COUNT)) {
        trace_set_count(s);
    }
}

void ptimer_set_count_in_phase(ptimer_state *s, uint64_t count)
{
    int64_t now = txn_now(s);
    PTimerSeg *g = &s->seg;
    Int128 el, k;

    /* Stopped, frozen, or restarting already: there is no phase to keep. */
    if (!seg_running(s, g) || s->need_restart) {
        ptimer_set_count(s, count);
        return;
    }
    /*
     * The segment's periods run on from its anchor across reloads: the
     * period in progress began k whole periods after it.  Count from that
     * instant, so the next decrement comes when it would have.  At the
     * very end of a period, NO_COUNTER_ROUND_DOWN still shows that
     * period's count (see seg_count()): that period is the one in
     * progress then.
     */
    el = seg_elapsed(s, g, now);
    if (policy(s, PTIMER_POLICY_NO_COUNTER_ROUND_DOWN) && int128_nz(el)) {
        el = int128_sub(el, int128_one());
    }
    k = int128_divu(el, int128_make64(s->num));
    instant_add(s, &g->anchor_ns, &g->anchor_rem,
                int128_mul_u64(k, s->num));
    g->kind = SEG_COUNT;
    g->flags = 0;
    g->delta = count;
    s->view_ok = false;
    s->dirty = true;
    restart_slow(s, now);       /* the end from the anchor; a zero load */
    if (PTIMER_TRACING(SET_COUNT)) {
        trace_set_count(s);
    }
}

void ptimer_run(ptimer_state *s, int oneshot)
{
    uint8_t mode = oneshot ? PT_ONESHOT : PT_PERIODIC;

    check_in_txn(s);
    if (PTIMER_TRACING(RUN)) {
        trace_run(s, oneshot);
    }
    if (s->seg.enabled == mode) {
        return;
    }
    s->view_ok = false;
    if (s->seg.enabled == PT_STOPPED) {
        s->need_restart = true;
    }
    s->seg.enabled = mode;
    s->dirty = true;
}

void ptimer_stop(ptimer_state *s)
{
    uint64_t count;
    int64_t now = txn_now(s);

    if (s->seg.enabled == PT_STOPPED) {
        return;
    }
    count = count_now(s, now);
    if (PTIMER_TRACING(STOP)) {
        trace_stop(s, count);
    }
    seg_stop(&s->seg);
    s->seg.delta = count;
    s->need_restart = false;
    s->dirty = true;
}

/*
 * Migration.  The "ptimer" section keeps QEMU 10.0's layout (period as
 * 32.32 fixed point, the segment as last_event/next_event).  Whatever
 * that layout cannot say exactly travels in the "ptimer/exact"
 * subsection, which is sent only when decoding the 10.0 image would not
 * give back the same timer.
 */

/*
 * Largest period denominator that the 10.0 image conveys without the
 * subsection, and largest one whose sub-nanosecond phase it conveys.
 */
#define PTIMER_WIRE_MAX_DEN     (1ULL << 16)
#define PTIMER_WIRE_PHASE_DEN   1024

/*
 * The 10.0 image gives the period as W / 2^32 ns, W = floor(2^32 *
 * period), in (hi:lo).  Read it back as W / 2^32 when that has a short
 * denominator (whole or binary-fraction nanoseconds, as from Clock
 * periods); else as the fraction of smallest denominator up to 2^16 in
 * [W, W + 1) / 2^32, which is 10^9 / freq for any ptimer_set_freq() whose
 * reduced denominator is that small (24 MHz: 125/3 ns).  Two fractions
 * with denominators up to 2^16 are more than 2^-32 apart, so that one is
 * the only candidate.  Else W / 2^32, rounded.
 */
static void decode_period(uint64_t lo, uint64_t hi, uint64_t *num,
                          uint64_t *den)
{
    uint64_t rlo = lo, rhi = hi, q;

    reduce_fixed32(&rlo, &rhi, den);
    if (*den > PTIMER_WIRE_MAX_DEN && hi < (1ULL << 31)) {
        for (q = 2; q <= PTIMER_WIRE_MAX_DEN; q++) {
            /* p = ceil(W * q / 2^32) is in range if p * 2^32 - W * q < q */
            uint32_t up = -(uint32_t)(lo * q);
            uint64_t plo, phi;

            if (up >= q) {
                continue;
            }
            mulu64(&plo, &phi, lo, q);
            phi += hi * q;
            plo += up;
            phi += plo < up;
            if (!(phi >> 32) && ((plo >> 32) | (phi << 32)) <= PTIMER_MAX_NUM) {
                *num = (plo >> 32) | (phi << 32);
                *den = q;
                return;
            }
            break;
        }
    }
    *num = (rhi || rlo > PTIMER_MAX_NUM) ? PTIMER_MAX_NUM : rlo;
}

/*
 * Whether the 10.0 image carries the sub-nanosecond phase of a timer of
 * period num / den: see ptimer_pre_save().  With a wrap-after-one-period
 * policy the shift must stay well inside half a period, so that the
 * segment length still tells a leading zero period apart.
 */
static bool phase_on_wire(const ptimer_state *s, uint64_t num, uint64_t den)
{
    if (den > PTIMER_WIRE_PHASE_DEN) {
        return false;
    }
    return !(s->policy & PTIMER_POLICY_WRAP_AFTER_ONE_PERIOD) ||
           num >= 2 * den * (den + 2);
}

/* Rebuild an exact state from the 10.0 image. */
static void decode_wire(const ptimer_state *s, PTimerSeg *g,
                        uint64_t *num, uint64_t *den)
{
    uint64_t lo = ((uint64_t)s->wire_period << 32) | s->wire_period_frac;
    uint64_t hi = (uint64_t)s->wire_period >> 32;

    if (s->wire_period < 0 || (!lo && !hi)) {
        *num = 0;
        *den = 1;
    } else {
        decode_period(lo, hi, num, den);
    }

    memset(g, 0, sizeof(*g));
    g->enabled = s->wire_enabled <= PT_ONESHOT ? s->wire_enabled : PT_STOPPED;
    g->delta = s->wire_delta;
    g->anchor_ns = s->wire_last;
    if (g->enabled == PT_STOPPED) {
        g->anchor_ns = 0;
    } else if (!g->delta) {
        g->kind = SEG_HOLD;
        if (s->policy & PTIMER_POLICY_NO_IMMEDIATE_TRIGGER) {
            g->flags = SEG_DEFERRED;
        }
    } else if ((s->policy & PTIMER_POLICY_WRAP_AFTER_ONE_PERIOD) &&
               g->enabled == PT_PERIODIC && *num &&
               s->wire_next > s->wire_last) {
        /* A wrap reload spans delta + 1 periods. */
        Int128 span = mul_64x64(s->wire_next - s->wire_last, *den);
        Int128 plus_one = int128_mul_u64(int128_add(int128_make64(g->delta),
                                                    int128_one()), *num);
        Int128 half = int128_make64(*num / 2);

        if (int128_ge(span, int128_sub(plus_one, half))) {
            g->flags = SEG_ZERO_FIRST;
        }
    }

    /*
     * The phase: last_event is the anchor less anchor_rem ns, and the
     * anchor is anchor_rem / den ns past a whole nanosecond.  The deadline
     * grows strictly with anchor_rem, so at most one value gives back
     * next_event.  A stream from 10.0 itself matches with 0 or not at all
     * (its next_event is rounded down from a period no longer than ours):
     * then the anchor is last_event.
     */
    if (g->enabled != PT_STOPPED && *num && *den > 1 &&
        phase_on_wire(s, *num, *den)) {
        ptimer_state tmp = *s;
        PTimerSeg trial = *g;
        uint64_t r;

        tmp.num = *num;
        tmp.den = *den;
        for (r = 0; r < *den; r++) {
            trial.anchor_ns = s->wire_last + r;
            trial.anchor_rem = r;
            seg_set_end(&tmp, &trial);
            if (seg_deadline(&trial) >= s->wire_next) {
                if (seg_deadline(&trial) == s->wire_next) {
                    g->anchor_ns = trial.anchor_ns;
                    g->anchor_rem = r;
                }
                break;
            }
        }
    }
}

static int ptimer_pre_save(void *opaque)
{
    ptimer_state *s = opaque;
    PTimerSeg *g = &s->seg;
    uint64_t lo, hi;
    bool frozen = g->enabled != PT_STOPPED && !s->num;

    /* A frozen timer looks stopped to 10.0, which cannot run at period 0. */
    s->wire_enabled = frozen ? PT_STOPPED : g->enabled;
    s->wire_delta = g->kind == SEG_HOLD ? 0 : g->delta;
    mulu64(&lo, &hi, s->num, 1ULL << 32);
    divu128(&lo, &hi, s->den);
    s->wire_period = lo >> 32 | hi << 32;
    s->wire_period_frac = lo;
    if (seg_running(s, g)) {
        /*
         * 10.0 only compares last_event with the current instant (for a
         * wrap-after-one-period reload), so it can carry the anchor's
         * sub-nanosecond part, anchor_rem / den ns: last_event is set that
         * many whole ns early (under 1 us; see decode_wire()).
         */
        s->wire_last = g->anchor_ns -
            (phase_on_wire(s, s->num, s->den) ? (int64_t)g->anchor_rem : 0);
        s->wire_next = seg_deadline(g);
    } else {
        s->wire_last = s->wire_next = 0;
    }

    s->exact_enabled = g->enabled;
    s->exact_kind = g->kind;
    s->exact_flags = g->flags;
    s->exact_delta = g->delta;
    s->exact_num = s->num;
    s->exact_den = s->den;
    s->exact_rem = g->anchor_rem;
    return 0;
}

static bool ptimer_exact_needed(void *opaque)
{
    ptimer_state *s = opaque;
    PTimerSeg back;
    uint64_t num, den;

    if (s->seg.enabled == PT_STOPPED) {
        /*
         * A stopped timer keeps only its count, which the 10.0 image
         * carries exactly; its period travels as 10.0 sends it, and
         * decodes to the period the timer had unless two candidates
         * share its 32.32 value (a 24 MHz Clock period and 125/3 ns):
         * then it comes back as the one with the smaller denominator,
         * less than 2^-32 ns away, as 10.0 would have rounded it too.
         */
        return false;
    }
    decode_wire(s, &back, &num, &den);
    return num != s->num || den != s->den ||
           back.enabled != s->seg.enabled || back.delta != s->seg.delta ||
           (seg_running(s, &s->seg) &&
            (back.kind != s->seg.kind || back.flags != s->seg.flags ||
             back.anchor_ns != s->seg.anchor_ns ||
             back.anchor_rem != s->seg.anchor_rem));
}

static int ptimer_pre_load(void *opaque)
{
    ptimer_state *s = opaque;

    s->wire_exact = false;
    return 0;
}

static int ptimer_exact_post_load(void *opaque, int version_id)
{
    ptimer_state *s = opaque;

    s->wire_exact = true;
    return 0;
}

static int ptimer_post_load(void *opaque, int version_id)
{
    ptimer_state *s = opaque;
    PTimerSeg *g = &s->seg;

    decode_wire(s, g, &s->num, &s->den);
    if (s->wire_exact) {
        if (s->exact_enabled > PT_ONESHOT || s->exact_kind > SEG_HOLD ||
            !s->exact_den || s->exact_den > (1ULL << 32) ||
            s->exact_num > PTIMER_MAX_NUM) {
            return -EINVAL;
        }
        g->enabled = s->exact_enabled;
        g->kind = s->exact_kind;
        g->flags = s->exact_flags & (SEG_ZERO_FIRST | SEG_DEFERRED);
        g->delta = s->exact_delta;
        s->num = s->exact_num;
        s->den = s->exact_num ? s->exact_den : 1;
        g->anchor_rem = s->exact_rem % s->den;
        /*
         * The sender shifted last_event by the phase only if the exact
         * period allows it; the phase search above ran with the decoded
         * one, so undo whatever it found.
         */
        if (seg_running(s, g)) {
            g->anchor_ns = s->wire_last +
                (phase_on_wire(s, s->num, s->den) ? (int64_t)g->anchor_rem
                                                  : 0);
        }
    }
    seg_set_end(s, g);
    if (!seg_running(s, g)) {
        seg_never(g);
    }
    recalc_shape(s);
    recalc(s);
    /* Program our own deadline, whatever the stream's timer said. */
    s->armed = INT64_MIN;
    arm(s, now_ns());
    return 0;
}

static const VMStateDescription vmstate_ptimer_exact = {
    .name = "ptimer/exact",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = ptimer_exact_needed,
    .post_load = ptimer_exact_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8(exact_enabled, ptimer_state),
        VMSTATE_UINT8(exact_kind, ptimer_state),
        VMSTATE_UINT8(exact_flags, ptimer_state),
        VMSTATE_UINT64(exact_delta, ptimer_state),
        VMSTATE_UINT64(exact_num, ptimer_state),
        VMSTATE_UINT64(exact_den, ptimer_state),
        VMSTATE_UINT64(exact_rem, ptimer_state),
        VMSTATE_END_OF_LIST()
    }
};

const VMStateDescription vmstate_ptimer = {
    .name = "ptimer",
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_save = ptimer_pre_save,
    .pre_load = ptimer_pre_load,
    .post_load = ptimer_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8(wire_enabled, ptimer_state),
        VMSTATE_UINT64(limit, ptimer_state),
        VMSTATE_UINT64(wire_delta, ptimer_state),
        VMSTATE_UINT32(wire_period_frac, ptimer_state),
        VMSTATE_INT64(wire_period, ptimer_state),
        VMSTATE_INT64(wire_last, ptimer_state),
        VMSTATE_INT64(wire_next, ptimer_state),
        VMSTATE_TIMER_PTR(timer, ptimer_state),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription * const []) {
        &vmstate_ptimer_exact,
        NULL
    }
};

/*
 * QEMU 10.0 ptimer images, for devices that keep their counter themselves
 * but the stream of a version that kept it in a ptimer.
 */
const VMStateDescription vmstate_ptimer_v10_image = {
    .name = "ptimer",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8(enabled, PTimerV10Image),
        VMSTATE_UINT64(limit, PTimerV10Image),
        VMSTATE_UINT64(delta, PTimerV10Image),
        VMSTATE_UINT32(period_frac, PTimerV10Image),
        VMSTATE_INT64(period, PTimerV10Image),
        VMSTATE_INT64(last_event, PTimerV10Image),
        VMSTATE_INT64(next_event, PTimerV10Image),
        VMSTATE_INT64(expire, PTimerV10Image),
        VMSTATE_END_OF_LIST()
    }
};

void ptimer_v10_image_set_freq(PTimerV10Image *img, uint32_t freq)
{
    if (!freq) {
        img->period = 0;
        img->period_frac = 0;
        return;
    }
    img->period = NANOSECONDS_PER_SECOND / freq;
    img->period_frac = (uint32_t)(((uint64_t)NANOSECONDS_PER_SECOND << 32) /
                                  freq);
}

uint64_t ptimer_v10_image_count(const PTimerV10Image *img, int64_t now)
{
    uint64_t left, lo, hi;

    if (!img->enabled || !img->delta || img->period < 0 ||
        (!img->period && !img->period_frac)) {
        return img->delta;
    }
    if (now >= img->next_event) {
        return 0;
    }
    left = (uint64_t)img->next_event - (uint64_t)now;
    if (img->period >> 32) {
        return left / (uint64_t)img->period;
    }
    /* left / (period + frac / 2^32), as (left << 32) / (period:frac) */
    lo = left << 32;
    hi = left >> 32;
    divu128(&lo, &hi, ((uint64_t)img->period << 32) | img->period_frac);
    return hi ? UINT64_MAX : lo;
}
