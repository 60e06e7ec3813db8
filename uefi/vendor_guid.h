/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* vendor_guid.h: the vendor GUID of the image's UEFI variables (AetherBootEpoch, AetherDeviceKey). */
#ifndef AETHER_VENDOR_GUID_H
#define AETHER_VENDOR_GUID_H

/* 7c1e5b4a-0f2d-4c3e-9a61-ae7e1c0d5e01 (ARCHITECTURE.md, "Key sources"); an EFI_GUID initializer. */
#define AETHER_VENDOR_GUID {0x7c1e5b4a, 0x0f2d, 0x4c3e, {0x9a, 0x61, 0xae, 0x7e, 0x1c, 0x0d, 0x5e, 0x01}}

#endif
