/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ptimer: a down-counter for device models, driven by QEMU_CLOCK_VIRTUAL.
 *
 * Copyright (c) 2026 The ptimer-ng authors
 *
 * A ptimer holds a counter that decrements once per period while it runs.
 * When the counter reaches zero the timer "triggers": the device's
 * callback runs.  A one-shot timer then stops; a periodic timer reloads
 * the counter from its limit and goes on.  Corner cases (what a zero
 * counter means, when the visible value changes) are chosen per device
 * with the PTIMER_POLICY_* bits below.
 *
 * Every change to a ptimer is made between ptimer_transaction_begin() and
 * ptimer_transaction_commit().  Changes take effect together at the
 * commit, and a trigger they cause is delivered there, once, after the
 * device has finished reprogramming the timer.  A trigger caused by the
 * passing of time is delivered straight from the timer event, never later
 * from a bottom half, so the count a guest reads and the interrupt state
 * the callback sets always agree.
 *
 * Time is kept exactly: the period is a ratio of integers, expiry
 * instants are computed from a fixed origin and never accumulate rounding
 * error, and the count read at any instant is the exact value the policy
 * defines.  See docs/devel/ptimer.rst for the full description.
 */
#ifndef HW_PTIMER_H
#define HW_PTIMER_H

#include "qemu/bitops.h"
#include "qemu/timer.h"

/*
 * Policy bits.  Their values are part of the API (devices store them).
 *
 * PTIMER_POLICY_LEGACY (no bit set) keeps the historic behaviour:
 *  - the count of a running timer reads one less than the hardware value
 *    (it drops as soon as a period starts rather than when it ends);
 *  - loading zero into a running timer, or starting it at zero, triggers
 *    at once and reloads from the limit; with a zero limit as well the
 *    timer stops;
 *  - changing the period of a running timer restarts the current period.
 *
 * Deprecated: no device model in the tree uses it any more (``make check``
 * of ptimer-ng fails if one does again).  It stays defined, with the same
 * behaviour, for out-of-tree users of this API; a device model names the
 * bits that match its hardware instead.
 */
#define PTIMER_POLICY_LEGACY 0

/*
 * A periodic timer shows zero for one whole period after it reaches zero,
 * and only then reloads from the limit.
 */
#define PTIMER_POLICY_WRAP_AFTER_ONE_PERIOD BIT(0)

/*
 * A running periodic timer whose counter and limit are both zero triggers
 * once every period instead of stopping.
 */
#define PTIMER_POLICY_CONTINUOUS_TRIGGER BIT(1)

/*
 * Loading zero (ptimer_set_count(), ptimer_set_limit() with reload, or
 * ptimer_run() with a zero counter) does not trigger at once; if the
 * counter is still zero after the load, the trigger comes one period later.
 */
#define PTIMER_POLICY_NO_IMMEDIATE_TRIGGER BIT(2)

/*
 * Loading zero does not reload from the limit at once: the counter reads
 * zero for one period, then reloads.
 */
#define PTIMER_POLICY_NO_IMMEDIATE_RELOAD BIT(3)

/*
 * The count of a running timer reads the hardware value: it drops when a
 * period ends, not when it starts.
 */
#define PTIMER_POLICY_NO_COUNTER_ROUND_DOWN BIT(4)

/*
 * Only a decrement to zero triggers.  Loading zero reloads (subject to the
 * other bits) but never triggers.  Cannot be combined with
 * PTIMER_POLICY_NO_IMMEDIATE_TRIGGER.
 */
#define PTIMER_POLICY_TRIGGER_ONLY_ON_DECREMENT BIT(5)

typedef struct ptimer_state ptimer_state;
typedef void (*ptimer_cb)(void *cb_opaque);

/**
 * ptimer_init - create a ptimer
 * @cb: called each time the timer triggers
 * @opaque: passed to @cb
 * @policy: PTIMER_POLICY_* bits
 *
 * The new timer is stopped, with a zero count, limit and period.  Free it
 * with ptimer_free().
 *
 * These calls change the timer and must be made inside a transaction
 * (between ptimer_transaction_begin() and ptimer_transaction_commit()):
 * ptimer_set_period(), ptimer_set_period_from_clock(), ptimer_set_freq(),
 * ptimer_set_limit(), ptimer_set_count(), ptimer_set_count_in_phase(),
 * ptimer_run() and ptimer_stop().
 * Calling one outside a transaction is a bug in the device model and
 * asserts.
 *
 * @cb always runs inside a transaction of the ptimer, so it may call
 * those functions directly.  It may also open its own nested transaction
 * with ptimer_transaction_begin()/ptimer_transaction_commit().  When the
 * changes it makes cause another trigger, @cb is called again after
 * it returns, never recursively.  @cb must not free the timer.
 *
 * Combining PTIMER_POLICY_NO_IMMEDIATE_TRIGGER with
 * PTIMER_POLICY_TRIGGER_ONLY_ON_DECREMENT is a bug in the device model and
 * asserts.
 *
 * Returns: the new timer.
 */
ptimer_state *ptimer_init(ptimer_cb cb, void *opaque, uint8_t policy);

/**
 * ptimer_free - free a ptimer
 * @pt: the timer, running or not (it is stopped first); may be NULL
 *
 * Must not be called from the timer's own callback.
 */
void ptimer_free(ptimer_state *pt);

/**
 * ptimer_transaction_begin - start changing a ptimer
 * @pt: the timer
 *
 * Opens a transaction.  Transactions nest: only the outermost commit
 * applies the changes.  All changes of a transaction happen at one
 * instant of the virtual clock.  For a running timer it is read when the
 * outermost transaction opens, and an expiry already due then (its timer
 * event is late: it has not run yet) is accounted for and delivered right
 * there: the callback runs before ptimer_transaction_begin() returns,
 * exactly as the timer event would have run it, so it sees the device's
 * state as it was at the expiry, never one the device has changed since
 * (a timer it has disabled or reloaded).  So an empty begin/commit pair
 * delivers a due expiry (ptimer_deliver_due() is that pair), and a device
 * should open its transaction before it changes any register the
 * callback reads.  A stopped timer reads the clock only when a change
 * needs it.
 */
void ptimer_transaction_begin(ptimer_state *pt);

/**
 * ptimer_transaction_commit - apply the changes made since the begin
 * @pt: the timer
 *
 * At the outermost commit the timer is re-evaluated with all changes in
 * place, the host timer event is reprogrammed, and the callback runs if
 * a trigger is due (again, as long as the callback's own changes cause
 * new triggers; a chain of more than %PTIMER_MAX_CALLBACK_CHAIN such
 * immediate triggers stops the timer with a guest error, so a guest
 * cannot lock QEMU up).  If nothing that affects the timing changed, the
 * phase of a running timer is kept exactly.
 */
void ptimer_transaction_commit(ptimer_state *pt);

/**
 * ptimer_deliver_due - deliver the expiries that are already due
 * @pt: the timer
 *
 * A host that runs timer events late can leave an expiry whose instant
 * has passed undelivered for a while.  A device calls this before a
 * register access whose value must agree with the count (an interrupt
 * status, a match flag): every expiry due at the current instant is
 * delivered first, its callback running inside this call, exactly as
 * the timer event would have run it.  Nothing happens on a stopped timer,
 * on one with nothing due, or inside a transaction on @pt (its outermost
 * begin has delivered them already).  It is the same as an empty
 * transaction, named for what it does.
 */
void ptimer_deliver_due(ptimer_state *pt);

/* Bound on immediate re-triggers delivered by one commit. */
#define PTIMER_MAX_CALLBACK_CHAIN 64

/**
 * ptimer_set_period - set the period of a decrement
 * @pt: the timer
 * @period: nanoseconds per decrement; zero or less means "no clock"
 *
 * Setting the period the timer already has changes nothing.  On a running
 * timer a different period restarts the current period from the count
 * read at this instant (see ptimer_get_count()).  A running timer with a
 * zero period is frozen: it keeps its count and resumes counting when a
 * period is set again.
 */
void ptimer_set_period(ptimer_state *pt, int64_t period);

/**
 * ptimer_set_period_from_clock - take the period from a Clock
 * @pt: the timer
 * @clk: the clock driving the timer
 * @divisor: the timer decrements once every @divisor clock periods
 *
 * The clock period (in 2^-32 ns units) is used exactly.  A disabled clock
 * (period zero) or a zero @divisor gives a zero period, as for
 * ptimer_set_period().
 */
void ptimer_set_period_from_clock(ptimer_state *pt,
                                  const Clock *clk, unsigned int divisor);

/**
 * ptimer_set_freq - set the decrement frequency
 * @pt: the timer
 * @freq: decrements per second; zero means "no clock"
 *
 * The period 10^9 / @freq ns is kept as an exact fraction, so timers at
 * frequencies that do not divide 10^9 do not drift.
 */
void ptimer_set_freq(ptimer_state *pt, uint32_t freq);

/**
 * ptimer_set_period_ratio - set the period as a fraction of nanoseconds
 * @pt: the timer
 * @num: numerator; zero means "no clock"
 * @den: denominator, at least 1
 *
 * The period becomes @num / @den ns exactly, for a prescaled input clock
 * whose period is not a whole number of nanoseconds: (prescaler + 1) *
 * 10^9 / rate is ptimer_set_period_ratio(pt, (prescaler + 1) * 10^9,
 * rate).  The fraction is reduced; a reduced denominator above 2^32 (or
 * numerator above INT64_MAX) is approximated, both halved until they fit,
 * and @den == 0 is treated as "no clock" with a guest error logged.
 */
void ptimer_set_period_ratio(ptimer_state *pt, uint64_t num, uint64_t den);

/**
 * ptimer_get_limit - read the reload value
 * @pt: the timer
 *
 * Returns: the limit set by ptimer_set_limit().
 */
uint64_t ptimer_get_limit(ptimer_state *pt);

/**
 * ptimer_set_limit - set the reload value
 * @pt: the timer
 * @limit: the value a periodic timer reloads from
 * @reload: non-zero to load @limit into the counter as well
 *
 * Without @reload the running count is untouched and @limit applies from
 * the next reload; setting the same limit then changes nothing.
 */
void ptimer_set_limit(ptimer_state *pt, uint64_t limit, int reload);

/**
 * ptimer_get_count - read the counter
 * @pt: the timer
 *
 * May be called at any time, inside a transaction or not.  The value is
 * computed exactly from the virtual clock and the policy.  Between the
 * instant a running timer reaches zero and the delivery of that trigger,
 * the count still reads its value just before zero, so a device never
 * shows a reloaded count together with a stale interrupt status.  (A
 * coalesced fast timer, see docs/devel/ptimer.rst, reads exact counts
 * at all times instead.)
 *
 * Returns: the current count.
 */
uint64_t ptimer_get_count(ptimer_state *pt);

/**
 * ptimer_set_count - load the counter
 * @pt: the timer
 * @count: the new value; may be larger than the limit
 *
 * On a running timer, counting restarts from @count at this instant.
 * Loading zero follows the policy bits (trigger, reload).
 */
void ptimer_set_count(ptimer_state *pt, uint64_t count);

/**
 * ptimer_set_count_in_phase - load the counter, keeping the tick phase
 * @pt: the timer
 * @count: the new value; may be larger than the limit
 *
 * As ptimer_set_count(), but a running timer does not restart the
 * period in progress: it counts from @count as if loaded at the start of
 * that period, so its decrements and its expiry keep the instants of the
 * ticks it had (a prescaled counter whose prescaler runs on while the
 * count is written).  The count read until the end of the period is the
 * one the policy shows in a first period.  On a stopped timer, one
 * frozen at period 0, or after ptimer_set_count() or a period change in
 * the same transaction, it is ptimer_set_count().  Loading zero follows
 * the policy bits, at the start of that period.
 */
void ptimer_set_count_in_phase(ptimer_state *pt, uint64_t count);

/**
 * ptimer_run - start the timer, or change its mode
 * @pt: the timer
 * @oneshot: non-zero to stop at zero, zero to reload from the limit
 *
 * A stopped timer starts counting from its current count.  A running
 * timer only changes mode: its phase is kept.
 */
void ptimer_run(ptimer_state *pt, int oneshot);

/**
 * ptimer_stop - stop the timer
 * @pt: the timer
 *
 * The count read at this instant is kept; no trigger is generated.
 */
void ptimer_stop(ptimer_state *pt);

/**
 * ptimer_get_expiries - expiries delivered by the current trigger
 * @pt: the timer
 *
 * A periodic timer faster than the host can follow (see
 * docs/devel/ptimer.rst, "fast timers") delivers several expiries with
 * one call of its callback.  From the callback, this returns how many
 * expiries the call stands for (at least 1); elsewhere it returns 0.
 * Devices that count expiries (for example an overflow counter) can use
 * it; others need not care.
 *
 * Returns: the number of expiries the running callback stands for.
 */
uint64_t ptimer_get_expiries(ptimer_state *pt);

extern const VMStateDescription vmstate_ptimer;

/* Migrate a ptimer_state pointer field, or an array of them. */
#define VMSTATE_PTIMER(field, state) \
    VMSTATE_STRUCT_POINTER_V(field, state, 1, vmstate_ptimer, ptimer_state)
#define VMSTATE_PTIMER_ARRAY(field, state, count) \
    VMSTATE_ARRAY_OF_POINTER_TO_STRUCT(field, state, count, 0, \
                                       vmstate_ptimer, ptimer_state)

/**
 * struct PTimerV10Image - a ptimer as QEMU 10.0 migrates it, field by field
 * @enabled: 0 stopped, 1 periodic, 2 one-shot
 * @limit: the reload value
 * @delta: the count at @last_event (the count itself while stopped)
 * @period_frac: the fraction of the period, in 2^-32 ns
 * @period: the whole nanoseconds of the period
 * @last_event: the instant of the last (re)load
 * @next_event: the instant the count reaches zero
 * @expire: the host timer's deadline, -1 if none
 *
 * For a device that models its counter itself but must keep the migration
 * stream of a QEMU whose model kept it in a ptimer: the device fills an
 * image in its pre_save hook and reads it in post_load, and the stream is
 * the one that version sends and loads.  Every field holds what 10.0's
 * model would hold there, even one 10.0 never reads back: state 10.0
 * cannot express goes into a subsection of the device's own, which 10.0
 * then refuses.
 */
typedef struct PTimerV10Image {
    int64_t period;             /* with period_frac: 32.32 fixed point ns */
    uint32_t period_frac;
    int64_t last_event;
    int64_t next_event;
    int64_t expire;
    uint64_t limit;
    uint64_t delta;
    uint8_t enabled;
} PTimerV10Image;

extern const VMStateDescription vmstate_ptimer_v10_image;

/* Migrate a PTimerV10Image field exactly as VMSTATE_PTIMER() does. */
#define VMSTATE_PTIMER_V10_IMAGE(field, state) \
    VMSTATE_STRUCT(field, state, 1, vmstate_ptimer_v10_image, PTimerV10Image)

/**
 * ptimer_v10_image_set_freq - the period 10.0's ptimer_set_freq() gives
 * @img: the image
 * @freq: the frequency in Hz; 0 gives a zero period
 *
 * Sets @period and @period_frac to 10^9 / @freq ns, the fraction
 * truncated to 32 bits as QEMU 10.0 does.
 */
void ptimer_v10_image_set_freq(PTimerV10Image *img, uint32_t freq);

/**
 * ptimer_v10_image_count - what a QEMU 10.0 LEGACY ptimer reads
 * @img: the image
 * @now: the instant, in QEMU_CLOCK_VIRTUAL ns
 *
 * Returns the count a 10.0 ptimer with policy ``PTIMER_POLICY_LEGACY``
 * and this state reads at @now: @delta when stopped (or when @delta is
 * 0), 0 from @next_event on, else the periods left until @next_event,
 * rounded down.  For reading a stream from 10.0.
 */
uint64_t ptimer_v10_image_count(const PTimerV10Image *img, int64_t now);

#endif /* HW_PTIMER_H */
