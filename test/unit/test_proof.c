/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* test_proof.c: proof record v2 vectors, decoding rules, tampering, the device ID, key file parsing. */
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

/* A fixed vector: the key and fields in, the record bytes, tag and device ID
 * out. The expected values come from an independent implementation
 * (scripts/aether_harness/vectors.py: Python struct, hashlib and the
 * harness's SipHash-2-4); ARCHITECTURE.md 7.5 prints them, and ctest
 * harness.vectors checks that it still does. */
struct vector {
        const char *key_hex;
        struct aether_proof_record fields;   /* the two SHA-256 fields are filled in below */
        uint8_t telemetry[AETHER_TELEMETRY_MAX];
        const char *payload_text;            /* payload_sha256 = SHA-256(payload_text), or */
        uint8_t payload_fill_step;           /* payload_sha256[i] = fill_start + i * step */
        uint8_t payload_fill_start;
        const char *record_hex;
        uint64_t tag;
        const char *device_id_hex;
};

static struct vector vectors[3] = {
        {
                .key_hex = "000102030405060708090a0b0c0d0e0f",
                .fields = { .vector = 0x20, .outcome = AETHER_FAULT_NONE, .epoch = 1, .seq = 1, .status = 3,
                            .pressure_bits = 0x447d5000 /* 1013.25f */, .dose = 42, .telemetry_len = 0,
                            .boot_flags = AETHER_BOOT_FLAG_DEVELOPMENT_KEY },
                .payload_text = "abc",
                .record_hex = "4145505202002000010000000000000001000000000000000300000000507d442a000000"
                              "000000000000000000000000e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934c"
                              "a495991b7852b855ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61"
                              "f20015ad4fe0f94cd4c6d74097657433fe3813bd00000000000000000000000000000000"
                              "0100000000000000",
                .tag = UINT64_C(0xcb3f2348e9c7ddc0),
                .device_id_hex = "4fe0f94cd4c6d74097657433fe3813bd",
        },
        {
                .key_hex = "000102030405060708090a0b0c0d0e0f",
                .fields = { .vector = 0x21, .outcome = AETHER_FAULT_OOB, .epoch = 7, .seq = 3, .status = 0,
                            .pressure_bits = 0x7fc00000 /* quiet NaN */, .dose = -5, .telemetry_len = 16,
                            .uplink_lo = 0xdeadbeef, .uplink_hi = 0x01234567, .dropped_wakes = 2,
                            .rejected_frames = 5, .boot_flags = AETHER_BOOT_FLAG_DEVELOPMENT_KEY },
                .payload_fill_start = 0xa5,
                .record_hex = "414550520200210107000000000000000300000000000000000000000000c07ffbffffff"
                              "10000000efbeadde67452301be45cb2605bf36bebde684841a28f0fd43c69850a3dce5fe"
                              "dba69928ee3a8991a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5"
                              "a5a5a5a54fe0f94cd4c6d74097657433fe3813bd02000000000000000500000000000000"
                              "0100000000000000",
                .tag = UINT64_C(0xba15ead7e2243dd5),
                .device_id_hex = "4fe0f94cd4c6d74097657433fe3813bd",
        },
        {
                .key_hex = "f0e1d2c3b4a5968778695a4b3c2d1e0f",
                .fields = { .vector = 0x20, .outcome = AETHER_FAULT_WATCHDOG, .epoch = UINT64_C(0x0123456789abcdef),
                            .seq = UINT64_C(0xfedcba9876543210), .status = 0, .pressure_bits = 0xc2f60000 /* -123.0f */,
                            .dose = INT32_MIN, .telemetry_len = 256, .uplink_lo = 0xffffffff,
                            .uplink_hi = 0x80000000, .dropped_wakes = UINT64_C(0x0102030405060708),
                            .rejected_frames = UINT64_C(0xfffffffffffffffe),
                            .boot_flags = AETHER_BOOT_FLAG_SECURE_BOOT_KNOWN | AETHER_BOOT_FLAG_SECURE_BOOT_ON },
                .payload_fill_step = 1,
                .record_hex = "4145505202002008efcdab89674523011032547698badcfe000000000000f6c200000080"
                              "00010000ffffffff00000080d9c76fa34978cb9620dab8c3f46bbe075fddc145eb282b39"
                              "009141f98d0cfe82000102030405060708090a0b0c0d0e0f101112131415161718191a1b"
                              "1c1d1e1f8c6dfb90d474a08fa962d7569e5bd3aa0807060504030201feffffffffffffff"
                              "0600000000000000",
                .tag = UINT64_C(0x9fc3dbdbd4ba9e26),
                .device_id_hex = "8c6dfb90d474a08fa962d7569e5bd3aa",
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
                from_hex(vec->device_id_hex, vec->fields.device_id, AETHER_DEVICE_ID_SIZE);
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
               memcmp(a->payload_sha256, b->payload_sha256, AETHER_SHA256_SIZE) == 0 &&
               memcmp(a->device_id, b->device_id, AETHER_DEVICE_ID_SIZE) == 0 &&
               a->dropped_wakes == b->dropped_wakes && a->rejected_frames == b->rejected_frames &&
               a->boot_flags == b->boot_flags;
}

/* Encodes, tags and decodes each vector; the device ID is the key's. */
static void test_vectors(void) {
        for (size_t v = 0; v < sizeof(vectors) / sizeof(vectors[0]); v++) {
                const struct vector *vec = &vectors[v];
                const struct aether_proof_record *f = &vec->fields;
                uint8_t key[AETHER_PROOF_KEY_SIZE], record[AETHER_PROOF_RECORD_SIZE], id[AETHER_DEVICE_ID_SIZE];
                char record_hex[2 * AETHER_PROOF_RECORD_SIZE + 1], id_hex[2 * AETHER_DEVICE_ID_SIZE + 1];

                from_hex(vec->key_hex, key, sizeof(key));
                aether_derive_device_id(key, id);
                to_hex(id, sizeof(id), id_hex);
                CHECK_MSG(strcmp(id_hex, vec->device_id_hex) == 0, "vector %zu device ID: got %s, expected %s", v + 1,
                          id_hex, vec->device_id_hex);

                aether_proof_encode(f, record);
                to_hex(record, sizeof(record), record_hex);
                CHECK_MSG(strcmp(record_hex, vec->record_hex) == 0,
                          "vector %zu record:\n  got      %s\n  expected %s", v + 1, record_hex, vec->record_hex);

                uint64_t tag = aether_proof_tag(key, record);
                CHECK_MSG(tag == vec->tag, "vector %zu tag: got 0x%016llx, expected 0x%016llx", v + 1,
                          (unsigned long long)tag, (unsigned long long)vec->tag);

                struct aether_proof_record decoded;
                char reason[96];
                CHECK_MSG(aether_proof_decode(record, sizeof(record), &decoded, reason, sizeof(reason)) ==
                                          AETHER_RECORD_OK &&
                                  strcmp(reason, "valid") == 0,
                          "vector %zu decode: %s", v + 1, reason);
                CHECK_MSG(records_equal(&decoded, f), "vector %zu: decode(encode(r)) != r", v + 1);
        }
}

/* Decodes buf and checks the result and the reason text. */
static void expect_decode(const uint8_t *buf, size_t len, aether_record_check_t expected, const char *expected_reason) {
        struct aether_proof_record rec;
        char reason[96];
        aether_record_check_t got = aether_proof_decode(buf, len, &rec, reason, sizeof(reason));
        CHECK_MSG(got == expected && strcmp(reason, expected_reason) == 0, "got %d \"%s\", expected %d \"%s\"", got,
                  reason, expected, expected_reason);
}

/* Every rule 1-4 reason, and the edges that are allowed. */
static void test_decode_rules(void) {
        uint8_t record[AETHER_PROOF_RECORD_SIZE + 1] = { 0 }, bad[AETHER_PROOF_RECORD_SIZE];
        struct aether_proof_record rec = vectors[0].fields;

        aether_proof_encode(&rec, record);
        expect_decode(record, AETHER_PROOF_RECORD_SIZE, AETHER_RECORD_OK, "valid");
        expect_decode(record, 5, AETHER_RECORD_MALFORMED, "malformed record");
        expect_decode(record, 0, AETHER_RECORD_MALFORMED, "malformed record");
        expect_decode(NULL, AETHER_PROOF_RECORD_SIZE, AETHER_RECORD_MALFORMED, "malformed record");
        expect_decode(record, 6, AETHER_RECORD_MALFORMED, "malformed record: length 6");
        expect_decode(record, AETHER_PROOF_RECORD_SIZE - 1, AETHER_RECORD_MALFORMED, "malformed record: length 151");
        expect_decode(record, AETHER_PROOF_RECORD_SIZE + 1, AETHER_RECORD_MALFORMED, "malformed record: length 153");

        memcpy(bad, record, sizeof(bad));
        bad[3] = 'S';
        expect_decode(bad, sizeof(bad), AETHER_RECORD_MALFORMED, "malformed record");
        memcpy(bad, record, sizeof(bad));
        bad[4] = 1;
        expect_decode(bad, AETHER_PROOF_V1_RECORD_SIZE, AETHER_RECORD_OBSOLETE_VERSION, "obsolete version 1");
        expect_decode(bad, 6, AETHER_RECORD_OBSOLETE_VERSION, "obsolete version 1");
        bad[4] = 3;
        expect_decode(bad, sizeof(bad), AETHER_RECORD_UNKNOWN_VERSION, "unknown version 3");
        bad[4] = 0x02;
        bad[5] = 0x01;
        expect_decode(bad, sizeof(bad), AETHER_RECORD_UNKNOWN_VERSION, "unknown version 258");
        bad[4] = bad[5] = 0;
        expect_decode(bad, sizeof(bad), AETHER_RECORD_UNKNOWN_VERSION, "unknown version 0");

        struct {
                struct aether_proof_record rec;
                const char *reason;
        } fields[] = {
                { rec, "malformed record: outcome" },
                { rec, "malformed record: vector" },
                { rec, "malformed record: vector" },
                { rec, "malformed record: telemetry length" },
                { rec, "malformed record: status with a fault" },
                { rec, "malformed record: zero epoch/seq" },
                { rec, "malformed record: zero epoch/seq" },
                { rec, "malformed record: boot flags" },
                { rec, "malformed record: boot flags" },
                { rec, "malformed record: boot flags" },
                { rec, "malformed record: boot flags" },
                { rec, "malformed record: boot flags" },
                { rec, "malformed record: boot flags" },
                { rec, "malformed record: boot flags" },
                { rec, "malformed record: outcome" }, /* the first broken rule is named */
        };
        fields[0].rec.outcome = (aether_fault_t)AETHER_FAULT_COUNT;
        fields[1].rec.vector = 0x22;
        fields[2].rec.vector = 0x1f;
        fields[3].rec.telemetry_len = AETHER_TELEMETRY_MAX + 1;
        fields[4].rec.outcome = AETHER_FAULT_HOST_CALL; /* status stays 3 */
        fields[5].rec.epoch = 0;
        fields[6].rec.seq = 0;
        fields[7].rec.boot_flags = AETHER_BOOT_FLAG_SECURE_BOOT_ON; /* on without known */
        fields[8].rec.boot_flags = UINT64_C(1) << 63;
        fields[9].rec.boot_flags = AETHER_BOOT_FLAG_SETUP_MODE; /* setup mode without known */
        fields[10].rec.boot_flags = AETHER_BOOT_FLAGS_DEFINED + 1; /* bit 7, the first undefined */
        fields[11].rec.boot_flags = AETHER_BOOT_FLAG_DEVELOPMENT_KEY | AETHER_BOOT_FLAG_KEY_UEFI_VARIABLE;
        fields[12].rec.boot_flags = AETHER_BOOT_FLAG_KEY_UEFI_VARIABLE | AETHER_BOOT_FLAG_KEY_TPM |
                                    AETHER_BOOT_FLAG_EPOCH_TPM; /* two key sources */
        fields[13].rec.boot_flags = AETHER_BOOT_FLAG_DEVELOPMENT_KEY | AETHER_BOOT_FLAG_EPOCH_TPM; /* epoch w/o key */
        fields[14].rec.outcome = (aether_fault_t)0xff;
        fields[14].rec.vector = 0;
        fields[14].rec.epoch = 0;
        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
                aether_proof_encode(&fields[i].rec, bad);
                expect_decode(bad, sizeof(bad), AETHER_RECORD_MALFORMED, fields[i].reason);
        }

        struct aether_proof_record edge = rec;
        edge.telemetry_len = AETHER_TELEMETRY_MAX;
        edge.outcome = AETHER_FAULT_ISOLATION;
        edge.status = 0;
        edge.vector = 0x21;
        edge.epoch = edge.seq = edge.dropped_wakes = edge.rejected_frames = UINT64_MAX;
        static const uint64_t allowed_flags[] = {
                0, /* an image before issue 11: a field key compiled in */
                AETHER_BOOT_FLAG_SECURE_BOOT_KNOWN,
                AETHER_BOOT_FLAG_DEVELOPMENT_KEY | AETHER_BOOT_FLAG_SECURE_BOOT_KNOWN | AETHER_BOOT_FLAG_SETUP_MODE,
                AETHER_BOOT_FLAG_KEY_UEFI_VARIABLE | AETHER_BOOT_FLAG_SECURE_BOOT_KNOWN |
                        AETHER_BOOT_FLAG_SECURE_BOOT_ON,
                AETHER_BOOT_FLAGS_DEFINED & ~(AETHER_BOOT_FLAG_DEVELOPMENT_KEY | AETHER_BOOT_FLAG_KEY_UEFI_VARIABLE),
                AETHER_BOOT_FLAG_KEY_TPM,
        };
        for (size_t i = 0; i < sizeof(allowed_flags) / sizeof(allowed_flags[0]); i++) {
                edge.boot_flags = allowed_flags[i];
                aether_proof_encode(&edge, bad);
                expect_decode(bad, sizeof(bad), AETHER_RECORD_OK, "valid");
        }

        /* A reason that does not fit is cut, never overrun. */
        char small[8];
        memset(small, 'x', sizeof(small));
        CHECK(aether_proof_decode(bad, 3, NULL, small, sizeof(small)) == AETHER_RECORD_MALFORMED);
        CHECK(memcmp(small, "malform", 8) == 0);
        CHECK(aether_proof_decode(bad, 3, NULL, NULL, 0) == AETHER_RECORD_MALFORMED);
}

/* Flipping any one of the 1216 record bits either breaks a rule 1-4 or
 * changes the tag: no flip leaves a record that verifies. */
static void test_bit_flips(void) {
        struct aether_proof_record rec = vectors[1].fields, decoded;
        uint8_t record[AETHER_PROOF_RECORD_SIZE];
        aether_proof_encode(&rec, record);
        uint64_t tag = aether_proof_tag(dev_key, record);

        for (size_t bit = 0; bit < 8 * sizeof(record); bit++) {
                record[bit / 8] ^= (uint8_t)(1u << (bit % 8));
                aether_record_check_t check = aether_proof_decode(record, sizeof(record), &decoded, NULL, 0);
                uint64_t flipped = aether_proof_tag(dev_key, record);
                record[bit / 8] ^= (uint8_t)(1u << (bit % 8));
                CHECK_MSG(check != AETHER_RECORD_OK || flipped != tag, "record bit %zu flipped: still verifies", bit);
        }
}

/* The device ID is the first 16 bytes of SHA-256("aether-device-id-v1" || key). */
static void test_device_id(void) {
        uint8_t message[19 + AETHER_PROOF_KEY_SIZE], digest[AETHER_SHA256_SIZE], id[AETHER_DEVICE_ID_SIZE];
        memcpy(message, "aether-device-id-v1", 19);
        memcpy(message + 19, dev_key, sizeof(dev_key));
        aether_sha256(message, sizeof(message), digest);
        aether_derive_device_id(dev_key, id);
        CHECK(memcmp(id, digest, sizeof(id)) == 0);
        /* Another key, another device. */
        uint8_t other[AETHER_PROOF_KEY_SIZE], other_id[AETHER_DEVICE_ID_SIZE];
        memcpy(other, dev_key, sizeof(other));
        other[0] ^= 1;
        aether_derive_device_id(other, other_id);
        CHECK(memcmp(id, other_id, sizeof(id)) != 0);
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
        test_decode_rules();
        test_bit_flips();
        test_device_id();
        test_key_file();
        return check_summary("test_proof");
}
