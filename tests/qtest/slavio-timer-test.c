/*
 * QTest for the sun4m SLAVIO counter/timers, hw/timer/slavio_timer.c
 *
 * Written for ptimer-ng.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "ptimer-qom.h"

/*
 * SS-5: processor counter/timer 0 at 0x71d00000, system counter/timer at
 * 0x71d10000.  The counter steps every 500 ns in bit 9.  A limit write
 * resets it; it then reads (k + 1) << 9 between steps k and k + 1, and
 * reaches a limit of L steps after L - 1 steps, when the counter goes
 * back to 0 and the reached bit (31 of the counter) is set.
 */
#define CPU0_BASE   0x71d00000
#define SYS_BASE    0x71d10000
#define LIMIT       0x0
#define COUNTER     0x4
#define STATUS      0xc
#define MODE        0x10
#define REACHED     0x80000000u
#define STEP        (1u << 9)

static char *prom_path;

/* Interrupt outputs of the slavio_timer device, read with irq() */
#define IRQ_SYS     0
#define IRQ_CPU0    1

static QTestState *start(void)
{
    QTestState *qts = qtest_initf("-machine SS-5 -bios %s", prom_path);

    ptimer_qom_intercept(qts, "/machine/unattached", "slavio_timer");
    return qts;
}

static bool irq(QTestState *qts, int line)
{
    return qtest_get_irq(qts, line);
}

static uint32_t counter(QTestState *qts, uint32_t base)
{
    return qtest_readl(qts, base + COUNTER);
}

static void test_reset_free_run(void)
{
    QTestState *qts = start();

    g_assert_cmphex(qtest_readl(qts, SYS_BASE + LIMIT), ==, 0);
    g_assert_cmphex(qtest_readl(qts, SYS_BASE + MODE), ==, 0);
    g_assert_cmphex(qtest_readl(qts, CPU0_BASE + STATUS), ==, 1);
    qtest_clock_step(qts, 1000000000);
    g_assert_cmphex(counter(qts, SYS_BASE) & REACHED, ==, 0);
    g_assert_cmphex(counter(qts, SYS_BASE), >, 1000000000 / 500 * STEP / 2);
    qtest_quit(qts);
}

static void test_count_up(void)
{
    QTestState *qts = start();

    qtest_writel(qts, SYS_BASE + LIMIT, 10 * STEP);
    g_assert_cmphex(counter(qts, SYS_BASE), ==, 0);
    qtest_clock_step(qts, 250);
    g_assert_cmphex(counter(qts, SYS_BASE), ==, 1 * STEP);
    qtest_clock_step(qts, 500);
    g_assert_cmphex(counter(qts, SYS_BASE), ==, 2 * STEP);
    qtest_clock_step(qts, 3500);
    g_assert_cmphex(counter(qts, SYS_BASE), ==, 9 * STEP);
    qtest_quit(qts);
}

static void test_periodic(void)
{
    QTestState *qts = start();
    int i;

    qtest_writel(qts, SYS_BASE + LIMIT, 10 * STEP);
    for (i = 0; i < 4; i++) {
        qtest_clock_step(qts, 4499);
        g_assert_cmphex(counter(qts, SYS_BASE), ==, 9 * STEP);
        g_assert_false(irq(qts, IRQ_SYS));
        qtest_clock_step(qts, 1);
        g_assert_cmphex(counter(qts, SYS_BASE), ==, REACHED);
        g_assert_true(irq(qts, IRQ_SYS));
        /* reading the limit clears the reached bit and the interrupt */
        g_assert_cmphex(qtest_readl(qts, SYS_BASE + LIMIT), ==, 10 * STEP);
        g_assert_cmphex(counter(qts, SYS_BASE), ==, 0);
        g_assert_false(irq(qts, IRQ_SYS));
    }
    g_assert_false(irq(qts, IRQ_CPU0));
    qtest_quit(qts);
}

/* A limit write resets the counter and restarts the period */
static void test_limit_write_resets(void)
{
    QTestState *qts = start();

    qtest_writel(qts, SYS_BASE + LIMIT, 10 * STEP);
    qtest_clock_step(qts, 2250);
    g_assert_cmphex(counter(qts, SYS_BASE), ==, 5 * STEP);
    qtest_writel(qts, SYS_BASE + LIMIT, 4 * STEP);
    g_assert_cmphex(counter(qts, SYS_BASE), ==, 0);
    qtest_clock_step(qts, 1499);
    g_assert_cmphex(counter(qts, SYS_BASE), ==, 3 * STEP);
    qtest_clock_step(qts, 1);
    g_assert_cmphex(counter(qts, SYS_BASE), ==, REACHED);
    qtest_quit(qts);
}

/* The processor counter works the same way */
static void test_cpu_counter(void)
{
    QTestState *qts = start();

    qtest_writel(qts, CPU0_BASE + LIMIT, 3 * STEP);
    qtest_clock_step(qts, 999);
    g_assert_cmphex(counter(qts, CPU0_BASE), ==, 2 * STEP);
    g_assert_cmphex(counter(qts, SYS_BASE) & REACHED, ==, 0);
    g_assert_false(irq(qts, IRQ_CPU0));
    qtest_clock_step(qts, 1);
    g_assert_cmphex(counter(qts, CPU0_BASE), ==, REACHED);
    g_assert_true(irq(qts, IRQ_CPU0));
    g_assert_false(irq(qts, IRQ_SYS));
    g_assert_cmphex(qtest_readl(qts, CPU0_BASE + LIMIT), ==, 3 * STEP);
    g_assert_cmphex(counter(qts, CPU0_BASE), ==, 0);
    g_assert_false(irq(qts, IRQ_CPU0));
    qtest_quit(qts);
}

/* User timer: 54-bit counter, started and stopped by the status register */
static void test_user_timer(void)
{
    QTestState *qts = start();

    qtest_writel(qts, SYS_BASE + MODE, 1);
    g_assert_cmphex(qtest_readl(qts, SYS_BASE + MODE), ==, 1);
    qtest_writel(qts, CPU0_BASE + STATUS, 0);
    qtest_writel(qts, CPU0_BASE + LIMIT, 0);
    qtest_writel(qts, CPU0_BASE + COUNTER, 0xfffffe00);
    qtest_clock_step(qts, 10000);
    g_assert_cmphex(qtest_readl(qts, CPU0_BASE + COUNTER), ==, 0xfffffe00);
    g_assert_cmphex(qtest_readl(qts, CPU0_BASE + LIMIT), ==, 0);
    qtest_writel(qts, CPU0_BASE + STATUS, 1);
    qtest_clock_step(qts, 250);
    g_assert_cmphex(qtest_readl(qts, CPU0_BASE + COUNTER), ==, 0);
    g_assert_cmphex(qtest_readl(qts, CPU0_BASE + LIMIT), ==, 1);
    qtest_clock_step(qts, 1000);
    g_assert_cmphex(qtest_readl(qts, CPU0_BASE + COUNTER), ==, 2 * STEP);
    qtest_writel(qts, CPU0_BASE + STATUS, 0);
    qtest_clock_step(qts, 10000);
    g_assert_cmphex(qtest_readl(qts, CPU0_BASE + COUNTER), ==, 2 * STEP);
    g_assert_cmphex(qtest_readl(qts, CPU0_BASE + STATUS), ==, 0);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    int fd, ret;
    char *zeros = g_malloc0(4096);

    g_test_init(&argc, &argv, NULL);

    /* the machine needs a PROM image; the CPU never runs under qtest */
    fd = g_file_open_tmp("slavio-timer-prom-XXXXXX", &prom_path, NULL);
    g_assert(fd >= 0);
    g_assert(write(fd, zeros, 4096) == 4096);
    close(fd);
    g_free(zeros);

    qtest_add_func("/slavio-timer/reset-free-run", test_reset_free_run);
    qtest_add_func("/slavio-timer/count-up", test_count_up);
    qtest_add_func("/slavio-timer/periodic", test_periodic);
    qtest_add_func("/slavio-timer/limit-write-resets",
                   test_limit_write_resets);
    qtest_add_func("/slavio-timer/cpu-counter", test_cpu_counter);
    qtest_add_func("/slavio-timer/user-timer", test_user_timer);

    ret = g_test_run();
    unlink(prom_path);
    g_free(prom_path);
    return ret;
}
