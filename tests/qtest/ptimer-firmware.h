/*
 * Stand-in firmware for the ptimer qtests
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Copyright (c) 2026 The ptimer-ng authors
 *
 * SS-5 does not start without a PROM, nor ppce500 without u-boot.e500,
 * although qtest never runs the CPU: a PROM of zeros and a minimal ELF
 * (one 4-byte "b ." segment at 0x00f00000) do.  They are created on
 * first use; ptimer_firmware_cleanup() removes them.
 */

#ifndef PTIMER_FIRMWARE_H
#define PTIMER_FIRMWARE_H

typedef enum {
    PTIMER_FW_NONE,
    PTIMER_FW_SPARC_PROM,       /* -bios <4 KiB of zeros> */
    PTIMER_FW_E500,             /* -L <dir holding a stand-in u-boot.e500> */
} PTimerFirmware;

static char *ptimer_fw_prom;
static char *ptimer_fw_dir;

static void ptimer_fw_put_be(uint8_t *p, uint64_t v, int n)
{
    while (n--) {
        p[n] = v;
        v >>= 8;
    }
}

static char *ptimer_fw_make_prom(void)
{
    g_autofree char *zeros = g_malloc0(4096);
    char *path;
    int fd;

    fd = g_file_open_tmp("ptimer-fw-prom-XXXXXX", &path, NULL);
    g_assert(fd >= 0);
    g_assert(write(fd, zeros, 4096) == 4096);
    close(fd);
    return path;
}

/* A 32-bit big-endian PowerPC executable, in a directory of its own. */
static char *ptimer_fw_make_e500_dir(void)
{
    uint8_t elf[52 + 32 + 4] = { 0 };
    g_autofree char *path = NULL;
    char *dir;

    memcpy(elf, "\177ELF", 4);
    elf[4] = 1;                                 /* ELFCLASS32 */
    elf[5] = 2;                                 /* ELFDATA2MSB */
    elf[6] = 1;                                 /* EV_CURRENT */
    ptimer_fw_put_be(elf + 16, 2, 2);           /* ET_EXEC */
    ptimer_fw_put_be(elf + 18, 20, 2);          /* EM_PPC */
    ptimer_fw_put_be(elf + 20, 1, 4);           /* e_version */
    ptimer_fw_put_be(elf + 24, 0x00f00000, 4);  /* e_entry */
    ptimer_fw_put_be(elf + 28, 52, 4);          /* e_phoff */
    ptimer_fw_put_be(elf + 40, 52, 2);          /* e_ehsize */
    ptimer_fw_put_be(elf + 42, 32, 2);          /* e_phentsize */
    ptimer_fw_put_be(elf + 44, 1, 2);           /* e_phnum */
    ptimer_fw_put_be(elf + 52, 1, 4);           /* PT_LOAD */
    ptimer_fw_put_be(elf + 56, 84, 4);          /* p_offset */
    ptimer_fw_put_be(elf + 60, 0x00f00000, 4);  /* p_vaddr */
    ptimer_fw_put_be(elf + 64, 0x00f00000, 4);  /* p_paddr */
    ptimer_fw_put_be(elf + 68, 4, 4);           /* p_filesz */
    ptimer_fw_put_be(elf + 72, 4, 4);           /* p_memsz */
    ptimer_fw_put_be(elf + 76, 5, 4);           /* PF_R | PF_X */
    ptimer_fw_put_be(elf + 80, 4, 4);           /* p_align */
    ptimer_fw_put_be(elf + 84, 0x48000000, 4);  /* b . */

    dir = g_dir_make_tmp("ptimer-fw-XXXXXX", NULL);
    g_assert(dir);
    path = g_build_filename(dir, "u-boot.e500", NULL);
    g_assert(g_file_set_contents(path, (const char *)elf, sizeof(elf), NULL));
    return dir;
}

/* The QEMU options that supply @fw ("" for none), to be g_free()d. */
static char *ptimer_firmware_args(PTimerFirmware fw)
{
    switch (fw) {
    case PTIMER_FW_SPARC_PROM:
        if (!ptimer_fw_prom) {
            ptimer_fw_prom = ptimer_fw_make_prom();
        }
        return g_strdup_printf("-bios %s", ptimer_fw_prom);
    case PTIMER_FW_E500:
        if (!ptimer_fw_dir) {
            ptimer_fw_dir = ptimer_fw_make_e500_dir();
        }
        return g_strdup_printf("-L %s", ptimer_fw_dir);
    default:
        return g_strdup("");
    }
}

static void ptimer_firmware_cleanup(void)
{
    if (ptimer_fw_prom) {
        unlink(ptimer_fw_prom);
        g_clear_pointer(&ptimer_fw_prom, g_free);
    }
    if (ptimer_fw_dir) {
        g_autofree char *path = g_build_filename(ptimer_fw_dir, "u-boot.e500",
                                                 NULL);

        unlink(path);
        rmdir(ptimer_fw_dir);
        g_clear_pointer(&ptimer_fw_dir, g_free);
    }
}

#endif
