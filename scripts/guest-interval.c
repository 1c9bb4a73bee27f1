// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * guest-interval: measure a periodic ptimer's intervals from inside an
 * armhf Linux guest (QEMU gitlab issue 2703: 10 kHz periods seen as
 * 103135 ns instead of 100000 under -icount shift=4/5).
 *
 * Built static by scripts/boot-matrix.sh with arm-linux-gnueabihf-gcc and
 * run by scripts/guest-init.sh when the kernel command line has
 * "ptimer_interval=N".  Through /dev/mem it programs a timer that Linux
 * leaves alone as a 10 kHz periodic timer with its interrupt masked, polls
 * its raw interrupt status and time-stamps every rollover with the Cortex-A9
 * global timer, which QEMU models on QEMUTimer and the virtual clock, not on
 * ptimer (10 ns per count at prescaler 0).
 *
 * Each rollover is bracketed: it happened after the previous poll of the
 * status (time-stamped just before it) and before the poll that saw it
 * (time-stamped just after).  A kernel interrupt between two polls widens
 * the bracket; rollovers with a bracket over 1 us are not used as end
 * points.  Between two usable rollovers the number of periods is the
 * interval divided by the median, rounded, so a rollover the guest missed
 * costs nothing either.
 *
 *   vexpress-a9: SP804 #2 at 0x10012000, timer 0; 1 MHz, Load 99
 *                (period (Load + 1) / 1 MHz = 100 us)
 *   sabrelite:   EPIT1 at 0x020d0000, ipg clock (66 MHz), no prescaler,
 *                LR 6599, compare 0 (period (LR + 1) / 66 MHz = 100 us)
 *
 * Output, one line (parsed by scripts/boot-matrix.sh), times in ns:
 *   interval: TIMER nominal NS periods N mean NS median NS min NS max NS
 *             used N/M bracket NS
 * mean: time between the first and last usable rollover / periods between
 * them (N); median, min, max: of the intervals between two consecutive
 * usable rollovers one period apart; used: usable rollovers of the M seen;
 * bracket: the widest bracket among the usable ones.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define GT_COUNTER_LO   0x00
#define GT_COUNTER_HI   0x04
#define GT_CONTROL      0x08

#define SP804_LOAD      0x00
#define SP804_CONTROL   0x08
#define SP804_INTCLR    0x0c
#define SP804_RIS       0x10
#define SP804_EN        0x80
#define SP804_PERIODIC  0x40
#define SP804_32BIT     0x02

#define EPIT_CR         0x00
#define EPIT_SR         0x04
#define EPIT_LR         0x08
#define EPIT_CMPR       0x0c
#define EPIT_CR_EN      (1u << 0)
#define EPIT_CR_ENMOD   (1u << 1)
#define EPIT_CR_RLD     (1u << 3)
#define EPIT_CR_IPG     (1u << 24)

struct board {
    const char *name;
    const char *timer;
    uint32_t timer_base;
    uint32_t gtimer_base;
    uint32_t nominal_ns;
};

static const struct board boards[] = {
    { "vexpress-a9", "sp804@10012000", 0x10012000, 0x1e000200, 100000 },
    { "sabrelite", "imx-epit@020d0000", 0x020d0000, 0x00a00200, 100000 },
};

static volatile uint32_t *map(int fd, uint32_t phys)
{
    long pg = sysconf(_SC_PAGESIZE);
    uint32_t base = phys & ~(uint32_t)(pg - 1);
    uint8_t *p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, base);

    if (p == MAP_FAILED) {
        fprintf(stderr, "interval: cannot map 0x%08x: %m\n", phys);
        exit(1);
    }
    return (volatile uint32_t *)(p + (phys - base));
}

static inline uint32_t rd(volatile uint32_t *b, unsigned off)
{
    return b[off / 4];
}

static inline void wr(volatile uint32_t *b, unsigned off, uint32_t v)
{
    b[off / 4] = v;
}

/* global timer count in ns */
static uint64_t gt_ns(volatile uint32_t *gt, unsigned ns_per_count)
{
    uint32_t hi, lo;

    do {
        hi = rd(gt, GT_COUNTER_HI);
        lo = rd(gt, GT_COUNTER_LO);
    } while (rd(gt, GT_COUNTER_HI) != hi);
    return (((uint64_t)hi << 32) | lo) * ns_per_count;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

static int is_sp804(const struct board *bd)
{
    return bd->timer_base == 0x10012000;
}

/* poll until the rollover flag is set; return its bracket, clear the flag */
static void wait_rollover(const struct board *bd, volatile uint32_t *t,
                          volatile uint32_t *gt, unsigned ns_per_count,
                          uint64_t *after_prev_poll, uint64_t *after_hit)
{
    unsigned off = is_sp804(bd) ? SP804_RIS : EPIT_SR;
    uint64_t before = gt_ns(gt, ns_per_count), prev;

    do {
        prev = before;
        before = gt_ns(gt, ns_per_count);
    } while (!(rd(t, off) & 1));
    *after_hit = gt_ns(gt, ns_per_count);
    *after_prev_poll = prev;
    wr(t, is_sp804(bd) ? SP804_INTCLR : EPIT_SR, 1);
}

int main(int argc, char **argv)
{
    const struct board *bd = NULL;
    volatile uint32_t *t, *gt;
    unsigned i, n, m, used = 0, ns_per_count;
    uint64_t *lo, *hi, first = 0, last = 0, periods = 0, widest = 0;
    int64_t *iv, *one, median;
    int have = 0;
    int fd;

    if (argc != 3) {
        fprintf(stderr, "usage: %s BOARD PERIODS\n", argv[0]);
        return 2;
    }
    for (i = 0; i < sizeof(boards) / sizeof(boards[0]); i++) {
        if (!strcmp(argv[1], boards[i].name)) {
            bd = &boards[i];
        }
    }
    n = strtoul(argv[2], NULL, 0);
    if (!bd || n < 3) {
        fprintf(stderr, "interval: unknown board '%s' or PERIODS < 3\n", argv[1]);
        return 2;
    }
    lo = calloc(n + 1, sizeof(*lo));
    hi = calloc(n + 1, sizeof(*hi));
    iv = calloc(n, sizeof(*iv));
    one = calloc(n, sizeof(*one));
    fd = open("/dev/mem", O_RDWR | O_SYNC);
    if (fd < 0 || !lo || !hi || !iv || !one) {
        fprintf(stderr, "interval: /dev/mem: %m\n");
        return 1;
    }
    t = map(fd, bd->timer_base);
    gt = map(fd, bd->gtimer_base);

    /* the global timer runs at 100 MHz / (prescaler + 1) in QEMU */
    if (!(rd(gt, GT_CONTROL) & 1)) {
        wr(gt, GT_CONTROL, 1);
    }
    ns_per_count = 10 * (((rd(gt, GT_CONTROL) >> 8) & 0xff) + 1);

    if (is_sp804(bd)) {
        wr(t, SP804_CONTROL, 0);
        wr(t, SP804_LOAD, 99);
        wr(t, SP804_INTCLR, 1);
        wr(t, SP804_CONTROL, SP804_EN | SP804_PERIODIC | SP804_32BIT);
    } else {
        wr(t, EPIT_CR, 0);
        wr(t, EPIT_SR, 1);
        wr(t, EPIT_LR, 6599);
        wr(t, EPIT_CMPR, 0);
        wr(t, EPIT_CR, EPIT_CR_IPG | EPIT_CR_RLD | EPIT_CR_ENMOD);
        wr(t, EPIT_CR, EPIT_CR_IPG | EPIT_CR_RLD | EPIT_CR_ENMOD | EPIT_CR_EN);
    }

    /* one rollover to synchronise, then n + 1 bracketed ones */
    wait_rollover(bd, t, gt, ns_per_count, &lo[0], &hi[0]);
    for (i = 0; i <= n; i++) {
        wait_rollover(bd, t, gt, ns_per_count, &lo[i], &hi[i]);
    }
    wr(t, is_sp804(bd) ? SP804_CONTROL : EPIT_CR, 0);

    /* the median of all intervals: the unit that counts periods */
    for (i = 0; i < n; i++) {
        iv[i] = (int64_t)(hi[i + 1] - hi[i]);
    }
    qsort(iv, n, sizeof(*iv), cmp_i64);
    median = iv[n / 2];

    m = 0;
    for (i = 0; i <= n; i++) {
        if (hi[i] - lo[i] > 1000) {
            have = have == 2 ? 1 : have;   /* break the chain of neighbours */
            continue;
        }
        used++;
        widest = hi[i] - lo[i] > widest ? hi[i] - lo[i] : widest;
        if (have) {
            uint64_t k = (hi[i] - last + median / 2) / median;

            periods += k;
            if (k == 1 && have == 2) {
                one[m++] = (int64_t)(hi[i] - last);
            }
        } else {
            first = hi[i];
        }
        last = hi[i];
        have = 2;
    }
    if (!periods || !m) {
        printf("interval: %s nominal %u no usable rollovers (%u of %u)\n",
               bd->timer, bd->nominal_ns, used, n + 1);
        return 1;
    }
    qsort(one, m, sizeof(*one), cmp_i64);
    printf("interval: %s nominal %u periods %llu mean %.1f median %lld min %lld max %lld"
           " used %u/%u bracket %llu\n", bd->timer, bd->nominal_ns,
           (unsigned long long)periods, (double)(last - first) / periods,
           (long long)one[m / 2], (long long)one[0], (long long)one[m - 1],
           used, n + 1, (unsigned long long)widest);
    return 0;
}
