/*
 * QTest testcase for the Exynos4210 RTC tick timer and 1 Hz clock
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "ptimer-qom.h"

#define RTC_BASE    0x10070000

#define INTP        0x30
#define RTCCON      0x40
#define TICCNT      0x44
#define BCDSEC      0x70
#define CURTICNT    0x90

#define RTCEN       (1 << 0)
#define TICSEL(n)   ((n) << 4)
#define TICEN       (1 << 8)

#define INTP_TIC    (1 << 0)

#define NSEC        1000000000LL

static int64_t now_ns;

static void step(QTestState *qts, int64_t ns)
{
    now_ns = qtest_clock_step(qts, ns);
}

static void step_to(QTestState *qts, int64_t t)
{
    g_assert_cmpint(t, >, now_ns);
    step(qts, t - now_ns);
}

static QTestState *rtc_start(void)
{
    QTestState *qts = qtest_init("-machine smdkc210");

    ptimer_qom_intercept(qts, "/machine/unattached", "exynos4210.rtc");
    /* Learn the current virtual time (a zero step is refused) */
    step(qts, 1);
    return qts;
}

static uint32_t rd(QTestState *qts, uint32_t reg)
{
    return qtest_readl(qts, RTC_BASE + reg);
}

static void wr(QTestState *qts, uint32_t reg, uint32_t val)
{
    qtest_writel(qts, RTC_BASE + reg, val);
}

static void test_reset_values(void)
{
    QTestState *qts = rtc_start();

    g_assert_cmphex(rd(qts, INTP), ==, 0);
    g_assert_cmphex(rd(qts, RTCCON), ==, 0);
    g_assert_cmphex(rd(qts, TICCNT), ==, 0);
    g_assert_cmphex(rd(qts, CURTICNT), ==, 0);
    qtest_quit(qts);
}

static void test_1hz_clock(void)
{
    QTestState *qts = rtc_start();
    int64_t t0;

    wr(qts, RTCCON, RTCEN);
    t0 = now_ns;
    wr(qts, BCDSEC, 0x10);
    step_to(qts, t0 + NSEC - 1);
    g_assert_cmphex(rd(qts, BCDSEC), ==, 0x10);
    step(qts, 1);
    g_assert_cmphex(rd(qts, BCDSEC), ==, 0x11);
    step_to(qts, t0 + 10 * NSEC - 1);
    g_assert_cmphex(rd(qts, BCDSEC), ==, 0x19);
    step(qts, 1);
    g_assert_cmphex(rd(qts, BCDSEC), ==, 0x20);
    qtest_quit(qts);
}

static void test_system_reset(void)
{
    QTestState *qts = rtc_start();

    wr(qts, TICCNT, 3);
    wr(qts, RTCCON, RTCEN | TICEN | TICSEL(15));
    step(qts, 5 * NSEC);
    g_assert_cmphex(rd(qts, INTP) & INTP_TIC, ==, INTP_TIC);
    qtest_system_reset(qts);
    g_assert_cmphex(rd(qts, INTP), ==, 0);
    g_assert_cmphex(rd(qts, RTCCON), ==, 0);
    step(qts, 10 * NSEC);
    g_assert_cmphex(rd(qts, INTP), ==, 0);
    g_assert_cmpuint(rd(qts, CURTICNT), ==, 0);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/exynos4210-rtc/reset-values", test_reset_values);
    qtest_add_func("/exynos4210-rtc/1hz-clock", test_1hz_clock);
    qtest_add_func("/exynos4210-rtc/system-reset", test_system_reset);

    return g_test_run();
}
