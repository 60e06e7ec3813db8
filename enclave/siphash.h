/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* siphash.h: SipHash-2-4, the keyed 64-bit MAC that tags every proof record. */
#ifndef AETHER_SIPHASH_H
#define AETHER_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

#define AETHER_SIPHASH_KEY_SIZE 16

/* SipHash-2-4 of msg[0..len) under key, with the reference conventions:
 * k0 = LE u64 of key[0..8], k1 = LE u64 of key[8..16]. */
uint64_t aether_siphash24(const uint8_t key[AETHER_SIPHASH_KEY_SIZE], const void *msg, size_t len);

#endif
