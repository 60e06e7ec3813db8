/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* boot_epoch.h: the boot epoch, advanced before ExitBootServices: the TPM NV counter or the AetherBootEpoch variable. */
#ifndef AETHER_BOOT_EPOCH_H
#define AETHER_BOOT_EPOCH_H

#include <efi.h>

#include "board.h"
#include "handoff.h"

/* The boot-epoch variable (key sources development and uefi-variable):
 * AetherBootEpoch under the vendor GUID (vendor_guid.h), 8 bytes
 * little-endian, non-volatile; the first boot is 1. */
#define AETHER_BOOT_EPOCH_VARIABLE L"AetherBootEpoch"

/* Advances the epoch into handoff->boot_epoch: with key-source tpm, the TPM
 * NV counter (TPM2_NV_Increment, TPM2_NV_Read; boot flag epoch-tpm), else
 * the variable, read, incremented and written back. Halts with 0x14
 * (AETHER_EXIT_BOOT_EPOCH) when it cannot: never a stale epoch. */
void aether_boot_epoch_advance(EFI_SYSTEM_TABLE *st, const struct aether_board *board,
                               struct aether_handoff *handoff);

#endif
