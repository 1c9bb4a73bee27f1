/*
 * QTest for the ARMv7-M SysTick timer (SYST_CSR/RVR/CVR/CALIB)
 *
 * Checks the count and the COUNTFLAG / pending-exception status at exact
 * instants of the virtual clock, on the mps2-an385 board (refclk 1 MHz,
 * cpuclk 25 MHz), and the interrupt line the NVIC drives to the CPU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"

#define SYST_CSR    0xe000e010
#define SYST_RVR    0xe000e014
#define SYST_CVR    0xe000e018
#define SYST_CALIB  0xe000e01c
#define NVIC_ICSR   0xe000ed04

#define CSR_ENABLE      (1u << 0)
#define CSR_TICKINT     (1u << 1)
#define CSR_CLKSOURCE   (1u << 2)
#define CSR_COUNTFLAG   (1u << 16)

#define ICSR_PENDSTSET  (1u << 26)
#define ICSR_PENDSTCLR  (1u << 25)

#define REF_NS  1000    /* refclk: 1 MHz */
#define CPU_NS  40      /* cpuclk: 25 MHz */

/* the virtual clock, as last returned by qtest_clock_step() */
static int64_t clock_ns;

/*
 * Start the board and observe the NVIC's exception request to the CPU,
 * read with excp().  The SysTick device's own output is a pulse into the
 * NVIC (qemu_irq_pulse: raised and lowered in one go), which a level
 * intercept never sees high; the line out of the NVIC is a level.  With
 * no exception active, the CPU runs at thread priority, so the line is
 * high exactly while an (enabled) exception such as SysTick is pending.
 */
static QTestState *start(void)
{
    QTestState *qts = qtest_init("-machine mps2-an385");

    qtest_irq_intercept_out_named(qts, "/machine/armv7m/nvic", "sysbus-irq");
    clock_ns = qtest_clock_step(qts, 1);
    return qts;
}

static bool excp(QTestState *qts)
{
    return qtest_get_irq(qts, 0);
}

static int64_t now(QTestState *qts)
{
    return clock_ns;
}

/* step the virtual clock to the absolute instant @t */
static void step_to(QTestState *qts, int64_t t)
{
    g_assert_cmpint(t, >, clock_ns);
    clock_ns = qtest_clock_step(qts, t - clock_ns);
    g_assert_cmpint(clock_ns, ==, t);
}

static uint32_t cvr(QTestState *qts)
{
    return qtest_readl(qts, SYST_CVR);
}

static bool countflag(QTestState *qts)
{
    return qtest_readl(qts, SYST_CSR) & CSR_COUNTFLAG;
}

static bool pendst(QTestState *qts)
{
    return qtest_readl(qts, NVIC_ICSR) & ICSR_PENDSTSET;
}

static void clear_pendst(QTestState *qts)
{
    qtest_writel(qts, NVIC_ICSR, ICSR_PENDSTCLR);
    g_assert_false(pendst(qts));
    g_assert_false(excp(qts));
}

/*
 * Program RVR, clear CVR and enable with @csr at the current instant.
 * Returns the instant of the enable.  With CVR zero the counter shows 0
 * for one clock, loads RVR on the next clock, and reaches zero (and
 * sets COUNTFLAG) RVR clocks later.
 */
static int64_t arm_systick(QTestState *qts, uint32_t rvr, uint32_t csr)
{
    qtest_writel(qts, SYST_RVR, rvr);
    qtest_writel(qts, SYST_CVR, 0);
    qtest_writel(qts, SYST_CSR, csr | CSR_ENABLE);
    return now(qts);
}

static void test_reset_values(void)
{
    QTestState *qts = start();

    /* the board wires a refclk, so CLKSOURCE resets to 0 */
    g_assert_cmphex(qtest_readl(qts, SYST_CSR), ==, 0);
    g_assert_cmphex(qtest_readl(qts, SYST_RVR), ==, 0);
    g_assert_cmphex(cvr(qts), ==, 0);
    /* 10 ms of the 1 MHz refclk: TENMS = 9999, exact so no SKEW/NOREF */
    g_assert_cmphex(qtest_readl(qts, SYST_CALIB), ==, 9999);
    /* RVR is 24 bits wide */
    qtest_writel(qts, SYST_RVR, 0xffffffff);
    g_assert_cmphex(qtest_readl(qts, SYST_RVR), ==, 0xffffff);
    /* a disabled timer does not count */
    qtest_clock_step(qts, 100 * REF_NS);
    g_assert_cmphex(cvr(qts), ==, 0);
    g_assert_false(countflag(qts));
    g_assert_false(excp(qts));
    qtest_quit(qts);
}

static void test_count_refclk(void)
{
    QTestState *qts = start();
    int64_t t0 = arm_systick(qts, 99, 0);
    int64_t load = t0 + REF_NS;

    g_assert_cmpuint(cvr(qts), ==, 0);
    step_to(qts, load - 1);
    g_assert_cmpuint(cvr(qts), ==, 0);
    step_to(qts, load);
    g_assert_cmpuint(cvr(qts), ==, 99);
    step_to(qts, load + REF_NS);
    g_assert_cmpuint(cvr(qts), ==, 99);
    step_to(qts, load + REF_NS + 1);
    g_assert_cmpuint(cvr(qts), ==, 98);
    step_to(qts, load + 50 * REF_NS + 1);
    g_assert_cmpuint(cvr(qts), ==, 49);
    g_assert_false(countflag(qts));
    step_to(qts, load + 99 * REF_NS - 1);
    g_assert_cmpuint(cvr(qts), ==, 1);
    g_assert_false(countflag(qts));
    step_to(qts, load + 99 * REF_NS);
    g_assert_cmpuint(cvr(qts), ==, 0);
    g_assert_true(countflag(qts));
    qtest_quit(qts);
}

static void test_count_cpuclk(void)
{
    QTestState *qts = start();
    int64_t t0 = arm_systick(qts, 1000, CSR_CLKSOURCE);
    int64_t load = t0 + CPU_NS;

    step_to(qts, load);
    g_assert_cmpuint(cvr(qts), ==, 1000);
    step_to(qts, load + 500 * CPU_NS + 1);
    g_assert_cmpuint(cvr(qts), ==, 500);
    step_to(qts, load + 1000 * CPU_NS - 1);
    g_assert_cmpuint(cvr(qts), ==, 1);
    g_assert_false(countflag(qts));
    step_to(qts, load + 1000 * CPU_NS);
    g_assert_cmpuint(cvr(qts), ==, 0);
    g_assert_true(countflag(qts));
    qtest_quit(qts);
}

static void test_periodic_wrap(void)
{
    QTestState *qts = start();
    int64_t t0 = arm_systick(qts, 9, CSR_TICKINT);
    int64_t first = t0 + 10 * REF_NS;
    int k;

    /* the counter reaches zero every RVR + 1 clocks */
    for (k = 0; k < 5; k++) {
        int64_t e = first + k * 10 * REF_NS;

        step_to(qts, e - 1);
        g_assert_cmpuint(cvr(qts), ==, 1);
        g_assert_false(countflag(qts));
        g_assert_false(pendst(qts));
        g_assert_false(excp(qts));
        step_to(qts, e);
        g_assert_true(excp(qts));
        g_assert_cmpuint(cvr(qts), ==, 0);
        g_assert_true(countflag(qts));
        g_assert_true(pendst(qts));
        clear_pendst(qts);
        /* zero for one clock, then RVR */
        step_to(qts, e + REF_NS);
        g_assert_cmpuint(cvr(qts), ==, 0);
        step_to(qts, e + REF_NS + 1);
        g_assert_cmpuint(cvr(qts), ==, 9);
    }
    qtest_quit(qts);
}

static void test_countflag_read_clears(void)
{
    QTestState *qts = start();
    int64_t t0 = arm_systick(qts, 4, 0);
    int64_t e = t0 + 5 * REF_NS;
    uint32_t csr;

    step_to(qts, e);
    csr = qtest_readl(qts, SYST_CSR);
    g_assert_cmphex(csr, ==, CSR_COUNTFLAG | CSR_ENABLE);
    /* the read cleared it */
    g_assert_cmphex(qtest_readl(qts, SYST_CSR), ==, CSR_ENABLE);
    /* a CSR write does not set or clear it: set again at the next zero */
    step_to(qts, e + 5 * REF_NS);
    qtest_writel(qts, SYST_CSR, CSR_ENABLE);
    g_assert_true(countflag(qts));
    g_assert_false(countflag(qts));
    qtest_quit(qts);
}

static void test_cvr_write(void)
{
    QTestState *qts = start();
    int64_t t0 = arm_systick(qts, 99, 0);
    int64_t w;

    /* let it reach zero once so COUNTFLAG is set */
    step_to(qts, t0 + 100 * REF_NS + 30 * REF_NS + 1);
    g_assert_cmpuint(cvr(qts), ==, 70);
    w = now(qts);
    /* any value clears the counter and COUNTFLAG */
    qtest_writel(qts, SYST_CVR, 0x1234);
    g_assert_cmpuint(cvr(qts), ==, 0);
    g_assert_false(countflag(qts));
    /* reload from RVR on the next clock; no exception for the write */
    step_to(qts, w + REF_NS - 1);
    g_assert_cmpuint(cvr(qts), ==, 0);
    g_assert_false(countflag(qts));
    step_to(qts, w + REF_NS);
    g_assert_cmpuint(cvr(qts), ==, 99);
    step_to(qts, w + REF_NS + 99 * REF_NS - 1);
    g_assert_cmpuint(cvr(qts), ==, 1);
    g_assert_false(countflag(qts));
    step_to(qts, w + REF_NS + 99 * REF_NS);
    g_assert_cmpuint(cvr(qts), ==, 0);
    g_assert_true(countflag(qts));
    qtest_quit(qts);
}

static void test_rvr_write_running(void)
{
    QTestState *qts = start();
    int64_t t0 = arm_systick(qts, 99, 0);
    int64_t e = t0 + 100 * REF_NS;

    step_to(qts, t0 + 40 * REF_NS + 1);
    g_assert_cmpuint(cvr(qts), ==, 60);
    /* a new RVR does not touch the running count */
    qtest_writel(qts, SYST_RVR, 19);
    g_assert_cmpuint(cvr(qts), ==, 60);
    step_to(qts, e - 1);
    g_assert_cmpuint(cvr(qts), ==, 1);
    step_to(qts, e);
    g_assert_cmpuint(cvr(qts), ==, 0);
    g_assert_true(countflag(qts));
    /* ... but is used at the next reload */
    step_to(qts, e + REF_NS + 1);
    g_assert_cmpuint(cvr(qts), ==, 19);
    step_to(qts, e + 20 * REF_NS - 1);
    g_assert_cmpuint(cvr(qts), ==, 1);
    g_assert_false(countflag(qts));
    step_to(qts, e + 20 * REF_NS);
    g_assert_true(countflag(qts));
    qtest_quit(qts);
}

static void test_tickint(void)
{
    QTestState *qts = start();
    int64_t t0 = arm_systick(qts, 9, 0);
    int64_t e = t0 + 10 * REF_NS;

    /* TICKINT clear: COUNTFLAG only, no exception */
    step_to(qts, e);
    g_assert_true(countflag(qts));
    g_assert_false(pendst(qts));
    g_assert_false(excp(qts));
    /* TICKINT set while running: the next zero pends SysTick */
    qtest_writel(qts, SYST_CSR, CSR_ENABLE | CSR_TICKINT);
    step_to(qts, e + 10 * REF_NS - 1);
    g_assert_false(pendst(qts));
    g_assert_false(excp(qts));
    step_to(qts, e + 10 * REF_NS);
    g_assert_true(excp(qts));
    g_assert_true(pendst(qts));
    clear_pendst(qts);
    /* reading COUNTFLAG does not clear the pending exception */
    g_assert_true(countflag(qts));
    qtest_writel(qts, SYST_CSR, CSR_ENABLE);
    step_to(qts, e + 20 * REF_NS);
    g_assert_true(countflag(qts));
    g_assert_false(pendst(qts));
    g_assert_false(excp(qts));
    qtest_quit(qts);
}

static void test_disable_enable(void)
{
    QTestState *qts = start();
    int64_t t0 = arm_systick(qts, 99, 0);
    int64_t t1;

    step_to(qts, t0 + 30 * REF_NS + 1);
    g_assert_cmpuint(cvr(qts), ==, 70);
    qtest_writel(qts, SYST_CSR, 0);
    step_to(qts, t0 + 500 * REF_NS);
    g_assert_cmpuint(cvr(qts), ==, 70);
    g_assert_false(countflag(qts));
    /* enabling again counts on from the held value */
    qtest_writel(qts, SYST_CSR, CSR_ENABLE);
    t1 = now(qts);
    step_to(qts, t1 + 70 * REF_NS - 1);
    g_assert_cmpuint(cvr(qts), ==, 1);
    g_assert_false(countflag(qts));
    step_to(qts, t1 + 70 * REF_NS);
    g_assert_cmpuint(cvr(qts), ==, 0);
    g_assert_true(countflag(qts));
    qtest_quit(qts);
}

static void test_clksource_switch(void)
{
    QTestState *qts = start();
    int64_t t0 = arm_systick(qts, 99, 0);
    int64_t w;

    step_to(qts, t0 + 20 * REF_NS + 1);
    g_assert_cmpuint(cvr(qts), ==, 80);
    w = now(qts);
    /* switch to the 25 MHz cpuclk: the count is kept */
    qtest_writel(qts, SYST_CSR, CSR_ENABLE | CSR_CLKSOURCE);
    g_assert_cmpuint(cvr(qts), ==, 80);
    step_to(qts, w + 80 * CPU_NS - 1);
    g_assert_cmpuint(cvr(qts), ==, 1);
    g_assert_false(countflag(qts));
    step_to(qts, w + 80 * CPU_NS);
    g_assert_cmpuint(cvr(qts), ==, 0);
    g_assert_true(countflag(qts));
    /* zero for one cpuclk, then 99 cpuclks down */
    step_to(qts, w + 81 * CPU_NS + 1);
    g_assert_cmpuint(cvr(qts), ==, 99);
    step_to(qts, w + 180 * CPU_NS);
    g_assert_true(countflag(qts));
    qtest_quit(qts);
}

/*
 * The race: at the instant the counter goes from 1 to 0, and 1 ns on
 * either side, the count and the status must agree: the count reads 0
 * exactly when COUNTFLAG and the pending SysTick exception are set, and
 * the NVIC requests the exception.
 */
static void check_race_at(QTestState *qts, int64_t e)
{
    uint32_t c;
    bool flag, pend;

    step_to(qts, e - 1);
    c = cvr(qts);
    flag = countflag(qts);
    pend = pendst(qts);
    g_assert_cmpuint(c, ==, 1);
    g_assert_false(flag);
    g_assert_false(pend);
    g_assert_false(excp(qts));

    step_to(qts, e);
    c = cvr(qts);
    flag = countflag(qts);
    pend = pendst(qts);
    g_assert_cmpuint(c, ==, 0);
    g_assert_true(flag);
    g_assert_true(pend);
    g_assert_true(excp(qts));

    step_to(qts, e + 1);
    c = cvr(qts);
    pend = pendst(qts);
    g_assert_cmpuint(c, ==, 0);
    g_assert_true(pend);
    g_assert_true(excp(qts));
    /* COUNTFLAG was read at e: cleared */
    g_assert_false(countflag(qts));
    clear_pendst(qts);
}

static void test_race(gconstpointer data)
{
    bool cpu = GPOINTER_TO_INT(data);
    int64_t p = cpu ? CPU_NS : REF_NS;
    uint32_t rvr = cpu ? 249 : 7;
    QTestState *qts = start();
    int64_t t0 = arm_systick(qts, rvr,
                             CSR_TICKINT | (cpu ? CSR_CLKSOURCE : 0));
    int k;

    for (k = 0; k < 4; k++) {
        check_race_at(qts, t0 + p + rvr * p + k * (rvr + 1) * p);
    }
    qtest_quit(qts);
}

static void test_race_after_cvr_write(void)
{
    QTestState *qts = start();
    int64_t t0 = arm_systick(qts, 5, CSR_TICKINT);
    int64_t w;

    step_to(qts, t0 + 3 * REF_NS + 17);
    w = now(qts);
    qtest_writel(qts, SYST_CVR, 0);
    check_race_at(qts, w + REF_NS + 5 * REF_NS);
    check_race_at(qts, w + REF_NS + 11 * REF_NS);
    qtest_quit(qts);
}

/*
 * b-l475e-iot01a: the STM32L4x5 RCC feeds cpuclk with HCLK and refclk
 * with HCLK / 8 (RM0351, 6.2 "Clocks"); out of reset HCLK is the 4 MHz
 * MSI.  CFGR.HPRE = 0b1000 divides HCLK by 2, which changes both clocks:
 * only the one CLKSOURCE selects may set the period.
 */
#define RCC_CFGR        0x40021008
#define CFGR_HPRE_DIV2  (0x8u << 4)
#define L4_CPU_NS       250     /* cpuclk: 4 MHz */
#define L4_REF_NS       2000    /* refclk: 500 kHz */

static void test_unselected_clock(gconstpointer data)
{
    bool cpu = GPOINTER_TO_INT(data);
    int64_t tick = cpu ? L4_CPU_NS : L4_REF_NS;
    QTestState *qts;
    int64_t t0, w;

    if (!qtest_has_machine("b-l475e-iot01a")) {
        g_test_skip("b-l475e-iot01a machine not available");
        return;
    }
    qts = qtest_init("-machine b-l475e-iot01a");
    clock_ns = qtest_clock_step(qts, 1);
    t0 = arm_systick(qts, 999, cpu ? CSR_CLKSOURCE : 0);
    /* RVR loaded one clock after the enable, then 100 clocks */
    step_to(qts, t0 + 101 * tick + 1);
    g_assert_cmpuint(cvr(qts), ==, 899);
    /* the selected clock halves: 100 of its new periods, 2 * tick each */
    qtest_writel(qts, RCC_CFGR, CFGR_HPRE_DIV2);
    w = now(qts);
    step_to(qts, w + 100 * 2 * tick + 1);
    g_assert_cmpuint(cvr(qts), ==, 799);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("systick/reset_values", test_reset_values);
    qtest_add_func("systick/count_refclk", test_count_refclk);
    qtest_add_func("systick/count_cpuclk", test_count_cpuclk);
    qtest_add_func("systick/periodic_wrap", test_periodic_wrap);
    qtest_add_func("systick/countflag_read_clears",
                   test_countflag_read_clears);
    qtest_add_func("systick/cvr_write", test_cvr_write);
    qtest_add_func("systick/rvr_write_running", test_rvr_write_running);
    qtest_add_func("systick/tickint", test_tickint);
    qtest_add_func("systick/disable_enable", test_disable_enable);
    qtest_add_func("systick/clksource_switch", test_clksource_switch);
    qtest_add_data_func("systick/race_refclk", GINT_TO_POINTER(0), test_race);
    qtest_add_data_func("systick/race_cpuclk", GINT_TO_POINTER(1), test_race);
    qtest_add_func("systick/race_after_cvr_write", test_race_after_cvr_write);
    qtest_add_data_func("systick/unselected_clock/refclk", GINT_TO_POINTER(0),
                        test_unselected_clock);
    qtest_add_data_func("systick/unselected_clock/cpuclk", GINT_TO_POINTER(1),
                        test_unselected_clock);

    return g_test_run();
}
