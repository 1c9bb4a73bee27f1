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

/* The RTC's interrupt outputs (alarm, tick), intercepted by rtc_start() */
#define IRQ_ALARM   0
#define IRQ_TICK    1

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

/* Instant of the k-th tick after @t0: (TICCNT + 1) << sel / 32768 s */
static int64_t tick_at(int64_t t0, int k, uint32_t ticcnt, int sel)
{
    uint64_t num = (uint64_t)k * (ticcnt + 1) * NSEC << sel;

    return t0 + (int64_t)((num + 32767) / 32768);
}

static void check_tick_at(QTestState *qts, int64_t t)
{
    g_test_message("tick expected at %" PRId64, t);
    step_to(qts, t - 1);
    g_assert_cmphex(rd(qts, INTP) & INTP_TIC, ==, 0);
    g_assert_false(qtest_get_irq(qts, IRQ_TICK));
    step(qts, 1);
    g_assert_cmphex(rd(qts, INTP) & INTP_TIC, ==, INTP_TIC);
    g_assert_true(qtest_get_irq(qts, IRQ_TICK));
    wr(qts, INTP, INTP_TIC);
    g_assert_cmphex(rd(qts, INTP) & INTP_TIC, ==, 0);
    g_assert_false(qtest_get_irq(qts, IRQ_TICK));
    g_assert_false(qtest_get_irq(qts, IRQ_ALARM));
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

static void test_tick_period(void)
{
    QTestState *qts = rtc_start();
    int64_t t0;

    wr(qts, TICCNT, 3);
    wr(qts, RTCCON, RTCEN | TICEN | TICSEL(15));
    t0 = now_ns;
    /* 1 Hz tick clock: period (3 + 1) s, periodic */
    check_tick_at(qts, t0 + 4 * NSEC);
    check_tick_at(qts, t0 + 8 * NSEC);
    check_tick_at(qts, t0 + 12 * NSEC);
    qtest_quit(qts);
}

static void test_tick_divider(void)
{
    QTestState *qts = rtc_start();
    int64_t t0;

    wr(qts, TICCNT, 3);
    wr(qts, RTCCON, RTCEN | TICEN | TICSEL(14));
    t0 = now_ns;
    /* 2 Hz tick clock */
    check_tick_at(qts, t0 + 2 * NSEC);
    check_tick_at(qts, t0 + 4 * NSEC);
    qtest_quit(qts);
}

static void test_tick_32k_no_drift(void)
{
    QTestState *qts = rtc_start();
    int64_t t0;
    int k;

    wr(qts, TICCNT, 99);
    wr(qts, RTCCON, RTCEN | TICEN | TICSEL(0));
    t0 = now_ns;
    for (k = 1; k <= 6; k++) {
        check_tick_at(qts, tick_at(t0, k, 99, 0));
    }
    /* far away: still on the exact grid */
    step_to(qts, tick_at(t0, 1000, 99, 0));
    wr(qts, INTP, INTP_TIC);
    check_tick_at(qts, tick_at(t0, 1001, 99, 0));
    qtest_quit(qts);
}

/* The count and INTP agree at the rollover instant (and +-1 ns) */
static void check_race(QTestState *qts, int64_t e, uint32_t ticcnt)
{
    step_to(qts, e - 1);
    g_assert_cmphex(rd(qts, INTP) & INTP_TIC, ==, 0);
    g_assert_cmpuint(rd(qts, CURTICNT), ==, 0);
    step(qts, 1);
    g_assert_cmpuint(rd(qts, CURTICNT), ==, ticcnt);
    g_assert_cmphex(rd(qts, INTP) & INTP_TIC, ==, INTP_TIC);
    step(qts, 1);
    g_assert_cmphex(rd(qts, INTP) & INTP_TIC, ==, INTP_TIC);
    g_assert_cmpuint(rd(qts, CURTICNT), ==, ticcnt);
    wr(qts, INTP, INTP_TIC);
}

static void test_race_1hz(void)
{
    QTestState *qts = rtc_start();
    int64_t t0;

    wr(qts, TICCNT, 3);
    wr(qts, RTCCON, RTCEN | TICEN | TICSEL(15));
    t0 = now_ns;
    step_to(qts, t0 + NSEC / 2);
    g_assert_cmpuint(rd(qts, CURTICNT), ==, 3);
    step_to(qts, t0 + 3 * NSEC / 2);
    g_assert_cmpuint(rd(qts, CURTICNT), ==, 2);
    check_race(qts, t0 + 4 * NSEC, 3);
    check_race(qts, t0 + 8 * NSEC, 3);
    qtest_quit(qts);
}

static void test_race_32k(void)
{
    QTestState *qts = rtc_start();
    int64_t t0;

    wr(qts, TICCNT, 9);
    wr(qts, RTCCON, RTCEN | TICEN | TICSEL(0));
    t0 = now_ns;
    check_race(qts, tick_at(t0, 1, 9, 0), 9);
    check_race(qts, tick_at(t0, 2, 9, 0), 9);
    check_race(qts, tick_at(t0, 3, 9, 0), 9);
    qtest_quit(qts);
}

static void test_ticen_before_rtcen(void)
{
    QTestState *qts = rtc_start();
    int64_t t0;

    wr(qts, TICCNT, 3);
    wr(qts, RTCCON, TICEN | TICSEL(15));
    step(qts, NSEC);
    wr(qts, RTCCON, RTCEN | TICEN | TICSEL(15));
    t0 = now_ns;
    check_tick_at(qts, t0 + 4 * NSEC);
    qtest_quit(qts);
}

static void test_ticcnt_after_ticen(void)
{
    QTestState *qts = rtc_start();
    int64_t t0;

    wr(qts, RTCCON, RTCEN | TICEN | TICSEL(15));
    step(qts, NSEC);
    wr(qts, TICCNT, 3);
    t0 = now_ns;
    check_tick_at(qts, t0 + 4 * NSEC);
    qtest_quit(qts);
}

static void test_ticcnt_write_running(void)
{
    QTestState *qts = rtc_start();
    int64_t t0;

    wr(qts, TICCNT, 3);
    wr(qts, RTCCON, RTCEN | TICEN | TICSEL(15));
    t0 = now_ns;
    step(qts, NSEC);
    /* New count takes effect at the next reload */
    wr(qts, TICCNT, 5);
    check_tick_at(qts, t0 + 4 * NSEC);
    check_tick_at(qts, t0 + 10 * NSEC);
    check_tick_at(qts, t0 + 16 * NSEC);
    /* Bad count (<= 2) is ignored */
    wr(qts, TICCNT, 1);
    g_assert_cmpuint(rd(qts, TICCNT), ==, 5);
    check_tick_at(qts, t0 + 22 * NSEC);
    qtest_quit(qts);
}

static void test_ticen_disable(void)
{
    QTestState *qts = rtc_start();
    int64_t t0;

    wr(qts, TICCNT, 3);
    wr(qts, RTCCON, RTCEN | TICEN | TICSEL(15));
    step(qts, 2 * NSEC);
    wr(qts, RTCCON, RTCEN | TICSEL(15));
    step(qts, 10 * NSEC);
    g_assert_cmphex(rd(qts, INTP) & INTP_TIC, ==, 0);
    /* Re-enable: a full period from the enable */
    wr(qts, RTCCON, RTCEN | TICEN | TICSEL(15));
    t0 = now_ns;
    check_tick_at(qts, t0 + 4 * NSEC);
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
    qtest_add_func("/exynos4210-rtc/tick-period", test_tick_period);
    qtest_add_func("/exynos4210-rtc/tick-divider", test_tick_divider);
    qtest_add_func("/exynos4210-rtc/tick-32k-no-drift",
                   test_tick_32k_no_drift);
    qtest_add_func("/exynos4210-rtc/race-1hz", test_race_1hz);
    qtest_add_func("/exynos4210-rtc/race-32k", test_race_32k);
    qtest_add_func("/exynos4210-rtc/ticen-before-rtcen",
                   test_ticen_before_rtcen);
    qtest_add_func("/exynos4210-rtc/ticcnt-after-ticen",
                   test_ticcnt_after_ticen);
    qtest_add_func("/exynos4210-rtc/ticcnt-write-running",
                   test_ticcnt_write_running);
    qtest_add_func("/exynos4210-rtc/ticen-disable", test_ticen_disable);
    qtest_add_func("/exynos4210-rtc/1hz-clock", test_1hz_clock);
    qtest_add_func("/exynos4210-rtc/system-reset", test_system_reset);

    return g_test_run();
}
