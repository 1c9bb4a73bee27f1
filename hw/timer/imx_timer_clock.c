/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The prescaled input clock of the i.MX EPIT and GPT
 *
 * Copyright (c) 2026 The ptimer-ng authors
 *
 * See include/hw/timer/imx_timer_clock.h.
 */

#include "qemu/osdep.h"
#include "qemu/host-utils.h"
#include "qemu/timer.h"
#include "hw/timer/imx_timer_clock.h"

void imx_timer_clock_reset(IMXTimerClock *c, uint32_t hz, int64_t now)
{
    c->hz = hz;
    c->grid_ns = now;
    c->edge = 0;
    c->pre = 0;
}

void imx_timer_clock_set_rate(IMXTimerClock *c, uint32_t hz, int64_t now)
{
    if (hz != c->hz) {
        c->hz = hz;
        c->grid_ns = now;
        c->edge = 0;
    }
}

/* Input clock edges from the grid origin to @now */
static uint64_t imx_timer_clock_edges(const IMXTimerClock *c, int64_t now)
{
    if (!c->hz || now <= c->grid_ns) {
        return 0;
    }
    return muldiv64(now - c->grid_ns, c->hz, NANOSECONDS_PER_SECOND);
}

uint64_t imx_timer_clock_ticks(const IMXTimerClock *c, uint32_t div,
                               int64_t now)
{
    uint64_t edges = imx_timer_clock_edges(c, now);

    if (edges < c->edge) {
        return 0;       /* no clock, or the virtual clock went backwards */
    }
    return (edges - c->edge + c->pre) / div;
}

void imx_timer_clock_advance(IMXTimerClock *c, uint32_t div, uint64_t n)
{
    if (n) {
        c->edge += n * div - c->pre;
        c->pre = 0;
    }
}

int64_t imx_timer_clock_tick_time(const IMXTimerClock *c, uint32_t div,
                                  uint64_t n)
{
    uint64_t lo, hi, edge;

    if (!c->hz || uadd64_overflow(c->edge, n * div - c->pre, &edge)) {
        return -1;
    }
    /* ceil(edge * 10^9 / hz): the first whole ns at or after the edge */
    mulu64(&lo, &hi, edge, NANOSECONDS_PER_SECOND);
    hi += uadd64_overflow(lo, c->hz - 1, &lo);
    divu128(&lo, &hi, c->hz);
    if (hi || lo > (uint64_t)(INT64_MAX - c->grid_ns)) {
        return -1;
    }
    return c->grid_ns + lo;
}

void imx_timer_clock_freeze(IMXTimerClock *c, int64_t now)
{
    uint64_t edges = imx_timer_clock_edges(c, now);

    if (edges > c->edge) {
        c->pre += edges - c->edge;
    }
}

void imx_timer_clock_thaw(IMXTimerClock *c, int64_t now)
{
    c->edge = imx_timer_clock_edges(c, now);
}

void imx_timer_clock_alarm(const IMXTimerClock *c, uint32_t div,
                           ptimer_state *alarm, uint64_t n, int64_t now)
{
    int64_t when = n ? imx_timer_clock_tick_time(c, div, n) : -1;

    if (when < 0) {
        ptimer_stop(alarm);
        ptimer_set_count(alarm, 0);
        return;
    }
    /* The device accounted the ticks up to now: the tick is after now */
    ptimer_set_count(alarm, MAX(when - now, 1));
    ptimer_run(alarm, 1);
}

static uint64_t imx_timer_clock_gcd(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;

        a = b;
        b = t;
    }
    return a;
}

void imx_timer_clock_normalize(IMXTimerClock *c)
{
    uint64_t g, a, b, k;

    if (!c->hz) {
        return;
    }
    g = imx_timer_clock_gcd(NANOSECONDS_PER_SECOND, c->hz);
    b = c->hz / g;
    a = NANOSECONDS_PER_SECOND / g;
    k = c->edge / b;
    if (k && k <= (uint64_t)(INT64_MAX - MAX(c->grid_ns, 0)) / a) {
        c->grid_ns += k * a;
        c->edge -= k * b;
    }
}

bool imx_timer_clock_valid(const IMXTimerClock *c, uint32_t div)
{
    return c->pre < div;
}

void imx_timer_clock_v10_image(const IMXTimerClock *c, uint32_t div,
                               PTimerV10Image *img, uint8_t enabled,
                               uint64_t limit, uint64_t delta, uint64_t n)
{
    int64_t due = enabled ? imx_timer_clock_tick_time(c, div, n) : -1;

    memset(img, 0, sizeof(*img));
    ptimer_v10_image_set_freq(img, c->hz / div);
    img->limit = limit;
    img->delta = delta;
    img->expire = -1;
    if (due >= 0) {
        /* 10.0 loaded @delta one count of whole periods before it is due */
        img->enabled = enabled;
        img->next_event = due;
        img->expire = due;
        img->last_event = due - (int64_t)(delta * img->period +
                                          ((delta * img->period_frac) >> 32));
    }
}

bool imx_timer_clock_needed(const IMXTimerClock *c, bool counting,
                            uint32_t hz)
{
    return counting || c->pre || hz != c->hz;
}

static int imx_timer_clock_post_load(void *opaque, int version_id)
{
    IMXTimerClock *c = opaque;

    c->loaded = true;
    return 0;
}

const VMStateDescription vmstate_imx_timer_clock = {
    .name = "imx-timer-clock",
    .version_id = 1,
    .minimum_version_id = 1,
    .post_load = imx_timer_clock_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(hz, IMXTimerClock),
        VMSTATE_INT64(grid_ns, IMXTimerClock),
        VMSTATE_UINT64(edge, IMXTimerClock),
        VMSTATE_UINT32(pre, IMXTimerClock),
        VMSTATE_END_OF_LIST()
    }
};
