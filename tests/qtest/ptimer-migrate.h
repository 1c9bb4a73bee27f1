/*
 * Migrating a qtest machine through a file, for the ptimer qtests
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (c) 2026 The ptimer-ng authors
 *
 * The source saves itself with QMP "migrate" to a file and stops; the
 * destination, started with "-incoming defer", loads that file.  qtest's
 * virtual clock is not part of the stream (with a real accelerator the
 * "timer" section comes first), so the destination's clock is brought to
 * the source's instant before it loads: a post_load may read it.
 */

#ifndef PTIMER_MIGRATE_H
#define PTIMER_MIGRATE_H

#include "libqtest.h"
#include "qobject/qdict.h"

/* Wait until @qts says its migration (out or in) has completed. */
static inline void ptimer_migrate_wait(QTestState *qts)
{
    for (int i = 0; ; i++) {
        QDict *rsp = qtest_qmp(qts, "{ 'execute': 'query-migrate' }");
        QDict *ret = qdict_get_qdict(rsp, "return");
        const char *st = ret ? qdict_get_try_str(ret, "status") : NULL;
        bool done = st && !strcmp(st, "completed");

        g_assert_cmpstr(st ? st : "none", !=, "failed");
        qobject_unref(rsp);
        if (done) {
            return;
        }
        g_assert_cmpint(i, <, 20000);
        g_usleep(1000);
    }
}

/* Save @src into the file @path; @src is left stopped. */
static inline void ptimer_migrate_save(QTestState *src, const char *path)
{
    g_autofree char *uri = g_strdup_printf("file:%s", path);

    qtest_qmp_assert_success(src, "{ 'execute': 'migrate',"
                             "  'arguments': { 'uri': %s } }", uri);
    ptimer_migrate_wait(src);
}

/*
 * Load @dst, started with "-incoming defer", from the file @path, with
 * its virtual clock at @now, the source's instant.
 */
static inline void ptimer_migrate_load(QTestState *dst, const char *path,
                                       int64_t now)
{
    g_autofree char *uri = g_strdup_printf("file:%s", path);

    g_assert_cmpint(qtest_clock_set(dst, now), ==, now);
    qtest_qmp_assert_success(dst, "{ 'execute': 'migrate-incoming',"
                             "  'arguments': { 'uri': %s } }", uri);
    ptimer_migrate_wait(dst);
    g_assert_cmpint(qtest_clock_set(dst, now), ==, now);
}

/*
 * Migrate @src, whose virtual clock reads @now, to a new QEMU started
 * with @args and quit @src.  Returns the destination, running.
 */
static inline QTestState *ptimer_migrate(QTestState *src, const char *args,
                                         int64_t now)
{
    g_autofree char *dir = g_dir_make_tmp("ptimer-mig-XXXXXX", NULL);
    g_autofree char *path = NULL;
    g_autofree char *dst_args = NULL;
    QTestState *dst;

    g_assert(dir);
    path = g_strdup_printf("%s/stream", dir);
    ptimer_migrate_save(src, path);
    qtest_quit(src);
    dst_args = g_strdup_printf("%s -incoming defer", args);
    dst = qtest_init(dst_args);
    ptimer_migrate_load(dst, path, now);
    unlink(path);
    rmdir(dir);
    return dst;
}

#endif /* PTIMER_MIGRATE_H */
