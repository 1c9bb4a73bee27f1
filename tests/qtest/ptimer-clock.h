/*
 * The virtual clock cursor and the expiry edge check of the ptimer qtests
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (c) 2026 The ptimer-ng authors
 *
 * Under qtest the virtual clock only moves when the test moves it, and
 * qtest can only read it while moving it.  A PTimerClock remembers the
 * instant it last moved the clock to, so a test can move it to absolute
 * instants computed from the start of a timer, and every move is checked
 * to land exactly where it was asked to.
 *
 * The edge check is the core of every device test: at 1 ns before an
 * expiry instant E the device must still show the state before the
 * expiry, and at E and 1 ns after it the state after it (count and
 * interrupt status agreeing with each other and with the interrupt
 * line).  Which value a read exactly at a mere decrement returns is not
 * defined by most manuals; the instant of an expiry is.
 */

#ifndef PTIMER_CLOCK_H
#define PTIMER_CLOCK_H

#include "libqtest.h"

typedef struct PTimerClock {
    QTestState *qts;
    int64_t now;            /* the virtual clock, ns */
} PTimerClock;

/*
 * Attach @c to @qts and learn the current instant, which qtest tells
 * only when the clock moves: step it by 1 ns.  Returns the instant.
 */
static inline int64_t ptimer_clock_start(PTimerClock *c, QTestState *qts)
{
    c->qts = qts;
    c->now = qtest_clock_step(qts, 1);
    return c->now;
}

/* Move the clock to the absolute instant @when, not before the current */
static inline void ptimer_clock_to(PTimerClock *c, int64_t when)
{
    g_assert_cmpint(when, >=, c->now);
    if (when > c->now) {
        c->now = qtest_clock_set(c->qts, when);
        g_assert_cmpint(c->now, ==, when);
    }
}

/* Move the clock forward by @ns */
static inline void ptimer_clock_by(PTimerClock *c, int64_t ns)
{
    ptimer_clock_to(c, c->now + ns);
}

/*
 * Asserts the device state on one side of an edge: @after is false for
 * the state before the edge, true for the state from the edge on.
 */
typedef void PTimerEdgeCheck(void *opaque, bool after);

/*
 * The E-1/E/E+1 check: @check(@opaque, false) 1 ns before @edge, then
 * @check(@opaque, true) at @edge and 1 ns after it.
 */
static inline void ptimer_clock_edge(PTimerClock *c, int64_t edge,
                                     PTimerEdgeCheck *check, void *opaque)
{
    ptimer_clock_to(c, edge - 1);
    check(opaque, false);
    ptimer_clock_to(c, edge);
    check(opaque, true);
    ptimer_clock_to(c, edge + 1);
    check(opaque, true);
}

#endif /* PTIMER_CLOCK_H */
