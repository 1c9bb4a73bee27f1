/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * QTest for the Exynos4210 PWM timer block
 *
 * The block runs from a 24 MHz PCLK.  A timer decrements once every
 * (prescaler + 1) * divider PCLK cycles.  With prescaler 23 and divider
 * 1/1 a tick is exactly 1 us.
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "qobject/qdict.h"

#define PWM_BASE    0x139D0000

#define TCFG0       0x00
#define TCFG1       0x04
#define TCON        0x08
#define TCNTB(n)    (0x0c + 0xc * (n))
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
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/exynos4210-pwm/int_status", test_int_status);
    qtest_add_func("/exynos4210-pwm/irq_line", test_irq_line);

    return g_test_run();
}
