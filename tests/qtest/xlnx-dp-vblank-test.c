/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QTest for the ZynqMP DisplayPort vblank interrupt (xlnx-zcu102).
 *
 * The model has no pixel clock: while TRANSMITTER_ENABLE.TX_EN is set it
 * raises DP_INT_STATUS.VBLNK_START once per frame at a fixed 30 Hz,
 * the first time one frame after TX_EN is set.  A frame lasts
 * 10^9 / 30 ns, which is not a whole number of nanoseconds: vblank k
 * after enabling at T0 comes at T0 + ceil(k * 10^9 / 30) ns exactly, with
 * no drift.  The DP interrupt line is SPI 119 (0x77) of the APU GIC.
 */

#include "qemu/osdep.h"
#include "libqtest.h"

#define DP_BASE                 0xfd4a0000
#define DP_TRANSMITTER_ENABLE   (DP_BASE + 0x080)
#define DP_INT_STATUS           (DP_BASE + 0x3a0)
#define DP_INT_MASK             (DP_BASE + 0x3a4)
#define DP_INT_EN               (DP_BASE + 0x3a8)
#define DP_INT_DS               (DP_BASE + 0x3ac)
#define DP_MAIN_STREAM_HRES     (DP_BASE + 0x194)
#define DP_MAIN_STREAM_VRES     (DP_BASE + 0x198)
#define DP_V_BLEND_GLOBAL_ALPHA (DP_BASE + 0xa00c)
#define DP_AV_BUF_FORMAT        (DP_BASE + 0xb000)

#define DP_INT_VBLNK_START      (1u << 13)
#define DP_INT_MASK_RESET       0xfffff03fu

#define DP_GIC_SPI              0x77
#define FPS                     30
#define NS_PER_SEC              1000000000LL

/* Instant of vblank k, relative to the TX_EN write */
static int64_t vblank_at(int64_t k)
{
    return (k * NS_PER_SEC + FPS - 1) / FPS;
}

/* Virtual time as last returned by the qtest clock (MMIO takes none) */
static int64_t cur_ns;

static QTestState *start(void)
{
    QTestState *qts = qtest_init("-machine xlnx-zcu102");

    qtest_irq_intercept_in(qts, "/machine/soc/gic");
    cur_ns = qtest_clock_step(qts, 1);
    return qts;
}

static int64_t now(void)
{
    return cur_ns;
}

/* Step the virtual clock by @ns > 0 */
static void step(QTestState *qts, int64_t ns)
{
    g_assert_cmpint(ns, >, 0);
    cur_ns = qtest_clock_step(qts, ns);
}

/* Step the virtual clock to the absolute instant @t */
static void step_to(QTestState *qts, int64_t t)
{
    int64_t from = cur_ns;

    step(qts, t - from);
    g_assert_cmpint(cur_ns, ==, t);
}

static bool vblank(QTestState *qts)
{
    return qtest_readl(qts, DP_INT_STATUS) & DP_INT_VBLNK_START;
}

static bool irq(QTestState *qts)
{
    return qtest_get_irq(qts, DP_GIC_SPI);
}

static void ack(QTestState *qts)
{
    qtest_writel(qts, DP_INT_STATUS, DP_INT_VBLNK_START);
    g_assert_false(vblank(qts));
}

/* Set TX_EN and return the instant of the write */
static int64_t tx_enable(QTestState *qts)
{
    qtest_writel(qts, DP_TRANSMITTER_ENABLE, 1);
    return now();
}

/*
 * Reset values; no vblank before TX_EN, however long we wait.
 */
static void test_idle(void)
{
    QTestState *qts = start();

    g_assert_cmphex(qtest_readl(qts, DP_TRANSMITTER_ENABLE), ==, 0);
    g_assert_cmphex(qtest_readl(qts, DP_INT_MASK), ==, DP_INT_MASK_RESET);
    g_assert_false(vblank(qts));
    qtest_writel(qts, DP_INT_EN, DP_INT_VBLNK_START);
    step(qts, 10 * vblank_at(1));
    g_assert_false(vblank(qts));
    g_assert_false(irq(qts));
    qtest_quit(qts);
}

/*
 * The race: one nanosecond before the expiry no status, at the expiry
 * the status and the line are both set, and stay so.
 */
static void test_first(void)
{
    QTestState *qts = start();
    int64_t t0;

    qtest_writel(qts, DP_INT_EN, DP_INT_VBLNK_START);
    t0 = tx_enable(qts);
    g_assert_false(vblank(qts));
    g_assert_false(irq(qts));

    step_to(qts, t0 + vblank_at(1) - 1);
    g_assert_false(vblank(qts));
    g_assert_false(irq(qts));
    step_to(qts, t0 + vblank_at(1));
    g_assert_true(vblank(qts));
    g_assert_true(irq(qts));
    step_to(qts, t0 + vblank_at(1) + 1);
    g_assert_true(vblank(qts));
    g_assert_true(irq(qts));
    qtest_quit(qts);
}

/*
 * Rate: acknowledge every vblank for one second and check that each
 * arrives at its exact instant (never one nanosecond early), 30 in all,
 * the last one exactly one second after TX_EN.
 */
static void test_rate(void)
{
    QTestState *qts = start();
    int64_t t0, k;
    int count = 0;

    qtest_writel(qts, DP_INT_EN, DP_INT_VBLNK_START);
    t0 = tx_enable(qts);
    for (k = 1; k <= FPS; k++) {
        step_to(qts, t0 + vblank_at(k) - 1);
        g_assert_false(vblank(qts));
        g_assert_false(irq(qts));
        step_to(qts, t0 + vblank_at(k));
        g_assert_true(vblank(qts));
        g_assert_true(irq(qts));
        count++;
        ack(qts);
        g_assert_false(irq(qts));
    }
    g_assert_cmpint(count, ==, FPS);
    g_assert_cmpint(t0 + vblank_at(FPS), ==, t0 + NS_PER_SEC);

    /* Without acks the status is sticky; the phase is unchanged */
    step_to(qts, t0 + vblank_at(3 * FPS));
    g_assert_true(vblank(qts));
    ack(qts);
    step_to(qts, t0 + vblank_at(3 * FPS + 1) - 1);
    g_assert_false(vblank(qts));
    step_to(qts, t0 + vblank_at(3 * FPS + 1));
    g_assert_true(vblank(qts));
    qtest_quit(qts);
}

/*
 * Large steps: stepping over many frames at once gives the same
 * instants as stepping frame by frame.
 */
static void test_big_step(void)
{
    QTestState *qts = start();
    int64_t t0 = tx_enable(qts);
    int64_t k;

    for (k = 7; k <= 7 * 10; k += 7) {
        step_to(qts, t0 + vblank_at(k) - 1);
        g_assert_true(vblank(qts));
        ack(qts);
        step_to(qts, t0 + vblank_at(k));
        g_assert_true(vblank(qts));
        ack(qts);
    }
    qtest_quit(qts);
}

/*
 * Masking: VBLNK_START is raw status, set whether masked or not; the
 * line follows STATUS & ~MASK; INT_EN/INT_DS unmask/mask; a write of 1
 * to STATUS clears the bit, a write of 0 does not.
 */
static void test_mask(void)
{
    QTestState *qts = start();
    int64_t t0 = tx_enable(qts);

    step_to(qts, t0 + vblank_at(1));
    g_assert_true(vblank(qts));
    g_assert_false(irq(qts));

    qtest_writel(qts, DP_INT_EN, DP_INT_VBLNK_START);
    g_assert_cmphex(qtest_readl(qts, DP_INT_MASK), ==,
                    DP_INT_MASK_RESET & ~DP_INT_VBLNK_START);
    g_assert_true(irq(qts));

    qtest_writel(qts, DP_INT_STATUS, ~DP_INT_VBLNK_START);
    g_assert_true(vblank(qts));
    g_assert_true(irq(qts));

    qtest_writel(qts, DP_INT_DS, DP_INT_VBLNK_START);
    g_assert_cmphex(qtest_readl(qts, DP_INT_MASK), ==, DP_INT_MASK_RESET);
    g_assert_true(vblank(qts));
    g_assert_false(irq(qts));

    ack(qts);
    qtest_writel(qts, DP_INT_EN, DP_INT_VBLNK_START);
    g_assert_false(irq(qts));
    step_to(qts, t0 + vblank_at(2) - 1);
    g_assert_false(irq(qts));
    step_to(qts, t0 + vblank_at(2));
    g_assert_true(vblank(qts));
    g_assert_true(irq(qts));
    qtest_quit(qts);
}

/*
 * Clearing TX_EN stops the frames; setting it again restarts them one
 * whole frame after the write.  Writing 1 while running keeps the phase.
 */
static void test_disable(void)
{
    QTestState *qts = start();
    int64_t t0 = tx_enable(qts);
    int64_t t1;

    qtest_writel(qts, DP_INT_EN, DP_INT_VBLNK_START);
    step_to(qts, t0 + vblank_at(1) + vblank_at(1) / 2);
    g_assert_true(vblank(qts));
    ack(qts);

    /* rewrite TX_EN = 1: same phase */
    g_assert_cmpint(tx_enable(qts), <, t0 + vblank_at(2));
    step_to(qts, t0 + vblank_at(2) - 1);
    g_assert_false(vblank(qts));
    step_to(qts, t0 + vblank_at(2));
    g_assert_true(vblank(qts));
    ack(qts);

    /* stop in mid-frame */
    step_to(qts, t0 + vblank_at(2) + 1000);
    qtest_writel(qts, DP_TRANSMITTER_ENABLE, 0);
    g_assert_cmphex(qtest_readl(qts, DP_TRANSMITTER_ENABLE), ==, 0);
    step(qts, 5 * vblank_at(1));
    g_assert_false(vblank(qts));
    g_assert_false(irq(qts));

    /* restart: a whole frame from the write */
    t1 = tx_enable(qts);
    step_to(qts, t1 + vblank_at(1) - 1);
    g_assert_false(vblank(qts));
    step_to(qts, t1 + vblank_at(1));
    g_assert_true(vblank(qts));
    g_assert_true(irq(qts));
    ack(qts);
    step_to(qts, t1 + vblank_at(2) - 1);
    g_assert_false(vblank(qts));
    step_to(qts, t1 + vblank_at(2));
    g_assert_true(vblank(qts));
    qtest_quit(qts);
}

/* Program the main stream resolution; the registers keep 16 bits */
static void set_res(QTestState *qts, uint32_t hres, uint32_t vres)
{
    qtest_writel(qts, DP_MAIN_STREAM_HRES, hres);
    qtest_writel(qts, DP_MAIN_STREAM_VRES, vres);
    g_assert_cmphex(qtest_readl(qts, DP_MAIN_STREAM_HRES), ==, hres & 0xffff);
    g_assert_cmphex(qtest_readl(qts, DP_MAIN_STREAM_VRES), ==, vres & 0xffff);
}

/* The frame timing goes on: vblank k comes at its instant */
static void check_vblank(QTestState *qts, int64_t t0, int64_t k)
{
    step_to(qts, t0 + vblank_at(k) - 1);
    g_assert_false(vblank(qts));
    step_to(qts, t0 + vblank_at(k));
    g_assert_true(vblank(qts));
    g_assert_true(irq(qts));
    ack(qts);
}

/*
 * Resolutions the hardware cannot have (above 4096x4096, or zero) are
 * refused, the current surface is kept and QEMU goes on; this used to
 * abort in the display surface allocation (fuzzer: write32 0xfd4a0198
 * <- 0x800801 after a large HRES).
 */
static void test_bad_resolution(void)
{
    QTestState *qts = start();
    int64_t t0;

    qtest_writel(qts, DP_INT_EN, DP_INT_VBLNK_START);
    t0 = tx_enable(qts);

    set_res(qts, 0xffff, 0xffff);
    set_res(qts, 0xffff, 0x800801);
    set_res(qts, 0x1001, 0x1000);
    set_res(qts, 0x1000, 0x1001);
    check_vblank(qts, t0, 1);
    set_res(qts, 0, 0);
    set_res(qts, 0, 0xffff);
    set_res(qts, 0xffff, 0);
    check_vblank(qts, t0, 2);
    qtest_quit(qts);
}

/*
 * Valid resolutions up to 4096x4096 give a surface with every pixel
 * format of the AV buffer manager (odd width with 24 and 16 bpp) and
 * with global alpha blending; the frame timing is not disturbed.
 */
static void test_resolution(void)
{
    QTestState *qts = start();
    int64_t t0;

    qtest_writel(qts, DP_INT_EN, DP_INT_VBLNK_START);
    t0 = tx_enable(qts);

    set_res(qts, 640, 480);
    set_res(qts, 641, 0x800801);
    /* graphics RGB888, video YUYV */
    qtest_writel(qts, DP_AV_BUF_FORMAT, 0x203);
    check_vblank(qts, t0, 1);
    /* graphics RGB565, video RGBA8880; then an invalid video format */
    qtest_writel(qts, DP_AV_BUF_FORMAT, 0x60b);
    qtest_writel(qts, DP_AV_BUF_FORMAT, 0xf1f);
    /* global alpha on: a third (blended) surface */
    qtest_writel(qts, DP_V_BLEND_GLOBAL_ALPHA, 0x101);
    set_res(qts, 4096, 4096);
    set_res(qts, 1, 1);
    qtest_writel(qts, DP_V_BLEND_GLOBAL_ALPHA, 0);
    check_vblank(qts, t0, 2);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/xlnx-dp/vblank/idle", test_idle);
    qtest_add_func("/xlnx-dp/vblank/first", test_first);
    qtest_add_func("/xlnx-dp/vblank/rate", test_rate);
    qtest_add_func("/xlnx-dp/vblank/big-step", test_big_step);
    qtest_add_func("/xlnx-dp/vblank/mask", test_mask);
    qtest_add_func("/xlnx-dp/vblank/disable", test_disable);
    qtest_add_func("/xlnx-dp/resolution/bad", test_bad_resolution);
    qtest_add_func("/xlnx-dp/resolution/valid", test_resolution);

    return g_test_run();
}
