/*
 * QTest for the eTSEC TxBD poll timer (ptimer) on the ppce500 machine
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"

/* First device on the e500plat platform bus */
#define ETSEC_BASE      0xf00000000ULL

#define IEVENT          0x010
#define IMASK           0x014
#define IEVENT_TXF      (1u << 20)
#define DMACTRL         0x02c
#define DMACTRL_WOP     (1 << 0)
#define TBPTR0          0x184
#define TBASE0          0x204
#define MACCFG1         0x500
#define MACCFG1_TX_EN   (1 << 0)

#define BD_TX_READY     (1 << 15)
#define BD_WRAP         (1 << 13)
#define BD_INTERRUPT    (1 << 12)
#define BD_LAST         (1 << 11)

#define RING_ADDR       0x00100000
#define BUF_ADDR        0x00101000

/* The model polls the TxBD ring every 10 ms (100 Hz ptimer) */
#define POLL_NS         10000000LL

/*
 * ppce500 refuses to start without its firmware, which is not built here:
 * give it a stand-in, a 32-bit big-endian PowerPC ELF whose single
 * loadable word at 0xf00000 is a branch to itself.  The CPU never runs
 * under qtest; only the loader has to accept it.
 */
static const uint8_t stub_firmware[] = {
    0x7f, 0x45, 0x4c, 0x46, 0x01, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x14, 0x00, 0x00, 0x00, 0x01,
    0x00, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x34, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x34, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x54,
    0x00, 0xf0, 0x00, 0x00, 0x00, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04,
    0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x04,
    0x48, 0x00, 0x00, 0x00
};

static char *fw_dir;

static QTestState *etsec_start(void)
{
    if (!fw_dir) {
        char *path;

        fw_dir = g_dir_make_tmp("etsec-fw-XXXXXX", NULL);
        g_assert(fw_dir);
        path = g_build_filename(fw_dir, "u-boot.e500", NULL);
        g_assert(g_file_set_contents(path, (const char *)stub_firmware,
                                     sizeof(stub_firmware), NULL));
        g_free(path);
    }
    return qtest_initf("-L %s -machine ppce500 -nic none "
                       "-device eTSEC,id=etsec0", fw_dir);
}

static uint32_t etsec_readl(QTestState *qts, uint32_t reg)
{
    return qtest_readl(qts, ETSEC_BASE + reg);
}

static void etsec_writel(QTestState *qts, uint32_t reg, uint32_t val)
{
    qtest_writel(qts, ETSEC_BASE + reg, val);
}

/* One ready TxBD (big-endian, wrap, last) and a TX-enabled MAC */
static void setup_ring(QTestState *qts)
{
    qtest_writew(qts, RING_ADDR, BD_TX_READY | BD_WRAP | BD_LAST);
    qtest_writew(qts, RING_ADDR + 2, 64);
    qtest_writel(qts, RING_ADDR + 4, BUF_ADDR);
    etsec_writel(qts, TBASE0, RING_ADDR);
    etsec_writel(qts, TBPTR0, RING_ADDR);
    etsec_writel(qts, MACCFG1, MACCFG1_TX_EN);
}

static void rearm_bd(QTestState *qts)
{
    qtest_writew(qts, RING_ADDR, BD_TX_READY | BD_WRAP | BD_LAST);
}

static bool bd_ready(QTestState *qts)
{
    return qtest_readw(qts, RING_ADDR) & BD_TX_READY;
}

static void test_reset_values(void)
{
    QTestState *qts = etsec_start();

    g_assert_cmphex(etsec_readl(qts, DMACTRL), ==, 0);
    g_assert_cmphex(etsec_readl(qts, MACCFG1), ==, 0);
    g_assert_cmphex(etsec_readl(qts, IEVENT), ==, 0);
    etsec_writel(qts, TBASE0, RING_ADDR);
    g_assert_cmphex(etsec_readl(qts, TBASE0), ==, RING_ADDR);
    qtest_quit(qts);
}

static void test_first_poll_exact(void)
{
    QTestState *qts = etsec_start();

    /* sysbus IRQ 0 is the transmit line; TXF interrupts when unmasked */
    qtest_irq_intercept_out_named(qts, "/machine/peripheral/etsec0",
                                  "sysbus-irq");
    etsec_writel(qts, IMASK, IEVENT_TXF);
    setup_ring(qts);
    qtest_writew(qts, RING_ADDR,
                 BD_TX_READY | BD_INTERRUPT | BD_WRAP | BD_LAST);
    /* Writing DMACTRL with WOP clear starts polling */
    etsec_writel(qts, DMACTRL, 0);
    qtest_clock_step(qts, POLL_NS - 1);
    g_assert_true(bd_ready(qts));
    g_assert_false(qtest_get_irq(qts, 0));
    qtest_clock_step(qts, 1);
    g_assert_false(bd_ready(qts));
    g_assert_true(etsec_readl(qts, IEVENT) & IEVENT_TXF);
    g_assert_true(qtest_get_irq(qts, 0));
    /* writing 1 to the event bit clears it and the line */
    etsec_writel(qts, IEVENT, IEVENT_TXF);
    g_assert_false(qtest_get_irq(qts, 0));
    qtest_quit(qts);
}

static void test_poll_periodic(void)
{
    QTestState *qts = etsec_start();
    int i;

    setup_ring(qts);
    etsec_writel(qts, DMACTRL, 0);
    qtest_clock_step(qts, POLL_NS);
    g_assert_false(bd_ready(qts));
    for (i = 0; i < 3; i++) {
        rearm_bd(qts);
        qtest_clock_step(qts, POLL_NS - 1);
        g_assert_true(bd_ready(qts));
        qtest_clock_step(qts, 1);
        g_assert_false(bd_ready(qts));
    }
    qtest_quit(qts);
}

static void test_rewrite_restarts(void)
{
    QTestState *qts = etsec_start();

    setup_ring(qts);
    etsec_writel(qts, DMACTRL, 0);
    qtest_clock_step(qts, POLL_NS / 2);
    /* A new DMACTRL write restarts the 10 ms poll interval */
    etsec_writel(qts, DMACTRL, 0);
    qtest_clock_step(qts, POLL_NS - 1);
    g_assert_true(bd_ready(qts));
    qtest_clock_step(qts, 1);
    g_assert_false(bd_ready(qts));
    qtest_quit(qts);
}

static void test_wop_no_poll(void)
{
    QTestState *qts = etsec_start();

    setup_ring(qts);
    etsec_writel(qts, DMACTRL, DMACTRL_WOP);
    qtest_clock_step(qts, 3 * POLL_NS);
    g_assert_true(bd_ready(qts));
    qtest_quit(qts);
}

static void test_reset_stops_poll(void)
{
    QTestState *qts = etsec_start();

    setup_ring(qts);
    etsec_writel(qts, DMACTRL, 0);
    qtest_clock_step(qts, POLL_NS / 2);
    qtest_system_reset(qts);
    /* After reset, no polling until the guest writes DMACTRL again */
    setup_ring(qts);
    qtest_clock_step(qts, 3 * POLL_NS);
    g_assert_true(bd_ready(qts));
    etsec_writel(qts, DMACTRL, 0);
    qtest_clock_step(qts, POLL_NS);
    g_assert_false(bd_ready(qts));
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);

    qtest_add_func("fsl-etsec-timer/reset_values", test_reset_values);
    qtest_add_func("fsl-etsec-timer/first_poll_exact", test_first_poll_exact);
    qtest_add_func("fsl-etsec-timer/poll_periodic", test_poll_periodic);
    qtest_add_func("fsl-etsec-timer/rewrite_restarts", test_rewrite_restarts);
    qtest_add_func("fsl-etsec-timer/wop_no_poll", test_wop_no_poll);
    qtest_add_func("fsl-etsec-timer/reset_stops_poll", test_reset_stops_poll);

    ret = g_test_run();
    if (fw_dir) {
        char *path = g_build_filename(fw_dir, "u-boot.e500", NULL);

        unlink(path);
        rmdir(fw_dir);
        g_free(path);
        g_free(fw_dir);
    }
    return ret;
}
