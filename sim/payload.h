/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* payload.h: what the runner learns of its payload from the build's generated headers (payload_glue.c). */
#ifndef AETHER_SIM_PAYLOAD_H
#define AETHER_SIM_PAYLOAD_H

#include <stdint.h>

#include "sha256.h"

/* The module's memory, from payload_iface.h (aether-wasm-check --emit-header),
 * as enclave_main.c passes it to aether_cycle_init. */
extern const uint32_t aether_sim_memory_min_pages;
extern const uint32_t aether_sim_memory_max_pages;

/* The payload identity aether-embed computed, which cycle.c seals into every record. */
extern const uint8_t *const aether_sim_payload_sha256;

#endif
