/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* sha256.h: SHA-256 (FIPS 180-4) for telemetry and payload identities. */
#ifndef AETHER_SHA256_H
#define AETHER_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define AETHER_SHA256_SIZE 32
#define AETHER_SHA256_BLOCK_SIZE 64

/* A hash in progress. Fields are private to sha256.c. */
struct aether_sha256 {
        uint32_t state[8];
        uint64_t length;                          /* bytes hashed so far */
        uint8_t block[AETHER_SHA256_BLOCK_SIZE];  /* a partial block */
        size_t block_used;                        /* bytes valid in block */
};

void aether_sha256_init(struct aether_sha256 *ctx);
void aether_sha256_update(struct aether_sha256 *ctx, const void *data, size_t len);

/* Writes the digest and wipes ctx; init it again to reuse it. */
void aether_sha256_final(struct aether_sha256 *ctx, uint8_t digest[AETHER_SHA256_SIZE]);

/* The digest of data[0..len) in one call. */
void aether_sha256(const void *data, size_t len, uint8_t digest[AETHER_SHA256_SIZE]);

#endif
