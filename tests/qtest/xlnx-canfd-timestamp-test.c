/*
 * QTest for the timestamp counter of the Xilinx Versal CANFD controller
 *
 * The timestamp counter is a 16-bit up-counter at the CAN reference clock
 * (24 MHz on xlnx-versal-virt) whose value is captured into the DLC word of
 * received frames.  TSR.CTS clears it; it wraps from 0xFFFF to 0.  Three
 * ticks last exactly 125 ns; frames are sent 20 ns after the start of a tick
 * so that their timestamp does not depend on which side of a clock edge the
 * capture falls.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"

#define CANFD0_BASE         0xFF060000
#define CANFD1_BASE         0xFF070000

#define SRR                 0x00
#define MSR                 0x04
#define SR                  0x18
#define ISR                 0x1C
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
    qtest_clock_set(qts, t0 + ticks_ns(WRAP_TICKS));
    g_assert_cmpuint(frame_timestamp(qts), ==, 0);
    qtest_clock_set(qts, t0 + ticks_ns(WRAP_TICKS + 1));
    g_assert_cmpuint(frame_timestamp(qts), ==, 1);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/xlnx-canfd-timestamp/rx_timestamp", test_rx_timestamp);
    qtest_add_func("/xlnx-canfd-timestamp/rx_first_tick_and_wrap",
                   test_rx_first_tick_and_wrap);

    return g_test_run();
}
