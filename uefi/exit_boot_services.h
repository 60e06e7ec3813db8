/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* exit_boot_services.h: leaving the firmware, with the retry the UEFI specification asks for. */
#ifndef AETHER_EXIT_BOOT_SERVICES_H
#define AETHER_EXIT_BOOT_SERVICES_H

#include <efi.h>
#include <stdint.h>

#define EXIT_BOOT_SERVICES_TRIES 8
#define MEMORY_MAP_SLACK_DESCRIPTORS 16

/* GetMemoryMap into a pool buffer with room for MEMORY_MAP_SLACK_DESCRIPTORS
 * more descriptors, then ExitBootServices with its key. The map can change in
 * between (an event may allocate): then the key is stale, the call returns
 * EFI_INVALID_PARAMETER, and both are retried, up to EXIT_BOOT_SERVICES_TRIES
 * times. After a failed ExitBootServices no other boot service is used.
 * *tries says how many attempts were made. */
EFI_STATUS uefi_exit_boot_services(EFI_HANDLE image, EFI_BOOT_SERVICES *bs, uint32_t *tries);

#endif
