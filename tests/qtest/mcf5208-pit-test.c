/*
 * QTest testcase for the MCF5208 programmable interrupt timers (PIT0/PIT1)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The PITs' interrupt lines cannot be intercepted here: they are
 * anonymous qemu_irqs into the interrupt controller, which has no GPIO
 * inputs and signals the CPU by a direct call.  The controller's IPRL
 * bit follows the line's level (set while high, clear while low), so the
 * line is read there.
 */

#include "qemu/osdep.h"
#include "libqtest.h"

#define PIT0_BASE   0xfc080000
#define PIT1_BASE   0xfc084000
#define PCSR        0x0
#define PMR         0x2
#define PCNTR       0x4

#define INTC_IPRL   0xfc048004
#define PIT0_IRQ    4
#define PIT1_IRQ    5

#define PCSR_EN     0x0001
#define PCSR_RLD    0x0002
#define PCSR_PIF    0x0004
#define PCSR_PIE    0x0008
#define PCSR_OVW    0x0010
#define PCSR_PRE(n) ((n) << 8)

/* The PIT runs from the internal bus clock, f_sys / 2 */
#define PIT_FREQ    83333333ULL

/* Time from the counter start to the end of @n PIT clocks, prescaler 2^pre */
static int64_t ticks_ns(uint64_t n, int pre)
{
    uint64_t f = PIT_FREQ >> pre;

    return (n * 1000000000ULL + f - 1) / f;
}

static QTestState *pit_init(void)
{
    return qtest_init("-machine mcf5208evb");
}

static uint16_t pcsr(QTestState *qts, uint32_t base)
{
    return qtest_readw(qts, base + PCSR);
}

static uint16_t pcntr(QTestState *qts, uint32_t base)
{
    return qtest_readw(qts, base + PCNTR);
}

static bool pif(QTestState *qts, uint32_t base)
{
    return pcsr(qts, base) & PCSR_PIF;
}

static bool irq_pending(QTestState *qts, int irq)
{
    return qtest_readl(qts, INTC_IPRL) & (1u << irq);
}

/* The interrupt line of the PIT at @base, as the IPRL sees it */
static bool line(QTestState *qts, uint32_t base)
{
    return irq_pending(qts, base == PIT0_BASE ? PIT0_IRQ : PIT1_IRQ);
}

/* Load the counter with @n through OVW and start it with @flags */
static void pit_start(QTestState *qts, uint32_t base, uint16_t n,
                      uint16_t flags)
{
    qtest_writew(qts, base + PCSR, (flags & ~PCSR_EN) | PCSR_OVW);
    qtest_writew(qts, base + PMR, n);
    qtest_writew(qts, base + PCSR, flags | PCSR_EN | PCSR_OVW);
}

static void test_reset_values(void)
{
    QTestState *qts = pit_init();

    g_assert_cmphex(pcsr(qts, PIT0_BASE), ==, 0);
    g_assert_cmphex(qtest_readw(qts, PIT0_BASE + PMR), ==, 0xffff);
    g_assert_cmphex(pcntr(qts, PIT0_BASE), ==, 0xffff);
    g_assert_cmphex(pcntr(qts, PIT1_BASE), ==, 0xffff);
    /* Disabled: nothing counts */
    qtest_clock_step(qts, 1000000);
    g_assert_cmphex(pcntr(qts, PIT0_BASE), ==, 0xffff);
    g_assert_false(pif(qts, PIT0_BASE));
    qtest_quit(qts);
}

static void test_count_values(void)
{
    QTestState *qts = pit_init();

    pit_start(qts, PIT0_BASE, 1000, PCSR_RLD);
    g_assert_cmpuint(pcntr(qts, PIT0_BASE), ==, 1000);
    /* Still 1000 until the first PIT clock edge */
    qtest_clock_step(qts, ticks_ns(1, 0) - 1);
    g_assert_cmpuint(pcntr(qts, PIT0_BASE), ==, 1000);
    qtest_clock_step(qts, 1);
    g_assert_cmpuint(pcntr(qts, PIT0_BASE), ==, 999);
    qtest_clock_step(qts, ticks_ns(500, 0) + 1 - ticks_ns(1, 0));
    g_assert_cmpuint(pcntr(qts, PIT0_BASE), ==, 500);
    g_assert_false(pif(qts, PIT0_BASE));
    qtest_quit(qts);
}

/* Set-and-forget: PIF when 0 is reached, the period is PMR + 1 clocks */
static void test_reload_period(void)
{
    QTestState *qts = pit_init();
    int64_t first = ticks_ns(100, 0);
    int64_t second = ticks_ns(100 + 101, 0);

    pit_start(qts, PIT0_BASE, 100, PCSR_RLD);
    qtest_clock_step(qts, first - 1);
    g_assert_false(pif(qts, PIT0_BASE));
    qtest_clock_step(qts, 1);
    g_assert_true(pif(qts, PIT0_BASE));
    g_assert_cmpuint(pcntr(qts, PIT0_BASE), ==, 0);
    /* Clear PIF (write 1) */
    qtest_writew(qts, PIT0_BASE + PCSR,
                 PCSR_EN | PCSR_RLD | PCSR_OVW | PCSR_PIF);
    g_assert_false(pif(qts, PIT0_BASE));
    /* Reloaded from PMR one clock after reaching 0 */
    qtest_clock_step(qts, ticks_ns(101, 0) + 1 - first);
    g_assert_cmpuint(pcntr(qts, PIT0_BASE), ==, 100);
    g_assert_false(pif(qts, PIT0_BASE));
    qtest_clock_step(qts, second - 1 - ticks_ns(101, 0) - 1);
    g_assert_false(pif(qts, PIT0_BASE));
    g_assert_cmpuint(pcntr(qts, PIT0_BASE), ==, 1);
    qtest_clock_step(qts, 1);
    g_assert_true(pif(qts, PIT0_BASE));
    g_assert_cmpuint(pcntr(qts, PIT0_BASE), ==, 0);
    qtest_quit(qts);
}

/*
 * Count and PIF agree at the expiry instant and 1 ns either side, and the
 * interrupt line is high from the expiry on if PCSR[PIE] enables it
 */
static void check_race(QTestState *qts, uint32_t base, int64_t expiry,
                       int64_t now)
{
    bool pie = pcsr(qts, base) & PCSR_PIE;
    int64_t t;

    qtest_clock_step(qts, expiry - 1 - now);
    for (t = expiry - 1; t <= expiry + 1; t++) {
        bool fired = pif(qts, base);
        uint16_t count = pcntr(qts, base);

        g_assert_cmpint(fired, ==, t >= expiry);
        g_assert_cmpuint(count, ==, t >= expiry ? 0 : 1);
        g_assert_cmpint(fired, ==, pif(qts, base));
        g_assert_cmpint(line(qts, base), ==, pie && t >= expiry);
        qtest_clock_step(qts, 1);
    }
}

static void test_race_reload(void)
{
    QTestState *qts = pit_init();

    pit_start(qts, PIT0_BASE, 37, PCSR_RLD | PCSR_PIE);
    check_race(qts, PIT0_BASE, ticks_ns(37, 0), 0);
    qtest_writew(qts, PIT0_BASE + PCSR,
                 PCSR_EN | PCSR_RLD | PCSR_PIE | PCSR_OVW | PCSR_PIF);
    g_assert_false(line(qts, PIT0_BASE));
    /* Second period, anchored at the exact first expiry */
    check_race(qts, PIT0_BASE, ticks_ns(37 + 38, 0), ticks_ns(37, 0) + 2);
    qtest_quit(qts);
}

/* Free-running: PIF at 0, then the counter rolls over to 0xffff */
static void test_race_free_running(void)
{
    QTestState *qts = pit_init();
    int64_t e = ticks_ns(5, 2);

    qtest_writew(qts, PIT0_BASE + PMR, 0x1234);
    pit_start(qts, PIT0_BASE, 5, PCSR_PRE(2));
    check_race(qts, PIT0_BASE, e, 0);
    qtest_clock_step(qts, ticks_ns(6, 2) + 1 - (e + 2));
    g_assert_cmphex(pcntr(qts, PIT0_BASE), ==, 0xffff);
    qtest_clock_step(qts, ticks_ns(6 + 0x10, 2) - (ticks_ns(6, 2) + 1));
    g_assert_cmphex(pcntr(qts, PIT0_BASE), ==, 0xffef);
    qtest_quit(qts);
}

static void test_prescaler(void)
{
    QTestState *qts = pit_init();

    pit_start(qts, PIT0_BASE, 0x800, PCSR_RLD | PCSR_PRE(5));
    qtest_clock_step(qts, ticks_ns(0x100, 5) - 1);
    g_assert_cmphex(pcntr(qts, PIT0_BASE), ==, 0x701);
    qtest_clock_step(qts, 1);
    g_assert_cmphex(pcntr(qts, PIT0_BASE), ==, 0x700);
    qtest_clock_step(qts, ticks_ns(0x800, 5) - ticks_ns(0x100, 5) - 1);
    g_assert_false(pif(qts, PIT0_BASE));
    qtest_clock_step(qts, 1);
    g_assert_true(pif(qts, PIT0_BASE));
    qtest_quit(qts);
}

/* OVW loads the counter at once; without OVW only the next reload */
static void test_pmr_write_running(void)
{
    QTestState *qts = pit_init();
    int64_t now = ticks_ns(10, 0);

    pit_start(qts, PIT0_BASE, 1000, PCSR_RLD);
    qtest_clock_step(qts, now);
    g_assert_cmpuint(pcntr(qts, PIT0_BASE), ==, 990);
    qtest_writew(qts, PIT0_BASE + PMR, 200);
    g_assert_cmpuint(pcntr(qts, PIT0_BASE), ==, 200);
    qtest_clock_step(qts, ticks_ns(200, 0) - 1);
    g_assert_false(pif(qts, PIT0_BASE));
    qtest_clock_step(qts, 1);
    g_assert_true(pif(qts, PIT0_BASE));

    /* Without OVW: the running count goes on, PMR used at the reload */
    qtest_writew(qts, PIT0_BASE + PCSR, PCSR_EN | PCSR_RLD | PCSR_PIF);
    qtest_clock_step(qts, ticks_ns(1, 0) + 1);
    g_assert_cmpuint(pcntr(qts, PIT0_BASE), ==, 200);
    qtest_writew(qts, PIT0_BASE + PMR, 50);
    g_assert_cmpuint(pcntr(qts, PIT0_BASE), ==, 200);
    g_assert_cmphex(qtest_readw(qts, PIT0_BASE + PMR), ==, 50);
    qtest_clock_step(qts, ticks_ns(200, 0));
    g_assert_true(pif(qts, PIT0_BASE));
    qtest_writew(qts, PIT0_BASE + PCSR, PCSR_EN | PCSR_RLD | PCSR_PIF);
    qtest_clock_step(qts, ticks_ns(1, 0) + 1);
    g_assert_cmpuint(pcntr(qts, PIT0_BASE), ==, 50);
    qtest_quit(qts);
}

static void test_enable_disable(void)
{
    QTestState *qts = pit_init();

    pit_start(qts, PIT0_BASE, 1000, PCSR_RLD);
    qtest_clock_step(qts, ticks_ns(100, 0) + 1);
    qtest_writew(qts, PIT0_BASE + PCSR, PCSR_RLD | PCSR_OVW);
    g_assert_cmpuint(pcntr(qts, PIT0_BASE), ==, 900);
    qtest_clock_step(qts, 100000000);
    g_assert_cmpuint(pcntr(qts, PIT0_BASE), ==, 900);
    g_assert_false(pif(qts, PIT0_BASE));
    qtest_writew(qts, PIT0_BASE + PCSR, PCSR_EN | PCSR_RLD | PCSR_OVW);
    g_assert_cmpuint(pcntr(qts, PIT0_BASE), ==, 900);
    qtest_clock_step(qts, ticks_ns(900, 0) - 1);
    g_assert_false(pif(qts, PIT0_BASE));
    qtest_clock_step(qts, 1);
    g_assert_true(pif(qts, PIT0_BASE));
    qtest_quit(qts);
}

/* PIF is write-1-to-clear: writing 0 there must not clear it */
static void test_pif_w1c(void)
{
    QTestState *qts = pit_init();

    pit_start(qts, PIT0_BASE, 10, PCSR_RLD);
    qtest_clock_step(qts, ticks_ns(10, 0));
    g_assert_true(pif(qts, PIT0_BASE));
    /* Change PIE and the prescaler with PIF written as 0 */
    qtest_writew(qts, PIT0_BASE + PCSR, PCSR_EN | PCSR_RLD | PCSR_PIE);
    g_assert_true(pif(qts, PIT0_BASE));
    qtest_writew(qts, PIT0_BASE + PCSR,
                 PCSR_EN | PCSR_RLD | PCSR_PIE | PCSR_PRE(1));
    g_assert_true(pif(qts, PIT0_BASE));
    qtest_writew(qts, PIT0_BASE + PCSR, PCSR_EN | PCSR_RLD | PCSR_PIF);
    g_assert_false(pif(qts, PIT0_BASE));
    /* A write to PMR also clears PIF */
    qtest_clock_step(qts, ticks_ns(11, 1));
    g_assert_true(pif(qts, PIT0_BASE));
    qtest_writew(qts, PIT0_BASE + PMR, 10);
    g_assert_false(pif(qts, PIT0_BASE));
    qtest_quit(qts);
}

static void test_irq_line(void)
{
    QTestState *qts = pit_init();

    pit_start(qts, PIT0_BASE, 20, PCSR_RLD);
    qtest_clock_step(qts, ticks_ns(20, 0));
    g_assert_true(pif(qts, PIT0_BASE));
    g_assert_false(irq_pending(qts, PIT0_IRQ));
    qtest_writew(qts, PIT0_BASE + PCSR, PCSR_EN | PCSR_RLD | PCSR_PIE);
    g_assert_true(irq_pending(qts, PIT0_IRQ));
    qtest_writew(qts, PIT0_BASE + PCSR,
                 PCSR_EN | PCSR_RLD | PCSR_PIE | PCSR_PIF);
    g_assert_false(irq_pending(qts, PIT0_IRQ));
    qtest_clock_step(qts, ticks_ns(20 + 21, 0) - 1 - ticks_ns(20, 0));
    g_assert_false(irq_pending(qts, PIT0_IRQ));
    qtest_clock_step(qts, 1);
    g_assert_true(irq_pending(qts, PIT0_IRQ));
    g_assert_false(irq_pending(qts, PIT1_IRQ));
    qtest_quit(qts);
}

static void test_pit1(void)
{
    QTestState *qts = pit_init();

    pit_start(qts, PIT1_BASE, 3, PCSR_RLD | PCSR_PIE | PCSR_PRE(15));
    check_race(qts, PIT1_BASE, ticks_ns(3, 15), 0);
    g_assert_true(irq_pending(qts, PIT1_IRQ));
    g_assert_false(irq_pending(qts, PIT0_IRQ));
    g_assert_cmphex(pcntr(qts, PIT0_BASE), ==, 0xffff);
    qtest_quit(qts);
}

/* PMR = 0 with RLD: one interrupt every PIT clock */
static void test_zero_modulus(void)
{
    QTestState *qts = pit_init();
    int64_t p = ticks_ns(1, 4);

    pit_start(qts, PIT0_BASE, 0, PCSR_RLD | PCSR_PRE(4));
    g_assert_false(pif(qts, PIT0_BASE));
    g_assert_cmpuint(pcntr(qts, PIT0_BASE), ==, 0);
    qtest_clock_step(qts, p - 1);
    g_assert_false(pif(qts, PIT0_BASE));
    qtest_clock_step(qts, 1);
    g_assert_true(pif(qts, PIT0_BASE));
    qtest_writew(qts, PIT0_BASE + PCSR,
                 PCSR_EN | PCSR_RLD | PCSR_PRE(4) | PCSR_PIF);
    qtest_clock_step(qts, ticks_ns(2, 4) - p);
    g_assert_true(pif(qts, PIT0_BASE));
    g_assert_cmpuint(pcntr(qts, PIT0_BASE), ==, 0);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("mcf5208-pit/reset_values", test_reset_values);
    qtest_add_func("mcf5208-pit/count_values", test_count_values);
    qtest_add_func("mcf5208-pit/reload_period", test_reload_period);
    qtest_add_func("mcf5208-pit/race_reload", test_race_reload);
    qtest_add_func("mcf5208-pit/race_free_running", test_race_free_running);
    qtest_add_func("mcf5208-pit/prescaler", test_prescaler);
    qtest_add_func("mcf5208-pit/pmr_write_running", test_pmr_write_running);
    qtest_add_func("mcf5208-pit/enable_disable", test_enable_disable);
    qtest_add_func("mcf5208-pit/pif_w1c", test_pif_w1c);
    qtest_add_func("mcf5208-pit/irq_line", test_irq_line);
    qtest_add_func("mcf5208-pit/pit1", test_pit1);
    qtest_add_func("mcf5208-pit/zero_modulus", test_zero_modulus);

    return g_test_run();
}
