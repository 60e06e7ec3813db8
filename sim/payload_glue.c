/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* payload_glue.c: compiled with each payload's generated headers: its memory limits and identity, for the runner. */
#include "payload.h"

#include "aether_embedded.h"
#include "payload_iface.h"

const uint32_t aether_sim_memory_min_pages = AETHER_PAYLOAD_MEMORY_MIN_PAGES;
const uint32_t aether_sim_memory_max_pages = AETHER_PAYLOAD_MEMORY_MAX_PAGES;
const uint8_t *const aether_sim_payload_sha256 = aether_payload_sha256;
