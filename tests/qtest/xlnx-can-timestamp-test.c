/*
 * QTest for the timestamp counter of the Xilinx ZynqMP CAN controller
 *
 * The RX timestamp (RXFIFO_DLC[15:0]) is the value of a 16-bit counter that
 * counts up at the CAN reference clock (24 MHz on xlnx-zcu102) and is
 * cleared by TCR.CTS and when the controller leaves configuration mode.  At
 * 24 MHz three ticks last exactly 125 ns; the tests sample in the middle of
 * a tick (20 ns after its start) so that the value does not depend on which
 * side of a clock edge the read falls.
 *
 * What the tests observe of the receiver's interrupt output is the RXOK
 * interrupt of the frame that captures the timestamp.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"

#define CAN0_BASE           0xFF060000
#define CAN1_BASE           0xFF070000

#define SRR                 0x00
#define MSR                 0x04
#define SR                  0x18
#define ISR                 0x1C
#define IER                 0x20
#define ICR                 0x24
#define TCR                 0x28
#define TXID                0x30
#define TXDLC               0x34
#define TXDATA1             0x38
#define TXDATA2             0x3C
#define RXID                0x50
#define RXDLC               0x54
#define RXDATA1             0x58
#define RXDATA2             0x5C

#define SRR_CEN             (1 << 1)
#define SR_NORMAL           (1 << 3)
#define ISR_TXOK            (1 << 1)
#define ISR_RXOK            (1 << 4)
#define TCR_CTS             (1 << 0)

#define MID_TICK_NS         20

/* Virtual time of @ticks ticks of the 24 MHz clock plus 20 ns, in ns. */
static int64_t ticks_ns(uint64_t ticks)
{
    /* ticks * 125 / 3, rounded up, then into the middle of the tick */
    return (ticks * 125 + 2) / 3 + MID_TICK_NS;
}

/*
 * Start the board with both controllers on one bus, and observe the
 * receiver's (CAN1's) interrupt output, read with rx_irq(), with RXOK
 * its only enabled interrupt.
 */
static QTestState *can_start(void)
{
    QTestState *qts = qtest_init("-machine xlnx-zcu102"
                                 " -object can-bus,id=canbus"
                                 " -machine canbus0=canbus"
                                 " -machine canbus1=canbus");

    qtest_irq_intercept_out_named(qts, "/machine/soc/can[1]", "sysbus-irq");
    qtest_writel(qts, CAN0_BASE + SRR, SRR_CEN);
    qtest_writel(qts, CAN0_BASE + MSR, 0);
    qtest_writel(qts, CAN1_BASE + SRR, SRR_CEN);
    qtest_writel(qts, CAN1_BASE + MSR, 0);
    qtest_writel(qts, CAN1_BASE + IER, ISR_RXOK);
    g_assert_cmphex(qtest_readl(qts, CAN0_BASE + SR), ==, SR_NORMAL);
    g_assert_cmphex(qtest_readl(qts, CAN1_BASE + SR), ==, SR_NORMAL);
    return qts;
}

static bool rx_irq(QTestState *qts)
{
    return qtest_get_irq(qts, 0);
}

/* Send one frame from CAN0, receive it on CAN1, return its timestamp. */
static uint32_t frame_timestamp(QTestState *qts)
{
    uint32_t dlc;

    g_assert_false(rx_irq(qts));
    qtest_writel(qts, CAN0_BASE + TXID, 0x2A);
    qtest_writel(qts, CAN0_BASE + TXDLC, 0x80000000);
    qtest_writel(qts, CAN0_BASE + TXDATA1, 0x11223344);
    qtest_writel(qts, CAN0_BASE + TXDATA2, 0x55667788);
    g_assert_cmphex(qtest_readl(qts, CAN0_BASE + ISR) & ISR_TXOK, ==,
                    ISR_TXOK);
    qtest_writel(qts, CAN0_BASE + ICR, ISR_TXOK);

    g_assert_cmphex(qtest_readl(qts, CAN1_BASE + ISR) & ISR_RXOK, ==,
                    ISR_RXOK);
    g_assert_true(rx_irq(qts));
    g_assert_cmphex(qtest_readl(qts, CAN1_BASE + RXID), ==, 0x2A);
    dlc = qtest_readl(qts, CAN1_BASE + RXDLC);
    g_assert_cmphex(qtest_readl(qts, CAN1_BASE + RXDATA1), ==, 0x11223344);
    g_assert_cmphex(qtest_readl(qts, CAN1_BASE + RXDATA2), ==, 0x55667788);
    qtest_writel(qts, CAN1_BASE + ICR, ISR_RXOK);
    g_assert_false(rx_irq(qts));

    g_assert_cmphex(dlc & 0xFFFF0000, ==, 0x80000000);
    return dlc & 0xFFFF;
}

/* Clear the counter, wait @ticks ticks (+20 ns), expect @ticks mod 2^16. */
static void check_after(QTestState *qts, uint64_t ticks)
{
    qtest_writel(qts, CAN1_BASE + TCR, TCR_CTS);
    qtest_clock_step(qts, ticks_ns(ticks));
    g_assert_cmpuint(frame_timestamp(qts), ==, ticks & 0xFFFF);
}

static void test_no_time(void)
{
    QTestState *qts = can_start();

    g_assert_cmpuint(frame_timestamp(qts), ==, 0);
    qtest_quit(qts);
}

static void test_first_tick(void)
{
    QTestState *qts = can_start();

    /* 1 ns after the clear the first tick has not completed. */
    qtest_clock_step(qts, 1);
    g_assert_cmpuint(frame_timestamp(qts), ==, 0);
    /* 41 ns: still inside the first tick (41.67 ns). */
    qtest_clock_step(qts, 40);
    g_assert_cmpuint(frame_timestamp(qts), ==, 0);
    /* 42 ns: inside the second tick. */
    qtest_clock_step(qts, 1);
    g_assert_cmpuint(frame_timestamp(qts), ==, 1);
    qtest_quit(qts);
}

static void test_small_counts(void)
{
    QTestState *qts = can_start();
    static const uint64_t counts[] = { 1, 2, 3, 7, 100, 1000, 3000 };
    int i;

    for (i = 0; i < ARRAY_SIZE(counts); i++) {
        check_after(qts, counts[i]);
    }
    qtest_quit(qts);
}

static void test_cts_clears(void)
{
    QTestState *qts = can_start();

    qtest_clock_step(qts, ticks_ns(1000));
    g_assert_cmpuint(frame_timestamp(qts), ==, 1000);
    qtest_writel(qts, CAN1_BASE + TCR, TCR_CTS);
    g_assert_cmpuint(frame_timestamp(qts), ==, 0);
    /* CTS reads back as 0 (self-clearing). */
    g_assert_cmphex(qtest_readl(qts, CAN1_BASE + TCR), ==, 0);
    qtest_clock_step(qts, ticks_ns(99));
    g_assert_cmpuint(frame_timestamp(qts), ==, 99);
    qtest_quit(qts);
}

static void test_cts_other_controller(void)
{
    QTestState *qts = can_start();

    /* Clearing CAN0's counter does not touch the receiver's counter. */
    qtest_clock_step(qts, ticks_ns(600));
    qtest_writel(qts, CAN0_BASE + TCR, TCR_CTS);
    g_assert_cmpuint(frame_timestamp(qts), ==, 600);
    qtest_quit(qts);
}

static void test_leave_config_clears(void)
{
    QTestState *qts = can_start();

    qtest_clock_step(qts, ticks_ns(5000));
    qtest_writel(qts, CAN1_BASE + SRR, 0);
    qtest_clock_step(qts, 1000);
    qtest_writel(qts, CAN1_BASE + SRR, SRR_CEN);
    qtest_writel(qts, CAN1_BASE + MSR, 0);
    g_assert_cmpuint(frame_timestamp(qts), ==, 0);
    qtest_clock_step(qts, ticks_ns(9));
    g_assert_cmpuint(frame_timestamp(qts), ==, 9);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/xlnx-can-timestamp/no_time", test_no_time);
    qtest_add_func("/xlnx-can-timestamp/first_tick", test_first_tick);
    qtest_add_func("/xlnx-can-timestamp/small_counts", test_small_counts);
    qtest_add_func("/xlnx-can-timestamp/cts_clears", test_cts_clears);
    qtest_add_func("/xlnx-can-timestamp/cts_other_controller",
                   test_cts_other_controller);
    qtest_add_func("/xlnx-can-timestamp/leave_config_clears",
                   test_leave_config_clears);

    return g_test_run();
}
