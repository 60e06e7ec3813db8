/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* device_key.h: the device key from the board's key source, its device ID and boot flags, before ExitBootServices. */
#ifndef AETHER_DEVICE_KEY_H
#define AETHER_DEVICE_KEY_H

#include <efi.h>

#include "board.h"
#include "handoff.h"

/* The provisioned key variable (ARCHITECTURE.md, "Key sources"):
 * AetherDeviceKey under the vendor GUID (vendor_guid.h), exactly
 * NON_VOLATILE | BOOTSERVICE_ACCESS, 16 bytes. */
#define AETHER_DEVICE_KEY_VARIABLE L"AetherDeviceKey"
#define AETHER_DEVICE_KEY_ATTRIBUTES (EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS)

/* Takes the device key from board->key_source into handoff->device_key,
 * derives handoff->device_id from it and sets the source's boot flag in
 * handoff->boot_flags; logs the source and the device ID (never the key).
 * When the source gives no key it halts with 0x13 (AETHER_EXIT_DEVICE_KEY),
 * the reason in the log and on the firmware console: never another key.
 * Every buffer that held the key on the way is zeroed. */
void aether_device_key_acquire(EFI_HANDLE image, EFI_SYSTEM_TABLE *st, const struct aether_board *board,
                               struct aether_handoff *handoff);

#endif
