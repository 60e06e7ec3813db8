/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* tpm2.h: the TPM 2.0 key source and boot epoch through EFI_TCG2_PROTOCOL, before ExitBootServices. */
#ifndef AETHER_TPM2_H
#define AETHER_TPM2_H

#include <efi.h>
#include <stdint.h>

/* Unseals the device key (ARCHITECTURE.md, "Key sources": tpm) into key.
 * Returns NULL, or a static reason and key zeroed. */
const char *aether_tpm_unseal_device_key(EFI_HANDLE image, EFI_SYSTEM_TABLE *st, uint8_t key[16]);

/* Increments the TPM NV counter and reads it into *epoch. Returns NULL or a static reason. */
const char *aether_tpm_advance_epoch(EFI_SYSTEM_TABLE *st, uint64_t *epoch);

#endif
