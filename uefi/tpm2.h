/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* tpm2.h: the TPM 2.0 key source and boot epoch through EFI_TCG2_PROTOCOL, before ExitBootServices. */
#ifndef AETHER_TPM2_H
#define AETHER_TPM2_H

#include <efi.h>
#include <stdint.h>

/* Unseals the device key (ARCHITECTURE.md 15, "The TPM key source") into
 * key: reads \EFI\aether\sealed-key.bin from the ESP the image was loaded
 * from, then TPM2_Load under the SRK, a policy session with
 * PolicyPCR(sha256:7), TPM2_Unseal, TPM2_FlushContext of both handles.
 * Returns NULL, or a reason (naming the command and its TPM response code)
 * with key zeroed; on failure PCR 7's value is logged, for provisioning.
 * Every buffer that held the key is zeroed before returning. */
const char *aether_tpm_unseal_device_key(EFI_HANDLE image, EFI_SYSTEM_TABLE *st, uint8_t key[16]);

/* TPM2_NV_Increment then TPM2_NV_Read of the epoch counter (NV index
 * AETHER_TPM2_EPOCH_NV_INDEX) into *epoch. Returns NULL or a reason. */
const char *aether_tpm_advance_epoch(EFI_SYSTEM_TABLE *st, uint64_t *epoch);

#endif
