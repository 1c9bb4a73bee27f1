/*
 * QTest testcase for the interrupt delay timer of the Xilinx AXI DMA
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest-single.h"

/* AXI DMA of petalogix-ml605, its SG clock (freqhz) is 100 MHz */
#define DMA_BASE        0x84600000
#define DMACR           0x00
#define DMASR           0x04
#define CURDESC         0x08
#define TAILDESC        0x10

#define DMACR_RUNSTOP   (1u << 0)
#define DMACR_RESET     (1u << 2)
#define DMASR_HALTED    (1u << 0)
#define DMASR_IOC_IRQ   (1u << 12)
#define DMASR_DLY_IRQ   (1u << 13)
#define DMACR_DLY_IRQEN (1u << 13)

/* PG021: one IRQDelay unit is 125 SG clock periods, 125 * 10 ns */
#define DELAY_UNIT_NS   1250

#define DESC_ADDR       0x50100000
#define BUF_ADDR        0x50200000
#define DESC_CTRL_EOF   (1u << 26)

static uint32_t dmasr(void)
{
    return readl(DMA_BASE + DMASR);
}

static void put_le64(uint8_t *p, uint64_t v)
{
    int i;

    for (i = 0; i < 8; i++) {
        p[i] = v >> (8 * i);
    }
}

static void put_le32(uint8_t *p, uint32_t v)
{
    int i;

    for (i = 0; i < 4; i++) {
        p[i] = v >> (8 * i);
    }
}

/*
 * Run one single-descriptor MM2S packet with the given IRQDelay and
 * IRQThreshold; the packet completes at the current instant.
 */
static void run_packet_en(uint32_t delay, uint32_t threshold, uint32_t irqen)
{
    uint8_t desc[64] = { 0 };

    put_le64(desc + 0, DESC_ADDR);          /* next descriptor */
    put_le64(desc + 8, BUF_ADDR);           /* buffer */
    put_le32(desc + 24, DESC_CTRL_EOF | 64); /* control: EOF, 64 bytes */
    memwrite(DESC_ADDR, desc, sizeof(desc));

    writel(DMA_BASE + CURDESC, DESC_ADDR);
    writel(DMA_BASE + DMACR, (delay << 24) | (threshold << 16) | irqen |
           DMACR_RUNSTOP);
    writel(DMA_BASE + TAILDESC, DESC_ADDR);
}

static void run_packet(uint32_t delay, uint32_t threshold)
{
    run_packet_en(delay, threshold, 0);
}

/* The MM2S channel's interrupt line (sysbus IRQ 0, intercepted by wrap()) */
static bool mm2s_irq(void)
{
    return get_irq(0);
}

static void test_delay_exact(void)
{
    run_packet_en(4, 2, DMACR_DLY_IRQEN);
    /* Threshold of 2 not reached: no IOC, delay timer running */
    g_assert_cmphex(dmasr() & (DMASR_IOC_IRQ | DMASR_DLY_IRQ), ==, 0);
    g_assert_false(mm2s_irq());

    clock_step(4 * DELAY_UNIT_NS - 1);
    g_assert_cmphex(dmasr() & DMASR_DLY_IRQ, ==, 0);
    g_assert_false(mm2s_irq());
    clock_step(1);
    g_assert_cmphex(dmasr() & DMASR_DLY_IRQ, ==, DMASR_DLY_IRQ);
    g_assert_cmphex(dmasr() & DMASR_IOC_IRQ, ==, 0);
    g_assert_true(mm2s_irq());
}

static void test_no_delay_when_zero(void)
{
    run_packet(0, 2);
    clock_step(1000 * DELAY_UNIT_NS);
    g_assert_cmphex(dmasr() & (DMASR_IOC_IRQ | DMASR_DLY_IRQ), ==, 0);
}


static void wrap(gconstpointer data)
{
    void (*fn)(void) = data;

    qtest_start("-machine petalogix-ml605");
    /* The board names the DMA engine "/machine/xilinx-dma" */
    qtest_irq_intercept_out_named(global_qtest, "/machine/xilinx-dma",
                                  "sysbus-irq");
    fn();
    qtest_end();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    if (!qtest_has_machine("petalogix-ml605")) {
        g_test_skip("petalogix-ml605 machine not available");
        return g_test_run();
    }

    qtest_add_data_func("/xilinx-axidma/delay_exact", test_delay_exact, wrap);
    qtest_add_data_func("/xilinx-axidma/no_delay_when_zero",
                        test_no_delay_when_zero, wrap);
    return g_test_run();
}
