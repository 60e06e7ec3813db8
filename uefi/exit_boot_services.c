/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* exit_boot_services.c: GetMemoryMap + ExitBootServices, retried while the map key goes stale. */
#include "exit_boot_services.h"

EFI_STATUS uefi_exit_boot_services(EFI_HANDLE image, EFI_BOOT_SERVICES *bs, uint32_t *tries) {
        UINTN map_size = 0, map_key, descriptor_size;
        UINT32 descriptor_version;
        *tries = 0;
        EFI_STATUS status = bs->GetMemoryMap(&map_size, NULL, &map_key, &descriptor_size, &descriptor_version);
        if (status != EFI_BUFFER_TOO_SMALL)
                return status;
        UINTN capacity = map_size + MEMORY_MAP_SLACK_DESCRIPTORS * descriptor_size;
        EFI_MEMORY_DESCRIPTOR *map;
        status = bs->AllocatePool(EfiLoaderData, capacity, (void **)&map);
        if (EFI_ERROR(status))
                return status;
        while (*tries < EXIT_BOOT_SERVICES_TRIES) {
                (*tries)++;
                map_size = capacity;
                status = bs->GetMemoryMap(&map_size, map, &map_key, &descriptor_size, &descriptor_version);
                if (EFI_ERROR(status))
                        return status;
                status = bs->ExitBootServices(image, map_key);
                if (status != EFI_INVALID_PARAMETER)
                        return status;
        }
        return status;
}
