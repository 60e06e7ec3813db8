/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* device_key.c: the device key from the board's key source: development, uefi-variable or tpm. */
#include "device_key.h"

#include <string.h>

#include "boot_fatal.h"
#include "format.h"
#include "halt.h"
#include "log.h"
#include "proof.h"
#include "tpm2.h"
#include "vendor_guid.h"

/* Room for a variable larger than a key, so that a wrong size is reported as
 * its size rather than as a firmware error. */
#define VARIABLE_BUFFER_BYTES 64

static EFI_GUID vendor_guid = AETHER_VENDOR_GUID;
static CHAR16 key_variable[] = AETHER_DEVICE_KEY_VARIABLE;

/* Static, off the stack; zeroed whatever the outcome. */
static uint8_t variable_buffer[VARIABLE_BUFFER_BYTES];
static char variable_reason[112];

/* Reads the provisioned variable into key: NULL, or the reason it gives no key. */
static const char *read_key_variable(EFI_RUNTIME_SERVICES *rt, uint8_t key[AETHER_PROOF_KEY_SIZE]) {
        UINT32 attributes = 0;
        UINTN size = sizeof(variable_buffer);
        EFI_STATUS status = rt->GetVariable(key_variable, &vendor_guid, &attributes, &size, variable_buffer);
        const char *reason = variable_reason;
        if (status == EFI_NOT_FOUND)
                reason = "variable AetherDeviceKey not provisioned";
        else if (status == EFI_BUFFER_TOO_SMALL || (!EFI_ERROR(status) && size != AETHER_PROOF_KEY_SIZE))
                aether_format(variable_reason, sizeof(variable_reason), "variable AetherDeviceKey is %llu bytes, not 16",
                              (unsigned long long)size);
        else if (EFI_ERROR(status))
                aether_format(variable_reason, sizeof(variable_reason),
                              "variable AetherDeviceKey unreadable (status 0x%llx)", (unsigned long long)status);
        else if (attributes != AETHER_DEVICE_KEY_ATTRIBUTES)
                aether_format(variable_reason, sizeof(variable_reason),
                              "variable AetherDeviceKey has attributes 0x%x, not 0x%x (non-volatile, boot services only)",
                              (unsigned)attributes, (unsigned)AETHER_DEVICE_KEY_ATTRIBUTES);
        else {
                memcpy(key, variable_buffer, AETHER_PROOF_KEY_SIZE);
                reason = NULL;
        }
        memset(variable_buffer, 0, sizeof(variable_buffer));
        return reason;
}

static const char *source_name(enum aether_board_key_source source) {
        switch (source) {
        case AETHER_BOARD_KEY_DEVELOPMENT:
                return "development";
        case AETHER_BOARD_KEY_UEFI_VARIABLE:
                return "uefi-variable";
        case AETHER_BOARD_KEY_TPM:
                return "tpm";
        }
        __builtin_unreachable(); /* the board parser accepts only these */
}

void aether_device_key_acquire(EFI_HANDLE image, EFI_SYSTEM_TABLE *st, const struct aether_board *board,
                               struct aether_handoff *handoff) {
        const char *reason = NULL;
        switch (board->key_source) {
        case AETHER_BOARD_KEY_DEVELOPMENT:
                memcpy(handoff->device_key, aether_development_key, AETHER_PROOF_KEY_SIZE);
                handoff->boot_flags |= AETHER_BOOT_FLAG_DEVELOPMENT_KEY;
                log_line("WARNING: DEVELOPMENT DEVICE KEY IN USE. Its proofs can be forged by anyone. Boot a board "
                         "with key-source uefi-variable or tpm and a provisioned device before deployment.");
                break;
        case AETHER_BOARD_KEY_UEFI_VARIABLE:
                reason = read_key_variable(st->RuntimeServices, handoff->device_key);
                handoff->boot_flags |= AETHER_BOOT_FLAG_KEY_UEFI_VARIABLE;
                break;
        case AETHER_BOARD_KEY_TPM:
                reason = aether_tpm_unseal_device_key(image, st, handoff->device_key);
                handoff->boot_flags |= AETHER_BOOT_FLAG_KEY_TPM;
                break;
        }
        if (reason) {
                memset(handoff->device_key, 0, sizeof(handoff->device_key));
                boot_fatal(AETHER_EXIT_DEVICE_KEY, "device key unavailable (key-source %s): %s; refusing to run",
                           source_name(board->key_source), reason);
        }
        aether_derive_device_id(handoff->device_key, handoff->device_id);
        const uint8_t *id = handoff->device_id;
        log_line("device key from key-source %s; device %02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x",
                 source_name(board->key_source), id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7], id[8], id[9],
                 id[10], id[11], id[12], id[13], id[14], id[15]);
}
