/*
 * QTest for the timestamp counter of the Xilinx Versal CANFD controller
 *
 * The timestamp counter (TSR[31:16], also captured into the DLC word of
 * received frames) is a 16-bit up-counter at the CAN reference clock (24 MHz
 * on xlnx-versal-virt).  TSR.CTS, entering or leaving configuration mode,
 * the software reset and the device reset clear it; it wraps from 0xFFFF to
 * 0 and sets ISR.TSCNT_OFLW at that instant.  Three ticks last exactly
 * 125 ns; samples are taken 20 ns after the start of a tick so that the
 * value does not depend on which side of a clock edge the read falls,
 * except where the test checks the edge itself.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"

#define CANFD0_BASE         0xFF060000
#define CANFD1_BASE         0xFF070000
#define CANFD0_QOM          "/machine/xlnx-versal/canfd0"

#define SRR                 0x00
#define MSR                 0x04
#define SR                  0x18
#define ISR                 0x1C
#define IER                 0x20
#define ICR                 0x24
#define TSR                 0x28
#define TRR                 0x90
#define AFR                 0xE0
#define AFMR0               0xA00
#define AFIR0               0xA04
#define TB0_ID              0x100
#define TB0_DLC             0x104
#define TB0_DW0             0x108
#define TB0_DW1             0x10C
#define RX_FSR              0xE8
#define RB_ID(i)            (0x2100 + (i) * 72)
#define RB_DLC(i)           (RB_ID(i) + 4)
#define RB_DW0(i)           (RB_ID(i) + 8)

#define SRR_SRST            (1 << 0)
#define SRR_CEN             (1 << 1)
#define SR_CONFIG           (1 << 0)
#define SR_NORMAL           (1 << 3)
#define ISR_TXOK            (1 << 1)
#define ISR_RXOK            (1 << 4)
#define ISR_TSCNT_OFLW      (1 << 5)
#define TSR_CTS             (1 << 0)
#define RX_FSR_RI_MASK      0x3F
#define RX_FSR_FL_SHIFT     8
#define RX_FSR_IRI          (1 << 7)

#define TICKS_PER_125NS     3
#define MID_TICK_NS         20
#define WRAP_TICKS          0x10000ULL

/* First integer ns at or after @ticks ticks of the 24 MHz clock. */
static int64_t edge_ns(uint64_t ticks)
{
    return (ticks * 125 + 2) / 3;
}

/* 20 ns into tick @ticks (counted from a clear). */
static int64_t ticks_ns(uint64_t ticks)
{
    return edge_ns(ticks) + MID_TICK_NS;
}

static uint32_t timestamp(QTestState *qts, uint64_t base)
{
    uint32_t tsr = qtest_readl(qts, base + TSR);

    /* Bits 15:0 (CTS and reserved) always read 0. */
    g_assert_cmphex(tsr & 0xFFFF, ==, 0);
    return tsr >> 16;
}

static bool overflowed(QTestState *qts, uint64_t base)
{
    return qtest_readl(qts, base + ISR) & ISR_TSCNT_OFLW;
}

static QTestState *canfd_start(void)
{
    QTestState *qts = qtest_init("-machine xlnx-versal-virt"
                                 " -object can-bus,id=canbus"
                                 " -machine canbus0=canbus"
                                 " -machine canbus1=canbus");
    uint64_t bases[] = { CANFD0_BASE, CANFD1_BASE };
    int i;

    for (i = 0; i < ARRAY_SIZE(bases); i++) {
        qtest_writel(qts, bases[i] + SRR, 0);
        g_assert_cmphex(qtest_readl(qts, bases[i] + SR) & 0xF, ==,
                        SR_CONFIG);
        qtest_writel(qts, bases[i] + MSR, 0);
        /* One acceptance filter that matches every identifier. */
        qtest_writel(qts, bases[i] + AFMR0, 0);
        qtest_writel(qts, bases[i] + AFIR0, 0);
        qtest_writel(qts, bases[i] + AFR, 1);
        qtest_writel(qts, bases[i] + SRR, SRR_CEN);
        g_assert_cmphex(qtest_readl(qts, bases[i] + SR) & 0xF, ==,
                        SR_NORMAL);
    }
    return qts;
}

/* Clear the counter of @base with TSR.CTS and its overflow flag. */
static void clear(QTestState *qts, uint64_t base)
{
    qtest_writel(qts, base + TSR, TSR_CTS);
    qtest_writel(qts, base + ICR, ISR_TSCNT_OFLW);
}

/* Send one frame from CANFD0, receive it on CANFD1, return its timestamp. */
static uint32_t frame_timestamp(QTestState *qts)
{
    uint32_t dlc;
    uint32_t fsr;
    int ri;

    qtest_writel(qts, CANFD0_BASE + TB0_ID, 0x2A << 21);
    qtest_writel(qts, CANFD0_BASE + TB0_DLC, 8 << 28);
    qtest_writel(qts, CANFD0_BASE + TB0_DW0, 0x11223344);
    qtest_writel(qts, CANFD0_BASE + TB0_DW1, 0x55667788);
    qtest_writel(qts, CANFD0_BASE + TRR, 1);
    g_assert_cmphex(qtest_readl(qts, CANFD0_BASE + ISR) & ISR_TXOK, ==,
                    ISR_TXOK);
    qtest_writel(qts, CANFD0_BASE + ICR, ISR_TXOK);

    g_assert_cmphex(qtest_readl(qts, CANFD1_BASE + ISR) & ISR_RXOK, ==,
                    ISR_RXOK);
    qtest_writel(qts, CANFD1_BASE + ICR, ISR_RXOK);
    fsr = qtest_readl(qts, CANFD1_BASE + RX_FSR);
    g_assert_cmphex((fsr >> RX_FSR_FL_SHIFT) & 0x7F, ==, 1);
    ri = fsr & RX_FSR_RI_MASK;
    g_assert_cmphex(qtest_readl(qts, CANFD1_BASE + RB_ID(ri)), ==, 0x2A << 21);
    g_assert_cmphex(qtest_readl(qts, CANFD1_BASE + RB_DW0(ri)), ==,
                    0x11223344);
    dlc = qtest_readl(qts, CANFD1_BASE + RB_DLC(ri));
    g_assert_cmphex(dlc >> 28, ==, 8);
    /* Pop the frame. */
    qtest_writel(qts, CANFD1_BASE + RX_FSR, fsr | RX_FSR_IRI);
    return dlc & 0xFFFF;
}

static void test_reset_value(void)
{
    QTestState *qts = qtest_init("-machine xlnx-versal-virt");

    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, 0);
    g_assert_false(overflowed(qts, CANFD0_BASE));
    /* The counter runs from reset, in configuration mode too. */
    qtest_clock_step(qts, ticks_ns(1));
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, 1);
    g_assert_cmpuint(timestamp(qts, CANFD1_BASE), ==, 1);
    qtest_quit(qts);
}

static void test_first_ticks(void)
{
    QTestState *qts = canfd_start();

    clear(qts, CANFD0_BASE);
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, 0);
    /* Tick 1 starts at 41.67 ns, tick 2 at 83.33 ns, tick 3 at 125 ns. */
    qtest_clock_step(qts, 1);
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, 0);
    qtest_clock_step(qts, 40);
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, 0);
    qtest_clock_step(qts, 1);
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, 1);
    qtest_clock_step(qts, 41);
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, 1);
    qtest_clock_step(qts, 1);
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, 2);
    qtest_clock_step(qts, 42);
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, 3);
    qtest_quit(qts);
}

static void test_rate(void)
{
    QTestState *qts = canfd_start();
    static const uint64_t counts[] = { 1, 2, 3, 7, 100, 1000, 24000, 0xFFFE };
    int i;

    /* No prescaler: one count per reference clock period (24 MHz). */
    for (i = 0; i < ARRAY_SIZE(counts); i++) {
        clear(qts, CANFD0_BASE);
        qtest_clock_step(qts, ticks_ns(counts[i]));
        g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, counts[i]);
        g_assert_false(overflowed(qts, CANFD0_BASE));
    }
    qtest_quit(qts);
}

static void test_cts(void)
{
    QTestState *qts = canfd_start();

    clear(qts, CANFD0_BASE);
    clear(qts, CANFD1_BASE);
    qtest_clock_step(qts, ticks_ns(1000));
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, 1000);
    /* CTS clears at once, and only its own controller's counter. */
    qtest_writel(qts, CANFD0_BASE + TSR, TSR_CTS);
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, 0);
    g_assert_cmpuint(timestamp(qts, CANFD1_BASE), ==, 1000);
    g_assert_false(overflowed(qts, CANFD0_BASE));
    qtest_clock_step(qts, ticks_ns(99));
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, 99);
    /* Writes without CTS change nothing (TIMESTAMP_CNT is read-only). */
    qtest_writel(qts, CANFD0_BASE + TSR, 0xFFFFFFFE);
    qtest_writel(qts, CANFD0_BASE + TSR, 0);
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, 99);
    qtest_quit(qts);
}

static void test_mode_changes_clear(void)
{
    QTestState *qts = canfd_start();

    clear(qts, CANFD0_BASE);
    qtest_clock_step(qts, ticks_ns(5000));
    /* Entering configuration mode clears the counter ... */
    qtest_writel(qts, CANFD0_BASE + SRR, 0);
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, 0);
    qtest_clock_step(qts, ticks_ns(10));
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, 10);
    /* ... and so does leaving it. */
    qtest_writel(qts, CANFD0_BASE + SRR, SRR_CEN);
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, 0);
    qtest_clock_step(qts, ticks_ns(9));
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, 9);
    qtest_quit(qts);
}

static void test_soft_reset_clears(void)
{
    QTestState *qts = canfd_start();

    clear(qts, CANFD0_BASE);
    qtest_clock_step(qts, ticks_ns(3000));
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, 3000);
    qtest_writel(qts, CANFD0_BASE + SRR, SRR_SRST);
    g_assert_cmphex(qtest_readl(qts, CANFD0_BASE + SR) & 0xF, ==, SR_CONFIG);
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, 0);
    qtest_clock_step(qts, ticks_ns(5));
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, 5);
    qtest_quit(qts);
}

static void test_device_reset(void)
{
    QTestState *qts = canfd_start();

    clear(qts, CANFD0_BASE);
    qtest_clock_step(qts, ticks_ns(WRAP_TICKS + 77));
    g_assert_true(overflowed(qts, CANFD0_BASE));
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, 77);
    qtest_system_reset(qts);
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, 0);
    g_assert_false(overflowed(qts, CANFD0_BASE));
    qtest_clock_step(qts, ticks_ns(4));
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, 4);
    qtest_quit(qts);
}

/*
 * At virtual time @t (ns after the clear at time @t0), the count has
 * wrapped iff the overflow flag is set; check both against @wrapped.
 */
static void check_edge(QTestState *qts, int64_t t0, int64_t t,
                       uint32_t expect, bool wrapped)
{
    g_assert_cmpint(qtest_clock_set(qts, t0 + t), ==, t0 + t);
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, expect);
    g_assert_cmpint(overflowed(qts, CANFD0_BASE), ==, wrapped);
}

static void test_wrap_race(void)
{
    QTestState *qts = canfd_start();
    int64_t t0;
    int64_t e;

    clear(qts, CANFD0_BASE);
    t0 = qtest_clock_set(qts, 0);

    /* First wrap at 0x10000 ticks = 2730666.67 ns: due at 2730667 ns. */
    e = edge_ns(WRAP_TICKS);
    g_assert_cmpint(e, ==, 2730667);
    check_edge(qts, t0, e - 1, 0xFFFF, false);
    check_edge(qts, t0, e, 0, true);
    check_edge(qts, t0, e + 1, 0, true);
    /* Tick 1 of the new cycle starts at 2730708.33 ns. */
    check_edge(qts, t0, e + 41, 0, true);
    check_edge(qts, t0, e + 42, 1, true);

    /* Second wrap at 5461333.33 ns. */
    qtest_writel(qts, CANFD0_BASE + ICR, ISR_TSCNT_OFLW);
    e = edge_ns(2 * WRAP_TICKS);
    g_assert_cmpint(e, ==, 5461334);
    check_edge(qts, t0, e - 1, 0xFFFF, false);
    check_edge(qts, t0, e, 0, true);
    check_edge(qts, t0, e + 1, 0, true);

    /* Third wrap falls on a whole nanosecond: 8192000 ns. */
    qtest_writel(qts, CANFD0_BASE + ICR, ISR_TSCNT_OFLW);
    e = edge_ns(3 * WRAP_TICKS);
    g_assert_cmpint(e, ==, 8192000);
    check_edge(qts, t0, e - 1, 0xFFFF, false);
    check_edge(qts, t0, e, 0, true);
    check_edge(qts, t0, e + 1, 0, true);
    qtest_quit(qts);
}

static void test_overflow_irq(void)
{
    QTestState *qts = canfd_start();

    qtest_irq_intercept_out_named(qts, CANFD0_QOM, "sysbus-irq");
    qtest_writel(qts, CANFD0_BASE + IER, ISR_TSCNT_OFLW);
    clear(qts, CANFD0_BASE);
    g_assert_false(qtest_get_irq(qts, 0));

    qtest_clock_step(qts, edge_ns(WRAP_TICKS) - 1);
    g_assert_false(qtest_get_irq(qts, 0));
    g_assert_false(overflowed(qts, CANFD0_BASE));
    qtest_clock_step(qts, 1);
    g_assert_true(qtest_get_irq(qts, 0));
    g_assert_true(overflowed(qts, CANFD0_BASE));

    /* Acknowledge; the next overflow is one full cycle later. */
    qtest_writel(qts, CANFD0_BASE + ICR, ISR_TSCNT_OFLW);
    g_assert_false(qtest_get_irq(qts, 0));
    qtest_clock_step(qts, edge_ns(2 * WRAP_TICKS) - edge_ns(WRAP_TICKS) - 1);
    g_assert_false(qtest_get_irq(qts, 0));
    qtest_clock_step(qts, 1);
    g_assert_true(qtest_get_irq(qts, 0));

    /* Masked overflow: status set, line low. */
    qtest_writel(qts, CANFD0_BASE + IER, 0);
    g_assert_false(qtest_get_irq(qts, 0));
    g_assert_true(overflowed(qts, CANFD0_BASE));

    /* A clear does not count as an overflow. */
    qtest_writel(qts, CANFD0_BASE + ICR, ISR_TSCNT_OFLW);
    qtest_writel(qts, CANFD0_BASE + TSR, TSR_CTS);
    g_assert_false(overflowed(qts, CANFD0_BASE));
    qtest_quit(qts);
}

static void test_many_wraps(void)
{
    QTestState *qts = canfd_start();
    static const uint64_t counts[] = {
        2 * WRAP_TICKS + 300, 10 * WRAP_TICKS + 0x1234, 37 * WRAP_TICKS - 1,
    };
    int i;

    /* A free-running counter: the period is exactly 0x10000 ticks. */
    for (i = 0; i < ARRAY_SIZE(counts); i++) {
        clear(qts, CANFD0_BASE);
        qtest_clock_step(qts, ticks_ns(counts[i]));
        g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, counts[i] & 0xFFFF);
        g_assert_true(overflowed(qts, CANFD0_BASE));
    }
    qtest_quit(qts);
}

static void test_no_drift(void)
{
    QTestState *qts = canfd_start();
    uint64_t ticks = 0;
    int i;

    /* 875 ns = 21 ticks exactly: many steps accumulate no error. */
    clear(qts, CANFD0_BASE);
    qtest_clock_step(qts, MID_TICK_NS);
    for (i = 0; i < 4000; i++) {
        qtest_clock_step(qts, 7 * 125);
        ticks += 7 * TICKS_PER_125NS;
        if (i % 397 == 0) {
            g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, ticks & 0xFFFF);
        }
    }
    g_assert_cmpuint(timestamp(qts, CANFD0_BASE), ==, ticks & 0xFFFF);
    qtest_quit(qts);
}

static void test_rx_timestamp(void)
{
    QTestState *qts = canfd_start();

    /* Frames are stamped with the receiver's counter. */
    clear(qts, CANFD1_BASE);
    qtest_clock_step(qts, ticks_ns(4321));
    g_assert_cmpuint(frame_timestamp(qts), ==, 4321);
    g_assert_cmpuint(timestamp(qts, CANFD1_BASE), ==, 4321);
    qtest_quit(qts);
}

static void test_rx_first_tick_and_wrap(void)
{
    QTestState *qts = canfd_start();
    int64_t t0;

    /* Only frames here: the captured value, not the TSR read-out. */
    clear(qts, CANFD1_BASE);
    t0 = qtest_clock_set(qts, 0);
    qtest_clock_set(qts, t0 + MID_TICK_NS);
    g_assert_cmpuint(frame_timestamp(qts), ==, 0);
    qtest_clock_set(qts, t0 + ticks_ns(1));
    g_assert_cmpuint(frame_timestamp(qts), ==, 1);
    qtest_clock_set(qts, t0 + ticks_ns(WRAP_TICKS - 1));
    g_assert_cmpuint(frame_timestamp(qts), ==, 0xFFFF);
    g_assert_false(overflowed(qts, CANFD1_BASE));
    qtest_clock_set(qts, t0 + ticks_ns(WRAP_TICKS));
    g_assert_cmpuint(frame_timestamp(qts), ==, 0);
    g_assert_true(overflowed(qts, CANFD1_BASE));
    qtest_clock_set(qts, t0 + ticks_ns(WRAP_TICKS + 1));
    g_assert_cmpuint(frame_timestamp(qts), ==, 1);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/xlnx-canfd-timestamp/reset_value", test_reset_value);
    qtest_add_func("/xlnx-canfd-timestamp/first_ticks", test_first_ticks);
    qtest_add_func("/xlnx-canfd-timestamp/rate", test_rate);
    qtest_add_func("/xlnx-canfd-timestamp/cts", test_cts);
    qtest_add_func("/xlnx-canfd-timestamp/mode_changes_clear",
                   test_mode_changes_clear);
    qtest_add_func("/xlnx-canfd-timestamp/soft_reset_clears",
                   test_soft_reset_clears);
    qtest_add_func("/xlnx-canfd-timestamp/device_reset", test_device_reset);
    qtest_add_func("/xlnx-canfd-timestamp/wrap_race", test_wrap_race);
    qtest_add_func("/xlnx-canfd-timestamp/overflow_irq", test_overflow_irq);
    qtest_add_func("/xlnx-canfd-timestamp/many_wraps", test_many_wraps);
    qtest_add_func("/xlnx-canfd-timestamp/no_drift", test_no_drift);
    qtest_add_func("/xlnx-canfd-timestamp/rx_timestamp", test_rx_timestamp);
    qtest_add_func("/xlnx-canfd-timestamp/rx_first_tick_and_wrap",
                   test_rx_first_tick_and_wrap);

    return g_test_run();
}
