/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* proof.h: the proof record v1, its SipHash tag, the key file and the replay rules. */
#ifndef AETHER_PROOF_H
#define AETHER_PROOF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fault.h"
#include "sha256.h"
#include "siphash.h"

/* The record layout is ARCHITECTURE.md, "Proof record": 112 little-endian
 * bytes, no padding. */
#define AETHER_PROOF_RECORD_SIZE 112
#define AETHER_PROOF_VERSION 1
#define AETHER_PROOF_KEY_SIZE AETHER_SIPHASH_KEY_SIZE
#define AETHER_TELEMETRY_MAX 256

/* The wake vectors a record may name. */
#define AETHER_PROOF_VECTOR_PRIMARY 0x20
#define AETHER_PROOF_VECTOR_SECONDARY 0x21

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
};

/* Serializes rec (magic and version included) into out. */
void aether_proof_encode(const struct aether_proof_record *rec, uint8_t out[AETHER_PROOF_RECORD_SIZE]);

/* Replay rules 1-3: length and magic, version, field ranges (including a zero
 * epoch or seq). Returns 0 and fills rec, or -1 with *why set to a static
 * description; rec is then unspecified. */
int aether_proof_decode(const uint8_t *buf, size_t len, struct aether_proof_record *rec, const char **why);

/* The tag committed to the uplink: SipHash-2-4 of the 112 record bytes. */
uint64_t aether_proof_tag(const uint8_t key[AETHER_PROOF_KEY_SIZE], const uint8_t record[AETHER_PROOF_RECORD_SIZE]);

/* Parses a key file (ARCHITECTURE.md, "Key file"). Returns 0 and fills key,
 * or -1 with key zeroed and err holding "line N: problem" (or
 * "line N, column C: problem"), truncated to errlen. err never quotes the
 * file, so it cannot leak key digits. */
int aether_key_parse(const char *text, size_t len, uint8_t key[AETHER_PROOF_KEY_SIZE], char *err, size_t errlen);

/* The verdicts of the replay rules, in the order the checks run. */
typedef enum aether_verdict {
        AETHER_VERDICT_VALID,
        AETHER_VERDICT_MALFORMED,       /* rules 1 and 3 */
        AETHER_VERDICT_UNKNOWN_VERSION, /* rule 2 */
        AETHER_VERDICT_BAD_TAG,         /* rule 4 */
        AETHER_VERDICT_REPLAY,          /* rule 5: same epoch, seq not after the last */
        AETHER_VERDICT_SEQUENCE_GAP,    /* rule 5: a wake is missing */
        AETHER_VERDICT_EPOCH_BACK,      /* rule 5: an older boot */
} aether_verdict_t;

/* "valid", "malformed", ...; NULL for a value outside the enum. */
const char *aether_verdict_name(aether_verdict_t verdict);

/* The verifier's memory: the last accepted (epoch, seq). Zero-initialize it
 * for a verifier that has seen nothing. */
struct aether_replay_state {
        bool have_last;
        uint64_t epoch, seq;
};

/* Applies replay rules 1-5 to record[0..len) and its tag. A valid record
 * becomes the new state; any other verdict leaves state untouched. If reason
 * is not NULL it receives the report text ("bad tag", "unknown version 2",
 * "sequence gap (expected 3, got 5)", ...), truncated to reason_size. */
aether_verdict_t aether_proof_check(struct aether_replay_state *state, const uint8_t key[AETHER_PROOF_KEY_SIZE],
                                    const uint8_t *record, size_t len, uint64_t tag, char *reason,
                                    size_t reason_size);

#endif
