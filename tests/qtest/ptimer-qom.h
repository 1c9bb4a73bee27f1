/*
 * Finding a board's devices by type, for the ptimer qtests that observe
 * an interrupt line of a device the board creates without a name
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (c) 2026 The ptimer-ng authors
 */

#ifndef PTIMER_QOM_H
#define PTIMER_QOM_H

#include "libqtest.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"

/*
 * The QOM path of the first child of @parent whose type is @type (as
 * "qom-list" shows it, e.g. "xlnx.xps-timer"); the test fails if there
 * is none.  Free it with g_free().
 */
static inline char *ptimer_qom_find(QTestState *qts, const char *parent,
                                    const char *type)
{
    g_autofree char *want = g_strdup_printf("child<%s>", type);
    QDict *resp;
    QListEntry *e;
    char *path = NULL;

    resp = qtest_qmp(qts, "{ 'execute': 'qom-list', 'arguments': "
                     "{ 'path': %s } }", parent);
    g_assert(qdict_haskey(resp, "return"));
    QLIST_FOREACH_ENTRY(qdict_get_qlist(resp, "return"), e) {
        QDict *prop = qobject_to(QDict, qlist_entry_obj(e));

        if (!strcmp(qdict_get_str(prop, "type"), want)) {
            path = g_strdup_printf("%s/%s", parent,
                                   qdict_get_str(prop, "name"));
            break;
        }
    }
    qobject_unref(resp);
    g_assert(path);
    return path;
}

/*
 * Observe the "sysbus-irq" outputs of the first child of @parent whose
 * type is @type (see ptimer_qom_find()): qtest_get_irq(qts, n) then reads
 * output n.  A QTestState can intercept one device only.
 */
static inline void ptimer_qom_intercept(QTestState *qts, const char *parent,
                                        const char *type)
{
    g_autofree char *path = ptimer_qom_find(qts, parent, type);

    qtest_irq_intercept_out_named(qts, path, "sysbus-irq");
}

#endif /* PTIMER_QOM_H */
