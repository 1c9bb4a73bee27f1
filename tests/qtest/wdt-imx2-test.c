/*
 * QTest testcase for the i.MX2 watchdog (WDOG) on the i.MX6 sabrelite
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "qobject/qdict.h"

#define WDOG1_BASE  0x020BC000

#define WCR   0x0
#define WSR   0x2
#define WRSR  0x4
#define WICR  0x6
#define WMCR  0x8

#define WCR_WT(n)   ((n) << 8)
#define WCR_WDA     (1 << 5)
#define WCR_SRS     (1 << 4)
#define WCR_WDT     (1 << 3)
#define WCR_WDE     (1 << 2)
#define WCR_WDZST   (1 << 0)

#define WRSR_TOUT   (1 << 1)

#define WICR_WIE    (1 << 15)
#define WICR_WTIS   (1 << 14)

#define HALF_SEC    500000000LL

static int64_t now_ns;

static void step(QTestState *qts, int64_t ns)
{
    now_ns = qtest_clock_step(qts, ns);
}

/*
 * Start the board and observe WDOG1's interrupt output (the pre-timeout
 * interrupt, WICR.WTIS), read with irq().
 */
static QTestState *wdt_start(void)
{
    QTestState *qts = qtest_init("-machine sabrelite -action watchdog=none");

    qtest_irq_intercept_out_named(qts, "/machine/soc/wdt0", "sysbus-irq");
    /* Learn the current virtual time (a zero step is refused) */
    step(qts, 1);
    return qts;
}

static uint16_t rd(QTestState *qts, uint32_t reg)
{
    return qtest_readw(qts, WDOG1_BASE + reg);
}

static void wr(QTestState *qts, uint32_t reg, uint16_t val)
{
    qtest_writew(qts, WDOG1_BASE + reg, val);
}

static bool irq(QTestState *qts)
{
    return qtest_get_irq(qts, 0);
}

static void service(QTestState *qts)
{
    wr(qts, WSR, 0x5555);
    wr(qts, WSR, 0xAAAA);
}

/* True if a WATCHDOG event was emitted since the last call (consumes it) */
static bool wdt_fired(QTestState *qts)
{
    QDict *rsp = qtest_qmp(qts, "{'execute': 'query-status'}");
    QDict *ev;

    qobject_unref(rsp);
    ev = qtest_qmp_event_ref(qts, "WATCHDOG");
    if (!ev) {
        return false;
    }
    qobject_unref(ev);
    while ((ev = qtest_qmp_event_ref(qts, "WATCHDOG"))) {
        qobject_unref(ev);
    }
    return true;
}

/* Step to 1 ns before @deadline (absolute), check nothing, then step to it */
static void check_timeout_at(QTestState *qts, int64_t deadline)
{
    g_assert_cmpint(deadline - 1, >, now_ns);
    step(qts, deadline - 1 - now_ns);
    g_assert_cmphex(rd(qts, WRSR) & WRSR_TOUT, ==, 0);
    g_assert_false(wdt_fired(qts));
    step(qts, 1);
    g_assert_cmphex(rd(qts, WRSR) & WRSR_TOUT, ==, WRSR_TOUT);
    g_assert_true(wdt_fired(qts));
}

static void check_pretimeout_at(QTestState *qts, int64_t deadline)
{
    g_assert_cmpint(deadline - 1, >, now_ns);
    step(qts, deadline - 1 - now_ns);
    g_assert_cmphex(rd(qts, WICR) & WICR_WTIS, ==, 0);
    g_assert_false(irq(qts));
    step(qts, 1);
    g_assert_true(irq(qts));
    g_assert_cmphex(rd(qts, WICR) & WICR_WTIS, ==, WICR_WTIS);
    g_assert_false(wdt_fired(qts));
}

static int64_t enable(QTestState *qts, int wt)
{
    wr(qts, WCR, WCR_WT(wt) | WCR_WDA | WCR_SRS | WCR_WDE);
    return now_ns;
}

static void test_reset_values(void)
{
    QTestState *qts = wdt_start();

    g_assert_cmphex(rd(qts, WCR), ==, WCR_WDA | WCR_SRS);
    g_assert_cmphex(rd(qts, WICR), ==, 0x0004);
    g_assert_cmphex(rd(qts, WMCR), ==, 0x0001);
    g_assert_false(irq(qts));
    /* Not enabled: nothing happens however long we wait */
    step(qts, 300 * HALF_SEC);
    g_assert_false(wdt_fired(qts));
    g_assert_false(irq(qts));
    qtest_quit(qts);
}

static void test_timeout_exact(void)
{
    QTestState *qts = wdt_start();
    int64_t t0 = enable(qts, 3);

    /* timeout = (WT + 1) * 0.5 s */
    check_timeout_at(qts, t0 + 4 * HALF_SEC);
    /* WICR.WIE is clear: no interrupt, before or at the timeout */
    g_assert_false(irq(qts));
    qtest_quit(qts);
}

static void test_timeout_max(void)
{
    QTestState *qts = wdt_start();
    int64_t t0 = enable(qts, 0xff);

    check_timeout_at(qts, t0 + 256 * HALF_SEC);
    qtest_quit(qts);
}

static void test_service_postpones(void)
{
    QTestState *qts = wdt_start();
    int64_t t0 = enable(qts, 3);
    int64_t ts;

    step(qts, 1300000000LL);
    service(qts);
    ts = now_ns;
    g_assert_cmpint(ts, ==, t0 + 1300000000LL);
    /* A full timeout from the service instant */
    check_timeout_at(qts, ts + 4 * HALF_SEC);
    qtest_quit(qts);
}

static void test_bad_service_sequence(void)
{
    QTestState *qts = wdt_start();
    int64_t t0 = enable(qts, 3);

    step(qts, HALF_SEC);
    wr(qts, WSR, 0x5555);
    wr(qts, WSR, 0x1234);
    wr(qts, WSR, 0xAAAA);
    wr(qts, WSR, 0xAAAA);
    check_timeout_at(qts, t0 + 4 * HALF_SEC);
    qtest_quit(qts);
}

static void test_wcr_rewrite_while_running(void)
{
    QTestState *qts = wdt_start();
    int64_t t0 = enable(qts, 3);
    int64_t ts;

    step(qts, HALF_SEC);
    /* WDE cannot be cleared; a new WT only applies from the next service */
    wr(qts, WCR, WCR_WT(1) | WCR_WDA | WCR_SRS);
    g_assert_cmphex(rd(qts, WCR), ==, WCR_WT(1) | WCR_WDA | WCR_SRS | WCR_WDE);
    step(qts, HALF_SEC);
    g_assert_false(wdt_fired(qts));
    service(qts);
    ts = now_ns;
    g_assert_cmpint(ts, ==, t0 + 2 * HALF_SEC);
    check_timeout_at(qts, ts + 2 * HALF_SEC);
    qtest_quit(qts);
}

static void test_wcr_write_once_bits(void)
{
    QTestState *qts = wdt_start();

    /* WICR contents must not leak into WCR */
    wr(qts, WICR, 0x83);
    wr(qts, WCR, WCR_WT(0x10) | WCR_WDA | WCR_SRS | WCR_WDZST);
    wr(qts, WCR, WCR_WT(0x10) | WCR_WDA | WCR_SRS);
    g_assert_cmphex(rd(qts, WCR), ==,
                    WCR_WT(0x10) | WCR_WDA | WCR_SRS | WCR_WDZST);
    wr(qts, WCR, WCR_WT(0x20) | WCR_WDA | WCR_SRS | WCR_WDT);
    wr(qts, WCR, WCR_WT(0x20) | WCR_WDA | WCR_SRS);
    g_assert_cmphex(rd(qts, WCR), ==,
                    WCR_WT(0x20) | WCR_WDA | WCR_SRS | WCR_WDZST | WCR_WDT);
    qtest_quit(qts);
}

static void test_pretimeout_exact(void)
{
    QTestState *qts = wdt_start();
    int64_t t0;

    wr(qts, WICR, WICR_WIE | 2);
    t0 = enable(qts, 5);
    /* Interrupt WICT * 0.5 s before the (WT + 1) * 0.5 s timeout */
    check_pretimeout_at(qts, t0 + 4 * HALF_SEC);
    check_timeout_at(qts, t0 + 6 * HALF_SEC);
    /* the timeout leaves the interrupt asserted until WTIS is cleared */
    g_assert_true(irq(qts));
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/wdt-imx2/reset-values", test_reset_values);
    qtest_add_func("/wdt-imx2/timeout-exact", test_timeout_exact);
    qtest_add_func("/wdt-imx2/timeout-max", test_timeout_max);
    qtest_add_func("/wdt-imx2/service-postpones", test_service_postpones);
    qtest_add_func("/wdt-imx2/bad-service-sequence",
                   test_bad_service_sequence);
    qtest_add_func("/wdt-imx2/wcr-rewrite-while-running",
                   test_wcr_rewrite_while_running);
    qtest_add_func("/wdt-imx2/wcr-write-once-bits", test_wcr_write_once_bits);
    qtest_add_func("/wdt-imx2/pretimeout-exact", test_pretimeout_exact);

    return g_test_run();
}
