/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* handoff.h: what efi_main hands the enclave after ExitBootServices. */
#ifndef AETHER_HANDOFF_H
#define AETHER_HANDOFF_H

#include <stdint.h>

#include "board.h"
#include "platform.h"
#include "proof.h"

struct aether_handoff {
        uint64_t arena;                 /* ARENA_BYTES at this address, below 4 GiB, zeroed */
        uint64_t boot_epoch;            /* this boot's epoch, already persisted */
        uint64_t entry_tsc;             /* TSC at efi_main entry */
        uint32_t exit_boot_services_tries;
        const struct aether_board *board; /* every wake's GSI resolved */
        const struct aether_platform *platform;
        uint64_t uplink_base, uplink_size; /* the uplink region, found before ExitBootServices */
        uint8_t device_key[AETHER_PROOF_KEY_SIZE]; /* from the board's key source (uefi/device_key.c); only in
                                                    * this image's own memory, which ring 3 never maps */
        uint8_t device_id[AETHER_DEVICE_ID_SIZE];  /* aether_derive_device_id() of device_key, at boot */
        uint64_t boot_flags;            /* AETHER_BOOT_FLAG_*: the key source's and Secure Boot's, for every record */
};

/* The enclave proper: runs on the arena's host stack, never returns. */
_Noreturn void enclave_main(const struct aether_handoff *handoff);

#endif
