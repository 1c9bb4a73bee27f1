/*
 * QTest: migration of running ptimer devices
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (c) 2026 The ptimer-ng authors
 *
 * For every device of the table, on its machine: program a countdown
 * (periodic and one-shot), then walk a fixed schedule of virtual-clock
 * steps, reading the device's register window after each.  The same
 * schedule runs twice: once in one QEMU, once with a migration (QMP
 * "migrate" to a file, a second QEMU started with "-incoming defer")
 * in the middle.  A migration loses nothing when both runs read the same
 * registers at every instant: the count continues to the tick, a pending
 * interrupt stays pending and every later expiry happens at the same
 * virtual time.
 *
 * qtest's virtual clock is not part of the migration stream (with a real
 * accelerator it is): the destination sets its clock to the source's
 * instant before the first read.
 *
 * With PTIMER_STOCK_QEMU naming a QEMU built without our series (same
 * source), the cross-version cases migrate stock -> ptimer-ng and
 * ptimer-ng -> stock.  The two builds model some registers differently
 * (the device patches fix off-by-one counts), so these cases check that
 * the migration is accepted, that the count read after it is the one
 * read before it within one tick, and that the interrupt status rises at
 * the same step of the schedule as in an unmigrated run of the source
 * build.
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "qobject/qdict.h"

#define MAX_WRITES  6
#define STEPS       64
#define MIGRATE_AT  24

typedef struct {
    uint32_t off;
    uint32_t val;
} RegWrite;

typedef struct {
    const char *name;
    const char *arch;
    const char *args;           /* machine and options */
    uint64_t base;              /* register window, read as 32-bit words */
    uint32_t size;
    RegWrite periodic[MAX_WRITES];
    RegWrite oneshot[MAX_WRITES];
    uint32_t count_off;
    uint32_t status_off;
    uint32_t status_mask;
    uint32_t clear_off;         /* write clear_val there to clear it */
    uint32_t clear_val;
    int64_t period_ns;          /* of the periodic programming */
    bool stock;                 /* part of the cross-version set */
    bool stock_refuses;         /* a 10.0 destination cannot load it */
} MigDevice;

#define END { 0, 0 }
#define NO_CLEAR UINT32_MAX  /* read clears (or no status) */

static const MigDevice devices[] = {
    {
        /* SP804, 1 MHz: Load 1000; EN|PERIODIC|IE|32BIT, EN|ONESHOT|IE */
        "sp804", "arm", "-machine vexpress-a9", 0x10011000, 0x40,
        { { 0x00, 1000 }, { 0x08, 0xe2 }, END },
        { { 0x00, 1000 }, { 0x08, 0xa3 }, END },
        0x04, 0x10, 1, 0x0c, 1, 1001000, true,
    }, {
        /* Cortex-A9 private timer: Load, Control EN|AR|IT (EN|IT) */
        "arm-mptimer", "arm", "-machine vexpress-a9", 0x1e000600, 0x10,
        { { 0x00, 99999 }, { 0x08, 0x7 }, END },
        { { 0x00, 99999 }, { 0x08, 0x5 }, END },
        0x04, 0x0c, 1, 0x0c, 1, 1000000, true,
    }, {
        /*
         * LAN9118 GPT, 10 kHz: GPT_CFG TIMER_EN | load; INT_STS.GPT.
         * It counts down to 0 then on from 0xffff: load 0x8000 puts the
         * expiry (3.28 s) after the migration (about 1.8 s).
         */
        "lan9118-gpt", "arm", "-machine mps2-an385", 0x40200058, 0x3c,
        { { 0x34, (1u << 29) | 0x8000 }, END },
        { { 0x34, (1u << 29) | 0x8000 }, END },
        0x38, 0x00, 1u << 19, 0x00, 1u << 19, 800000000, false,
    }, {
        /* i.MX6 GPT, ipg clock, restart mode at OCR1, OF1 interrupt */
        "imx-gpt", "arm", "-machine sabrelite", 0x02098000, 0x28,
        { { 0x00, 0x41 }, { 0x10, 66000 }, { 0x0c, 1 }, END },
        { { 0x00, 0x241 }, { 0x10, 66000 }, { 0x0c, 1 }, END },
        0x24, 0x08, 1, 0x08, 1, 1000000, true, true,
    }, {
        /* i.MX6 EPIT1: LR, CR EN|ENMOD|OCIEN|RLD, ipg (free-running) */
        "imx-epit", "arm", "-machine sabrelite", 0x020d0000, 0x14,
        { { 0x08, 66000 }, { 0x00, 0x0100000f }, END },
        { { 0x08, 66000 }, { 0x00, 0x01000007 }, END },
        0x10, 0x04, 1, 0x04, 1, 1000000, true, true,
    }, {
        /* CMSDK APB timer 0, 25 MHz: RELOAD, CTRL EN|IRQEN */
        "cmsdk-apb-timer", "arm", "-machine mps2-an385", 0x40000000, 0x10,
        { { 0x08, 25000 }, { 0x04, 25000 }, { 0x00, 0x9 }, END },
        { { 0x08, 0 }, { 0x04, 25000 }, { 0x00, 0x9 }, END },
        0x04, 0x0c, 1, 0x0c, 1, 1000000, true,
    }, {
        /* CMSDK dual timer 1: Load, Control like the SP804 */
        "cmsdk-apb-dualtimer", "arm", "-machine mps2-an385", 0x40002000,
        0x20,
        { { 0x00, 25000 }, { 0x08, 0xe2 }, END },
        { { 0x00, 25000 }, { 0x08, 0xa3 }, END },
        0x04, 0x10, 1, 0x0c, 1, 1000000, true,
    }, {
        /* SysTick: RVR, CVR, CSR ENABLE|TICKINT|CLKSOURCE */
        "armv7m-systick", "arm", "-machine mps2-an385", 0xe000e010, 0x10,
        { { 0x04, 24999 }, { 0x08, 0 }, { 0x00, 0x7 }, END },
        { { 0x04, 24999 }, { 0x08, 0 }, { 0x00, 0x7 }, END },
        0x08, 0x00, 1u << 16, NO_CLEAR, 0, 1000000, true,
    }, {
        /* Allwinner A10 PIT timer 0, 24 MHz: INTV, CTRL EN|RELOAD|OSC24M */
        "allwinner-a10-pit", "arm", "-machine cubieboard", 0x01c20c00, 0x20,
        { { 0x00, 1 }, { 0x14, 24000 }, { 0x10, 0x7 }, END },
        { { 0x00, 1 }, { 0x14, 24000 }, { 0x10, 0x87 }, END },
        0x18, 0x04, 1, 0x04, 1, 1000000, true, true,
    },
};

typedef struct {
    const MigDevice *dev;
    bool oneshot;
    const char *src_env;        /* environment variable naming each QEMU */
    const char *dst_env;
    bool cross;
    bool refused;               /* the destination must refuse the stream */
} MigCase;

typedef struct {
    uint32_t w[64];
} Snapshot;

/*
 * The schedule: step sizes from a fixed hash, 1 ns .. period / 4 (a
 * periodic timer expires several times before and after the migration)
 * or period / 20 (a one-shot timer expires after it).
 */
static int64_t schedule_step(const MigDevice *d, bool oneshot, int i)
{
    uint64_t x = 0x9e3779b97f4a7c15ULL * (i + 1) + 0x632be59bd9b4e019ULL;
    int64_t span = d->period_ns / (oneshot ? 20 : 4);

    x ^= x >> 29;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 32;
    switch (i % 8) {
    case 3:
        return 1;
    case 6:
        return 7;
    default:
        return 1 + (int64_t)(x % span);
    }
}

static void snapshot(QTestState *qts, const MigDevice *d, Snapshot *s)
{
    uint32_t n = d->size / 4;

    g_assert_cmpuint(n, <=, G_N_ELEMENTS(s->w));
    for (uint32_t i = 0; i < n; i++) {
        s->w[i] = qtest_readl(qts, d->base + i * 4);
    }
}

static void program(QTestState *qts, const MigDevice *d, bool oneshot)
{
    const RegWrite *w = oneshot ? d->oneshot : d->periodic;

    for (int i = 0; i < MAX_WRITES && (w[i].off || w[i].val); i++) {
        qtest_writel(qts, d->base + w[i].off, w[i].val);
    }
}

static QTestState *start(const char *env, const MigDevice *d,
                         const char *extra)
{
    g_autofree char *args = g_strdup_printf("%s -action watchdog=none %s",
                                            d->args, extra);

    return qtest_init_with_env(env, args, true);
}

static const char *migration_status(QTestState *qts)
{
    static char status[32];
    QDict *rsp = qtest_qmp(qts, "{ 'execute': 'query-migrate' }");
    QDict *ret = qdict_get_qdict(rsp, "return");
    const char *st = ret ? qdict_get_try_str(ret, "status") : NULL;

    g_strlcpy(status, st ? st : "none", sizeof(status));
    qobject_unref(rsp);
    return status;
}

/* Migrate @src into a file, start the destination from it. */
static QTestState *migrate(QTestState *src, const MigCase *c,
                           const char *path, int64_t now)
{
    g_autofree char *uri = g_strdup_printf("file:%s", path);
    QTestState *dst;
    const char *st;

    qtest_qmp_assert_success(src, "{ 'execute': 'migrate',"
                             "  'arguments': { 'uri': %s } }", uri);
    for (int i = 0; ; i++) {
        st = migration_status(src);
        if (!strcmp(st, "completed")) {
            break;
        }
        g_assert_cmpstr(st, !=, "failed");
        g_assert_cmpint(i, <, 20000);
        g_usleep(1000);
    }
    dst = start(c->dst_env, c->dev, "-incoming defer");
    if (c->refused) {
        /*
         * The destination must fail the load and exit; the source, stopped
         * by the migration, goes on as if nothing happened.
         */
        qtest_set_expected_status(dst, 1);
        qtest_qmp_send(dst, "{ 'execute': 'migrate-incoming',"
                       "  'arguments': { 'uri': %s } }", uri);
        for (int i = 0; qtest_probe_child(dst); i++) {
            g_assert_cmpint(i, <, 20000);
            g_usleep(1000);
        }
        qtest_quit(dst);
        qtest_qmp_assert_success(src, "{ 'execute': 'cont' }");
        return src;
    }
    qtest_quit(src);
    qtest_qmp_assert_success(dst, "{ 'execute': 'migrate-incoming',"
                             "  'arguments': { 'uri': %s } }", uri);
    for (int i = 0; ; i++) {
        st = migration_status(dst);
        if (!strcmp(st, "completed")) {
            break;
        }
        g_assert_cmpstr(st, !=, "failed");
        g_assert_cmpint(i, <, 20000);
        g_usleep(1000);
    }
    /* Bring the destination's virtual clock to the source's instant. */
    g_assert_cmpint(qtest_clock_set(dst, now), ==, now);
    return dst;
}

/*
 * Run the schedule; migrate after step MIGRATE_AT when @path is set.
 * snaps[i] is read after step i; snaps[STEPS] is a second read at the
 * instant of the migration (on the destination when migrating).
 */
static void run_schedule(const MigCase *c, const char *path, bool on_src,
                         Snapshot *snaps)
{
    const MigDevice *d = c->dev;
    const char *env = on_src ? c->src_env : c->dst_env;
    QTestState *qts = start(path ? c->src_env : env, d, "");
    int64_t now = qtest_clock_step(qts, 1);

    program(qts, d, c->oneshot);
    for (int i = 0; i < STEPS; i++) {
        now = qtest_clock_step(qts, schedule_step(d, c->oneshot, i));
        snapshot(qts, d, &snaps[i]);
        if (i == MIGRATE_AT) {
            /* A pending interrupt must still be pending after it. */
            if (path) {
                qts = migrate(qts, c, path, now);
            }
            snapshot(qts, d, &snaps[STEPS]);
        }
        if (d->clear_off != NO_CLEAR &&
            (snaps[i].w[d->status_off / 4] & d->status_mask)) {
            qtest_writel(qts, d->base + d->clear_off, d->clear_val);
        }
    }
    qtest_quit(qts);
}

static int first_rise(const MigDevice *d, const Snapshot *snaps, int from)
{
    for (int i = from; i < STEPS; i++) {
        if (snaps[i].w[d->status_off / 4] & d->status_mask) {
            return i;
        }
    }
    return -1;
}

/* Steps after the migration at which the interrupt status was set. */
static int count_set(const MigDevice *d, const Snapshot *snaps)
{
    int n = 0;

    for (int i = MIGRATE_AT + 1; i < STEPS; i++) {
        n += !!(snaps[i].w[d->status_off / 4] & d->status_mask);
    }
    return n;
}

static void test_migration(const void *opaque)
{
    const MigCase *c = opaque;
    const MigDevice *d = c->dev;
    g_autofree char *dir = g_dir_make_tmp("ptimer-mig-XXXXXX", NULL);
    g_autofree char *path = g_strdup_printf("%s/stream", dir);
    g_autofree Snapshot *ref = g_new0(Snapshot, STEPS + 1);
    g_autofree Snapshot *mig = g_new0(Snapshot, STEPS + 1);
    uint32_t n = d->size / 4;

    g_assert(dir);
    /* The reference runs on the build that would have run it. */
    run_schedule(c, NULL, c->cross, ref);
    run_schedule(c, path, false, mig);
    unlink(path);
    rmdir(dir);

    /* The timer runs across the migration and its interrupt comes. */
    if (!c->oneshot) {
        int changes = 0;

        for (int i = MIGRATE_AT + 1; i < STEPS; i++) {
            changes += mig[i].w[d->count_off / 4] !=
                       mig[i - 1].w[d->count_off / 4];
        }
        g_assert_cmpint(changes, >, (STEPS - MIGRATE_AT) / 2);
        if (d->status_mask) {
            g_assert_cmpint(first_rise(d, mig, MIGRATE_AT + 1), >, 0);
        }
    }

    if (!c->cross || c->refused) {
        for (int i = 0; i <= STEPS; i++) {
            for (uint32_t w = 0; w < n; w++) {
                if (ref[i].w[w] != mig[i].w[w]) {
                    g_test_message("%s: step %d word +0x%x: %#x unmigrated,"
                                   " %#x migrated", d->name, i, w * 4,
                                   ref[i].w[w], mig[i].w[w]);
                }
                g_assert_cmphex(ref[i].w[w], ==, mig[i].w[w]);
            }
        }
        return;
    }

    /*
     * Cross-version.  Some device patches correct the model (an SP804
     * period is Load + 1 ticks, not Load), so after the migration the
     * destination runs its own model from the migrated state: neither
     * unmigrated run is a tick-exact reference.  Checked: the count read
     * after the migration is the one read before it within one tick, a
     * pending interrupt stays pending, the timer keeps counting and its
     * interrupts come as often (within one) as in an unmigrated run of
     * either build.
     */
    {
        g_autofree Snapshot *alt = g_new0(Snapshot, STEPS + 1);
        int64_t before = mig[MIGRATE_AT].w[d->count_off / 4];
        int64_t after = mig[STEPS].w[d->count_off / 4];

        run_schedule(c, NULL, false, alt);
        g_test_message("%s: count %" PRId64 " before the migration, %"
                       PRId64 " after", d->name, before, after);
        g_assert_cmpint(llabs(before - after), <=, 1);
        if (d->status_mask) {
            int n_mig = count_set(d, mig), n_ref = count_set(d, ref);
            int n_alt = count_set(d, alt);

            g_test_message("%s: interrupt status seen at %d steps after the "
                           "migration (unmigrated: source %d, destination "
                           "%d)", d->name, n_mig, n_ref, n_alt);
            g_assert_true(abs(n_mig - n_ref) <= 1 || abs(n_mig - n_alt) <= 1);
            if (d->clear_off != NO_CLEAR) {
                g_assert_cmphex(mig[STEPS].w[d->status_off / 4] &
                                d->status_mask, ==,
                                mig[MIGRATE_AT].w[d->status_off / 4] &
                                d->status_mask);
            }
        }
    }
    if (!c->oneshot) {
        /* Still counting on the destination. */
        g_assert_cmphex(mig[STEPS - 1].w[d->count_off / 4], !=,
                        mig[STEPS - 2].w[d->count_off / 4]);
    }
}

static void add_case(const MigDevice *d, bool oneshot, const char *kind,
                     const char *src_env, const char *dst_env, bool cross,
                     bool refused)
{
    MigCase *c = g_new0(MigCase, 1);
    g_autofree char *name = NULL;

    c->dev = d;
    c->oneshot = oneshot;
    c->src_env = src_env;
    c->dst_env = dst_env;
    c->cross = cross;
    c->refused = refused;
    name = g_strdup_printf("/ptimer-migration/%s/%s/%s", kind, d->name,
                           oneshot ? "oneshot" : "periodic");
    qtest_add_data_func(name, c, test_migration);
}

int main(int argc, char **argv)
{
    const char *arch = qtest_get_arch();
    const char *stock = getenv("PTIMER_STOCK_QEMU");

    g_test_init(&argc, &argv, NULL);
    if (stock && *stock) {
        g_setenv("PTIMER_MIG_STOCK", stock, true);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(devices); i++) {
        const MigDevice *d = &devices[i];

        if (strcmp(d->arch, arch)) {
            continue;
        }
        for (int os = 0; os < 2; os++) {
            add_case(d, os, "round-trip", "QTEST_QEMU_BINARY",
                     "QTEST_QEMU_BINARY", false, false);
            if (stock && *stock && d->stock) {
                add_case(d, os, "stock-to-ng", "PTIMER_MIG_STOCK",
                         "QTEST_QEMU_BINARY", true, false);
                add_case(d, os, d->stock_refuses ? "ng-to-stock-refused" :
                         "ng-to-stock", "QTEST_QEMU_BINARY",
                         "PTIMER_MIG_STOCK", true, d->stock_refuses);
            }
        }
    }
    return g_test_run();
}
