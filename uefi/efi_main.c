/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* efi_main.c: the UEFI entry: board, device key, platform (ACPI, LAPIC mode, uplink), boot epoch, arena, ExitBootServices. */
#include <efi.h>
#include <string.h>

#include "aether_board.h"
#include "aether_embedded.h"
#include "acpi.h"
#include "apic.h"
#include "unwind.h"
#include "board.h"
#include "boot_epoch.h"
#include "boot_fatal.h"
#include "device_key.h"
#include "exit_boot_services.h"
#include "format.h"
#include "halt.h"
#include "handoff.h"
#include "hw.h"
#include "lapic_access.h"
#include "layout.h"
#include "log.h"
#include "pci.h"
#include "platform.h"
#include "secure_boot.h"
#include "uart.h"

static EFI_GUID acpi_20_guid = ACPI_20_TABLE_GUID;
static EFI_GUID acpi_10_guid = ACPI_TABLE_GUID;

#define MESSAGE_MAX 200

static struct aether_board board;
static struct acpi_info acpi;
static struct aether_platform platform;
static struct aether_handoff handoff;

/* The RSDP from the UEFI configuration table: ACPI 2.0's entry, else 1.0's; 0 when neither. */
static uint64_t find_rsdp(EFI_SYSTEM_TABLE *st) {
        static EFI_GUID *const guids[] = {&acpi_20_guid, &acpi_10_guid};
        for (unsigned g = 0; g < sizeof(guids) / sizeof(guids[0]); g++)
                for (UINTN i = 0; i < st->NumberOfTableEntries; i++)
                        if (memcmp(&st->ConfigurationTable[i].VendorGuid, guids[g], sizeof(EFI_GUID)) == 0)
                                return (uint64_t)(uintptr_t)st->ConfigurationTable[i].VendorTable;
        return 0;
}

/* The firmware's identity map still holds: ACPI tables are read in place. */
static bool read_physical(void *ctx, uint64_t address, void *buf, size_t len) {
        (void)ctx;
        if (!address || address + len < address || address + len > (1ull << 47))
                return false;
        memcpy(buf, (const void *)(uintptr_t)address, len);
        return true;
}

static void log_platform(void) {
        log_line("platform: local APIC 0x%llx (%s) from %s; CPUs in the MADT: %u; interrupt source overrides: %u",
                 (unsigned long long)platform.lapic_base, platform.x2apic ? "x2APIC, MSRs" : "xAPIC",
                 platform.acpi ? "ACPI" : "the board", acpi.cpu_count, acpi.override_count);
        for (uint32_t i = 0; i < platform.ioapic_count; i++)
                log_line("platform: IOAPIC 0x%llx, GSIs %u-%u", (unsigned long long)platform.ioapics[i].base,
                         platform.ioapics[i].gsi_base, platform.ioapics[i].gsi_base + platform.ioapics[i].pins - 1);
        for (uint32_t i = 0; i < board.wake_count; i++)
                if (board.wakes[i].input == AETHER_BOARD_INPUT_ISA_IRQ)
                        log_line("platform: wake 0x%x: ISA IRQ %u is GSI %u, %s, active %s", board.wakes[i].vector,
                                 board.wakes[i].irq, board.wakes[i].gsi,
                                 board.wakes[i].level_triggered ? "level" : "edge",
                                 board.wakes[i].active_low ? "low" : "high");
        for (uint32_t i = 0; i < platform.ecam_count; i++)
                log_line("platform: PCI ECAM 0x%llx, buses %u-%u", (unsigned long long)platform.ecam[i].base,
                         platform.ecam[i].start_bus, platform.ecam[i].end_bus);
        if (!platform.ecam_count)
                log_line("platform: no MCFG: PCI through configuration ports 0xcf8/0xcfc");
        switch (platform.reference) {
        case AETHER_TIMER_REFERENCE_NONE:
                log_line("platform: no timer reference; lapic-timer-hz %u from the board", platform.lapic_timer_hz);
                break;
        case AETHER_TIMER_REFERENCE_PM_TIMER:
                log_line("platform: timer reference: ACPI PM timer at port 0x%x (%u bits)", platform.pm_timer_port,
                         platform.pm_timer_bits);
                break;
        case AETHER_TIMER_REFERENCE_HPET:
                log_line("platform: timer reference: HPET at 0x%llx", (unsigned long long)platform.hpet_base);
                break;
        }
}

/* ACPI (when the firmware has it), the board and the hardware, reconciled;
 * then the LAPIC's mode, and the uplink on whichever PCI bus it is. */
static void discover_platform(EFI_SYSTEM_TABLE *st) {
        char error[MESSAGE_MAX];
        const struct acpi_info *tables = NULL;
        uint64_t rsdp = find_rsdp(st);
        if (!rsdp) {
                log_line("acpi: no RSDP in the UEFI configuration table; the board alone describes the platform");
        } else {
                if (acpi_parse(rsdp, read_physical, NULL, &acpi, error, sizeof(error)) < 0)
                        boot_fatal(AETHER_EXIT_BOOT_FAILURE, "%s", error);
                tables = &acpi;
                log_line("acpi: RSDP 0x%llx revision %u, %s 0x%llx with %u tables", (unsigned long long)rsdp,
                         acpi.rsdp_revision, acpi.xsdt ? "XSDT" : "RSDT", (unsigned long long)acpi.root_address,
                         acpi.table_count);
        }
        struct aether_platform_hardware hardware = {read_msr(MSR_APIC_BASE), ioapic_pin_count, NULL};
        if (aether_platform_resolve(&board, tables, &hardware, &platform, error, sizeof(error)) < 0 ||
            apic_setup(&platform, error, sizeof(error)) < 0)
                boot_fatal(AETHER_EXIT_BOOT_FAILURE, "%s", error);
        log_platform();

        if (board.uplink.kind == AETHER_BOARD_UPLINK_MMIO) {
                handoff.uplink_base = board.uplink.mmio_base;
                handoff.uplink_size = board.uplink.mmio_size;
                return;
        }
        struct pci_bar bar;
        if (pci_find_memory_bar(&platform, board.uplink.pci_vendor, board.uplink.pci_device, board.uplink.pci_bar,
                                board.uplink.pci_min_size, &bar, error, sizeof(error)) < 0)
                boot_fatal(AETHER_EXIT_BOOT_FAILURE, "%s", error);
        handoff.uplink_base = bar.base;
        handoff.uplink_size = bar.size;
}

static void enter_enclave(void *arg) {
        enclave_main(arg);
}

/* gnu-efi's crt0 calls efi_main with the SysV convention, after _relocate. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st) {
        handoff.entry_tsc = read_tsc();
        boot_console_init(st->ConOut);
        struct aether_board_error board_error;
        if (aether_board_parse(aether_board_text, sizeof(aether_board_text) - 1, &board, &board_error) < 0) {
                /* No board, so no log and no exit port: the console, and back to the firmware. */
                char message[120];
                aether_board_error_format(&board_error, message, sizeof(message));
                boot_console_write(message);
                return EFI_LOAD_ERROR;
        }
        log_init(&board);
        halt_init(&board);
        if (board.log.kind == AETHER_BOARD_LOG_UART && !uart_init_transmitter(board.log.port))
                boot_fatal(AETHER_EXIT_BOOT_FAILURE, "log uart 0x%x: no 16550 answers there", board.log.port);
        log_line("Aether Enclave on board %s, payload sha256 %02x%02x%02x%02x...", board.name,
                 aether_payload_sha256[0], aether_payload_sha256[1], aether_payload_sha256[2],
                 aether_payload_sha256[3]);
        aether_device_key_acquire(image, st, &board, &handoff);

        handoff.boot_flags |= aether_secure_boot_flags(st->RuntimeServices);
        discover_platform(st);
        aether_boot_epoch_advance(st, &board, &handoff);

        EFI_PHYSICAL_ADDRESS arena = 0xffffffffull; /* below 4 GiB: our identity map covers it */
        UINTN arena_pages = (ARENA_BYTES + 0xfff) / 0x1000;
        EFI_STATUS status =
                st->BootServices->AllocatePages(AllocateMaxAddress, EfiLoaderData, arena_pages, &arena);
        if (EFI_ERROR(status))
                boot_fatal(AETHER_EXIT_BOOT_FAILURE,
                           "cannot allocate the enclave arena, %llu pages below 4 GiB (status 0x%llx)",
                           (unsigned long long)arena_pages, (unsigned long long)status);
        st->BootServices->SetMem((void *)(uintptr_t)arena, arena_pages * 0x1000, 0);
        handoff.arena = arena;
        handoff.board = &board;
        handoff.platform = &platform;
        log_line("boot epoch %llu; arena 0x%llx (%llu pages)", (unsigned long long)handoff.boot_epoch,
                 (unsigned long long)arena, (unsigned long long)arena_pages);

        /* After the first ExitBootServices call the console is gone: the log only. */
        status = uefi_exit_boot_services(image, st->BootServices, &handoff.exit_boot_services_tries);
        if (EFI_ERROR(status)) {
                log_error(-1, "ExitBootServices failed (status 0x%llx after %u tries)", (unsigned long long)status,
                          handoff.exit_boot_services_tries);
                halt(AETHER_EXIT_BOOT_FAILURE, "ExitBootServices failed");
        }
        log_line("ExitBootServices done (try %u); firmware gone", handoff.exit_boot_services_tries);
        aether_call_on_stack(enter_enclave, &handoff,
                             (void *)(uintptr_t)(arena + ARENA_HOST_STACK + ARENA_HOST_STACK_BYTES));
        halt(AETHER_EXIT_PANIC, "enclave_main returned");
}
