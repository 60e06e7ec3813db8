/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* secure_boot.h: the firmware's Secure Boot state (SecureBoot, SetupMode), read before ExitBootServices. */
#ifndef AETHER_SECURE_BOOT_H
#define AETHER_SECURE_BOOT_H

#include <efi.h>
#include <stdint.h>

/* Reads the EFI_GLOBAL_VARIABLE variables SecureBoot and SetupMode (1 byte
 * each), logs `secure boot: SecureBoot=S SetupMode=M` and returns the boot
 * flags they give (ARCHITECTURE.md 7.4): SECURE_BOOT_KNOWN, with SECURE_BOOT_ON
 * and SETUP_MODE as read. A variable the firmware does not have reads 0 (a
 * firmware without Secure Boot has neither). If either cannot be read, or is
 * not one byte of 0 or 1, the log says why and the result is 0: unknown. */
uint64_t aether_secure_boot_flags(EFI_RUNTIME_SERVICES *rt);

#endif
