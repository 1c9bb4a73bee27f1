/*
 * Sized MMIO accesses for the ptimer qtests
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (c) 2026 The ptimer-ng authors
 */

#ifndef PTIMER_MMIO_H
#define PTIMER_MMIO_H

#include "libqtest.h"

/* Read @size bytes (1, 2, 4 or 8) at @addr */
static inline uint64_t ptimer_mmio_read(QTestState *qts, uint64_t addr,
                                        unsigned size)
{
    switch (size) {
    case 1:
        return qtest_readb(qts, addr);
    case 2:
        return qtest_readw(qts, addr);
    case 4:
        return qtest_readl(qts, addr);
    default:
        return qtest_readq(qts, addr);
    }
}

/* Write the low @size bytes (1, 2, 4 or 8) of @val at @addr */
static inline void ptimer_mmio_write(QTestState *qts, uint64_t addr,
                                     unsigned size, uint64_t val)
{
    switch (size) {
    case 1:
        qtest_writeb(qts, addr, val);
        break;
    case 2:
        qtest_writew(qts, addr, val);
        break;
    case 4:
        qtest_writel(qts, addr, val);
        break;
    default:
        qtest_writeq(qts, addr, val);
        break;
    }
}

#endif /* PTIMER_MMIO_H */
