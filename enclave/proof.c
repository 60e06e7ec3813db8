/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* proof.c: proof record v1 encoding, tagging, key file parsing and replay rules. */
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
        OFF_END = 0x70,
};
_Static_assert(OFF_END == AETHER_PROOF_RECORD_SIZE, "the record is 112 bytes");

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
}

/* Replay rules 1-3. The why strings are the report texts. */
static aether_verdict_t decode(const uint8_t *buf, size_t len, struct aether_proof_record *rec, const char **why) {
        if (!buf || len != AETHER_PROOF_RECORD_SIZE || memcmp(buf + OFF_MAGIC, record_magic, sizeof(record_magic)) != 0) {
                *why = "malformed record";
                return AETHER_VERDICT_MALFORMED;
        }
        if (load_le(buf + OFF_VERSION, 2) != AETHER_PROOF_VERSION) {
                *why = "unknown version";
                return AETHER_VERDICT_UNKNOWN_VERSION;
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

        if (!aether_fault_name(rec->outcome)) {
                *why = "malformed record: outcome";
                return AETHER_VERDICT_MALFORMED;
        }
        if (rec->vector != AETHER_PROOF_VECTOR_PRIMARY && rec->vector != AETHER_PROOF_VECTOR_SECONDARY) {
                *why = "malformed record: vector";
                return AETHER_VERDICT_MALFORMED;
        }
        if (rec->telemetry_len > AETHER_TELEMETRY_MAX) {
                *why = "malformed record: telemetry length";
                return AETHER_VERDICT_MALFORMED;
        }
        if (rec->outcome != AETHER_FAULT_NONE && rec->status != 0) {
                *why = "malformed record: status with a fault";
                return AETHER_VERDICT_MALFORMED;
        }
        if (rec->epoch == 0 || rec->seq == 0) {
                *why = "malformed record: zero epoch/seq";
                return AETHER_VERDICT_MALFORMED;
        }
        *why = "valid";
        return AETHER_VERDICT_VALID;
}

int aether_proof_decode(const uint8_t *buf, size_t len, struct aether_proof_record *rec, const char **why) {
        return decode(buf, len, rec, why) == AETHER_VERDICT_VALID ? 0 : -1;
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

static int hex_value(char c) {
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
                int value = hex_value(text[pos]);
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

const char *aether_verdict_name(aether_verdict_t verdict) {
        /* No default: the compiler flags a verdict without a name. */
        switch (verdict) {
        case AETHER_VERDICT_VALID:
                return "valid";
        case AETHER_VERDICT_MALFORMED:
                return "malformed";
        case AETHER_VERDICT_UNKNOWN_VERSION:
                return "unknown_version";
        case AETHER_VERDICT_BAD_TAG:
                return "bad_tag";
        case AETHER_VERDICT_REPLAY:
                return "replay";
        case AETHER_VERDICT_SEQUENCE_GAP:
                return "sequence_gap";
        case AETHER_VERDICT_EPOCH_BACK:
                return "epoch_back";
        }
        return NULL;
}

static aether_verdict_t sequence_gap(struct text *reason, uint64_t expected, uint64_t got) {
        text_append(reason, "sequence gap (expected ");
        text_append_u64(reason, expected);
        text_append(reason, ", got ");
        text_append_u64(reason, got);
        text_append(reason, ")");
        return AETHER_VERDICT_SEQUENCE_GAP;
}

/* Rule 5. Decoding guarantees epoch >= 1 and seq >= 1. */
static aether_verdict_t replay_rule(const struct aether_replay_state *state, const struct aether_proof_record *rec,
                                    struct text *reason) {
        if (!state->have_last)
                return AETHER_VERDICT_VALID; /* the verifier may start mid-stream */
        if (rec->epoch < state->epoch) {
                text_append(reason, "epoch went back");
                return AETHER_VERDICT_EPOCH_BACK;
        }
        if (rec->epoch > state->epoch)
                return rec->seq == 1 ? AETHER_VERDICT_VALID : sequence_gap(reason, 1, rec->seq);
        if (rec->seq <= state->seq) {
                text_append(reason, "replay");
                return AETHER_VERDICT_REPLAY;
        }
        /* seq > state->seq here, so state->seq + 1 cannot overflow. */
        if (rec->seq - state->seq > 1)
                return sequence_gap(reason, state->seq + 1, rec->seq);
        return AETHER_VERDICT_VALID;
}

aether_verdict_t aether_proof_check(struct aether_replay_state *state, const uint8_t key[AETHER_PROOF_KEY_SIZE],
                                    const uint8_t *record, size_t len, uint64_t tag, char *reason,
                                    size_t reason_size) {
        struct text text = text_start(reason, reason_size);
        struct aether_proof_record rec;
        const char *why;

        aether_verdict_t verdict = decode(record, len, &rec, &why);
        if (verdict == AETHER_VERDICT_UNKNOWN_VERSION) {
                text_append(&text, "unknown version ");
                text_append_u64(&text, load_le(record + OFF_VERSION, 2));
                return verdict;
        }
        if (verdict != AETHER_VERDICT_VALID) {
                text_append(&text, why);
                return verdict;
        }

        if (aether_proof_tag(key, record) != tag) {
                text_append(&text, "bad tag");
                return AETHER_VERDICT_BAD_TAG;
        }

        verdict = replay_rule(state, &rec, &text);
        if (verdict == AETHER_VERDICT_VALID) {
                state->have_last = true;
                state->epoch = rec.epoch;
                state->seq = rec.seq;
                text_append(&text, "valid");
        }
        return verdict;
}
