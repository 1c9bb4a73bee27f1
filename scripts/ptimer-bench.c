/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ptimer-bench: one harness, linked once with ptimer-ng's core and once
 * with the pristine QEMU core (same stubs: tests/unit/ptimer-test-stubs.c),
 * so scripts/bench.sh can compare instructions per operation and drift.
 *
 * Usage: ptimer-bench OP N
 *   OP is get_count, set_count, run_stop, begin_commit, expiry or drift.
 *   Performs N operations (N = 0 measures the set-up alone).  "drift"
 *   runs N reloads of a 3 MHz periodic timer with limit 1000 and prints
 *   the error of the last expiry instant against the exact one, in ns.
 *
 * Copyright (c) 2026 The ptimer-ng authors
 */

#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/main-loop.h"
#include "hw/ptimer.h"
#include "ptimer-test.h"

static uint64_t fired;

static void bench_cb(void *opaque)
{
    fired++;
}

/* Fire the earliest armed timer, as the main loop would. */
static bool fire_next(void)
{
    QEMUTimer *t = main_loop_tlg.tl[QEMU_CLOCK_VIRTUAL]->active_timers.next;
    QEMUTimer *first = t;

    for (; t; t = t->next) {
        if (t->expire_time < first->expire_time) {
            first = t;
        }
    }
    if (!first) {
        return false;
    }
    ptimer_test_time_ns = first->expire_time;
    timer_del(first);
    first->cb(first->opaque);
    return true;
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

int main(int argc, char **argv)
{
    const char *op;
    uint64_t n, i, sum = 0;
    ptimer_state *s;
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
    qtest_allowed = true;

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

    s = make_running(1000000, 1000000);
    if (!strcmp(op, "get_count")) {
        for (i = 0; i < n; i++) {
            ptimer_test_time_ns += 7;
            sum += ptimer_get_count(s);
        }
    } else if (!strcmp(op, "set_count")) {
        for (i = 0; i < n; i++) {
            ptimer_test_time_ns += 7;
            ptimer_transaction_begin(s);
            ptimer_set_count(s, 1000 + (i & 1023));
            ptimer_transaction_commit(s);
        }
    } else if (!strcmp(op, "run_stop")) {
        for (i = 0; i < n; i++) {
            ptimer_test_time_ns += 7;
            ptimer_transaction_begin(s);
            if (i & 1) {
                ptimer_run(s, 0);
            } else {
                ptimer_stop(s);
            }
            ptimer_transaction_commit(s);
        }
    } else if (!strcmp(op, "begin_commit")) {
        for (i = 0; i < n; i++) {
            ptimer_test_time_ns += 7;
            ptimer_transaction_begin(s);
            ptimer_transaction_commit(s);
        }
    } else if (!strcmp(op, "expiry")) {
        ptimer_transaction_begin(s);
        ptimer_set_limit(s, 1000, 1);
        ptimer_transaction_commit(s);
        for (i = 0; i < n; i++) {
            fire_next();
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
