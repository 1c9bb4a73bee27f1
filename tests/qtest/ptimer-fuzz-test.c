/*
 * Seeded MMIO fuzzer for the device models that use ptimer
 *
 * One case per (target, device): the device's register window is hit
 * with random reads and writes of the sizes it accepts, interleaved with
 * steps of the virtual clock biased towards multiples of the device's
 * tick, so that the timers run, expire, reload and get reprogrammed
 * while they count.  The case passes when QEMU is still alive at the end
 * (no assertion, no abort, no hang).
 *
 * Environment:
 *   PTIMER_FUZZ_OPS       operations per device (default 2000)
 *   PTIMER_FUZZ_SEED      global seed (default 0x5eed0f7173e2); each
 *                         device runs with seed ^ hash(device name)
 *   PTIMER_FUZZ_DEVICE    only run devices whose name contains this
 *   PTIMER_FUZZ_VERBOSE   1: log every operation as a test message
 *   PTIMER_FUZZ_TIMEOUT   seconds one operation may take (default 120)
 *   PTIMER_FUZZ_NOSKIP    1: also write the registers a device entry
 *                         keeps out of reach (known non-ptimer bugs)
 *
 * A failure prints the device, the seed and the index of the operation
 * that was running, with the last operations before it; re-running with
 * PTIMER_FUZZ_DEVICE=<device> PTIMER_FUZZ_OPS=<index + 1> replays it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (c) 2026 The ptimer-ng authors
 */

#include "qemu/osdep.h"
#include "libqtest.h"
#include "ptimer-firmware.h"
#include "ptimer-mmio.h"

#define DEFAULT_SEED    0x5eed0f7173e2ULL
#define DEFAULT_OPS     2000
#define DEFAULT_TIMEOUT 120
#define LOG_RING        64

#define SZ1     (1u << 0)
#define SZ2     (1u << 1)
#define SZ4     (1u << 2)
#define SZ8     (1u << 3)
#define SZ124   (SZ1 | SZ2 | SZ4)

/* RAM that the DMA engines may be pointed at in their preambles */
#define ML605_DESC      0x50100000ULL
#define ML605_BUF       0x50200000ULL

/*
 * One write of a start sequence: @off is relative to the device's base,
 * or an absolute guest-physical address of RAM (stored little-endian)
 * when @ram is set.  A @size of 0 ends the sequence.
 */
typedef struct FuzzWrite {
    uint64_t off;
    uint8_t size;
    bool ram;
    uint64_t val;
} FuzzWrite;

typedef struct FuzzDevice {
    const char *name;
    const char *arch;
    const char *machine;
    const char *args;
    PTimerFirmware fw;
    uint64_t base;
    uint64_t size;          /* whole register window */
    uint64_t hot_off;       /* the timer registers, hit 3 times in 4 */
    uint64_t hot_size;
    unsigned sizes;         /* SZ* mask of the access sizes it accepts */
    int64_t tick_ns;        /* typical period of one timer tick */
    const FuzzWrite *start; /* writes that get a timer running */
    uint64_t skip_off;      /* writes never go to [skip_off, +skip_len) */
    uint64_t skip_len;
} FuzzDevice;

#define W(o, s, v)      { .off = (o), .size = (s), .val = (v) }
#define RAM(a, v)       { .off = (a), .size = 4, .ram = true, .val = (v) }
#define START(...)      ((const FuzzWrite[]) { __VA_ARGS__, { 0 } })

/* Machines whose watchdogs may fire: reset, never exit or stop */
#define WDT_ARGS        "-action shutdown=pause"

static const FuzzDevice devices[] = {
    /* arm */
    {
        .name = "musicpal-pit", .arch = "arm", .machine = "musicpal",
        .base = 0x90009000, .size = 0x1000, .hot_size = 0x28,
        .sizes = SZ4, .tick_ns = 1000,
        .start = START(W(0x00, 4, 1000), W(0x04, 4, 100), W(0x08, 4, 10),
                       W(0x0c, 4, 1), W(0x10, 4, 0xf)),
    }, {
        .name = "sp804-vexpress", .arch = "arm", .machine = "vexpress-a9",
        .base = 0x10011000, .size = 0x1000, .hot_size = 0x40,
        .sizes = SZ124, .tick_ns = 1000,
        .start = START(W(0x00, 4, 0x1000), W(0x08, 4, 0xe2),
                       W(0x20, 4, 0x10), W(0x28, 4, 0xe3)),
    }, {
        .name = "icp-pit", .arch = "arm", .machine = "integratorcp",
        .base = 0x13000000, .size = 0x1000, .hot_size = 0x300,
        .sizes = SZ124, .tick_ns = 1000,
        .start = START(W(0x000, 4, 0x1000), W(0x008, 4, 0xe2),
                       W(0x100, 4, 0x100), W(0x108, 4, 0xe2),
                       W(0x200, 4, 0x10), W(0x208, 4, 0xe3)),
    }, {
        .name = "arm-mptimer", .arch = "arm", .machine = "vexpress-a9",
        .args = WDT_ARGS,
        .base = 0x1e000600, .size = 0x40, .hot_size = 0x40,
        .sizes = SZ4, .tick_ns = 10,
        .start = START(W(0x00, 4, 0x10000), W(0x08, 4, 0x7),
                       W(0x20, 4, 0x10000), W(0x28, 4, 0x7)),
    }, {
        /* PERIPHCLK 396 MHz: periods that are not whole nanoseconds */
        .name = "arm-mptimer-imx6", .arch = "arm", .machine = "sabrelite",
        .args = WDT_ARGS,
        .base = 0x00a00600, .size = 0x40, .hot_size = 0x40,
        .sizes = SZ4, .tick_ns = 3,
        .start = START(W(0x00, 4, 0x10000), W(0x08, 4, 0x7),
                       W(0x20, 4, 0x10000), W(0x28, 4, 0x7)),
    }, {
        .name = "lan9118", .arch = "arm", .machine = "mps2-an385",
        .base = 0x40200000, .size = 0x100, .hot_off = 0x50, .hot_size = 0x48,
        .sizes = SZ2 | SZ4, .tick_ns = 100000,
        .start = START(W(0x5c, 4, 1u << 19), W(0x54, 4, 0x100),
                       W(0x8c, 4, (1u << 29) | 0x10)),
    }, {
        .name = "cmsdk-apb-timer0", .arch = "arm", .machine = "mps2-an385",
        .base = 0x40000000, .size = 0x1000, .hot_size = 0x10,
        .sizes = SZ124, .tick_ns = 40,
        .start = START(W(0x08, 4, 0x1000), W(0x04, 4, 0x1000),
                       W(0x00, 4, 0x9)),
    }, {
        .name = "cmsdk-apb-timer1", .arch = "arm", .machine = "mps2-an385",
        .base = 0x40001000, .size = 0x1000, .hot_size = 0x10,
        .sizes = SZ124, .tick_ns = 40,
        .start = START(W(0x08, 4, 0x40), W(0x04, 4, 0x40), W(0x00, 4, 0x9)),
    }, {
        .name = "cmsdk-apb-dualtimer", .arch = "arm",
        .machine = "mps2-an385",
        .base = 0x40002000, .size = 0x1000, .hot_size = 0x40,
        .sizes = SZ124, .tick_ns = 40,
        .start = START(W(0x00, 4, 0x1000), W(0x08, 4, 0xe2),
                       W(0x20, 4, 0x10), W(0x28, 4, 0xe7)),
    }, {
        .name = "cmsdk-apb-watchdog", .arch = "arm", .machine = "mps2-an385",
        .args = WDT_ARGS,
        .base = 0x40008000, .size = 0x1000, .hot_size = 0x20,
        .sizes = SZ124, .tick_ns = 40,
        .start = START(W(0xc00, 4, 0x1acce551), W(0x00, 4, 0x1000),
                       W(0x08, 4, 0x3)),
    }, {
        .name = "armv7m-systick", .arch = "arm", .machine = "mps2-an385",
        .base = 0xe000e010, .size = 0x10, .hot_size = 0x10,
        .sizes = SZ4, .tick_ns = 40,
        .start = START(W(0x04, 4, 0x1000), W(0x08, 4, 0), W(0x00, 4, 0x7)),
    }, {
        .name = "exynos4210-mct", .arch = "arm", .machine = "smdkc210",
        .base = 0x10050000, .size = 0x444, .hot_off = 0x200,
        .hot_size = 0x244,
        .sizes = SZ124, .tick_ns = 1000,
        .start = START(W(0x240, 4, 0x100), W(0x248, 4, 0xf),
                       W(0x300, 4, 0x100), W(0x308, 4, 0x80000010),
                       W(0x334, 4, 0x3), W(0x320, 4, 0xf),
                       W(0x400, 4, 0x40), W(0x408, 4, 0x80000004),
                       W(0x420, 4, 0xb)),
    }, {
        .name = "exynos4210-pwm", .arch = "arm", .machine = "smdkc210",
        .base = 0x139d0000, .size = 0x50, .hot_size = 0x50,
        .sizes = SZ124, .tick_ns = 1000,
        .start = START(W(0x00, 4, 0x17), W(0x0c, 4, 0x100),
                       W(0x18, 4, 0x40), W(0x3c, 4, 0x1000),
                       W(0x44, 4, 0x1f), W(0x08, 4, 0x00700a0a),
                       W(0x08, 4, 0x00500909)),
    }, {
        .name = "exynos4210-rtc", .arch = "arm", .machine = "smdkc210",
        .base = 0x10070000, .size = 0x100, .hot_off = 0x30, .hot_size = 0x70,
        .sizes = SZ124, .tick_ns = 30518,
        .start = START(W(0x44, 4, 0x10), W(0x40, 4, 0x101)),
    }, {
        .name = "allwinner-a10-pit", .arch = "arm", .machine = "cubieboard",
        .args = WDT_ARGS,
        .base = 0x01c20c00, .size = 0x400, .hot_size = 0xb0,
        .sizes = SZ124, .tick_ns = 42,
        .start = START(W(0x00, 4, 0x3f), W(0x14, 4, 0x1000),
                       W(0x10, 4, 0x7), W(0x24, 4, 0x100), W(0x20, 4, 0x87),
                       W(0x34, 4, 0x10), W(0x30, 4, 0x3)),
    }, {
        .name = "allwinner-wdt", .arch = "arm", .machine = "cubieboard",
        .args = WDT_ARGS,
        .base = 0x01c20c90, .size = 0x8, .hot_size = 0x8,
        .sizes = SZ4, .tick_ns = 500000000,
        .start = START(W(0x04, 4, 0x3), W(0x00, 4, 0x1)),
    }, {
        .name = "digic-timer", .arch = "arm", .machine = "canon-a1100",
        .base = 0xc0210000, .size = 0x300, .hot_size = 0x300,
        .sizes = SZ4, .tick_ns = 1000,
        .start = START(W(0x008, 4, 0x1000), W(0x000, 4, 0x1),
                       W(0x108, 4, 0x10), W(0x100, 4, 0x1),
                       W(0x208, 4, 0x1), W(0x200, 4, 0x1)),
    }, {
        .name = "imx-epit1", .arch = "arm", .machine = "sabrelite",
        .base = 0x020d0000, .size = 0x1000, .hot_size = 0x14,
        .sizes = SZ124, .tick_ns = 15,
        .start = START(W(0x08, 4, 0x1000), W(0x0c, 4, 0x800),
                       W(0x00, 4, 0x0100000f)),
    }, {
        .name = "imx-epit2", .arch = "arm", .machine = "sabrelite",
        .base = 0x020d4000, .size = 0x1000, .hot_size = 0x14,
        .sizes = SZ124, .tick_ns = 30518,
        .start = START(W(0x08, 4, 0x10), W(0x0c, 4, 0x8),
                       W(0x00, 4, 0x0300000f)),
    }, {
        .name = "imx-gpt", .arch = "arm", .machine = "sabrelite",
        .base = 0x02098000, .size = 0x1000, .hot_size = 0x28,
        .sizes = SZ124, .tick_ns = 15,
        .start = START(W(0x04, 4, 0), W(0x10, 4, 0x1000), W(0x14, 4, 0x10),
                       W(0x0c, 4, 0x3f), W(0x00, 4, 0x43)),
    }, {
        .name = "wdt-imx2-wdog1", .arch = "arm", .machine = "sabrelite",
        .args = WDT_ARGS,
        .base = 0x020bc000, .size = 0xa, .hot_size = 0xa,
        .sizes = SZ2, .tick_ns = 500000000,
        .start = START(W(0x06, 2, 0x8001), W(0x00, 2, 0x0134),
                       W(0x02, 2, 0x5555), W(0x02, 2, 0xaaaa)),
    }, {
        .name = "wdt-imx2-wdog2", .arch = "arm", .machine = "sabrelite",
        .args = WDT_ARGS,
        .base = 0x020c0000, .size = 0xa, .hot_size = 0xa,
        .sizes = SZ2, .tick_ns = 500000000,
        .start = START(W(0x06, 2, 0x8000), W(0x00, 2, 0x0014)),
    }, {
        .name = "mss-timer", .arch = "arm", .machine = "emcraft-sf2",
        .base = 0x40004000, .size = 0x30, .hot_size = 0x30,
        .sizes = SZ124, .tick_ns = 14,
        .start = START(W(0x04, 4, 0x1000), W(0x0c, 4, 0x5),
                       W(0x1c, 4, 0x10), W(0x24, 4, 0x7)),
    },
    /* aarch64 */
    {
        .name = "xlnx-zynqmp-can0", .arch = "aarch64",
        .machine = "xlnx-zcu102",
        .base = 0xff060000, .size = 0x84, .hot_size = 0x84,
        .sizes = SZ4, .tick_ns = 41,
        .start = START(W(0x00, 4, 0x2)),
    }, {
        .name = "xlnx-csu-dma-qspi", .arch = "aarch64",
        .machine = "xlnx-zcu102",
        .base = 0xff0f0800, .size = 0x2c, .hot_size = 0x2c,
        .sizes = SZ4, .tick_ns = 3,
        .start = START(W(0x0c, 4, (0x10 << 10) | 0x80),
                       W(0x24, 4, (1u << 22) | (1u << 4) | 0x8),
                       W(0x00, 4, 0x100000), W(0x04, 4, 0x100)),
    }, {
        .name = "xlnx-dp", .arch = "aarch64", .machine = "xlnx-zcu102",
        .base = 0xfd4a0000, .size = 0x3b0, .hot_off = 0x80, .hot_size = 0x8,
        .sizes = SZ4, .tick_ns = 33333333,
        .start = START(W(0x84, 4, 0x1), W(0x80, 4, 0x1)),
    }, {
        .name = "xlnx-versal-canfd0", .arch = "aarch64",
        .machine = "xlnx-versal-virt",
        .base = 0xff060000, .size = 0x5300, .hot_size = 0x100,
        .sizes = SZ4, .tick_ns = 41,
        .start = START(W(0x00, 4, 0x2)),
    }, {
        .name = "xlnx-csu-dma-pmc-src", .arch = "aarch64",
        .machine = "xlnx-versal-virt",
        .base = 0xf1011000, .size = 0x2c, .hot_size = 0x2c,
        .sizes = SZ4, .tick_ns = 3,
        .start = START(W(0x0c, 4, (0x10 << 10) | 0x80),
                       W(0x24, 4, (1u << 22) | (1u << 4) | 0x8),
                       W(0x00, 4, 0x100000), W(0x04, 4, 0x100)),
    },
    /* m68k */
    {
        .name = "mcf5206-timer", .arch = "m68k", .machine = "an5206",
        .base = 0x10000000, .size = 0x1000, .hot_off = 0x100,
        .hot_size = 0x40,
        .sizes = SZ124, .tick_ns = 15,
        .start = START(W(0x104, 2, 0x1000), W(0x100, 2, 0x1b),
                       W(0x124, 2, 0x10), W(0x120, 2, 0x013b)),
    }, {
        .name = "mcf5208-pit0", .arch = "m68k", .machine = "mcf5208evb",
        .base = 0xfc080000, .size = 0x4000, .hot_size = 0x8,
        .sizes = SZ124, .tick_ns = 12,
        .start = START(W(0x02, 2, 0x1000), W(0x00, 2, 0x001b)),
    }, {
        .name = "mcf5208-pit1", .arch = "m68k", .machine = "mcf5208evb",
        .base = 0xfc084000, .size = 0x4000, .hot_size = 0x8,
        .sizes = SZ124, .tick_ns = 12,
        .start = START(W(0x02, 2, 0x10), W(0x00, 2, 0x031b)),
    },
    /* sh4 */
    {
        .name = "sh-timer-tmu012", .arch = "sh4", .machine = "r2d",
        .args = "-nic none",
        .base = 0xffd80000, .size = 0x30, .hot_size = 0x30,
        .sizes = SZ124, .tick_ns = 60,
        .start = START(W(0x08, 4, 0x1000), W(0x0c, 4, 0x1000),
                       W(0x10, 2, 0x20), W(0x14, 4, 0x10), W(0x18, 4, 0x10),
                       W(0x1c, 2, 0x21), W(0x04, 1, 0x7)),
    },
    /* sparc */
    {
        .name = "slavio-timer-cpu0", .arch = "sparc", .machine = "SS-5",
        .fw = PTIMER_FW_SPARC_PROM,
        .base = 0x71d00000, .size = 0x10, .hot_size = 0x10,
        .sizes = SZ4 | SZ8, .tick_ns = 500,
        .start = START(W(0x00, 4, 0x00100000)),
    }, {
        .name = "slavio-timer-sys", .arch = "sparc", .machine = "SS-5",
        .fw = PTIMER_FW_SPARC_PROM,
        .base = 0x71d10000, .size = 0x14, .hot_size = 0x14,
        .sizes = SZ4 | SZ8, .tick_ns = 500,
        .start = START(W(0x00, 4, 0x00100000)),
    }, {
        .name = "grlib-gptimer", .arch = "sparc", .machine = "leon3_generic",
        .base = 0x80000300, .size = 0x30, .hot_size = 0x30,
        .sizes = SZ4, .tick_ns = 1000,
        .start = START(W(0x04, 4, 0), W(0x00, 4, 0), W(0x14, 4, 0x1000),
                       W(0x18, 4, 0xf), W(0x24, 4, 0x10), W(0x28, 4, 0xb)),
    },
    /* microblaze */
    {
        .name = "xilinx-timer", .arch = "microblaze",
        .machine = "petalogix-ml605",
        .base = 0x83c00000, .size = 0x20, .hot_size = 0x20,
        .sizes = SZ4, .tick_ns = 10,
        .start = START(W(0x04, 4, 0x1000), W(0x00, 4, 0x20),
                       W(0x00, 4, 0xd2), W(0x14, 4, 0x10),
                       W(0x10, 4, 0x20), W(0x10, 4, 0xd0)),
    }, {
        .name = "xilinx-axidma", .arch = "microblaze",
        .machine = "petalogix-ml605",
        .base = 0x84600000, .size = 0x60, .hot_size = 0x60,
        .sizes = SZ4, .tick_ns = 1250,
        .start = START(RAM(ML605_DESC + 0x00, ML605_DESC),
                       RAM(ML605_DESC + 0x08, ML605_BUF),
                       RAM(ML605_DESC + 0x18, (1u << 26) | 64),
                       RAM(ML605_DESC + 0x1c, 0),
                       W(0x08, 4, ML605_DESC),
                       W(0x00, 4, (0x10u << 24) | (4u << 16) | 0x7001),
                       W(0x10, 4, ML605_DESC)),
    },
    /* ppc */
    {
        .name = "fsl-etsec", .arch = "ppc", .machine = "ppce500",
        .args = "-nic none -device eTSEC", .fw = PTIMER_FW_E500,
        .base = 0xf00000000ULL, .size = 0x1000, .hot_off = 0x000,
        .hot_size = 0x600,
        .sizes = SZ4, .tick_ns = 10000000,
        .start = START(W(0x204, 4, 0x00100000), W(0x184, 4, 0x00100000),
                       W(0x500, 4, 0x1), W(0x02c, 4, 0x1)),
    },
};

/* xorshift64* */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545f4914f6cdd1dULL;
}

static uint64_t rng_below(uint64_t *s, uint64_t n)
{
    return n ? rng_next(s) % n : 0;
}

/* FNV-1a */
static uint64_t name_hash(const char *name)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    while (*name) {
        h ^= (uint8_t)*name++;
        h *= 0x100000001b3ULL;
    }
    return h;
}

typedef enum {
    OP_WRITE,
    OP_READ,
    OP_STEP,
    OP_START,
    OP_RESET,
} FuzzOpKind;

typedef struct FuzzOp {
    FuzzOpKind kind;
    uint8_t size;
    uint64_t addr;
    uint64_t val;           /* value written or read, or ns stepped */
} FuzzOp;

/* What the abort hook prints when QEMU or an operation dies */
static struct {
    const FuzzDevice *dev;
    uint64_t seed;
    uint64_t global_seed;
    uint64_t index;
    int64_t clock;
    FuzzOp ring[LOG_RING];
} cur;

static bool verbose;
static bool noskip;

static const char *op_name(FuzzOpKind kind)
{
    static const char *const names[] = {
        [OP_WRITE] = "write", [OP_READ] = "read", [OP_STEP] = "clock_step",
        [OP_START] = "start", [OP_RESET] = "system_reset",
    };

    return names[kind];
}

static void format_op(char *buf, size_t len, uint64_t index, const FuzzOp *op)
{
    switch (op->kind) {
    case OP_WRITE:
    case OP_READ:
        snprintf(buf, len, "op %" PRIu64 ": %s%u 0x%" PRIx64 " %s 0x%"
                 PRIx64, index, op_name(op->kind), op->size * 8, op->addr,
                 op->kind == OP_WRITE ? "<-" : "->", op->val);
        break;
    case OP_STEP:
        snprintf(buf, len, "op %" PRIu64 ": clock_step %" PRIu64, index,
                 op->val);
        break;
    default:
        snprintf(buf, len, "op %" PRIu64 ": %s", index, op_name(op->kind));
        break;
    }
}

static void fuzz_abort_hook(void *opaque)
{
    uint64_t first, i;
    char line[128];

    if (!cur.dev) {
        return;
    }
    fprintf(stderr, "# fuzz FAILED device=%s machine=%s seed=0x%" PRIx64
            " op=%" PRIu64 " vclock=%" PRId64 "\n", cur.dev->name,
            cur.dev->machine, cur.seed, cur.index, cur.clock);
    fprintf(stderr, "# reproduce: QTEST_QEMU_BINARY=<qemu-system-%s> "
            "PTIMER_FUZZ_SEED=0x%" PRIx64 " PTIMER_FUZZ_DEVICE=%s "
            "PTIMER_FUZZ_OPS=%" PRIu64 " PTIMER_FUZZ_VERBOSE=1 <this test>\n",
            cur.dev->arch, cur.global_seed, cur.dev->name, cur.index + 1);
    first = cur.index >= LOG_RING ? cur.index - LOG_RING + 1 : 0;
    for (i = first; i <= cur.index; i++) {
        format_op(line, sizeof(line), i, &cur.ring[i % LOG_RING]);
        fprintf(stderr, "#   %s\n", line);
    }
}

#ifndef _WIN32
static void fuzz_alarm(int sig)
{
    static const char msg[] = "# fuzz: operation timed out (hang?)\n";

    if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
        /* nothing more we can do */
    }
    abort();
}

static void fuzz_set_timeout(unsigned seconds)
{
    alarm(seconds);
}

static void fuzz_install_timeout(void)
{
    struct sigaction sa = { .sa_handler = fuzz_alarm };

    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
}
#else
static void fuzz_set_timeout(unsigned seconds)
{
}

static void fuzz_install_timeout(void)
{
}
#endif

static uint64_t env_u64(const char *name, uint64_t dflt)
{
    const char *s = getenv(name);

    return s && *s ? g_ascii_strtoull(s, NULL, 0) : dflt;
}

static QTestState *fuzz_start_qemu(const FuzzDevice *d)
{
    g_autofree char *fw = ptimer_firmware_args(d->fw);

    return qtest_initf("-machine %s %s %s", d->machine, fw,
                       d->args ? d->args : "");
}

static uint64_t size_mask(unsigned size)
{
    return size == 8 ? UINT64_MAX : (1ULL << (size * 8)) - 1;
}

static void do_start(QTestState *qts, const FuzzDevice *d)
{
    const FuzzWrite *w;
    uint8_t bytes[8];
    int i;

    for (w = d->start; w && w->size; w++) {
        if (w->ram) {
            for (i = 0; i < w->size; i++) {
                bytes[i] = w->val >> (8 * i);
            }
            qtest_memwrite(qts, w->off, bytes, w->size);
        } else {
            ptimer_mmio_write(qts, d->base + w->off, w->size, w->val);
        }
    }
}

/* An access size the device accepts, 4 bytes more often than not */
static unsigned pick_size(uint64_t *rng, unsigned mask)
{
    unsigned n = 0, sizes[4], bit;

    if ((mask & SZ4) && rng_below(rng, 10) < 6) {
        return 4;
    }
    for (bit = 0; bit < 4; bit++) {
        if (mask & (1u << bit)) {
            sizes[n++] = 1u << bit;
        }
    }
    return sizes[rng_below(rng, n)];
}

static uint64_t pick_addr(uint64_t *rng, const FuzzDevice *d, unsigned size)
{
    uint64_t off, len;

    if (d->hot_size && rng_below(rng, 4) != 0) {
        off = d->hot_off;
        len = d->hot_size;
    } else {
        off = 0;
        len = d->size;
    }
    if (len < size) {
        len = size;
    }
    off += rng_below(rng, len - size + 1);
    off &= ~(uint64_t)(size - 1);
    return d->base + off;
}

static uint64_t pick_value(uint64_t *rng, const FuzzDevice *d,
                           unsigned size, uint64_t last_read)
{
    uint64_t v;
    unsigned n;

    switch (rng_below(rng, 11)) {
    case 0:
        v = 0;
        break;
    case 1:
        v = 1;
        break;
    case 2:
        v = UINT64_MAX;
        break;
    case 3:
        v = rng_below(rng, 256);
        break;
    case 4:
        v = 1ULL << rng_below(rng, size * 8);
        break;
    case 5:
    case 6:
        v = last_read;
        for (n = 1 + rng_below(rng, 3); n; n--) {
            v ^= 1ULL << rng_below(rng, size * 8);
        }
        break;
    case 7:
        /* a value of the start sequence: enable bits, sane reloads */
        for (n = 0; d->start && d->start[n].size; n++) {
            /* count */
        }
        v = n ? d->start[rng_below(rng, n)].val : rng_next(rng);
        break;
    case 8:
        v = rng_below(rng, 0x10000);
        break;
    default:
        v = rng_next(rng);
        break;
    }
    return v & size_mask(size);
}

/*
 * Clock steps: mostly whole numbers of ticks, one nanosecond either side
 * of them, a fraction of a tick, and now and then milliseconds or a
 * second or two.  qtest refuses a step that does not advance the clock,
 * so the shortest one is 1 ns.
 */
static int64_t pick_step(uint64_t *rng, const FuzzDevice *d)
{
    int64_t tick = d->tick_ns;
    uint64_t r = rng_below(rng, 1000);

    if (r < 50) {
        return 1;
    } else if (r < 350) {
        return tick * (1 + rng_below(rng, 10));
    } else if (r < 550) {
        return MAX(tick * (int64_t)rng_below(rng, 11) +
                   (rng_below(rng, 2) ? 1 : -1), 1);
    } else if (r < 750) {
        return 1 + rng_below(rng, 10 * tick);
    } else if (r < 900) {
        return 1 + rng_below(rng, tick);
    } else if (r < 995) {
        return 1 + rng_below(rng, 1000000);
    }
    return 1 + rng_below(rng, 2000000000);
}

static void fuzz_one(const void *opaque)
{
    const FuzzDevice *d = opaque;
    uint64_t global_seed = env_u64("PTIMER_FUZZ_SEED", DEFAULT_SEED);
    uint64_t ops = env_u64("PTIMER_FUZZ_OPS", DEFAULT_OPS);
    unsigned timeout = env_u64("PTIMER_FUZZ_TIMEOUT", DEFAULT_TIMEOUT);
    uint64_t seed = global_seed ^ name_hash(d->name);
    uint64_t rng = seed ? seed : 1;
    uint64_t writes = 0, reads = 0, steps = 0, ns = 0, last_read = 0;
    uint64_t i, r;
    int64_t clock = 0;
    gint64 t0;
    QTestState *qts;
    FuzzOp *op;
    char line[128];

    memset(&cur, 0, sizeof(cur));
    cur.dev = d;
    cur.seed = seed;
    cur.global_seed = global_seed;

    t0 = g_get_monotonic_time();
    fuzz_set_timeout(timeout);
    qts = fuzz_start_qemu(d);
    do_start(qts, d);

    for (i = 0; i < ops; i++) {
        fuzz_set_timeout(timeout);
        op = &cur.ring[i % LOG_RING];
        cur.index = i;
        memset(op, 0, sizeof(*op));

        r = rng_below(&rng, 10000);
        if (r < 2) {
            op->kind = OP_RESET;
        } else if (r < 7) {
            op->kind = OP_START;
        } else if (r < 4500) {
            op->kind = OP_WRITE;
            op->size = pick_size(&rng, d->sizes);
            op->addr = pick_addr(&rng, d, op->size);
            op->val = pick_value(&rng, d, op->size, last_read);
            if (!noskip && op->addr + op->size > d->base + d->skip_off &&
                op->addr < d->base + d->skip_off + d->skip_len) {
                op->kind = OP_READ;
            }
        } else if (r < 7500) {
            op->kind = OP_READ;
            op->size = pick_size(&rng, d->sizes);
            op->addr = pick_addr(&rng, d, op->size);
        } else {
            op->kind = OP_STEP;
            op->val = pick_step(&rng, d);
        }

        switch (op->kind) {
        case OP_RESET:
            qtest_system_reset(qts);
            break;
        case OP_START:
            do_start(qts, d);
            break;
        case OP_WRITE:
            ptimer_mmio_write(qts, op->addr, op->size, op->val);
            writes++;
            break;
        case OP_READ:
            op->val = ptimer_mmio_read(qts, op->addr, op->size);
            last_read = op->val;
            reads++;
            break;
        case OP_STEP:
            clock = qtest_clock_step(qts, op->val);
            cur.clock = clock;
            ns += op->val;
            steps++;
            break;
        }

        if (verbose) {
            format_op(line, sizeof(line), i, op);
            g_test_message("%s", line);
        }
    }

    /* Still alive: one more access must be answered, and QEMU must quit */
    cur.index = ops;
    op = &cur.ring[ops % LOG_RING];
    op->kind = OP_READ;
    op->size = pick_size(&rng, d->sizes);
    op->addr = d->base + d->hot_off;
    ptimer_mmio_read(qts, op->addr, op->size);
    qtest_quit(qts);
    fuzz_set_timeout(0);
    cur.dev = NULL;

    g_test_message("fuzz %s machine=%s seed=0x%" PRIx64 " ops=%" PRIu64
                   " writes=%" PRIu64 " reads=%" PRIu64 " steps=%" PRIu64
                   " ns=%" PRIu64 " ops/s=%.0f", d->name, d->machine, seed,
                   ops, writes, reads, steps, ns,
                   ops * 1e6 / MAX(g_get_monotonic_time() - t0, 1));
}

int main(int argc, char **argv)
{
    const char *arch = qtest_get_arch();
    const char *filter = getenv("PTIMER_FUZZ_DEVICE");
    size_t i;
    int ret;

    g_test_init(&argc, &argv, NULL);
    verbose = env_u64("PTIMER_FUZZ_VERBOSE", 0) != 0;
    noskip = env_u64("PTIMER_FUZZ_NOSKIP", 0) != 0;
    qtest_add_abrt_handler(fuzz_abort_hook, NULL);
    fuzz_install_timeout();

    for (i = 0; i < ARRAY_SIZE(devices); i++) {
        const FuzzDevice *d = &devices[i];
        g_autofree char *path = NULL;

        if (strcmp(d->arch, arch) != 0) {
            continue;
        }
        if (filter && *filter && !strstr(d->name, filter)) {
            continue;
        }
        if (!qtest_has_machine(d->machine)) {
            continue;
        }
        path = g_strdup_printf("/ptimer-fuzz/%s/%s", arch, d->name);
        g_test_add_data_func(path, d, fuzz_one);
    }

    ret = g_test_run();
    ptimer_firmware_cleanup();
    return ret;
}
