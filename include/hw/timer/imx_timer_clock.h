/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The prescaled input clock of the i.MX EPIT and GPT
 *
 * Copyright (c) 2026 The ptimer-ng authors
 *
 * Both timers count once every @div edges of an input clock that the CCM
 * selects.  The input clock runs whatever the timer does: its edges lie
 * at fixed instants, grid_ns + k * 10^9 / hz ns (k = 1, 2, ...), which
 * register writes do not move; only a new rate starts a new grid.  The
 * prescaler counts those edges and may be frozen part way (a disabled
 * timer with ENMOD = 0 restarts "from its frozen values").
 *
 * An IMXTimerClock keeps that grid and an epoch: at input edge @edge the
 * prescaler had counted @pre edges of the current tick.  The device keeps
 * its counter value at the epoch, computes the counter at any instant
 * from imx_timer_clock_ticks(), and moves the epoch forward with
 * imx_timer_clock_advance() once it has accounted the events of those
 * ticks.  The edge maths is exact: no instant is rounded except the
 * alarm's, which imx_timer_clock_alarm() rounds up to the first whole
 * nanosecond at or after the tick.
 */

#ifndef HW_TIMER_IMX_TIMER_CLOCK_H
#define HW_TIMER_IMX_TIMER_CLOCK_H

#include "hw/ptimer.h"
#include "migration/vmstate.h"

typedef struct IMXTimerClock {
    uint32_t hz;        /* input clock rate; 0: no clock */
    int64_t grid_ns;    /* origin of the edge grid */
    uint64_t edge;      /* the epoch, in input edges since grid_ns */
    uint32_t pre;       /* prescaler count at the epoch */
    bool loaded;        /* migration: vmstate_imx_timer_clock was loaded */
} IMXTimerClock;

/**
 * imx_timer_clock_reset: start a new grid at @now, prescaler count 0
 * @c: the clock
 * @hz: the input clock rate in Hz, 0 for none
 * @now: the current virtual time
 */
void imx_timer_clock_reset(IMXTimerClock *c, uint32_t hz, int64_t now);

/**
 * imx_timer_clock_set_rate: take the input clock rate the CCM gives now
 * @c: the clock, frozen (see imx_timer_clock_freeze())
 * @hz: the rate in Hz, 0 for none
 * @now: the current virtual time
 *
 * A new rate starts a new edge grid at @now; the same rate keeps the
 * clock's phase.  The frozen prescaler count is kept either way.
 */
void imx_timer_clock_set_rate(IMXTimerClock *c, uint32_t hz, int64_t now);

/**
 * imx_timer_clock_ticks: counter ticks from the epoch to @now
 * @c: the clock, running
 * @div: the prescaler's divisor, at least 1
 * @now: the current virtual time
 *
 * Returns: the number of whole ticks of @div input edges completed since
 * the epoch, counting the @pre edges the prescaler had already counted;
 * 0 without a clock, or if @now is before the epoch.
 */
uint64_t imx_timer_clock_ticks(const IMXTimerClock *c, uint32_t div,
                               int64_t now);

/**
 * imx_timer_clock_advance: move the epoch forward by @n ticks
 * @c: the clock, running
 * @div: the prescaler's divisor
 * @n: ticks, at most imx_timer_clock_ticks() at the current instant
 *
 * The new epoch is the input edge of the @n-th tick; the prescaler count
 * there is 0.
 */
void imx_timer_clock_advance(IMXTimerClock *c, uint32_t div, uint64_t n);

/**
 * imx_timer_clock_tick_time: the instant of the @n-th tick after the epoch
 * @c: the clock, running
 * @div: the prescaler's divisor
 * @n: ticks, at least 1
 *
 * Returns: the first whole nanosecond at or after that tick's input edge,
 * or -1 if it is beyond the range of the virtual clock (or no clock).
 */
int64_t imx_timer_clock_tick_time(const IMXTimerClock *c, uint32_t div,
                                  uint64_t n);

/**
 * imx_timer_clock_freeze: stop the prescaler at @now, keeping its count
 * @c: the clock, running, with less than one tick since the epoch (the
 *     device has accounted and advanced over the ticks up to @now)
 * @now: the current virtual time
 */
void imx_timer_clock_freeze(IMXTimerClock *c, int64_t now);

/**
 * imx_timer_clock_thaw: start the prescaler at @now from its frozen count
 * @c: the clock, frozen
 * @now: the current virtual time
 */
void imx_timer_clock_thaw(IMXTimerClock *c, int64_t now);

/**
 * imx_timer_clock_alarm: program @alarm for the @n-th tick after the epoch
 * @c: the clock, running
 * @div: the prescaler's divisor
 * @alarm: a one-shot ptimer with a period of 1 ns, in a transaction
 * @n: ticks to the event; 0 stops the alarm (no event)
 * @now: the current virtual time, before that tick
 *
 * The alarm fires at imx_timer_clock_tick_time(); it is stopped if that
 * is beyond the virtual clock.
 */
void imx_timer_clock_alarm(const IMXTimerClock *c, uint32_t div,
                           ptimer_state *alarm, uint64_t n, int64_t now);

/**
 * imx_timer_clock_normalize: the smallest epoch for the same edges
 * @c: the clock
 *
 * Moves the grid origin forward by whole repeats of the edge pattern
 * (hz / g edges in 10^9 / g ns, g their greatest common divisor), so
 * that @edge stays small over a long run: the same edges fall at the
 * same instants.
 */
void imx_timer_clock_normalize(IMXTimerClock *c);

/**
 * imx_timer_clock_valid: whether a loaded clock is one the device made
 * @c: the clock, from a migration stream
 * @div: the prescaler's divisor the stream gives
 */
bool imx_timer_clock_valid(const IMXTimerClock *c, uint32_t div);

/**
 * imx_timer_clock_v10_image: a QEMU 10.0 ptimer counting these ticks
 * @c: the clock
 * @div: the prescaler's divisor
 * @img: the image to fill, for the device's 10.0 migration stream
 * @enabled: 0 stopped, 1 periodic, 2 one-shot
 * @limit: the ptimer's reload value
 * @delta: its count at the epoch
 * @n: ticks from the epoch to the instant it reaches zero
 *
 * Fills @img with what QEMU 10.0 holds for a ptimer at the counter rate,
 * hz / @div (its period rounded as 10.0 rounds it), loaded with @delta at
 * the epoch and, when @enabled, due @n ticks after it; nothing else.
 */
void imx_timer_clock_v10_image(const IMXTimerClock *c, uint32_t div,
                               PTimerV10Image *img, uint8_t enabled,
                               uint64_t limit, uint64_t delta, uint64_t n);

/**
 * imx_timer_clock_needed: whether a device must send its clock
 * @c: the clock
 * @counting: whether the device's counter runs on it
 * @hz: the rate the CCM gives now
 *
 * QEMU 10.0's stream cannot say where a running clock's edges lie, nor
 * how many edges a frozen prescaler has counted; a clock that is neither
 * (and that a destination would sample at the same rate) can start a new
 * grid where it lands without changing what the guest sees.
 */
bool imx_timer_clock_needed(const IMXTimerClock *c, bool counting,
                            uint32_t hz);

/*
 * The clock as a subsection @_name of a device @_s, in its field @_f,
 * sent when @_needed says so.  Loading it sets @_f.loaded; the device
 * clears that in its pre_load hook.
 */
#define IMX_TIMER_CLOCK_SUBSECTION(_name, _s, _f, _needed)               \
    {                                                                   \
        .name = (_name),                                                \
        .version_id = 1,                                                \
        .minimum_version_id = 1,                                        \
        .needed = (_needed),                                            \
        .fields = (const VMStateField[]) {                              \
            VMSTATE_STRUCT(_f, _s, 1, vmstate_imx_timer_clock,          \
                           IMXTimerClock),                              \
            VMSTATE_END_OF_LIST()                                       \
        }                                                               \
    }

extern const VMStateDescription vmstate_imx_timer_clock;

#endif /* HW_TIMER_IMX_TIMER_CLOCK_H */
