/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* boot_epoch.c: the boot epoch from the TPM NV counter (key-source tpm) or the AetherBootEpoch UEFI variable. */
#include "boot_epoch.h"

#include "boot_fatal.h"
#include "halt.h"
#include "proof.h"
#include "tpm2.h"
#include "vendor_guid.h"

static EFI_GUID vendor_guid = AETHER_VENDOR_GUID;
static CHAR16 epoch_name[] = AETHER_BOOT_EPOCH_VARIABLE;

/* Reads, increments and persists the variable. */
static void advance_variable(EFI_RUNTIME_SERVICES *rt, uint64_t *epoch) {
        uint64_t stored = 0;
        UINTN size = sizeof(stored);
        UINT32 attributes;
        EFI_STATUS status = rt->GetVariable(epoch_name, &vendor_guid, &attributes, &size, &stored);
        if (status == EFI_NOT_FOUND)
                stored = 0;
        else if (EFI_ERROR(status) || size != sizeof(stored))
                boot_fatal(AETHER_EXIT_BOOT_EPOCH,
                           "boot epoch variable unreadable (status 0x%llx, %llu bytes); refusing to run",
                           (unsigned long long)status, (unsigned long long)size);
        *epoch = stored + 1;
        status = rt->SetVariable(epoch_name, &vendor_guid,
                                 EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS |
                                         EFI_VARIABLE_RUNTIME_ACCESS,
                                 sizeof(*epoch), epoch);
        if (EFI_ERROR(status))
                boot_fatal(AETHER_EXIT_BOOT_EPOCH,
                           "boot epoch %llu could not be persisted (status 0x%llx); refusing to run",
                           (unsigned long long)*epoch, (unsigned long long)status);
}

void aether_boot_epoch_advance(EFI_SYSTEM_TABLE *st, const struct aether_board *board,
                               struct aether_handoff *handoff) {
        switch (board->key_source) {
        case AETHER_BOARD_KEY_DEVELOPMENT:
        case AETHER_BOARD_KEY_UEFI_VARIABLE:
                advance_variable(st->RuntimeServices, &handoff->boot_epoch);
                return;
        case AETHER_BOARD_KEY_TPM: {
                const char *reason = aether_tpm_advance_epoch(st, &handoff->boot_epoch);
                if (reason)
                        boot_fatal(AETHER_EXIT_BOOT_EPOCH, "boot epoch: TPM NV counter not advanced: %s; refusing to run",
                                   reason);
                handoff->boot_flags |= AETHER_BOOT_FLAG_EPOCH_TPM;
                return;
        }
        }
}
