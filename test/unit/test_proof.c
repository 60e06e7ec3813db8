/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* test_proof.c: proof record vectors, tamper and replay rules, key file parsing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "proof.h"

static const uint8_t dev_key[AETHER_PROOF_KEY_SIZE] = {
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
};

static void to_hex(const uint8_t *bytes, size_t len, char *out) {
        for (size_t i = 0; i < len; i++)
                sprintf(out + 2 * i, "%02x", bytes[i]);
}

static void from_hex(const char *hex, uint8_t *out, size_t len) {
        for (size_t i = 0; i < len; i++) {
                char pair[3] = { hex[2 * i], hex[2 * i + 1], '\0' };
                out[i] = (uint8_t)strtoul(pair, NULL, 16);
        }
}

/* A fixed vector: the key and fields in, the record bytes and tag out. The
 * expected values were cross-checked against an independent implementation
 * (Python struct, hashlib and SipHash-2-4); test/unit/proof_vectors.md
 * documents them. */
struct vector {
        const char *key_hex;
        struct aether_proof_record fields;   /* the two SHA-256 fields are filled in below */
        uint8_t telemetry[AETHER_TELEMETRY_MAX];
        const char *payload_text;            /* payload_sha256 = SHA-256(payload_text), or */
        uint8_t payload_fill_step;           /* payload_sha256[i] = fill_start + i * step */
        uint8_t payload_fill_start;
        const char *record_hex;
        uint64_t tag;
};

static struct vector vectors[3] = {
        {
                .key_hex = "000102030405060708090a0b0c0d0e0f",
                .fields = { .vector = 0x20, .outcome = AETHER_FAULT_NONE, .epoch = 1, .seq = 1, .status = 3,
                            .pressure_bits = 0x447d5000 /* 1013.25f */, .dose = 42, .telemetry_len = 0 },
                .payload_text = "abc",
                .record_hex = "4145505201002000010000000000000001000000000000000300000000507d442a000000"
                              "000000000000000000000000e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934c"
                              "a495991b7852b855ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61"
                              "f20015ad",
                .tag = UINT64_C(0x90a80400060a58bd),
        },
        {
                .key_hex = "000102030405060708090a0b0c0d0e0f",
                .fields = { .vector = 0x21, .outcome = AETHER_FAULT_OOB, .epoch = 7, .seq = 3, .status = 0,
                            .pressure_bits = 0x7fc00000 /* quiet NaN */, .dose = -5, .telemetry_len = 16,
                            .uplink_lo = 0xdeadbeef, .uplink_hi = 0x01234567 },
                .payload_fill_start = 0xa5,
                .record_hex = "414550520100210107000000000000000300000000000000000000000000c07ffbffffff"
                              "10000000efbeadde67452301be45cb2605bf36bebde684841a28f0fd43c69850a3dce5fe"
                              "dba69928ee3a8991a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5"
                              "a5a5a5a5",
                .tag = UINT64_C(0x0a90e4cda26fc2bc),
        },
        {
                .key_hex = "f0e1d2c3b4a5968778695a4b3c2d1e0f",
                .fields = { .vector = 0x20, .outcome = AETHER_FAULT_WATCHDOG, .epoch = UINT64_C(0x0123456789abcdef),
                            .seq = UINT64_C(0xfedcba9876543210), .status = 0, .pressure_bits = 0xc2f60000 /* -123.0f */,
                            .dose = INT32_MIN, .telemetry_len = 256, .uplink_lo = 0xffffffff,
                            .uplink_hi = 0x80000000 },
                .payload_fill_step = 1,
                .record_hex = "4145505201002008efcdab89674523011032547698badcfe000000000000f6c200000080"
                              "00010000ffffffff00000080d9c76fa34978cb9620dab8c3f46bbe075fddc145eb282b39"
                              "009141f98d0cfe82000102030405060708090a0b0c0d0e0f101112131415161718191a1b"
                              "1c1d1e1f",
                .tag = UINT64_C(0x4224b76280eb8de7),
        },
};

static void prepare_vectors(void) {
        /* Telemetry: vector 2 carries 00..0f, vector 3 (i * 7 + 3) mod 256. */
        for (int i = 0; i < 16; i++)
                vectors[1].telemetry[i] = (uint8_t)i;
        for (int i = 0; i < AETHER_TELEMETRY_MAX; i++)
                vectors[2].telemetry[i] = (uint8_t)(i * 7 + 3);

        for (size_t v = 0; v < sizeof(vectors) / sizeof(vectors[0]); v++) {
                struct vector *vec = &vectors[v];
                aether_sha256(vec->telemetry, vec->fields.telemetry_len, vec->fields.telemetry_sha256);
                if (vec->payload_text)
                        aether_sha256(vec->payload_text, strlen(vec->payload_text), vec->fields.payload_sha256);
                else
                        for (int i = 0; i < AETHER_SHA256_SIZE; i++)
                                vec->fields.payload_sha256[i] =
                                        (uint8_t)(vec->payload_fill_start + i * vec->payload_fill_step);
        }
}

static bool records_equal(const struct aether_proof_record *a, const struct aether_proof_record *b) {
        return a->vector == b->vector && a->outcome == b->outcome && a->epoch == b->epoch && a->seq == b->seq &&
               a->status == b->status && a->pressure_bits == b->pressure_bits && a->dose == b->dose &&
               a->telemetry_len == b->telemetry_len && a->uplink_lo == b->uplink_lo && a->uplink_hi == b->uplink_hi &&
               memcmp(a->telemetry_sha256, b->telemetry_sha256, AETHER_SHA256_SIZE) == 0 &&
               memcmp(a->payload_sha256, b->payload_sha256, AETHER_SHA256_SIZE) == 0;
}

/* Encodes, tags and decodes each vector, and prints them as markdown rows. */
static void test_vectors(void) {
        printf("| # | key | fields | record (112 bytes, hex) | tag |\n|---|---|---|---|---|\n");
        for (size_t v = 0; v < sizeof(vectors) / sizeof(vectors[0]); v++) {
                const struct vector *vec = &vectors[v];
                const struct aether_proof_record *f = &vec->fields;
                uint8_t key[AETHER_PROOF_KEY_SIZE], record[AETHER_PROOF_RECORD_SIZE];
                char record_hex[2 * AETHER_PROOF_RECORD_SIZE + 1];

                from_hex(vec->key_hex, key, sizeof(key));
                aether_proof_encode(f, record);
                to_hex(record, sizeof(record), record_hex);
                CHECK_MSG(strcmp(record_hex, vec->record_hex) == 0,
                          "vector %zu record:\n  got      %s\n  expected %s", v + 1, record_hex, vec->record_hex);

                uint64_t tag = aether_proof_tag(key, record);
                CHECK_MSG(tag == vec->tag, "vector %zu tag: got 0x%016llx, expected 0x%016llx", v + 1,
                          (unsigned long long)tag, (unsigned long long)vec->tag);

                struct aether_proof_record decoded;
                const char *why = NULL;
                CHECK_MSG(aether_proof_decode(record, sizeof(record), &decoded, &why) == 0, "vector %zu decode: %s",
                          v + 1, why);
                CHECK_MSG(records_equal(&decoded, f), "vector %zu: decode(encode(r)) != r", v + 1);

                struct aether_replay_state state = { 0 };
                CHECK_MSG(aether_proof_check(&state, key, record, sizeof(record), vec->tag, NULL, 0) ==
                                  AETHER_VERDICT_VALID,
                          "vector %zu not accepted", v + 1);

                printf("| %zu | `%s` | vector=0x%02x outcome=%s epoch=%llu seq=%llu status=%d pressure_bits=0x%08x "
                       "dose=%d telemetry_len=%u uplink_lo=0x%08x uplink_hi=0x%08x | `%s` | `0x%016llx` |\n",
                       v + 1, vec->key_hex, f->vector, aether_fault_name(f->outcome), (unsigned long long)f->epoch,
                       (unsigned long long)f->seq, f->status, f->pressure_bits, f->dose, f->telemetry_len, f->uplink_lo,
                       f->uplink_hi, record_hex, (unsigned long long)tag);
        }
}

/* A valid record (vector 1) and its tag, for the tamper and replay tests. */
static void signed_record(const struct aether_proof_record *rec, uint8_t record[AETHER_PROOF_RECORD_SIZE],
                          uint64_t *tag) {
        aether_proof_encode(rec, record);
        *tag = aether_proof_tag(dev_key, record);
}

static struct aether_proof_record base_record(uint64_t epoch, uint64_t seq) {
        struct aether_proof_record rec = vectors[0].fields;
        rec.epoch = epoch;
        rec.seq = seq;
        return rec;
}

/* Flipping any one of the 896 record bits or 64 tag bits is rejected. */
static void test_bit_flips(void) {
        struct aether_proof_record rec = base_record(1, 1);
        uint8_t record[AETHER_PROOF_RECORD_SIZE];
        uint64_t tag;

        signed_record(&rec, record, &tag);
        for (size_t bit = 0; bit < 8 * sizeof(record); bit++) {
                struct aether_replay_state state = { 0 };
                size_t byte = bit / 8;
                record[byte] ^= (uint8_t)(1u << (bit % 8));
                aether_verdict_t v = aether_proof_check(&state, dev_key, record, sizeof(record), tag, NULL, 0);
                record[byte] ^= (uint8_t)(1u << (bit % 8));

                /* Magic and version are checked first; a flip in a ranged
                 * field (bytes 0x06..0x27) may leave its range; the uplink
                 * words and hashes have no range, so only the tag guards them. */
                bool expected;
                if (byte < 4)
                        expected = v == AETHER_VERDICT_MALFORMED;
                else if (byte < 6)
                        expected = v == AETHER_VERDICT_UNKNOWN_VERSION;
                else if (byte < 0x28)
                        expected = v == AETHER_VERDICT_MALFORMED || v == AETHER_VERDICT_BAD_TAG;
                else
                        expected = v == AETHER_VERDICT_BAD_TAG;
                CHECK_MSG(expected, "record bit %zu (byte 0x%02zx) flipped: verdict %s", bit, byte,
                          aether_verdict_name(v));
                CHECK_MSG(!state.have_last, "record bit %zu flipped: state updated", bit);
        }
        for (unsigned bit = 0; bit < 64; bit++) {
                struct aether_replay_state state = { 0 };
                aether_verdict_t v =
                        aether_proof_check(&state, dev_key, record, sizeof(record), tag ^ (UINT64_C(1) << bit), NULL, 0);
                CHECK_MSG(v == AETHER_VERDICT_BAD_TAG, "tag bit %u flipped: verdict %s", bit, aether_verdict_name(v));
        }
        struct aether_replay_state state = { 0 };
        CHECK_MSG(aether_proof_check(&state, dev_key, record, sizeof(record), tag, NULL, 0) == AETHER_VERDICT_VALID,
                  "the unflipped record must still be valid");
}

static void test_wrong_key(void) {
        struct aether_proof_record rec = base_record(1, 1);
        uint8_t record[AETHER_PROOF_RECORD_SIZE], other_key[AETHER_PROOF_KEY_SIZE];
        uint64_t tag;
        char reason[64];

        signed_record(&rec, record, &tag);
        memcpy(other_key, dev_key, sizeof(other_key));
        other_key[15] ^= 0x80;
        struct aether_replay_state state = { 0 };
        CHECK_MSG(aether_proof_check(&state, other_key, record, sizeof(record), tag, reason, sizeof(reason)) ==
                          AETHER_VERDICT_BAD_TAG,
                  "a record checked with another key must be rejected");
        CHECK_MSG(strcmp(reason, "bad tag") == 0, "wrong key reason: %s", reason);
}

/* Submits (epoch, seq) to the verifier and checks verdict and reason. */
static void expect_verdict(struct aether_replay_state *state, uint64_t epoch, uint64_t seq, aether_verdict_t expected,
                           const char *expected_reason) {
        struct aether_proof_record rec = base_record(epoch, seq);
        struct aether_replay_state before = *state;
        uint8_t record[AETHER_PROOF_RECORD_SIZE];
        uint64_t tag;
        char reason[96];

        signed_record(&rec, record, &tag);
        aether_verdict_t v = aether_proof_check(state, dev_key, record, sizeof(record), tag, reason, sizeof(reason));
        CHECK_MSG(v == expected && strcmp(reason, expected_reason) == 0,
                  "epoch %llu seq %llu: got %s \"%s\", expected %s \"%s\"", (unsigned long long)epoch,
                  (unsigned long long)seq, aether_verdict_name(v), reason, aether_verdict_name(expected),
                  expected_reason);
        if (v == AETHER_VERDICT_VALID)
                CHECK_MSG(state->have_last && state->epoch == epoch && state->seq == seq, "state not advanced");
        else
                CHECK_MSG(before.have_last == state->have_last && before.epoch == state->epoch &&
                                  before.seq == state->seq,
                          "a rejected record changed the state");
}

static void test_replay_rules(void) {
        struct aether_replay_state state = { 0 };

        expect_verdict(&state, 3, 7, AETHER_VERDICT_VALID, "valid"); /* may start mid-stream */
        expect_verdict(&state, 3, 7, AETHER_VERDICT_REPLAY, "replay");
        expect_verdict(&state, 3, 2, AETHER_VERDICT_REPLAY, "replay");
        expect_verdict(&state, 3, 9, AETHER_VERDICT_SEQUENCE_GAP, "sequence gap (expected 8, got 9)");
        expect_verdict(&state, 3, 8, AETHER_VERDICT_VALID, "valid");
        expect_verdict(&state, 2, 9, AETHER_VERDICT_EPOCH_BACK, "epoch went back");
        expect_verdict(&state, 4, 5, AETHER_VERDICT_SEQUENCE_GAP, "sequence gap (expected 1, got 5)");
        expect_verdict(&state, 4, 1, AETHER_VERDICT_VALID, "valid");
        expect_verdict(&state, 4, 2, AETHER_VERDICT_VALID, "valid");
        expect_verdict(&state, 9, 1, AETHER_VERDICT_VALID, "valid"); /* boots may go unseen */
        expect_verdict(&state, 9, 0, AETHER_VERDICT_MALFORMED, "malformed record: zero epoch/seq");
        expect_verdict(&state, 0, 2, AETHER_VERDICT_MALFORMED, "malformed record: zero epoch/seq");

        /* The largest counters neither overflow nor wrap. */
        struct aether_replay_state top = { 0 };
        expect_verdict(&top, UINT64_MAX, UINT64_MAX, AETHER_VERDICT_VALID, "valid");
        expect_verdict(&top, UINT64_MAX, UINT64_MAX, AETHER_VERDICT_REPLAY, "replay");
        expect_verdict(&top, UINT64_MAX, 1, AETHER_VERDICT_REPLAY, "replay");

        struct aether_replay_state fresh = { 0 };
        expect_verdict(&fresh, 0, 0, AETHER_VERDICT_MALFORMED, "malformed record: zero epoch/seq");
        CHECK_MSG(!fresh.have_last, "a malformed first record must not set the state");
}

/* A record with one field changed and a correct tag: rules 1-3 still apply. */
static void expect_malformed(const uint8_t *record, size_t len, aether_verdict_t expected, const char *expected_reason) {
        struct aether_replay_state state = { 0 };
        struct aether_proof_record decoded;
        const char *why = NULL;
        char reason[96];
        uint64_t tag = record && len == AETHER_PROOF_RECORD_SIZE ? aether_proof_tag(dev_key, record) : 0;

        aether_verdict_t v = aether_proof_check(&state, dev_key, record, len, tag, reason, sizeof(reason));
        CHECK_MSG(v == expected && strcmp(reason, expected_reason) == 0, "got %s \"%s\", expected %s \"%s\"",
                  aether_verdict_name(v), reason, aether_verdict_name(expected), expected_reason);
        CHECK_MSG(aether_proof_decode(record, len, &decoded, &why) == -1 && why != NULL, "decode accepted: %s",
                  expected_reason);
        CHECK_MSG(!state.have_last, "state set by a malformed record");
}

static void test_malformed(void) {
        struct aether_proof_record rec = base_record(1, 1);
        uint8_t record[AETHER_PROOF_RECORD_SIZE + 1], bad[AETHER_PROOF_RECORD_SIZE];

        aether_proof_encode(&rec, record);
        record[AETHER_PROOF_RECORD_SIZE] = 0;
        expect_malformed(record, AETHER_PROOF_RECORD_SIZE - 1, AETHER_VERDICT_MALFORMED, "malformed record");
        expect_malformed(record, AETHER_PROOF_RECORD_SIZE + 1, AETHER_VERDICT_MALFORMED, "malformed record");
        expect_malformed(record, 0, AETHER_VERDICT_MALFORMED, "malformed record");
        expect_malformed(NULL, AETHER_PROOF_RECORD_SIZE, AETHER_VERDICT_MALFORMED, "malformed record");

        memcpy(bad, record, sizeof(bad));
        bad[3] = 'S';
        expect_malformed(bad, sizeof(bad), AETHER_VERDICT_MALFORMED, "malformed record");

        memcpy(bad, record, sizeof(bad));
        bad[4] = 2;
        expect_malformed(bad, sizeof(bad), AETHER_VERDICT_UNKNOWN_VERSION, "unknown version 2");
        bad[4] = 0x01;
        bad[5] = 0x01;
        expect_malformed(bad, sizeof(bad), AETHER_VERDICT_UNKNOWN_VERSION, "unknown version 257");

        struct {
                struct aether_proof_record rec;
                const char *reason;
        } fields[] = {
                { rec, "malformed record: outcome" },
                { rec, "malformed record: vector" },
                { rec, "malformed record: vector" },
                { rec, "malformed record: telemetry length" },
                { rec, "malformed record: status with a fault" },
        };
        fields[0].rec.outcome = (aether_fault_t)AETHER_FAULT_COUNT;
        fields[1].rec.vector = 0x22;
        fields[2].rec.vector = 0x1f;
        fields[3].rec.telemetry_len = AETHER_TELEMETRY_MAX + 1;
        fields[4].rec.outcome = AETHER_FAULT_HOST_CALL; /* status stays 3 */
        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
                aether_proof_encode(&fields[i].rec, bad);
                expect_malformed(bad, sizeof(bad), AETHER_VERDICT_MALFORMED, fields[i].reason);
        }

        /* The edges that are allowed. */
        struct aether_proof_record edge = rec;
        edge.telemetry_len = AETHER_TELEMETRY_MAX;
        edge.outcome = AETHER_FAULT_HOST_CALL;
        edge.status = 0;
        edge.vector = 0x21;
        uint64_t tag;
        signed_record(&edge, bad, &tag);
        struct aether_replay_state state = { 0 };
        CHECK_MSG(aether_proof_check(&state, dev_key, bad, sizeof(bad), tag, NULL, 0) == AETHER_VERDICT_VALID,
                  "a 256-byte telemetry host_call record on vector 0x21 must be valid");
}

/* A reason that does not fit is cut, never overrun. */
static void test_reason_truncation(void) {
        struct aether_proof_record rec = base_record(5, 5);
        uint8_t record[AETHER_PROOF_RECORD_SIZE];
        uint64_t tag;
        char reason[8];

        signed_record(&rec, record, &tag);
        struct aether_replay_state state = { .have_last = true, .epoch = 5, .seq = 1 };
        memset(reason, 'x', sizeof(reason));
        CHECK_MSG(aether_proof_check(&state, dev_key, record, sizeof(record), tag, reason, sizeof(reason)) ==
                          AETHER_VERDICT_SEQUENCE_GAP,
                  "gap expected");
        CHECK_MSG(memcmp(reason, "sequenc", 8) == 0, "truncated reason: %.8s", reason);
        CHECK_MSG(aether_proof_check(&state, dev_key, record, sizeof(record), tag, reason, 0) ==
                          AETHER_VERDICT_SEQUENCE_GAP,
                  "reason_size 0 must be allowed");
}

static void test_verdict_names(void) {
        const char *seen[AETHER_VERDICT_EPOCH_BACK + 1];

        for (int v = AETHER_VERDICT_VALID; v <= AETHER_VERDICT_EPOCH_BACK; v++) {
                seen[v] = aether_verdict_name((aether_verdict_t)v);
                CHECK_MSG(seen[v] != NULL, "verdict %d has no name", v);
                for (int w = 0; w < v && seen[v]; w++)
                        CHECK_MSG(seen[w] && strcmp(seen[w], seen[v]) != 0, "verdicts %d and %d share a name", w, v);
        }
        CHECK_MSG(aether_verdict_name((aether_verdict_t)(AETHER_VERDICT_EPOCH_BACK + 1)) == NULL,
                  "a value outside the enum must have no name");
}

static void expect_key(const char *text, size_t len, const char *what) {
        uint8_t key[AETHER_PROOF_KEY_SIZE];
        char err[96] = "";

        int r = aether_key_parse(text, len, key, err, sizeof(err));
        CHECK_MSG(r == 0 && memcmp(key, dev_key, sizeof(key)) == 0, "%s: not accepted (%s)", what, err);
}

static void expect_key_error(const char *text, const char *expected_err) {
        uint8_t key[AETHER_PROOF_KEY_SIZE];
        char err[96] = "";

        memset(key, 0x5a, sizeof(key));
        int r = aether_key_parse(text, strlen(text), key, err, sizeof(err));
        CHECK_MSG(r == -1 && strcmp(err, expected_err) == 0, "key file \"%s\": got %d \"%s\", expected \"%s\"", text, r,
                  err, expected_err);
        static const uint8_t zero[AETHER_PROOF_KEY_SIZE];
        CHECK_MSG(memcmp(key, zero, sizeof(key)) == 0, "key file \"%s\": key not zeroed on error", text);
}

static void test_key_file(void) {
        /* The committed development key file. */
        FILE *f = fopen(AETHER_DEV_KEY_FILE, "rb");
        char text[512];
        size_t len = 0;
        CHECK_MSG(f != NULL, "cannot open %s", AETHER_DEV_KEY_FILE);
        if (f) {
                len = fread(text, 1, sizeof(text), f);
                fclose(f);
        }
        expect_key(text, len, AETHER_DEV_KEY_FILE);

        expect_key("000102030405060708090a0b0c0d0e0f", 32, "no newline");
        expect_key("000102030405060708090A0B0C0D0E0F\n", 33, "upper case");
        expect_key("000102030405060708090a0b0c0d0e0f\r\n", 34, "CRLF");
        expect_key("#\n# two comments\r\n000102030405060708090a0b0c0d0e0f\n", 50, "comments");

        expect_key_error("", "line 1: empty file, expected 32 hexadecimal digits");
        expect_key_error("# only a comment\n", "line 2: no key, expected 32 hexadecimal digits");
        expect_key_error("# c\n# d", "line 2: comment without a key line after it");
        expect_key_error("\n000102030405060708090a0b0c0d0e0f\n", "line 1: no key, expected 32 hexadecimal digits");
        expect_key_error("# c\n00010203040506070809 0a0b0c0d0e0f\n", "line 2, column 21: not a hexadecimal digit");
        expect_key_error("0x0102030405060708090a0b0c0d0e0f\n", "line 1, column 2: not a hexadecimal digit");
        expect_key_error("000102030405060708090a0b0c0d0e0\n", "line 1: fewer than 32 hexadecimal digits");
        expect_key_error("000102030405060708090a0b0c0d0e0f0\n", "line 1: more than 32 hexadecimal digits");
        expect_key_error("000102030405060708090a0b0c0d0e0f \n", "line 1, column 33: not a hexadecimal digit");
        expect_key_error("000102030405060708090a0b0c0d0e0f\r", "line 1, column 33: carriage return without a line feed");
        expect_key_error("000102030405060708090a0b0c0d0e0f\n\n", "line 2: unexpected text after the key line");
        expect_key_error("#\n#\n000102030405060708090a0b0c0d0e0f\n# late comment\n",
                         "line 4: unexpected text after the key line");
        expect_key_error(" 000102030405060708090a0b0c0d0e0f\n", "line 1, column 1: not a hexadecimal digit");

        /* An embedded NUL is not a digit, even though it ends a C string. */
        static const char nul[] = "0001020304050607\0" "08090a0b0c0d0e0f\n";
        uint8_t key[AETHER_PROOF_KEY_SIZE];
        char err[96];
        CHECK_MSG(aether_key_parse(nul, sizeof(nul) - 1, key, err, sizeof(err)) == -1 &&
                          strcmp(err, "line 1, column 17: not a hexadecimal digit") == 0,
                  "embedded NUL: %s", err);

        /* Error texts are cut to the buffer, and a NULL buffer is allowed. */
        char small[8];
        CHECK_MSG(aether_key_parse("zz", 2, key, small, sizeof(small)) == -1 && strcmp(small, "line 1,") == 0,
                  "truncated error: \"%s\"", small);
        CHECK_MSG(aether_key_parse("zz", 2, key, NULL, 0) == -1, "NULL error buffer");
        CHECK_MSG(aether_key_parse(NULL, 0, key, err, sizeof(err)) == -1, "NULL text");
}

int main(void) {
        prepare_vectors();
        test_vectors();
        test_bit_flips();
        test_wrong_key();
        test_replay_rules();
        test_malformed();
        test_reason_truncation();
        test_verdict_names();
        test_key_file();
        return check_summary("test_proof");
}
