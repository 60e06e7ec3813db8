/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* hello_efi.c: the smallest gnu-efi app that leaves the firmware: the boot-cost and size baseline for the image. */
#include <efi.h>

/* efi_main entry -> GetMemoryMap + ExitBootServices (the least any UEFI
 * application that takes over the machine must do) -> TSC delta printed as
 * "hello tsc=<n>" on QEMU's debugcon (port 0x402) -> isa-debug-exit (QEMU
 * exit status 33). Under -icount shift=N,sleep=off the delta is instructions
 * x 2^N, comparable to the image's UPLINK_TSC_BOOT_TO_DORMANT. Same compiler
 * flags, ExitBootServices code and gnu-efi link recipe as BOOTX64.EFI
 * (cmake/AetherBench.cmake). */

#include "exit_boot_services.h"
#include "hw.h"

#define DEBUGCON_PORT 0x402
#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_PASS 0x10 /* QEMU exits with (0x10 << 1) | 1 = 33 */

static void debugcon_write(const char *text) {
        while (*text)
                outb(DEBUGCON_PORT, (UINT8)*text++);
}

static void debugcon_write_u64(UINT64 value) {
        char digits[21];
        int i = sizeof(digits) - 1;
        digits[i] = '\0';
        do {
                digits[--i] = (char)('0' + value % 10);
                value /= 10;
        } while (value);
        debugcon_write(&digits[i]);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st) {
        UINT64 entry = read_tsc();
        uint32_t tries;
        EFI_STATUS status = uefi_exit_boot_services(image, st->BootServices, &tries);
        UINT64 left_firmware = read_tsc();
        if (EFI_ERROR(status)) {
                debugcon_write("hello ExitBootServices failed\n");
                return status;
        }
        debugcon_write("hello tsc=");
        debugcon_write_u64(left_firmware - entry);
        debugcon_write("\n");
        outb(DEBUG_EXIT_PORT, DEBUG_EXIT_PASS);
        for (;;)
                __asm__ volatile("cli; hlt");
}
