/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QTest for the Xilinx CSU DMA stall timeout timer
 * (TIMEOUT_VAL / TIMEOUT_PRE / TIMEOUT_EN, INT_STATUS.TIMEOUT_STRM).
 *
 * The source channel used is the Versal OSPI source DMA, whose stream
 * sink is the OSPI destination DMA: while the destination is idle
 * (SIZE == 0) the source cannot push and its timeout countdown runs.
 * The channel's interrupt output (INT_STATUS & ~INT_MASK; the board ORs
 * it with the OSPI's and the destination's into the OSPI interrupt) is
 * observed at the device with irq().
 */

#include "qemu/osdep.h"
#include "libqtest.h"

#define SRC_BASE        0xf1011000
#define DST_BASE        0xf1011800

#define R_ADDR          0x00
#define R_SIZE          0x04
#define R_CTRL          0x0c
#define R_INT_STATUS    0x14
#define R_INT_ENABLE    0x18
#define R_INT_DISABLE   0x1c
#define R_CTRL2         0x24

#define CTRL_TIMEOUT_VAL_SHIFT  10
#define CTRL_TIMEOUT_VAL_MASK   (0xfffu << CTRL_TIMEOUT_VAL_SHIFT)
#define CTRL2_TIMEOUT_EN        (1u << 22)
#define CTRL2_TIMEOUT_PRE_SHIFT 4
#define CTRL2_MAX_OUTS_CMDS     0x8
#define INT_TIMEOUT_STRM        (1u << 3)

/* clk period is 2.5 ns; deadlines below are whole nanoseconds */
static int64_t deadline_ns(uint32_t val, uint32_t pre)
{
    return (int64_t)(val + 1) * (pre + 1) * 5 / 2;
}

static QTestState *start(void)
{
    QTestState *qts = qtest_init("-machine xlnx-versal-virt");

    qtest_irq_intercept_out_named(qts,
                                  "/machine/xlnx-versal/versal-ospi-dma-src",
                                  "sysbus-irq");
    return qts;
}

static bool timed_out(QTestState *qts)
{
    return qtest_readl(qts, SRC_BASE + R_INT_STATUS) & INT_TIMEOUT_STRM;
}

static bool irq(QTestState *qts)
{
    return qtest_get_irq(qts, 0);
}

static void set_timeout_val(QTestState *qts, uint32_t val)
{
    uint32_t ctrl = qtest_readl(qts, SRC_BASE + R_CTRL);

    ctrl &= ~CTRL_TIMEOUT_VAL_MASK;
    ctrl |= val << CTRL_TIMEOUT_VAL_SHIFT;
    qtest_writel(qts, SRC_BASE + R_CTRL, ctrl);
}

static void set_ctrl2(QTestState *qts, bool en, uint32_t pre)
{
    qtest_writel(qts, SRC_BASE + R_CTRL2,
                 (en ? CTRL2_TIMEOUT_EN : 0) |
                 (pre << CTRL2_TIMEOUT_PRE_SHIFT) | CTRL2_MAX_OUTS_CMDS);
}

/*
 * Program the timeout, unmask its interrupt (INT_MASK resets to all
 * masked) and start a transfer that stalls at once
 */
static void arm(QTestState *qts, uint32_t val, uint32_t pre)
{
    g_assert(qtest_readl(qts, DST_BASE + R_SIZE) == 0);
    qtest_writel(qts, SRC_BASE + R_INT_ENABLE, INT_TIMEOUT_STRM);
    set_ctrl2(qts, true, pre);
    set_timeout_val(qts, val);
    qtest_writel(qts, SRC_BASE + R_ADDR, 0);
    qtest_writel(qts, SRC_BASE + R_SIZE, 16);
}

static void check_deadline(uint32_t val, uint32_t pre)
{
    QTestState *qts = start();
    int64_t d = deadline_ns(val, pre);

    arm(qts, val, pre);
    g_assert(!timed_out(qts));
    g_assert(!irq(qts));
    qtest_clock_step(qts, d - 1);
    g_assert(!timed_out(qts));
    g_assert(!irq(qts));
    qtest_clock_step(qts, 1);
    g_assert(timed_out(qts));
    g_assert(irq(qts));
    qtest_clock_step(qts, 1);
    g_assert(timed_out(qts));
    g_assert(irq(qts));
    qtest_quit(qts);
}

/* (TIMEOUT_VAL + 1) * (TIMEOUT_PRE + 1) clocks: 1000 ns */
static void test_deadline(void)
{
    check_deadline(99, 3);
}

/* TIMEOUT_VAL = 0 is one prescaled tick, not an immediate timeout */
static void test_val_zero(void)
{
    check_deadline(0, 3);
}

/* One shot; a CTRL write while stalled re-arms with the new value */
static void test_rearm(void)
{
    QTestState *qts = start();
    int64_t d = deadline_ns(99, 3);
    int64_t d2 = deadline_ns(49, 3);

    arm(qts, 99, 3);
    qtest_clock_step(qts, d);
    g_assert(timed_out(qts));
    g_assert(irq(qts));
    /* INT_DISABLE masks it: the status stays, the line drops */
    qtest_writel(qts, SRC_BASE + R_INT_DISABLE, INT_TIMEOUT_STRM);
    g_assert(timed_out(qts));
    g_assert(!irq(qts));
    qtest_writel(qts, SRC_BASE + R_INT_ENABLE, INT_TIMEOUT_STRM);
    g_assert(irq(qts));
    /* INT_STATUS is write-1-to-clear */
    qtest_writel(qts, SRC_BASE + R_INT_STATUS, INT_TIMEOUT_STRM);
    g_assert(!timed_out(qts));
    g_assert(!irq(qts));
    qtest_clock_step(qts, 5 * d);
    g_assert(!timed_out(qts));
    g_assert(!irq(qts));

    set_timeout_val(qts, 49);
    qtest_clock_step(qts, d2 - 1);
    g_assert(!timed_out(qts));
    g_assert(!irq(qts));
    qtest_clock_step(qts, 1);
    g_assert(timed_out(qts));
    g_assert(irq(qts));
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/xlnx-csu-dma/timeout/deadline", test_deadline);
    qtest_add_func("/xlnx-csu-dma/timeout/val-zero", test_val_zero);
    qtest_add_func("/xlnx-csu-dma/timeout/rearm", test_rearm);

    return g_test_run();
}
