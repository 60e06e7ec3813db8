/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* secure_boot.c: reads SecureBoot and SetupMode (UEFI 2.10, 3.3 "Globally Defined Variables") into boot flags. */
#include "secure_boot.h"

#include <stdbool.h>

#include "log.h"
#include "proof.h"

static EFI_GUID global_variable_guid = EFI_GLOBAL_VARIABLE;

/* One of the two variables: 0 or 1 into *value, or false after logging why not. */
static bool read_bit(EFI_RUNTIME_SERVICES *rt, CHAR16 *name, const char *label, uint8_t *value) {
        uint8_t data[8] = { 0 };
        UINTN size = sizeof(data);
        UINT32 attributes;
        EFI_STATUS status = rt->GetVariable(name, &global_variable_guid, &attributes, &size, data);
        if (status == EFI_NOT_FOUND) {
                *value = 0;
                return true;
        }
        if (EFI_ERROR(status) || size != 1 || data[0] > 1) {
                log_line("secure boot: unknown: %s unreadable (status 0x%llx, %llu bytes, first 0x%x)", label,
                         (unsigned long long)status, (unsigned long long)size, data[0]);
                return false;
        }
        *value = data[0];
        return true;
}

uint64_t aether_secure_boot_flags(EFI_RUNTIME_SERVICES *rt) {
        uint8_t secure_boot, setup_mode;
        if (!read_bit(rt, L"SecureBoot", "SecureBoot", &secure_boot) ||
            !read_bit(rt, L"SetupMode", "SetupMode", &setup_mode))
                return 0;
        log_line("secure boot: SecureBoot=%u SetupMode=%u", secure_boot, setup_mode);
        return AETHER_BOOT_FLAG_SECURE_BOOT_KNOWN | (secure_boot ? AETHER_BOOT_FLAG_SECURE_BOOT_ON : 0) |
               (setup_mode ? AETHER_BOOT_FLAG_SETUP_MODE : 0);
}
