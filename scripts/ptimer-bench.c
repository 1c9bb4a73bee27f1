/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ptimer-bench: one harness, linked once with ptimer-ng's core and once
 * with the pristine QEMU core (same stubs: tests/unit/ptimer-test-stubs.c),
 * so scripts/bench.sh can compare instructions per operation and drift.
 *
 * Usage: ptimer-bench OP N
 *   Performs N operations of OP (N = 0 measures the set-up alone); see
 *   the table in main().  Every OP has an "empty" twin (OP with the
 *   ptimer calls left out, same harness work) so that the harness's own
 *   cost can be subtracted.  "drift" runs N reloads of a 3 MHz periodic
 *   timer with limit 1000 and prints the error of the last expiry
 *   instant against the exact one, in ns.
 *
 * The harness runs as a guest would: not under qtest and without icount,
 * so the cores' fast-timer checks run.
 *
 * Copyright (c) 2026 The ptimer-ng authors
 */

#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/main-loop.h"
#include "hw/ptimer.h"
#include "system/cpu-timers.h"
#include "ptimer-test.h"

static uint64_t fired;
static QEMUTimer dummy;

static void bench_cb(void *opaque)
{
    fired++;
}

static void dummy_cb(void *opaque)
{
    fired++;
}

static QEMUTimer *first_timer(void)
{
    QEMUTimer *t = main_loop_tlg.tl[QEMU_CLOCK_VIRTUAL]->active_timers.next;
    QEMUTimer *first = t;

    for (; t; t = t->next) {
        if (t->expire_time < first->expire_time) {
            first = t;
        }
    }
    return first;
}

/* Fire the earliest armed timer, at its instant, as the main loop would. */
static bool fire_next(void)
{
    QEMUTimer *first = first_timer();

    if (!first) {
        return false;
    }
    ptimer_test_time_ns = first->expire_time;
    timer_del(first);
    first->cb(first->opaque);
    return true;
}

/* Fire every timer due now. */
static void pump(void)
{
    QEMUTimer *first = first_timer();

    while (first && first->expire_time <= ptimer_test_time_ns) {
        timer_del(first);
        first->cb(first->opaque);
        first = first_timer();
    }
}

static ptimer_state *make_running(uint32_t freq, uint64_t limit)
{
    ptimer_state *s = ptimer_init(bench_cb, NULL,
                                  PTIMER_POLICY_CONTINUOUS_TRIGGER |
                                  PTIMER_POLICY_NO_IMMEDIATE_TRIGGER |
                                  PTIMER_POLICY_NO_COUNTER_ROUND_DOWN);

    ptimer_transaction_begin(s);
    ptimer_set_freq(s, freq);
    ptimer_set_limit(s, limit, 1);
    ptimer_run(s, 0);
    ptimer_transaction_commit(s);
    return s;
}

/* The harness's share of "expiry": link a plain timer in, fire it. */
static void empty_expiry(uint64_t i)
{
    QEMUTimer *head = &main_loop_tlg.tl[QEMU_CLOCK_VIRTUAL]->active_timers;

    dummy.expire_time = ptimer_test_time_ns + 1000;
    dummy.next = NULL;
    head->next = &dummy;
    fire_next();
}

int main(int argc, char **argv)
{
    const char *op;
    uint64_t n, i, sum = 0;
    ptimer_state *s = NULL;
    bool empty;
    int k;

    if (argc != 3) {
        fprintf(stderr, "usage: %s OP N\n", argv[0]);
        return 2;
    }
    op = argv[1];
    if (qemu_strtou64(argv[2], NULL, 0, &n) < 0) {
        fprintf(stderr, "bad count %s\n", argv[2]);
        return 2;
    }
    for (k = 0; k < QEMU_CLOCK_MAX; k++) {
        main_loop_tlg.tl[k] = g_new0(QEMUTimerList, 1);
    }
    /* As in a running guest: the fast-timer checks are on. */
    qtest_allowed = false;
    use_icount = ICOUNT_DISABLED;
    dummy.timer_list = main_loop_tlg.tl[QEMU_CLOCK_VIRTUAL];
    dummy.cb = dummy_cb;
    dummy.scale = 1;

    if (!strcmp(op, "drift")) {
        /* 3 MHz, limit 1000: expiry k is exactly at k * 10^6 / 3 ns. */
        s = make_running(3000000, 1000);
        for (i = 0; i < n; i++) {
            fire_next();
        }
        /* Ends are exact rationals; the host event is the ceiling. */
        printf("%" PRId64 "\n",
               ptimer_test_time_ns - (int64_t)((n * 1000000 + 2) / 3));
        ptimer_free(s);
        return 0;
    }

    empty = g_str_has_prefix(op, "empty-");
    if (empty) {
        op += strlen("empty-");
    }
    if (!strcmp(op, "get_count_fast")) {
        /* 10 MHz, reloads every 2 us: under the 10 us host minimum. */
        if (!empty) {
            s = make_running(10000000, 19);
        }
    } else if (!empty) {
        s = make_running(1000000, 1000000);
    }

    if (!strcmp(op, "get_count")) {
        /* A read of a running timer. */
        for (i = 0; i < n; i++) {
            ptimer_test_time_ns += 7;
            if (!empty) {
                sum += ptimer_get_count(s);
            }
        }
    } else if (!strcmp(op, "get_count_fast")) {
        /* Reads of a fast periodic timer, host events run when due. */
        for (i = 0; i < n; i++) {
            ptimer_test_time_ns += 7;
            pump();
            if (!empty) {
                sum += ptimer_get_count(s);
            }
        }
    } else if (!strcmp(op, "set_count")) {
        /* A count write to a running timer, in a transaction. */
        for (i = 0; i < n; i++) {
            ptimer_test_time_ns += 7;
            if (!empty) {
                ptimer_transaction_begin(s);
                ptimer_set_count(s, 1000 + (i & 1023));
                ptimer_transaction_commit(s);
            }
        }
    } else if (!strcmp(op, "begin_commit")) {
        /* An empty transaction on a running timer. */
        for (i = 0; i < n; i++) {
            ptimer_test_time_ns += 7;
            if (!empty) {
                ptimer_transaction_begin(s);
                ptimer_transaction_commit(s);
            }
        }
    } else if (!strcmp(op, "stop_run")) {
        /* Stop and restart in one transaction (a control write). */
        for (i = 0; i < n; i++) {
            ptimer_test_time_ns += 7;
            if (!empty) {
                ptimer_transaction_begin(s);
                ptimer_stop(s);
                ptimer_run(s, 0);
                ptimer_transaction_commit(s);
            }
        }
    } else if (!strcmp(op, "set_period")) {
        /* A period change on a running timer. */
        for (i = 0; i < n; i++) {
            ptimer_test_time_ns += 7;
            if (!empty) {
                ptimer_transaction_begin(s);
                ptimer_set_period(s, 1000 + (i & 1));
                ptimer_transaction_commit(s);
            }
        }
    } else if (!strcmp(op, "expiry")) {
        /* Periodic expiries with reload, 1 MHz, limit 1000. */
        if (!empty) {
            ptimer_transaction_begin(s);
            ptimer_set_limit(s, 1000, 1);
            ptimer_transaction_commit(s);
        }
        for (i = 0; i < n; i++) {
            if (empty) {
                empty_expiry(i);
            } else {
                fire_next();
            }
        }
        sum = fired;
    } else {
        fprintf(stderr, "unknown op %s\n", op);
        return 2;
    }
    ptimer_free(s);
    /* Keep the results alive. */
    return sum == UINT64_MAX;
}
