/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* hello_efi.c: the smallest gnu-efi app that leaves the firmware: the boot-cost and size baseline for the image. */
#include <efi.h>

/* efi_main entry -> GetMemoryMap + ExitBootServices (the least any UEFI
 * application that takes over the machine must do) -> TSC delta printed as
 * "hello tsc=<n>" on QEMU's debugcon (port 0x402) -> isa-debug-exit (QEMU
 * exit status 33). Under -icount shift=N,sleep=off the delta is instructions
 * x 2^N, comparable to the image's UPLINK_TSC_BOOT_TO_DORMANT. Same compiler
 * flags and gnu-efi link recipe as BOOTX64.EFI (cmake/AetherBench.cmake). */

#define DEBUGCON_PORT 0x402
#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_PASS 0x10 /* QEMU exits with (0x10 << 1) | 1 = 33 */
#define EXIT_BOOT_SERVICES_TRIES 8
#define MEMORY_MAP_SLACK_DESCRIPTORS 16

static inline UINT64 read_tsc(void) {
        UINT32 lo, hi;
        __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
        return (UINT64)hi << 32 | lo;
}

static inline void outb(UINT16 port, UINT8 value) {
        __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

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

static EFI_STATUS exit_boot_services(EFI_HANDLE image, EFI_BOOT_SERVICES *bs) {
        UINTN map_size = 0, map_key, descriptor_size;
        UINT32 descriptor_version;
        EFI_STATUS status = bs->GetMemoryMap(&map_size, NULL, &map_key, &descriptor_size, &descriptor_version);
        if (status != EFI_BUFFER_TOO_SMALL)
                return status;
        UINTN capacity = map_size + MEMORY_MAP_SLACK_DESCRIPTORS * descriptor_size;
        EFI_MEMORY_DESCRIPTOR *map;
        status = bs->AllocatePool(EfiLoaderData, capacity, (void **)&map);
        if (EFI_ERROR(status))
                return status;
        for (int tries = 0; tries < EXIT_BOOT_SERVICES_TRIES; tries++) {
                map_size = capacity;
                status = bs->GetMemoryMap(&map_size, map, &map_key, &descriptor_size, &descriptor_version);
                if (EFI_ERROR(status))
                        return status;
                status = bs->ExitBootServices(image, map_key);
                if (status != EFI_INVALID_PARAMETER)
                        return status;
        }
        return status;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st) {
        UINT64 entry = read_tsc();
        EFI_STATUS status = exit_boot_services(image, st->BootServices);
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
