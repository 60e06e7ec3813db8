/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* proof.h: the proof record v2, its SipHash tag, the device ID and the key file. */
#ifndef AETHER_PROOF_H
#define AETHER_PROOF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fault.h"
#include "sha256.h"
#include "siphash.h"

/* The record layout is ARCHITECTURE.md, "Proof record": 152 little-endian
 * bytes, no padding. Version 1 (112 bytes) is obsolete: a verifier only needs
 * its size, to step over its proof stream entries. */
#define AETHER_PROOF_RECORD_SIZE 152
#define AETHER_PROOF_VERSION 2
#define AETHER_PROOF_V1_RECORD_SIZE 112
#define AETHER_PROOF_KEY_SIZE AETHER_SIPHASH_KEY_SIZE
#define AETHER_DEVICE_ID_SIZE 16
#define AETHER_TELEMETRY_MAX 256

/* The wake vectors a record may name. */
#define AETHER_PROOF_VECTOR_PRIMARY 0x20
#define AETHER_PROOF_VECTOR_SECONDARY 0x21

/* The record's boot flags (ARCHITECTURE.md 7.4). Every other bit is zero;
 * aether_proof_decode() names a record that breaks their rule malformed. */
#define AETHER_BOOT_FLAG_DEVELOPMENT_KEY UINT64_C(0x1)   /* the key is the public development key */
#define AETHER_BOOT_FLAG_SECURE_BOOT_KNOWN UINT64_C(0x2) /* SecureBoot and SetupMode were read */
#define AETHER_BOOT_FLAG_SECURE_BOOT_ON UINT64_C(0x4)    /* ... and SecureBoot was 1; only with SECURE_BOOT_KNOWN */
#define AETHER_BOOT_FLAG_SETUP_MODE UINT64_C(0x8)        /* ... and SetupMode was 1; only with SECURE_BOOT_KNOWN */
#define AETHER_BOOT_FLAG_KEY_UEFI_VARIABLE UINT64_C(0x10) /* the key came from the boot-services-only variable */
#define AETHER_BOOT_FLAG_KEY_TPM UINT64_C(0x20)          /* the key was unsealed by the TPM (PCR 7 policy) */
#define AETHER_BOOT_FLAG_EPOCH_TPM UINT64_C(0x40)        /* the epoch is the TPM NV counter; only with KEY_TPM */
#define AETHER_BOOT_FLAGS_DEFINED UINT64_C(0x7f)

/* A decoded record. Never copied byte-wise: aether_proof_encode() is the one
 * definition of the wire form. */
struct aether_proof_record {
        uint8_t vector;                              /* 0x20 or 0x21 */
        aether_fault_t outcome;
        uint64_t epoch;                              /* boot epoch, first boot = 1 */
        uint64_t seq;                                /* wake within the boot, first = 1 */
        int32_t status;                              /* evaluate_limits, 0 unless outcome ok */
        uint32_t pressure_bits;                      /* raw f32 bits as the guest read them */
        int32_t dose;
        uint32_t telemetry_len;                      /* 0..AETHER_TELEMETRY_MAX */
        uint32_t uplink_lo;                          /* the guest's last commit_uplink(lo, hi) */
        uint32_t uplink_hi;
        uint8_t telemetry_sha256[AETHER_SHA256_SIZE];
        uint8_t payload_sha256[AETHER_SHA256_SIZE];  /* SHA-256 of the .wasm */
        uint8_t device_id[AETHER_DEVICE_ID_SIZE];    /* aether_derive_device_id() of the device key */
        uint64_t dropped_wakes;                      /* this boot, up to this commit: queue full */
        uint64_t rejected_frames;                    /* this boot, up to this commit: bad frames */
        uint64_t boot_flags;                         /* AETHER_BOOT_FLAG_* */
};

/* Serializes rec (magic and version included) into out. */
void aether_proof_encode(const struct aether_proof_record *rec, uint8_t out[AETHER_PROOF_RECORD_SIZE]);

/* What aether_proof_decode() found, in the order it checks. */
typedef enum aether_record_check {
        AETHER_RECORD_OK,
        AETHER_RECORD_MALFORMED,        /* magic, length or a field out of its range */
        AETHER_RECORD_OBSOLETE_VERSION, /* version 1 */
        AETHER_RECORD_UNKNOWN_VERSION,  /* any version but 1 and 2 */
} aether_record_check_t;

/* The record rules 1-4 of ARCHITECTURE.md ("Verdicts"): magic, version,
 * length, field ranges. Fills rec when it returns AETHER_RECORD_OK (rec is
 * unspecified otherwise). If reason is not NULL it receives the report text
 * ("malformed record: vector", "unknown version 7", ...; "valid" when OK),
 * truncated to reason_size. */
aether_record_check_t aether_proof_decode(const uint8_t *buf, size_t len, struct aether_proof_record *rec,
                                          char *reason, size_t reason_size);

/* The tag committed to the uplink: SipHash-2-4 of the 152 record bytes. */
uint64_t aether_proof_tag(const uint8_t key[AETHER_PROOF_KEY_SIZE], const uint8_t record[AETHER_PROOF_RECORD_SIZE]);

/* The device ID of a key: the first 16 bytes of SHA-256("aether-device-id-v1"
 * followed by the 16 key bytes). One-way: it never reveals the key. */
void aether_derive_device_id(const uint8_t key[AETHER_PROOF_KEY_SIZE], uint8_t id[AETHER_DEVICE_ID_SIZE]);

/* The public development key 000102030405060708090a0b0c0d0e0f
 * (enclave/keys/development.key; ARCHITECTURE.md 7.3): the key source
 * `development`. Its proofs prove nothing. */
extern const uint8_t aether_development_key[AETHER_PROOF_KEY_SIZE];

/* A hexadecimal digit's value (either case), or -1: the key file's digits,
 * and every hex field the ground tools read. */
int aether_hex_digit(char c);

/* Parses a key file (ARCHITECTURE.md, "Key file"). Returns 0 and fills key,
 * or -1 with key zeroed and err holding "line N: problem" (or
 * "line N, column C: problem"), truncated to errlen. err never quotes the
 * file, so it cannot leak key digits. */
int aether_key_parse(const char *text, size_t len, uint8_t key[AETHER_PROOF_KEY_SIZE], char *err, size_t errlen);

#endif
