/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * QTest for the Exynos4210 PWM timer block
 *
 * The block runs from a 24 MHz PCLK.  A timer decrements once every
 * (prescaler + 1) * divider PCLK cycles; after a load it reads TCNTBn for
 * one tick, counts down to 0, reads 0 for one tick and then raises its
 * interrupt status (reloading TCNTBn with auto-reload): TCNTBn + 1 ticks
 * per period.  With prescaler 23 and divider 1/1 a tick is exactly 1 us.
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "qobject/qdict.h"

#define PWM_BASE    0x139D0000

#define TCFG0       0x00
#define TCFG1       0x04
#define TCON        0x08
#define TCNTB(n)    (0x0c + 0xc * (n))
#define TCMPB(n)    (0x10 + 0xc * (n))
#define TCNTO(n)    ((n) == 4 ? 0x40 : 0x14 + 0xc * (n))
#define TINT_CSTAT  0x44

/* TCON bits of timers 0-3; timer 4 has no inverter, its auto-reload is 22 */
#define TCON_BASE(n)        ((n) ? 4 + 4 * (n) : 0)
#define TCON_START(n)       (1u << TCON_BASE(n))
#define TCON_UPDATE(n)      (1u << (TCON_BASE(n) + 1))
#define TCON_AUTO(n)        ((n) == 4 ? 1u << 22 : 1u << (TCON_BASE(n) + 3))

#define STAT(n)     (1u << (5 + (n)))
#define ENABLE(n)   (1u << (n))

#define TICK_NS     1000    /* prescaler 23, divider 1/1 */

static uint32_t pwm_read(QTestState *qts, uint32_t off)
{
    return qtest_readl(qts, PWM_BASE + off);
}

static void pwm_write(QTestState *qts, uint32_t off, uint32_t val)
{
    qtest_writel(qts, PWM_BASE + off, val);
}

static QTestState *pwm_init(void)
{
    QTestState *qts = qtest_init("-machine smdkc210");

    /* prescaler 0 (timers 0, 1) and 1 (timers 2-4) = 23: 1 MHz ticks */
    pwm_write(qts, TCFG0, (23 << 8) | 23);
    pwm_write(qts, TCFG1, 0);
    return qts;
}

/* Load TCNTBn with a manual update, then start it; returns nothing */
static void pwm_start(QTestState *qts, int n, uint32_t tcntb, bool autoreload)
{
    uint32_t tcon = pwm_read(qts, TCON);

    tcon &= ~(TCON_START(n) | TCON_UPDATE(n) | TCON_AUTO(n));
    pwm_write(qts, TCNTB(n), tcntb);
    pwm_write(qts, TCON, tcon | TCON_UPDATE(n));
    if (autoreload) {
        tcon |= TCON_AUTO(n);
    }
    pwm_write(qts, TCON, tcon | TCON_START(n));
}

static void test_reset_values(void)
{
    QTestState *qts = qtest_init("-machine smdkc210");
    int n;

    g_assert_cmphex(pwm_read(qts, TCFG0), ==, 0x101);
    g_assert_cmphex(pwm_read(qts, TCFG1), ==, 0);
    g_assert_cmphex(pwm_read(qts, TCON), ==, 0);
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, 0);
    for (n = 0; n < 5; n++) {
        g_assert_cmphex(pwm_read(qts, TCNTB(n)), ==, 0);
        g_assert_cmphex(pwm_read(qts, TCNTO(n)), ==, 0);
    }
    qtest_quit(qts);
}

static void test_manual_update(void)
{
    QTestState *qts = pwm_init();

    pwm_write(qts, TCNTB(1), 1234);
    pwm_write(qts, TCMPB(1), 55);
    g_assert_cmphex(pwm_read(qts, TCNTO(1)), ==, 0);
    pwm_write(qts, TCON, TCON_UPDATE(1));
    pwm_write(qts, TCON, 0);
    g_assert_cmpuint(pwm_read(qts, TCNTO(1)), ==, 1234);
    g_assert_cmpuint(pwm_read(qts, TCMPB(1)), ==, 55);
    /* stopped: nothing moves */
    qtest_clock_step(qts, 10 * TICK_NS);
    g_assert_cmpuint(pwm_read(qts, TCNTO(1)), ==, 1234);
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, 0);
    qtest_quit(qts);
}

/* One-shot: TCNTB + 1 ticks, the count holds each value for a whole tick */
static void test_oneshot_count(void)
{
    QTestState *qts = pwm_init();

    pwm_start(qts, 0, 99, false);
    g_assert_cmpuint(pwm_read(qts, TCNTO(0)), ==, 99);
    qtest_clock_step(qts, TICK_NS / 2);
    g_assert_cmpuint(pwm_read(qts, TCNTO(0)), ==, 99);
    qtest_clock_step(qts, TICK_NS);
    g_assert_cmpuint(pwm_read(qts, TCNTO(0)), ==, 98);
    qtest_clock_step(qts, 98 * TICK_NS);            /* 99.5 ticks */
    g_assert_cmpuint(pwm_read(qts, TCNTO(0)), ==, 0);
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, 0);
    qtest_clock_step(qts, TICK_NS / 2 - 1);         /* 1 ns before */
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, 0);
    qtest_clock_step(qts, 1);                       /* 100 ticks */
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, STAT(0));
    g_assert_cmpuint(pwm_read(qts, TCNTO(0)), ==, 0);
    g_assert_cmphex(pwm_read(qts, TCON) & TCON_START(0), ==, 0);
    /* stays stopped at 0 */
    qtest_clock_step(qts, 1000 * TICK_NS);
    g_assert_cmpuint(pwm_read(qts, TCNTO(0)), ==, 0);
    qtest_quit(qts);
}

/* Auto-reload: period of TCNTB + 1 ticks, status set at each reload */
static void test_periodic(void)
{
    QTestState *qts = pwm_init();
    int i;

    pwm_write(qts, TINT_CSTAT, ENABLE(1));
    pwm_start(qts, 1, 9, true);
    for (i = 0; i < 5; i++) {
        qtest_clock_step(qts, 10 * TICK_NS - 1);
        g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, ENABLE(1));
        g_assert_cmpuint(pwm_read(qts, TCNTO(1)), ==, 0);
        qtest_clock_step(qts, 1);
        g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, ENABLE(1) | STAT(1));
        g_assert_cmpuint(pwm_read(qts, TCNTO(1)), ==, 9);
        pwm_write(qts, TINT_CSTAT, ENABLE(1) | STAT(1));
        g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, ENABLE(1));
    }
    qtest_clock_step(qts, 3 * TICK_NS + TICK_NS / 2);
    g_assert_cmpuint(pwm_read(qts, TCNTO(1)), ==, 6);
    g_assert_cmphex(pwm_read(qts, TCON) & TCON_START(1), ==, TCON_START(1));
    qtest_quit(qts);
}

/*
 * The race: at the instant the counter wraps, TCNTO and the status agree
 * (1 ns before: 0 and clear; at and 1 ns after: reloaded and set).
 */
static void race_check(int n)
{
    QTestState *qts = pwm_init();
    int64_t past = 0;     /* ns since the last wrap */
    int i;

    pwm_start(qts, n, 4, true);
    for (i = 0; i < 3; i++) {
        uint32_t cnt, st;

        qtest_clock_step(qts, 5 * TICK_NS - 1 - past);
        st = pwm_read(qts, TINT_CSTAT) & STAT(n);
        cnt = pwm_read(qts, TCNTO(n));
        g_assert_cmphex(st, ==, 0);
        g_assert_cmpuint(cnt, ==, 0);
        cnt = pwm_read(qts, TCNTO(n));
        st = pwm_read(qts, TINT_CSTAT) & STAT(n);
        g_assert_cmpuint(cnt, ==, 0);
        g_assert_cmphex(st, ==, 0);

        qtest_clock_step(qts, 1);
        cnt = pwm_read(qts, TCNTO(n));
        st = pwm_read(qts, TINT_CSTAT) & STAT(n);
        g_assert_cmpuint(cnt, ==, 4);
        g_assert_cmphex(st, ==, STAT(n));

        qtest_clock_step(qts, 1);
        st = pwm_read(qts, TINT_CSTAT) & STAT(n);
        cnt = pwm_read(qts, TCNTO(n));
        g_assert_cmphex(st, ==, STAT(n));
        g_assert_cmpuint(cnt, ==, 4);
        pwm_write(qts, TINT_CSTAT, STAT(n));
        g_assert_cmphex(pwm_read(qts, TINT_CSTAT) & STAT(n), ==, 0);
        past = 1;
    }
    qtest_quit(qts);
}

static void test_race_timer0(void)
{
    race_check(0);
}

static void test_race_timer4(void)
{
    race_check(4);
}

/* Writing TCNTB while running changes the next period, not this one */
static void test_tcntb_write_running(void)
{
    QTestState *qts = pwm_init();

    pwm_start(qts, 2, 9, true);
    qtest_clock_step(qts, 3 * TICK_NS + TICK_NS / 2);
    g_assert_cmpuint(pwm_read(qts, TCNTO(2)), ==, 6);
    pwm_write(qts, TCNTB(2), 19);
    g_assert_cmpuint(pwm_read(qts, TCNTO(2)), ==, 6);
    qtest_clock_step(qts, 6 * TICK_NS);             /* 9.5 ticks */
    g_assert_cmpuint(pwm_read(qts, TCNTO(2)), ==, 0);
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, 0);
    qtest_clock_step(qts, TICK_NS / 2);             /* wrap at 10 */
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, STAT(2));
    g_assert_cmpuint(pwm_read(qts, TCNTO(2)), ==, 19);
    pwm_write(qts, TINT_CSTAT, STAT(2));
    qtest_clock_step(qts, 20 * TICK_NS - 1);
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, 0);
    g_assert_cmpuint(pwm_read(qts, TCNTO(2)), ==, 0);
    qtest_clock_step(qts, 1);
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, STAT(2));
    g_assert_cmpuint(pwm_read(qts, TCNTO(2)), ==, 19);
    qtest_quit(qts);
}

/* A manual update while running reloads the counter at once */
static void test_manual_update_running(void)
{
    QTestState *qts = pwm_init();
    uint32_t tcon;

    pwm_start(qts, 3, 9, true);
    qtest_clock_step(qts, 5 * TICK_NS + TICK_NS / 2);
    g_assert_cmpuint(pwm_read(qts, TCNTO(3)), ==, 4);
    pwm_write(qts, TCNTB(3), 29);
    tcon = pwm_read(qts, TCON);
    pwm_write(qts, TCON, tcon | TCON_UPDATE(3));
    pwm_write(qts, TCON, tcon);
    g_assert_cmpuint(pwm_read(qts, TCNTO(3)), ==, 29);
    qtest_clock_step(qts, 30 * TICK_NS - 1);
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, 0);
    g_assert_cmpuint(pwm_read(qts, TCNTO(3)), ==, 0);
    qtest_clock_step(qts, 1);
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, STAT(3));
    g_assert_cmpuint(pwm_read(qts, TCNTO(3)), ==, 29);
    qtest_quit(qts);
}

/* Prescaler and divider: timer 2 uses prescaler 1, divider in TCFG1[11:8] */
static void test_prescaler_divider(void)
{
    QTestState *qts = pwm_init();

    /* prescaler1 = 2 (/3), timer 2 divider 1/16: 48 PCLK = 2 us ticks */
    pwm_write(qts, TCFG0, (2 << 8) | 23);
    pwm_write(qts, TCFG1, 4 << 8);
    pwm_start(qts, 2, 9, false);
    pwm_start(qts, 0, 9, false);
    qtest_clock_step(qts, 1500);
    g_assert_cmpuint(pwm_read(qts, TCNTO(2)), ==, 9);
    g_assert_cmpuint(pwm_read(qts, TCNTO(0)), ==, 8);
    qtest_clock_step(qts, 1000);
    g_assert_cmpuint(pwm_read(qts, TCNTO(2)), ==, 8);
    qtest_clock_step(qts, 20000 - 2500 - 1);
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, STAT(0));
    qtest_clock_step(qts, 1);
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, STAT(0) | STAT(2));
    qtest_quit(qts);
}

/*
 * Exact prescaler: prescaler 255, divider 1/16 is 4096 PCLK cycles per
 * tick (170666.67 ns), which is not a whole number of Hz.  100 periods of
 * 3 ticks are exactly 51.2 ms.
 */
static void test_prescaler_exact(void)
{
    QTestState *qts = pwm_init();
    int i;

    pwm_write(qts, TCFG0, 255);
    pwm_write(qts, TCFG1, 4);
    pwm_start(qts, 0, 2, true);
    for (i = 0; i < 99; i++) {
        qtest_clock_step(qts, 512000);
        g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, STAT(0));
        pwm_write(qts, TINT_CSTAT, STAT(0));
    }
    qtest_clock_step(qts, 512000 - 1);
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, 0);
    g_assert_cmpuint(pwm_read(qts, TCNTO(0)), ==, 0);
    qtest_clock_step(qts, 1);
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, STAT(0));
    g_assert_cmpuint(pwm_read(qts, TCNTO(0)), ==, 2);
    qtest_quit(qts);
}

/* Stop keeps the count, start goes on from it */
static void test_stop_restart(void)
{
    QTestState *qts = pwm_init();
    uint32_t tcon;

    pwm_start(qts, 0, 9, false);
    qtest_clock_step(qts, 3 * TICK_NS + TICK_NS / 2);
    g_assert_cmpuint(pwm_read(qts, TCNTO(0)), ==, 6);
    tcon = pwm_read(qts, TCON);
    pwm_write(qts, TCON, tcon & ~TCON_START(0));
    qtest_clock_step(qts, 100 * TICK_NS);
    g_assert_cmpuint(pwm_read(qts, TCNTO(0)), ==, 6);
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, 0);
    pwm_write(qts, TCON, tcon);
    qtest_clock_step(qts, 7 * TICK_NS - 1);
    g_assert_cmpuint(pwm_read(qts, TCNTO(0)), ==, 0);
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, 0);
    qtest_clock_step(qts, 1);
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, STAT(0));
    qtest_quit(qts);
}

/* Clearing auto-reload while running: the current period is the last */
static void test_autoreload_off(void)
{
    QTestState *qts = pwm_init();
    uint32_t tcon;

    pwm_start(qts, 1, 4, true);
    qtest_clock_step(qts, 5 * TICK_NS + 2 * TICK_NS);
    g_assert_cmpuint(pwm_read(qts, TCNTO(1)), ==, 2);
    pwm_write(qts, TINT_CSTAT, STAT(1));
    tcon = pwm_read(qts, TCON);
    pwm_write(qts, TCON, tcon & ~TCON_AUTO(1));
    qtest_clock_step(qts, 3 * TICK_NS);
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, STAT(1));
    g_assert_cmpuint(pwm_read(qts, TCNTO(1)), ==, 0);
    g_assert_cmphex(pwm_read(qts, TCON) & TCON_START(1), ==, 0);
    pwm_write(qts, TINT_CSTAT, STAT(1));
    qtest_clock_step(qts, 50 * TICK_NS);
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, 0);
    qtest_quit(qts);
}

/* TINT_CSTAT: enables are read/write, status bits write-1-to-clear */
static void test_int_status(void)
{
    QTestState *qts = pwm_init();

    pwm_write(qts, TINT_CSTAT, 0x1f);
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, 0x1f);
    pwm_write(qts, TINT_CSTAT, 0x3e0);   /* status writes alone set nothing */
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, 0);
    pwm_start(qts, 0, 0, false);         /* TCNTB 0: one tick */
    pwm_start(qts, 3, 1, false);
    qtest_clock_step(qts, 2 * TICK_NS);
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, STAT(0) | STAT(3));
    pwm_write(qts, TINT_CSTAT, ENABLE(3));  /* writing 0 keeps status */
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==,
                    STAT(0) | STAT(3) | ENABLE(3));
    pwm_write(qts, TINT_CSTAT, ENABLE(3) | STAT(0));
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, STAT(3) | ENABLE(3));
    pwm_write(qts, TINT_CSTAT, STAT(3));
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, 0);
    qtest_quit(qts);
}

/* A system reset stops the timers and clears their counters */
static void test_reset_running(void)
{
    QTestState *qts = pwm_init();

    pwm_start(qts, 0, 99, true);
    pwm_start(qts, 4, 9, false);
    qtest_clock_step(qts, 5 * TICK_NS + TICK_NS / 2);
    g_assert_cmpuint(pwm_read(qts, TCNTO(0)), ==, 94);
    qtest_system_reset(qts);
    g_assert_cmphex(pwm_read(qts, TCON), ==, 0);
    g_assert_cmpuint(pwm_read(qts, TCNTO(0)), ==, 0);
    g_assert_cmpuint(pwm_read(qts, TCNTO(4)), ==, 0);
    qtest_clock_step(qts, 1000 * TICK_NS);
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, 0);
    g_assert_cmpuint(pwm_read(qts, TCNTO(0)), ==, 0);
    qtest_quit(qts);
}

/* Five timers run independently */
static void test_all_timers(void)
{
    QTestState *qts = pwm_init();
    int n;

    for (n = 0; n < 5; n++) {
        pwm_start(qts, n, 10 * (n + 1) - 1, true);
    }
    qtest_clock_step(qts, 10 * TICK_NS);
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, STAT(0));
    for (n = 1; n < 5; n++) {
        g_assert_cmpuint(pwm_read(qts, TCNTO(n)), ==, 10 * n - 1);
    }
    qtest_clock_step(qts, 50 * TICK_NS);
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==,
                    STAT(0) | STAT(1) | STAT(2) | STAT(3) | STAT(4));
    qtest_quit(qts);
}

/* Intercept the five interrupt lines of the PWM block */
static void pwm_intercept_irqs(QTestState *qts)
{
    int i;

    for (i = 0; i < 256; i++) {
        g_autofree char *path =
            g_strdup_printf("/machine/unattached/device[%d]", i);
        QDict *rsp = qtest_qmp(qts, "{ 'execute': 'qom-get', 'arguments': "
                               "{ 'path': %s, 'property': 'type' } }", path);
        bool found = qdict_haskey(rsp, "return") &&
            !strcmp(qdict_get_str(rsp, "return"), "exynos4210.pwm");

        qobject_unref(rsp);
        if (found) {
            qtest_irq_intercept_out_named(qts, path, "sysbus-irq");
            return;
        }
    }
    g_assert_not_reached();
}

/* The interrupt line follows status AND enable */
static void test_irq_line(void)
{
    QTestState *qts = pwm_init();

    pwm_intercept_irqs(qts);
    pwm_start(qts, 1, 4, false);
    qtest_clock_step(qts, 5 * TICK_NS);
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, STAT(1));
    g_assert_false(qtest_get_irq(qts, 1));
    /* enabling with the status pending raises the line */
    pwm_write(qts, TINT_CSTAT, ENABLE(1));
    g_assert_true(qtest_get_irq(qts, 1));
    /* disabling lowers it, the status stays */
    pwm_write(qts, TINT_CSTAT, 0);
    g_assert_false(qtest_get_irq(qts, 1));
    g_assert_cmphex(pwm_read(qts, TINT_CSTAT), ==, STAT(1));
    pwm_write(qts, TINT_CSTAT, ENABLE(1));
    g_assert_true(qtest_get_irq(qts, 1));
    pwm_write(qts, TINT_CSTAT, ENABLE(1) | STAT(1));
    g_assert_false(qtest_get_irq(qts, 1));

    /* periodic: raised exactly at the wrap, on line 4 for timer 4 */
    pwm_write(qts, TINT_CSTAT, ENABLE(4));
    pwm_start(qts, 4, 9, true);
    qtest_clock_step(qts, 10 * TICK_NS - 1);
    g_assert_false(qtest_get_irq(qts, 4));
    qtest_clock_step(qts, 1);
    g_assert_true(qtest_get_irq(qts, 4));
    g_assert_cmpuint(pwm_read(qts, TCNTO(4)), ==, 9);
    pwm_write(qts, TINT_CSTAT, ENABLE(4) | STAT(4));
    g_assert_false(qtest_get_irq(qts, 4));
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/exynos4210-pwm/reset_values", test_reset_values);
    qtest_add_func("/exynos4210-pwm/manual_update", test_manual_update);
    qtest_add_func("/exynos4210-pwm/oneshot_count", test_oneshot_count);
    qtest_add_func("/exynos4210-pwm/periodic", test_periodic);
    qtest_add_func("/exynos4210-pwm/race_timer0", test_race_timer0);
    qtest_add_func("/exynos4210-pwm/race_timer4", test_race_timer4);
    qtest_add_func("/exynos4210-pwm/tcntb_write_running",
                   test_tcntb_write_running);
    qtest_add_func("/exynos4210-pwm/manual_update_running",
                   test_manual_update_running);
    qtest_add_func("/exynos4210-pwm/prescaler_divider",
                   test_prescaler_divider);
    qtest_add_func("/exynos4210-pwm/prescaler_exact", test_prescaler_exact);
    qtest_add_func("/exynos4210-pwm/stop_restart", test_stop_restart);
    qtest_add_func("/exynos4210-pwm/autoreload_off", test_autoreload_off);
    qtest_add_func("/exynos4210-pwm/int_status", test_int_status);
    qtest_add_func("/exynos4210-pwm/reset_running", test_reset_running);
    qtest_add_func("/exynos4210-pwm/all_timers", test_all_timers);
    qtest_add_func("/exynos4210-pwm/irq_line", test_irq_line);

    return g_test_run();
}
