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
 * The window is read in the device's access width (16-bit registers for
 * some); a status or count register outside it (an interrupt controller,
 * a counter past registers that show host time) is read as an extra
 * word, and a watchdog without a status register counts its WATCHDOG
 * events instead.  A device without a counter register skips the check
 * that the count runs on after the migration.
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
#include "ptimer-firmware.h"
#include "ptimer-mmio.h"
#include "ptimer-migrate.h"

#define MAX_WRITES  8
#define STEPS       64
#define MIGRATE_AT  24

typedef enum {
    WR_REG,                     /* a register of the window: base + off */
    WR_ABS,                     /* another register: absolute address */
    WR_RAM,                     /* guest RAM, stored little-endian */
} WriteKind;

typedef struct {
    uint64_t off;
    uint32_t val;
    uint8_t size;               /* bytes; 0: the device's access width */
    WriteKind kind;
} RegWrite;

typedef struct {
    const char *name;
    const char *arch;
    const char *args;           /* machine and options */
    uint64_t base;              /* register window, read word by word */
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
    uint8_t width;              /* access width in bytes; 0: 4 */
    PTimerFirmware fw;
    uint64_t status_addr;       /* status outside the window: absolute */
    uint64_t count_addr;        /* count outside the window: absolute */
    bool wdt_event;             /* status: WATCHDOG events in the step */
    const char *skip;           /* why the device cannot be checked */
    uint64_t clear_read_addr;   /* read there to clear the status */
} MigDevice;

/* A device whose model has no VMStateDescription in QEMU 10.0 */
#define NO_VMSTATE "no migration state (no VMStateDescription in QEMU " \
                   "10.0): it comes back at reset after a migration"

#define END { 0, 0 }
#define AW(a, v) { (a), (v), 4, WR_ABS }
#define AW16(a, v) { (a), (v), 2, WR_ABS }
#define RAM(a, v) { (a), (v), 4, WR_RAM }
#define B(o, v) { (o), (v), 1, WR_REG }
#define NO_CLEAR UINT32_MAX  /* read clears (or no status) */
#define NO_COUNT UINT32_MAX  /* no counter register */
/* Words read after the window, from status_addr and count_addr */
#define STATUS_EXTRA (UINT32_MAX - 1)
#define COUNT_EXTRA (UINT32_MAX - 2)

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
        /*
         * i.MX6 GPT, ipg clock, restart mode at OCR1, OF1 interrupt.  A
         * running GPT sends its input clock's phase in a subsection that
         * 10.0 refuses; test_stopped_to_stock() migrates a stopped one.
         */
        "imx-gpt", "arm", "-machine sabrelite", 0x02098000, 0x28,
        { { 0x00, 0x41 }, { 0x10, 66000 }, { 0x0c, 1 }, END },
        { { 0x00, 0x241 }, { 0x10, 66000 }, { 0x0c, 1 }, END },
        0x24, 0x08, 1, 0x08, 1, 1000000, true, true,
    }, {
        /*
         * i.MX6 EPIT1: LR, CR EN|ENMOD|OCIEN|RLD, ipg (free-running).
         * Running, it is refused by 10.0 as the GPT is.
         */
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
        0x18, 0x04, 1, 0x04, 1, 1000000, true,
    }, {
        /*
         * Marvell 88W8618 (musicpal) PIT timer 0, 1 MHz, LENGTH 1000 and
         * CONTROL enable; the interrupt shows (sticky) in the PIC status.
         * No one-shot mode: both cases run the same programming.
         */
        .name = "musicpal-timer", .arch = "arm",
        .args = "-machine musicpal", .base = 0x90009000, .size = 0x24,
        .periodic = { AW(0x90008008, 0xf0), { 0x00, 1000 }, { 0x10, 1 },
                      END },
        .oneshot = { AW(0x90008008, 0xf0), { 0x00, 1000 }, { 0x10, 1 },
                     END },
        .count_off = 0x14, .status_off = STATUS_EXTRA, .status_mask = 1u << 4,
        .clear_off = NO_CLEAR, .period_ns = 1000000,
        .status_addr = 0x90008000,
    }, {
        /* Integrator/CP PIT timer 1 (an SP804 at 1 MHz) */
        .name = "icp-pit", .arch = "arm", .args = "-machine integratorcp",
        .base = 0x13000100, .size = 0x20,
        .periodic = { { 0x00, 1000 }, { 0x08, 0xe2 }, END },
        .oneshot = { { 0x00, 1000 }, { 0x08, 0xa3 }, END },
        .count_off = 0x04, .status_off = 0x10, .status_mask = 1,
        .clear_off = 0x0c, .clear_val = 1, .period_ns = 1001000,
    }, {
        /* CMSDK APB watchdog, 25 MHz: unlock, LOAD, CONTROL INTEN only */
        .name = "cmsdk-apb-watchdog", .arch = "arm",
        .args = "-machine mps2-an385", .base = 0x40008000, .size = 0x18,
        .periodic = { { 0xc00, 0x1acce551 }, { 0x00, 25000 }, { 0x08, 1 },
                      END },
        .oneshot = { { 0xc00, 0x1acce551 }, { 0x00, 25000 }, { 0x08, 1 },
                     END },
        .count_off = 0x04, .status_off = 0x10, .status_mask = 1,
        .clear_off = 0x0c, .clear_val = 1, .period_ns = 1000000,
    }, {
        /*
         * Exynos4210 MCT local timer 0, 1 us ticks (MCT_CFG prescaler 23):
         * TCNTB 100, ICNTB 10, INT_ENB, TCON tick + interrupt (+ interval)
         */
        .name = "exynos4210-mct", .arch = "arm", .args = "-machine smdkc210",
        .base = 0x10050300, .size = 0x40,
        .periodic = { AW(0x10050000, 23), { 0x00, 100 },
                      { 0x08, 0x80000000u | 10 }, { 0x34, 1 }, { 0x20, 7 },
                      END },
        .oneshot = { AW(0x10050000, 23), { 0x00, 100 },
                     { 0x08, 0x80000000u | 10 }, { 0x34, 1 }, { 0x20, 3 },
                     END },
        .count_off = 0x04, .status_off = 0x30, .status_mask = 1,
        .clear_off = 0x30, .clear_val = 1, .period_ns = 1000000,
    }, {
        /*
         * Exynos4210 PWM timer 0, 1 us ticks (prescaler 23): TCNTB 1000,
         * TCON manual update, then start (+ auto-reload); TINT_CSTAT
         */
        .name = "exynos4210-pwm", .arch = "arm", .args = "-machine smdkc210",
        .base = 0x139d0000, .size = 0x48,
        .periodic = { { 0x00, 23 }, { 0x0c, 1000 }, { 0x44, 1 },
                      { 0x08, 0xa }, { 0x08, 0x9 }, END },
        .oneshot = { { 0x00, 23 }, { 0x0c, 1000 }, { 0x44, 1 },
                     { 0x08, 0x2 }, { 0x08, 0x1 }, END },
        .count_off = 0x14, .status_off = 0x44, .status_mask = 1u << 5,
        .clear_off = 0x44, .clear_val = (1u << 5) | 1, .period_ns = 1001000,
    }, {
        /*
         * Exynos4210 RTC tick timer, 32768 Hz: TICCNT 100, RTCCON
         * RTCEN | TICEN; INTP.TIC.  The window stops short of the BCD
         * time registers (host time): the count is CURTICNT, read apart.
         */
        .name = "exynos4210-rtc", .arch = "arm", .args = "-machine smdkc210",
        .base = 0x10070030, .size = 0x18,
        .periodic = { { 0x14, 100 }, { 0x10, 0x101 }, END },
        .oneshot = { { 0x14, 100 }, { 0x10, 0x101 }, END },
        .count_off = COUNT_EXTRA, .status_off = 0x00, .status_mask = 1,
        .clear_off = 0x00, .clear_val = 1, .period_ns = 3051758,
        .count_addr = 0x10070090,
    }, {
        /*
         * Allwinner A10 watchdog: MODE EN | RST_EN, interval 0.5 s,
         * restart.  One-shot; no counter, the expiry is a WATCHDOG event.
         */
        .name = "allwinner-wdt", .arch = "arm", .args = "-machine cubieboard",
        .base = 0x01c20c90, .size = 0x8,
        .periodic = { { 0x04, 0x3 }, { 0x00, 0x1 }, END },
        .oneshot = { { 0x04, 0x3 }, { 0x00, 0x1 }, END },
        .count_off = NO_COUNT, .status_off = STATUS_EXTRA, .status_mask = ~0u,
        .clear_off = NO_CLEAR, .period_ns = 125000000, .wdt_event = true,
    }, {
        /* DIGIC timer 0, 1 MHz: RELVALUE 1000, CONTROL EN; no interrupt */
        .name = "digic-timer", .arch = "arm", .args = "-machine canon-a1100",
        .base = 0xc0210000, .size = 0x10,
        .periodic = { { 0x08, 1000 }, { 0x00, 1 }, END },
        .oneshot = { { 0x08, 1000 }, { 0x00, 1 }, END },
        .count_off = 0x0c, .clear_off = NO_CLEAR, .period_ns = 1001000,
    }, {
        /*
         * i.MX2 watchdog 1 (16-bit registers), 2 Hz: WICR WIE with a
         * 0.5 s pre-timeout, WCR WT 1 (1 s) WDA|SRS|WDE, service.  One
         * shot, no counter: WICR.WTIS rises at 0.5 s.
         */
        .name = "wdt-imx2", .arch = "arm", .args = "-machine sabrelite",
        .base = 0x020bc000, .size = 0xa, .width = 2,
        .periodic = { { 0x06, 0x8002 }, { 0x00, 0x0534 }, END },
        .oneshot = { { 0x06, 0x8002 }, { 0x00, 0x0534 }, END },
        .count_off = NO_COUNT, .status_off = 0x06, .status_mask = 1u << 14,
        .clear_off = NO_CLEAR, .period_ns = 500000000,
    }, {
        /* SmartFusion2 MSS timer 1: LOADVAL, CTRL EN|INTEN (+ ONESHOT) */
        .name = "mss-timer", .arch = "arm", .args = "-machine emcraft-sf2",
        .base = 0x40004000, .size = 0x18,
        .periodic = { { 0x04, 71000 }, { 0x0c, 0x5 }, END },
        .oneshot = { { 0x04, 71000 }, { 0x0c, 0x7 }, END },
        .count_off = 0x00, .status_off = 0x10, .status_mask = 1,
        .clear_off = 0x10, .clear_val = 1, .period_ns = 1000000,
    }, {
        /*
         * Versal CSU DMA (PMC source channel) stream timeout: CTRL2
         * TIMEOUT_EN, prescaler 99, CTRL timeout 999 (250 us), a transfer
         * that stalls.  One shot, no counter: INT_STATUS.TIMEOUT_STRM.
         */
        .name = "xlnx-csu-dma", .arch = "aarch64",
        .args = "-machine xlnx-versal-virt", .base = 0xf1011000,
        .size = 0x2c,
        .periodic = { { 0x24, (1u << 22) | (99u << 4) | 0x8 },
                      { 0x0c, 999u << 10 }, AW(0xf1011000, 0), { 0x04, 16 },
                      END },
        .oneshot = { { 0x24, (1u << 22) | (99u << 4) | 0x8 },
                     { 0x0c, 999u << 10 }, AW(0xf1011000, 0), { 0x04, 16 },
                     END },
        .count_off = NO_COUNT, .status_off = 0x14, .status_mask = 1u << 3,
        .clear_off = NO_CLEAR, .period_ns = 62500,
    }, {
        /*
         * ZynqMP DisplayPort vblank, 30 Hz: TRANSMITTER_ENABLE; the
         * window holds INT_STATUS (VBLNK_START, write 1 to clear).
         */
        .name = "xlnx-dp", .arch = "aarch64", .args = "-machine xlnx-zcu102",
        .base = 0xfd4a0380, .size = 0x30,
        .periodic = { AW(0xfd4a0080, 1), END },
        .oneshot = { AW(0xfd4a0080, 1), END },
        .count_off = NO_COUNT, .status_off = 0x20, .status_mask = 1u << 13,
        .clear_off = 0x20, .clear_val = 1u << 13, .period_ns = 33333333,
    }, {
        /*
         * Versal CANFD 0 timestamp counter, 24 MHz, 16 bits (TSR[31:16]):
         * CEN; ISR.TSCNT_OFLW at each wrap, cleared through ICR
         */
        .name = "xlnx-versal-canfd", .arch = "aarch64",
        .args = "-machine xlnx-versal-virt", .base = 0xff060000,
        .size = 0x2c,
        .periodic = { { 0x00, 0x2 }, END },
        .oneshot = { { 0x00, 0x2 }, END },
        .count_off = 0x28, .status_off = 0x1c, .status_mask = 1u << 5,
        .clear_off = 0x24, .clear_val = 1u << 5, .period_ns = 2730667,
    }, {
        /*
         * MCF5206 timer 1 (16-bit registers), 1 MHz (66 MHz / 66): TRR
         * 1000, TMR ORI|FRR|CLK1|RST (one shot: free-running past the
         * reference); TER.REF, write 1 to clear
         */
        .name = "mcf5206-timer", .arch = "m68k", .args = "-machine an5206",
        .base = 0x10000100, .size = 0x12, .width = 2,
        .periodic = { { 0x04, 1000 }, { 0x00, (65u << 8) | 0x1b }, END },
        .oneshot = { { 0x04, 1000 }, { 0x00, (65u << 8) | 0x13 }, END },
        .count_off = 0x0c, .status_off = 0x10, .status_mask = 0x2,
        .clear_off = 0x10, .clear_val = 0x2, .period_ns = 1000000,
    }, {
        /*
         * MCF5208 PIT 0 (16-bit registers), 83.3 MHz / 64: PCSR
         * EN|RLD|PIE|OVW (one shot: no RLD), then PMR 1302, which OVW
         * loads into the counter at once; PCSR.PIF, write 1 to clear
         */
        .name = "mcf5208-pit", .arch = "m68k", .args = "-machine mcf5208evb",
        .base = 0xfc080000, .size = 0x6, .width = 2,
        .periodic = { { 0x00, 0x051b }, { 0x02, 1302 }, END },
        .oneshot = { { 0x00, 0x0519 }, { 0x02, 1302 }, END },
        .count_off = 0x04, .status_off = 0x00, .status_mask = 0x4,
        .clear_off = 0x00, .clear_val = 0x051f, .period_ns = 1000000,
    }, {
        /*
         * SH4 TMU channel 0: TCR UNIE, Pphi/4, TCOR = TCNT = 10000, TSTR
         * start; TCR.UNF, cleared by writing TCR without it.  The TMU
         * always reloads: both cases run the same programming.
         */
        .name = "sh-timer", .arch = "sh4", .args = "-machine r2d -nic none",
        .base = 0xffd80000, .size = 0x14,
        .periodic = { { 0x10, 0x20, 2 }, { 0x08, 10000 }, { 0x0c, 10000 },
                      B(0x04, 1), END },
        .oneshot = { { 0x10, 0x20, 2 }, { 0x08, 10000 }, { 0x0c, 10000 },
                     B(0x04, 1), END },
        .count_off = 0x0c, .status_off = 0x10, .status_mask = 0x100,
        .clear_off = 0x10, .clear_val = 0x20, .period_ns = 1000000,
        .skip = "r2d cannot migrate: its SH4 CPU has no migration state",
    }, {
        /*
         * Slavio system timer, 2 MHz counter: LIMIT 2000 steps (1 ms).
         * The window is the counter alone, whose bit 31 shows that the
         * limit was reached; reading LIMIT clears it.  No one-shot mode:
         * both cases run the same programming.
         */
        .name = "slavio-timer", .arch = "sparc", .args = "-machine SS-5",
        .fw = PTIMER_FW_SPARC_PROM, .base = 0x71d10004, .size = 0x4,
        .periodic = { AW(0x71d10000, 2000u << 9), END },
        .oneshot = { AW(0x71d10000, 2000u << 9), END },
        .count_off = 0x00, .status_off = 0x00, .status_mask = 1u << 31,
        .clear_off = NO_CLEAR, .clear_read_addr = 0x71d10000,
        .period_ns = 1000000,
    }, {
        /*
         * GRLIB GPTimer 0 (leon3), 1 MHz after the prescaler: RELOAD
         * 1000, CTRL EN|RS|LD|IE (one shot: no RS); CTRL.IP, write 1 to
         * clear
         */
        .name = "grlib-gptimer", .arch = "sparc",
        .args = "-machine leon3_generic", .base = 0x80000300, .size = 0x30,
        .periodic = { { 0x14, 999 }, { 0x18, 0xf }, END },
        .oneshot = { { 0x14, 999 }, { 0x18, 0xd }, END },
        .count_off = 0x10, .status_off = 0x18, .status_mask = 1u << 4,
        .clear_off = 0x18, .clear_val = 0x1b, .period_ns = 1000000,
    }, {
        /*
         * Xilinx XPS timer 0 (ml605, 100 MHz): TLR 100000, TCSR LOAD,
         * then ENT|ENIT|ARHT|UDT (one shot: no ARHT); TCSR.TINT, write 1
         * to clear
         */
        .name = "xilinx-timer", .arch = "microblaze",
        .args = "-machine petalogix-ml605", .base = 0x83c00000, .size = 0x20,
        .periodic = { { 0x04, 100000 }, { 0x00, 0x20 }, { 0x00, 0xd2 },
                      END },
        .oneshot = { { 0x04, 100000 }, { 0x00, 0x20 }, { 0x00, 0xc2 },
                     END },
        .count_off = 0x08, .status_off = 0x00, .status_mask = 1u << 8,
        .clear_off = 0x00, .clear_val = 0x1d2, .period_ns = 1000000,
    }, {
        /*
         * Xilinx AXI DMA MM2S interrupt delay timer: one descriptor of
         * 64 bytes, DMACR delay 255 (319 us) threshold 4 RS|IOC|DLY|ERR
         * interrupts, TAILDESC.  One shot, no counter: DMASR.DLY_IRQ.
         */
        .name = "xilinx-axidma", .arch = "microblaze",
        .args = "-machine petalogix-ml605", .base = 0x84600000, .size = 0x60,
        .periodic = { RAM(0x50100000, 0x50100000),
                      RAM(0x50100008, 0x50200000),
                      RAM(0x50100018, (1u << 26) | 64), { 0x08, 0x50100000 },
                      { 0x00, (0xffu << 24) | (4u << 16) | 0x7001 },
                      { 0x10, 0x50100000 } },
        .oneshot = { RAM(0x50100000, 0x50100000),
                     RAM(0x50100008, 0x50200000),
                     RAM(0x50100018, (1u << 26) | 64), { 0x08, 0x50100000 },
                     { 0x00, (0xffu << 24) | (4u << 16) | 0x7001 },
                     { 0x10, 0x50100000 } },
        .count_off = NO_COUNT, .status_off = 0x04, .status_mask = 1u << 13,
        .clear_off = NO_CLEAR, .period_ns = 80000,
        .skip = NO_VMSTATE,
    }, {
        /*
         * eTSEC TX ring poll (10 ms): one ready TxBD, TBASE0, TBPTR0,
         * MACCFG1 TX_EN, DMACTRL with WOP clear.  One shot, no counter:
         * the transmission shows in IEVENT.
         */
        .name = "fsl-etsec", .arch = "ppc",
        .args = "-machine ppce500 -nic none -device eTSEC",
        .fw = PTIMER_FW_E500,
        .base = 0xf00000000ULL, .size = 0x40,
        .periodic = { AW16(0x00100000, 0xa800), AW16(0x00100002, 64),
                      AW(0x00100004, 0x00101000), { 0x204, 0x00100000 },
                      { 0x184, 0x00100000 }, { 0x500, 1 }, { 0x2c, 0 } },
        .oneshot = { AW16(0x00100000, 0xa800), AW16(0x00100002, 64),
                     AW(0x00100004, 0x00101000), { 0x204, 0x00100000 },
                     { 0x184, 0x00100000 }, { 0x500, 1 }, { 0x2c, 0 } },
        .count_off = NO_COUNT, .status_off = 0x10, .status_mask = ~0u,
        .clear_off = 0x10, .clear_val = ~0u, .period_ns = 2500000,
        .skip = NO_VMSTATE,
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

    g_assert_cmpint(span, >, 0);
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

static unsigned width(const MigDevice *d)
{
    return d->width ? d->width : 4;
}

/* Words of the window, then the status and the count read apart */
static uint32_t nwords(const MigDevice *d)
{
    return d->size / width(d);
}

static uint32_t word(const MigDevice *d, uint32_t off)
{
    switch (off) {
    case STATUS_EXTRA:
        return nwords(d);
    case COUNT_EXTRA:
        return nwords(d) + 1;
    default:
        return off / width(d);
    }
}

static uint32_t status_of(const MigDevice *d, const Snapshot *s)
{
    return s->w[word(d, d->status_off)] & d->status_mask;
}

/* WATCHDOG events since the last call (a QMP round trip collects them) */
static uint32_t watchdog_events(QTestState *qts)
{
    QDict *ev;
    uint32_t n = 0;

    qobject_unref(qtest_qmp(qts, "{ 'execute': 'query-status' }"));
    while ((ev = qtest_qmp_event_ref(qts, "WATCHDOG"))) {
        qobject_unref(ev);
        n++;
    }
    return n;
}

static void snapshot(QTestState *qts, const MigDevice *d, Snapshot *s)
{
    uint32_t n = nwords(d);

    g_assert_cmpuint(n + 2, <=, G_N_ELEMENTS(s->w));
    for (uint32_t i = 0; i < n; i++) {
        s->w[i] = ptimer_mmio_read(qts, d->base + i * width(d), width(d));
    }
    if (d->wdt_event) {
        s->w[n] = watchdog_events(qts);
    } else if (d->status_addr) {
        s->w[n] = qtest_readl(qts, d->status_addr);
    }
    if (d->count_addr) {
        s->w[n + 1] = qtest_readl(qts, d->count_addr);
    }
}

static void program(QTestState *qts, const MigDevice *d, bool oneshot)
{
    const RegWrite *w = oneshot ? d->oneshot : d->periodic;

    for (int i = 0; i < MAX_WRITES && (w[i].off || w[i].val); i++) {
        unsigned size = w[i].size ? w[i].size : width(d);
        uint8_t le[4];

        switch (w[i].kind) {
        case WR_REG:
            ptimer_mmio_write(qts, d->base + w[i].off, size, w[i].val);
            break;
        case WR_ABS:
            ptimer_mmio_write(qts, w[i].off, size, w[i].val);
            break;
        case WR_RAM:
            for (unsigned b = 0; b < size; b++) {
                le[b] = w[i].val >> (8 * b);
            }
            qtest_memwrite(qts, w[i].off, le, size);
            break;
        }
    }
}

static QTestState *start(const char *env, const MigDevice *d,
                         const char *extra)
{
    g_autofree char *fw = ptimer_firmware_args(d->fw);
    g_autofree char *args = g_strdup_printf("%s %s -action watchdog=none %s",
                                            d->args, fw, extra);

    return qtest_init_with_env(env, args, true);
}

/* Migrate @src into a file, start the destination from it. */
static QTestState *migrate(QTestState *src, const MigCase *c,
                           const char *path, int64_t now)
{
    g_autofree char *uri = g_strdup_printf("file:%s", path);
    QTestState *dst;

    ptimer_migrate_save(src, path);
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
    ptimer_migrate_load(dst, path, now);
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
        if (d->clear_off != NO_CLEAR && status_of(d, &snaps[i])) {
            ptimer_mmio_write(qts, d->base + d->clear_off, width(d),
                              d->clear_val);
        } else if (d->clear_read_addr && status_of(d, &snaps[i])) {
            ptimer_mmio_read(qts, d->clear_read_addr, width(d));
        }
    }
    qtest_quit(qts);
}

/* Steps after the migration at which the interrupt status was set. */
static int count_set(const MigDevice *d, const Snapshot *snaps)
{
    int n = 0;

    for (int i = MIGRATE_AT + 1; i < STEPS; i++) {
        n += !!status_of(d, &snaps[i]);
    }
    return n;
}

static void test_migration(const void *opaque)
{
    const MigCase *c = opaque;
    const MigDevice *d = c->dev;
    g_autofree char *dir = NULL;
    g_autofree char *path = NULL;
    g_autofree Snapshot *ref = g_new0(Snapshot, STEPS + 1);
    g_autofree Snapshot *mig = g_new0(Snapshot, STEPS + 1);
    uint32_t n = nwords(d) + 2;
    uint32_t cw = word(d, d->count_off);

    dir = g_dir_make_tmp("ptimer-mig-XXXXXX", NULL);
    g_assert(dir);
    path = g_strdup_printf("%s/stream", dir);
    /* The reference runs on the build that would have run it. */
    run_schedule(c, NULL, c->cross, ref);
    run_schedule(c, path, false, mig);
    unlink(path);
    rmdir(dir);

    /* The timer runs across the migration and its interrupt comes. */
    for (int i = 0; i < STEPS && getenv("PTIMER_MIG_VERBOSE"); i++) {
        g_test_message("%s: step %d count 0x%x status 0x%x", d->name, i,
                       d->count_off == NO_COUNT ? 0 : mig[i].w[cw],
                       mig[i].w[word(d, d->status_off)]);
    }
    if (!c->oneshot) {
        int changes = 0;

        for (int i = MIGRATE_AT + 1; i < STEPS && d->count_off != NO_COUNT;
             i++) {
            changes += mig[i].w[cw] != mig[i - 1].w[cw];
        }
        if (d->count_off != NO_COUNT) {
            g_assert_cmpint(changes, >, (STEPS - MIGRATE_AT) / 2);
        }
        if (d->status_mask) {
            g_assert_cmpint(count_set(d, mig), >, 0);
        }
    }

    if (!c->cross || c->refused) {
        for (int i = 0; i <= STEPS; i++) {
            for (uint32_t w = 0; w < n; w++) {
                if (ref[i].w[w] != mig[i].w[w]) {
                    g_test_message("%s: step %d word +0x%x: 0x%x unmigrated,"
                                   " 0x%x migrated", d->name, i,
                                   w * width(d), ref[i].w[w], mig[i].w[w]);
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
        int64_t before = mig[MIGRATE_AT].w[cw];
        int64_t after = mig[STEPS].w[cw];

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
                g_assert_cmphex(status_of(d, &mig[STEPS]), ==,
                                status_of(d, &mig[MIGRATE_AT]));
            }
        }
    }
    if (!c->oneshot) {
        /* Still counting on the destination. */
        g_assert_cmphex(mig[STEPS - 1].w[cw], !=, mig[STEPS - 2].w[cw]);
    }
}

/* The device of devices[] called @name */
static const MigDevice *find_device(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(devices); i++) {
        if (!strcmp(devices[i].name, name)) {
            return &devices[i];
        }
    }
    g_assert_not_reached();
}

/*
 * A stopped i.MX timer, ptimer-ng -> 10.0 (and back): the stream holds
 * only 10.0's fields, which must say what 10.0's own model would hold, so
 * that the destination, enabling the timer again with ENMOD = 0, counts
 * on from the frozen counter.  The 66 MHz ipg clock without prescaler
 * gives 6600 ticks in 100 us; 10.0 may read one tick off.
 */
typedef struct {
    const char *name;           /* the device of devices[] */
    const char *kind;           /* the case's name */
    uint64_t base;
    uint32_t cr_off, cnt_off;
    uint32_t cr_run, cr_stop;   /* CR enabled (ENMOD = 0), and disabled */
    int dir;                    /* +1: counts up; -1: counts down */
    RegWrite setup[MAX_WRITES]; /* before the first enable */
    const char *src_env, *dst_env;
} StoppedCase;

static void test_stopped_to_stock(const void *opaque)
{
    const StoppedCase *sc = opaque;
    const MigDevice *d = find_device(sc->name);
    MigCase c = { 0 };
    g_autofree char *dir = g_dir_make_tmp("ptimer-mig-XXXXXX", NULL);
    g_autofree char *path = g_strdup_printf("%s/stream", dir);
    QTestState *qts;
    int64_t now;
    uint32_t frozen, later;

    c.dev = d;
    c.src_env = sc->src_env;
    c.dst_env = sc->dst_env;
    c.cross = true;

    qts = start(c.src_env, d, "");
    qtest_clock_step(qts, 1000);
    for (int i = 0; sc->setup[i].size || sc->setup[i].off; i++) {
        qtest_writel(qts, sc->base + sc->setup[i].off, sc->setup[i].val);
    }
    qtest_writel(qts, sc->base + sc->cr_off, sc->cr_run);
    qtest_clock_step(qts, 123000);
    qtest_writel(qts, sc->base + sc->cr_off, sc->cr_stop);
    frozen = qtest_readl(qts, sc->base + sc->cnt_off);
    now = qtest_clock_step(qts, 5000);
    g_assert_cmphex(qtest_readl(qts, sc->base + sc->cnt_off), ==, frozen);

    qts = migrate(qts, &c, path, now);
    unlink(path);
    rmdir(dir);
    g_assert_cmphex(qtest_readl(qts, sc->base + sc->cnt_off), ==, frozen);
    qtest_writel(qts, sc->base + sc->cr_off, sc->cr_run);
    qtest_clock_step(qts, 100000);
    later = qtest_readl(qts, sc->base + sc->cnt_off);
    g_test_message("%s: %u frozen, %u after 100 us counting", sc->name,
                   frozen, later);
    g_assert_cmpint(llabs(((int64_t)later - frozen) * sc->dir - 6600), <=, 1);
    qtest_quit(qts);
}

static void add_stopped_cases(void)
{
    static const StoppedCase cases[] = {
        /* GPT: CR EN | CLKSRC ipg, free-run; disabled: CLKSRC ipg */
        { "imx-gpt", "stopped", 0x02098000, 0x00, 0x24, 0x241, 0x240, 1 },
        /*
         * GPT in restart mode at OCR1 = 20000 with OF2 (OCR2 = 100)
         * enabled: frozen above OCR2, its next event is after the
         * restart, which 10.0's model cannot count to.
         */
        { "imx-gpt", "stopped-restart", 0x02098000, 0x00, 0x24, 0x41, 0x40,
          1, { { 0x10, 20000, 4 }, { 0x14, 100, 4 }, { 0x0c, 2, 4 }, END } },
        /* EPIT1: CR EN | CLKSRC ipg, counting down from 0xffffffff */
        { "imx-epit", "stopped", 0x020d0000, 0x00, 0x10, 0x01000001,
          0x01000000, -1 },
    };
    static const char *const kinds[][3] = {
        { "ng-to-stock", "QTEST_QEMU_BINARY", "PTIMER_MIG_STOCK" },
        { "stock-to-ng", "PTIMER_MIG_STOCK", "QTEST_QEMU_BINARY" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        for (size_t k = 0; k < G_N_ELEMENTS(kinds); k++) {
            StoppedCase *sc = g_memdup2(&cases[i], sizeof(cases[i]));
            g_autofree char *name = NULL;

            sc->src_env = kinds[k][1];
            sc->dst_env = kinds[k][2];
            name = g_strdup_printf("/ptimer-migration/%s/%s/%s",
                                   kinds[k][0], sc->name, sc->kind);
            qtest_add_data_func(name, sc, test_stopped_to_stock);
        }
    }
}

/*
 * An MPCore watchdog block that a 10.0 guest set to watchdog mode (bit 3
 * of its Control register) was a plain timer there: from such a stream
 * it must go on as that timer, not become a watchdog that resets the
 * machine.  Vexpress-a9's watchdog block, Load 1000, EN|AR|IT|WDT mode:
 * an event every 10.01 us.
 */
static void test_mptimer_wdt_from_stock(const void *opaque)
{
    const uint64_t wdt = 0x1e000620;
    const MigDevice *d = find_device("arm-mptimer");
    MigCase c = { 0 };
    g_autofree char *dir = g_dir_make_tmp("ptimer-mig-XXXXXX", NULL);
    g_autofree char *path = g_strdup_printf("%s/stream", dir);
    QTestState *qts;
    QDict *ev;
    int64_t now;

    c.dev = d;
    c.src_env = "PTIMER_MIG_STOCK";
    c.dst_env = "QTEST_QEMU_BINARY";
    c.cross = true;

    qts = start(c.src_env, d, "");
    qtest_writel(qts, wdt + 0x00, 1000);
    qtest_writel(qts, wdt + 0x08, 0xf);
    now = qtest_clock_step(qts, 25000);
    qtest_writel(qts, wdt + 0x0c, 1);
    qts = migrate(qts, &c, path, now);
    unlink(path);
    rmdir(dir);

    g_assert_cmphex(qtest_readl(qts, wdt + 0x08), ==, 0x7);
    qtest_clock_step(qts, 50000);
    /* Still a timer: its event flag comes back, no watchdog action */
    g_assert_cmphex(qtest_readl(qts, wdt + 0x0c), ==, 1);
    g_assert_cmphex(qtest_readl(qts, wdt + 0x10), ==, 0);
    qtest_qmp_assert_success(qts, "{ 'execute': 'query-status' }");
    ev = qtest_qmp_event_ref(qts, "WATCHDOG");
    g_assert_null(ev);
    qtest_quit(qts);
}

/*
 * The i.MX2 watchdog and QEMU 10.0, which never sent its two counters.
 * WDOG1 with WT 5 (timeout 3 s after the enable) and the pre-timeout
 * interrupt 1 s before it, migrated 0.7 s after the enable.  From 10.0
 * the destination restarts an enabled watchdog a whole timeout from the
 * load: WICR.WTIS rises 2 s after it, not 1 ns earlier, and the timeout
 * (WRSR.TOUT) 1 s later.  To 10.0, which would lose the counters, the
 * stream is refused, and the source's pre-timeout still comes 2 s after
 * the enable.
 */
static void test_wdt_imx2_stock(const void *opaque)
{
    const bool to_stock = !strcmp(opaque, "ng-to-stock");
    const uint64_t wdog = 0x020bc000;
    const int64_t sec = 1000000000;
    MigCase c = { 0 };
    g_autofree char *dir = g_dir_make_tmp("ptimer-mig-XXXXXX", NULL);
    g_autofree char *path = g_strdup_printf("%s/stream", dir);
    QTestState *qts;
    int64_t t0, now, from;

    c.dev = find_device("wdt-imx2");
    c.src_env = to_stock ? "QTEST_QEMU_BINARY" : "PTIMER_MIG_STOCK";
    c.dst_env = to_stock ? "PTIMER_MIG_STOCK" : "QTEST_QEMU_BINARY";
    c.cross = true;
    c.refused = to_stock;

    qts = start(c.src_env, c.dev, "");
    t0 = qtest_clock_step(qts, 1);
    qtest_writew(qts, wdog + 0x06, 0x8002);
    qtest_writew(qts, wdog + 0x00, 0x0534);
    now = qtest_clock_step(qts, 7 * sec / 10);
    qts = migrate(qts, &c, path, now);
    unlink(path);
    rmdir(dir);

    from = to_stock ? t0 : now;
    qtest_clock_step(qts, from + 2 * sec - 1 - now);
    g_assert_cmphex(qtest_readw(qts, wdog + 0x06) & (1u << 14), ==, 0);
    qtest_clock_step(qts, 1);
    g_assert_cmphex(qtest_readw(qts, wdog + 0x06) & (1u << 14), !=, 0);
    g_assert_cmphex(qtest_readw(qts, wdog + 0x04) & 2, ==, 0);
    qtest_clock_step(qts, sec);
    g_assert_cmphex(qtest_readw(qts, wdog + 0x04) & 2, !=, 0);
    qtest_quit(qts);
}

/*
 * The i.MX6's Cortex-A9 private timer counts at PERIPHCLK, which the CCM
 * derives from its registers (hw/misc/imx6_ccm.c): 396 MHz at reset, 198
 * MHz once the guest sets CACRR.ARM_PODF to 1.  The rate is not in the
 * stream: the destination takes it from the migrated CCM registers and
 * counts on at it from the migrated count, at once.  QEMU 10.0 counts at
 * 100 MHz whatever the CCM says: from it, with the CCM at its reset
 * rate, only the private timer's post_load can set the 396 MHz period.
 * The timer of CPU 0 free-runs from Load 0xffffffff with auto-reload.
 */
typedef struct Imx6ClkCase {
    const char *src_env;
    uint32_t arm_podf;
    uint32_t periphclk_khz;
} Imx6ClkCase;

static void test_imx6_periphclk(const void *opaque)
{
    const Imx6ClkCase *k = opaque;
    static const MigDevice d = {
        .name = "arm-mptimer-imx6", .arch = "arm", .args = "-machine sabrelite",
    };
    const uint64_t twd = 0x00a00600, cacrr = 0x020c4010;
    const char *src_env = k->src_env;
    MigCase c = { 0 };
    g_autofree char *dir = g_dir_make_tmp("ptimer-mig-XXXXXX", NULL);
    g_autofree char *path = g_strdup_printf("%s/stream", dir);
    QTestState *qts;
    uint32_t count, later;
    int64_t now;

    c.dev = &d;
    c.src_env = src_env;
    c.dst_env = "QTEST_QEMU_BINARY";
    c.cross = strcmp(src_env, c.dst_env) != 0;

    qts = start(src_env, &d, "");
    qtest_writel(qts, cacrr, k->arm_podf);
    qtest_writel(qts, twd + 0x00, 0xffffffff);
    qtest_writel(qts, twd + 0x08, 0x3);
    now = qtest_clock_step(qts, 1000000);
    count = qtest_readl(qts, twd + 0x04);
    qts = migrate(qts, &c, path, now);
    unlink(path);
    rmdir(dir);

    g_assert_cmphex(qtest_readl(qts, twd + 0x04), ==, count);
    qtest_clock_step(qts, 1000000);
    later = qtest_readl(qts, twd + 0x04);
    /* 1 ms of PERIPHCLK, give or take the phase of the first decrement */
    g_assert_cmpuint(count - later, >=, k->periphclk_khz - 1);
    g_assert_cmpuint(count - later, <=, k->periphclk_khz + 1);
    qtest_quit(qts);
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
    int ret;

    g_test_init(&argc, &argv, NULL);
    if (stock && *stock) {
        g_setenv("PTIMER_MIG_STOCK", stock, true);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(devices); i++) {
        const MigDevice *d = &devices[i];

        if (strcmp(d->arch, arch)) {
            continue;
        }
        if (d->skip) {
            /* Not a case: a known gap, listed in the TAP output. */
            printf("# not checked: %s: %s\n", d->name, d->skip);
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
    if (!strcmp(arch, "arm") && qtest_has_machine("sabrelite")) {
        static const Imx6ClkCase round_trip = {
            "QTEST_QEMU_BINARY", 1, 198000
        };
        static const Imx6ClkCase from_stock = {
            "PTIMER_MIG_STOCK", 0, 396000
        };

        qtest_add_data_func("/ptimer-migration/round-trip/arm-mptimer-imx6/"
                            "periphclk", &round_trip, test_imx6_periphclk);
        if (stock && *stock) {
            qtest_add_data_func("/ptimer-migration/stock-to-ng/"
                                "arm-mptimer-imx6/periphclk", &from_stock,
                                test_imx6_periphclk);
        }
    }
    if (stock && *stock && !strcmp(arch, "arm")) {
        add_stopped_cases();
        qtest_add_data_func("/ptimer-migration/stock-to-ng/arm-mptimer/"
                            "wdt-mode-stays-timer", NULL,
                            test_mptimer_wdt_from_stock);
        qtest_add_data_func("/ptimer-migration/stock-to-ng/wdt-imx2/"
                            "restarted", "stock-to-ng", test_wdt_imx2_stock);
        qtest_add_data_func("/ptimer-migration/ng-to-stock-refused/wdt-imx2/"
                            "enabled", "ng-to-stock", test_wdt_imx2_stock);
    }
    ret = g_test_run();
    ptimer_firmware_cleanup();
    return ret;
}
