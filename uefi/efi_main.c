/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* efi_main.c: the UEFI entry: board, boot epoch, arena, ExitBootServices, then the enclave on its own stack. */
#include <efi.h>

#include "aether_board.h"
#include "aether_embedded.h"
#include "unwind.h"
#include "board.h"
#include "exit_boot_services.h"
#include "format.h"
#include "halt.h"
#include "handoff.h"
#include "hw.h"
#include "layout.h"
#include "log.h"

/* The boot-epoch variable: vendor GUID 7c1e5b4a-0f2d-4c3e-9a61-ae7e1c0d5e01,
 * name "AetherBootEpoch", 8 bytes little-endian, non-volatile. */
static EFI_GUID aether_vendor_guid = {0x7c1e5b4a, 0x0f2d, 0x4c3e, {0x9a, 0x61, 0xae, 0x7e, 0x1c, 0x0d, 0x5e, 0x01}};
static CHAR16 aether_epoch_name[] = L"AetherBootEpoch";

static struct aether_board board;
static struct aether_handoff handoff;

/* Before the board is known there is no log port: the firmware console. */
static EFI_STATUS console_error(EFI_SYSTEM_TABLE *st, EFI_STATUS status, const char *message) {
        CHAR16 wide[160];
        size_t i = 0;
        for (const char *p = "Aether Enclave: "; *p && i < 80; p++)
                wide[i++] = (CHAR16)*p;
        for (const char *p = message; *p && i < 157; p++)
                wide[i++] = (CHAR16)*p;
        wide[i++] = L'\r';
        wide[i++] = L'\n';
        wide[i] = 0;
        st->ConOut->OutputString(st->ConOut, wide);
        return status;
}

/* Reads, increments and persists the boot epoch; the first boot is 1. */
static EFI_STATUS advance_boot_epoch(EFI_RUNTIME_SERVICES *rt, uint64_t *epoch) {
        uint64_t stored = 0;
        UINTN size = sizeof(stored);
        UINT32 attributes;
        EFI_STATUS status = rt->GetVariable(aether_epoch_name, &aether_vendor_guid, &attributes, &size, &stored);
        if (status == EFI_NOT_FOUND)
                stored = 0;
        else if (EFI_ERROR(status) || size != sizeof(stored)) {
                log_error(-1, "boot epoch variable unreadable (status 0x%llx, %llu bytes)", (unsigned long long)status,
                          (unsigned long long)size);
                return EFI_VOLUME_CORRUPTED;
        }
        *epoch = stored + 1;
        status = rt->SetVariable(aether_epoch_name, &aether_vendor_guid,
                                 EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS |
                                         EFI_VARIABLE_RUNTIME_ACCESS,
                                 sizeof(*epoch), epoch);
        if (EFI_ERROR(status))
                log_error(-1, "boot epoch %llu could not be persisted (status 0x%llx)", (unsigned long long)*epoch,
                          (unsigned long long)status);
        return status;
}

static void enter_enclave(void *arg) {
        enclave_main(arg);
}

/* gnu-efi's crt0 calls efi_main with the SysV convention, after _relocate. */
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st) {
        handoff.entry_tsc = read_tsc();
        struct aether_board_error board_error;
        if (aether_board_parse(aether_board_text, sizeof(aether_board_text) - 1, &board, &board_error) < 0) {
                char message[120];
                aether_board_error_format(&board_error, message, sizeof(message));
                return console_error(st, EFI_LOAD_ERROR, message);
        }
        log_init(&board);
        halt_init(&board);
        log_line("Aether Enclave on board %s, payload sha256 %02x%02x%02x%02x...", board.name,
                 aether_payload_sha256[0], aether_payload_sha256[1], aether_payload_sha256[2],
                 aether_payload_sha256[3]);
        if (AETHER_DEVICE_KEY_IS_DEVELOPMENT)
                log_line("WARNING: DEVELOPMENT DEVICE KEY IN USE. Its proofs can be forged by anyone. "
                         "Provision a device key with -DAETHER_DEVICE_KEY_FILE= before deployment.");

        if (EFI_ERROR(advance_boot_epoch(st->RuntimeServices, &handoff.boot_epoch)))
                return console_error(st, EFI_VOLUME_CORRUPTED, "boot epoch not persisted; refusing to run");

        EFI_PHYSICAL_ADDRESS arena = 0xffffffffull; /* below 4 GiB: our identity map covers it */
        UINTN arena_pages = (ARENA_BYTES + 0xfff) / 0x1000;
        EFI_STATUS status =
                st->BootServices->AllocatePages(AllocateMaxAddress, EfiLoaderData, arena_pages, &arena);
        if (EFI_ERROR(status))
                return console_error(st, status, "cannot allocate the enclave arena below 4 GiB");
        st->BootServices->SetMem((void *)(uintptr_t)arena, arena_pages * 0x1000, 0);
        handoff.arena = arena;
        handoff.board = &board;
        log_line("boot epoch %llu; arena 0x%llx (%llu pages)", (unsigned long long)handoff.boot_epoch,
                 (unsigned long long)arena, (unsigned long long)arena_pages);

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
