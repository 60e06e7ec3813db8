/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* proof.c: proof record v2 encoding, decoding and tagging, the device ID, key file parsing. */
#include "proof.h"

#include <string.h>

/* Field offsets of the record, ARCHITECTURE.md "Proof record". */
enum {
        OFF_MAGIC = 0x00,
        OFF_VERSION = 0x04,
        OFF_VECTOR = 0x06,
        OFF_OUTCOME = 0x07,
        OFF_EPOCH = 0x08,
        OFF_SEQ = 0x10,
        OFF_STATUS = 0x18,
        OFF_PRESSURE = 0x1c,
        OFF_DOSE = 0x20,
        OFF_TELEMETRY_LEN = 0x24,
        OFF_UPLINK_LO = 0x28,
        OFF_UPLINK_HI = 0x2c,
        OFF_TELEMETRY_SHA256 = 0x30,
        OFF_PAYLOAD_SHA256 = 0x50,
        OFF_DEVICE_ID = 0x70,
        OFF_DROPPED_WAKES = 0x80,
        OFF_REJECTED_FRAMES = 0x88,
        OFF_BOOT_FLAGS = 0x90,
        OFF_END = 0x98,
};
_Static_assert(OFF_END == AETHER_PROOF_RECORD_SIZE, "the record is 152 bytes");
_Static_assert(OFF_DEVICE_ID == AETHER_PROOF_V1_RECORD_SIZE, "version 2 keeps version 1's fields where they were");

/* The domain of the device ID's hash (ARCHITECTURE.md, "Device ID"). */
static const char device_id_prefix[] = "aether-device-id-v1";

const uint8_t aether_development_key[AETHER_PROOF_KEY_SIZE] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                                                               0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};

static const uint8_t record_magic[4] = { 'A', 'E', 'P', 'R' };

static void store_le(uint8_t *p, uint64_t v, size_t bytes) {
        for (size_t i = 0; i < bytes; i++)
                p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t load_le(const uint8_t *p, size_t bytes) {
        uint64_t v = 0;
        for (size_t i = bytes; i > 0; i--)
                v = (v << 8) | p[i - 1];
        return v;
}

void aether_proof_encode(const struct aether_proof_record *rec, uint8_t out[AETHER_PROOF_RECORD_SIZE]) {
        memcpy(out + OFF_MAGIC, record_magic, sizeof(record_magic));
        store_le(out + OFF_VERSION, AETHER_PROOF_VERSION, 2);
        out[OFF_VECTOR] = rec->vector;
        out[OFF_OUTCOME] = (uint8_t)rec->outcome;
        store_le(out + OFF_EPOCH, rec->epoch, 8);
        store_le(out + OFF_SEQ, rec->seq, 8);
        store_le(out + OFF_STATUS, (uint32_t)rec->status, 4);
        store_le(out + OFF_PRESSURE, rec->pressure_bits, 4);
        store_le(out + OFF_DOSE, (uint32_t)rec->dose, 4);
        store_le(out + OFF_TELEMETRY_LEN, rec->telemetry_len, 4);
        store_le(out + OFF_UPLINK_LO, rec->uplink_lo, 4);
        store_le(out + OFF_UPLINK_HI, rec->uplink_hi, 4);
        memcpy(out + OFF_TELEMETRY_SHA256, rec->telemetry_sha256, AETHER_SHA256_SIZE);
        memcpy(out + OFF_PAYLOAD_SHA256, rec->payload_sha256, AETHER_SHA256_SIZE);
        memcpy(out + OFF_DEVICE_ID, rec->device_id, AETHER_DEVICE_ID_SIZE);
        store_le(out + OFF_DROPPED_WAKES, rec->dropped_wakes, 8);
        store_le(out + OFF_REJECTED_FRAMES, rec->rejected_frames, 8);
        store_le(out + OFF_BOOT_FLAGS, rec->boot_flags, 8);
}

uint64_t aether_proof_tag(const uint8_t key[AETHER_PROOF_KEY_SIZE], const uint8_t record[AETHER_PROOF_RECORD_SIZE]) {
        return aether_siphash24(key, record, AETHER_PROOF_RECORD_SIZE);
}

/* A NUL-terminated text being built in a caller's buffer; appends truncate.
 * size 0 (or a NULL buffer) discards everything. */
struct text {
        char *buf;
        size_t size, used;
};

static struct text text_start(char *buf, size_t size) {
        struct text t = { .buf = buf, .size = buf ? size : 0, .used = 0 };
        if (t.size > 0)
                t.buf[0] = '\0';
        return t;
}

static void text_append(struct text *t, const char *s) {
        for (; *s && t->used + 1 < t->size; s++)
                t->buf[t->used++] = *s;
        if (t->size > 0)
                t->buf[t->used] = '\0';
}

static void text_append_u64(struct text *t, uint64_t v) {
        char digits[21];
        size_t i = sizeof(digits) - 1;

        digits[i] = '\0';
        do {
                digits[--i] = (char)('0' + v % 10);
                v /= 10;
        } while (v > 0);
        text_append(t, digits + i);
}

/* Rules 1-4 of a record's verdict, in order; the reason is the report text. */
/* ARCHITECTURE.md 7.4: no undefined bit; the Secure Boot state bits only with
 * secure-boot-known; at most one key source; the TPM epoch only with the TPM key. */
static bool boot_flags_allowed(uint64_t flags) {
        const uint64_t key_sources = flags & (AETHER_BOOT_FLAG_DEVELOPMENT_KEY | AETHER_BOOT_FLAG_KEY_UEFI_VARIABLE |
                                              AETHER_BOOT_FLAG_KEY_TPM);
        if (flags & ~AETHER_BOOT_FLAGS_DEFINED)
                return false;
        if ((flags & (AETHER_BOOT_FLAG_SECURE_BOOT_ON | AETHER_BOOT_FLAG_SETUP_MODE)) &&
            !(flags & AETHER_BOOT_FLAG_SECURE_BOOT_KNOWN))
                return false;
        if (key_sources & (key_sources - 1))
                return false;
        return !(flags & AETHER_BOOT_FLAG_EPOCH_TPM) || (flags & AETHER_BOOT_FLAG_KEY_TPM);
}

static aether_record_check_t decode(const uint8_t *buf, size_t len, struct aether_proof_record *rec,
                                    struct text *reason) {
        if (!buf || len < OFF_VERSION + 2 || memcmp(buf + OFF_MAGIC, record_magic, sizeof(record_magic)) != 0) {
                text_append(reason, "malformed record");
                return AETHER_RECORD_MALFORMED;
        }
        uint64_t version = load_le(buf + OFF_VERSION, 2);
        if (version != AETHER_PROOF_VERSION) {
                text_append(reason, version == 1 ? "obsolete version " : "unknown version ");
                text_append_u64(reason, version);
                return version == 1 ? AETHER_RECORD_OBSOLETE_VERSION : AETHER_RECORD_UNKNOWN_VERSION;
        }
        if (len != AETHER_PROOF_RECORD_SIZE) {
                text_append(reason, "malformed record: length ");
                text_append_u64(reason, len);
                return AETHER_RECORD_MALFORMED;
        }

        rec->vector = buf[OFF_VECTOR];
        rec->outcome = (aether_fault_t)buf[OFF_OUTCOME];
        rec->epoch = load_le(buf + OFF_EPOCH, 8);
        rec->seq = load_le(buf + OFF_SEQ, 8);
        rec->status = (int32_t)load_le(buf + OFF_STATUS, 4);
        rec->pressure_bits = (uint32_t)load_le(buf + OFF_PRESSURE, 4);
        rec->dose = (int32_t)load_le(buf + OFF_DOSE, 4);
        rec->telemetry_len = (uint32_t)load_le(buf + OFF_TELEMETRY_LEN, 4);
        rec->uplink_lo = (uint32_t)load_le(buf + OFF_UPLINK_LO, 4);
        rec->uplink_hi = (uint32_t)load_le(buf + OFF_UPLINK_HI, 4);
        memcpy(rec->telemetry_sha256, buf + OFF_TELEMETRY_SHA256, AETHER_SHA256_SIZE);
        memcpy(rec->payload_sha256, buf + OFF_PAYLOAD_SHA256, AETHER_SHA256_SIZE);
        memcpy(rec->device_id, buf + OFF_DEVICE_ID, AETHER_DEVICE_ID_SIZE);
        rec->dropped_wakes = load_le(buf + OFF_DROPPED_WAKES, 8);
        rec->rejected_frames = load_le(buf + OFF_REJECTED_FRAMES, 8);
        rec->boot_flags = load_le(buf + OFF_BOOT_FLAGS, 8);

        const char *field = NULL;
        if (!aether_fault_name(rec->outcome))
                field = "outcome";
        else if (rec->vector != AETHER_PROOF_VECTOR_PRIMARY && rec->vector != AETHER_PROOF_VECTOR_SECONDARY)
                field = "vector";
        else if (rec->telemetry_len > AETHER_TELEMETRY_MAX)
                field = "telemetry length";
        else if (rec->outcome != AETHER_FAULT_NONE && rec->status != 0)
                field = "status with a fault";
        else if (rec->epoch == 0 || rec->seq == 0)
                field = "zero epoch/seq";
        else if (!boot_flags_allowed(rec->boot_flags))
                field = "boot flags";
        if (field) {
                text_append(reason, "malformed record: ");
                text_append(reason, field);
                return AETHER_RECORD_MALFORMED;
        }
        text_append(reason, "valid");
        return AETHER_RECORD_OK;
}

aether_record_check_t aether_proof_decode(const uint8_t *buf, size_t len, struct aether_proof_record *rec,
                                          char *reason, size_t reason_size) {
        struct text text = text_start(reason, reason_size);
        return decode(buf, len, rec, &text);
}

void aether_derive_device_id(const uint8_t key[AETHER_PROOF_KEY_SIZE], uint8_t id[AETHER_DEVICE_ID_SIZE]) {
        struct aether_sha256 ctx;
        uint8_t digest[AETHER_SHA256_SIZE];

        aether_sha256_init(&ctx);
        aether_sha256_update(&ctx, device_id_prefix, sizeof(device_id_prefix) - 1);
        aether_sha256_update(&ctx, key, AETHER_PROOF_KEY_SIZE);
        aether_sha256_final(&ctx, digest);
        memcpy(id, digest, AETHER_DEVICE_ID_SIZE);
        memset(digest, 0, sizeof(digest));
        memset(&ctx, 0, sizeof(ctx)); /* its block buffer held the key */
}

/* Reports a key file problem, zeroes the partial key and returns -1. */
static int key_error(uint8_t key[AETHER_PROOF_KEY_SIZE], char *err, size_t errlen, uint64_t line, uint64_t column,
                     const char *problem) {
        struct text t = text_start(err, errlen);

        memset(key, 0, AETHER_PROOF_KEY_SIZE);
        text_append(&t, "line ");
        text_append_u64(&t, line);
        if (column > 0) {
                text_append(&t, ", column ");
                text_append_u64(&t, column);
        }
        text_append(&t, ": ");
        text_append(&t, problem);
        return -1;
}

int aether_hex_digit(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

int aether_key_parse(const char *text, size_t len, uint8_t key[AETHER_PROOF_KEY_SIZE], char *err, size_t errlen) {
        const size_t key_digits = 2 * AETHER_PROOF_KEY_SIZE;
        size_t pos = 0, digits = 0;
        uint64_t line = 1;

        memset(key, 0, AETHER_PROOF_KEY_SIZE);
        if (!text || len == 0)
                return key_error(key, err, errlen, 1, 0, "empty file, expected 32 hexadecimal digits");

        /* '#' comment lines before the key line. */
        while (pos < len && text[pos] == '#') {
                while (pos < len && text[pos] != '\n')
                        pos++;
                if (pos == len)
                        return key_error(key, err, errlen, line, 0, "comment without a key line after it");
                pos++;
                line++;
        }

        /* The key line: exactly 32 hexadecimal digits. */
        while (pos < len && text[pos] != '\n' && text[pos] != '\r') {
                int value = aether_hex_digit(text[pos]);
                if (value < 0)
                        return key_error(key, err, errlen, line, digits + 1, "not a hexadecimal digit");
                if (digits == key_digits)
                        return key_error(key, err, errlen, line, 0, "more than 32 hexadecimal digits");
                key[digits / 2] = (uint8_t)(key[digits / 2] << 4 | value);
                digits++;
                pos++;
        }
        if (digits == 0)
                return key_error(key, err, errlen, line, 0, "no key, expected 32 hexadecimal digits");
        if (digits != key_digits)
                return key_error(key, err, errlen, line, 0, "fewer than 32 hexadecimal digits");

        /* One optional line end, then nothing. */
        if (pos < len && text[pos] == '\r') {
                pos++;
                if (pos == len || text[pos] != '\n')
                        return key_error(key, err, errlen, line, digits + 1, "carriage return without a line feed");
        }
        if (pos < len)
                pos++; /* the '\n' the key line stopped at */
        if (pos != len)
                return key_error(key, err, errlen, line + 1, 0, "unexpected text after the key line");
        return 0;
}
