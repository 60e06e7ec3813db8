/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* verify_fixtures.c: writes the keys, keyrings, reports, dumps and streams (good and damaged) the aether-verify CLI tests read. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "proof.h"

#define ENTRY_SIZE (AETHER_PROOF_RECORD_SIZE + 8)
#define UPLINK_SIZE 0x1000
#define TELEMETRY "p=1013.25 dose=42"

static const char *dir;

/* A device: its key, its ID, and the boot flags its image would set. */
struct device {
        uint8_t key[AETHER_PROOF_KEY_SIZE];
        uint8_t id[AETHER_DEVICE_ID_SIZE];
        uint64_t flags;
};

static struct device dev, other, fleet_a, fleet_b, fleet_c;

/* The payload every fixture record names, unless a test says otherwise. */
static const uint8_t payload_wasm[8] = { 0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00 };
static uint8_t payload_sha256[AETHER_SHA256_SIZE];

static void die(const char *what) {
        fprintf(stderr, "verify_fixtures: %s: %s\n", what, strerror(errno));
        exit(1);
}

static void write_file(const char *name, const void *data, size_t len) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
                die(path);
}

static void write_text(const char *name, const char *text) {
        write_file(name, text, strlen(text));
}

static void hex(const uint8_t *bytes, size_t len, char *out) {
        for (size_t i = 0; i < len; i++)
                sprintf(out + 2 * i, "%02x", bytes[i]);
}

static void store_le(uint8_t *p, uint64_t v, size_t bytes) {
        for (size_t i = 0; i < bytes; i++)
                p[i] = (uint8_t)(v >> (8 * i));
}

static void make_device(struct device *d, const char *key_hex, uint64_t flags, const char *key_file) {
        for (size_t i = 0; i < AETHER_PROOF_KEY_SIZE; i++) {
                char pair[3] = { key_hex[2 * i], key_hex[2 * i + 1], '\0' };
                d->key[i] = (uint8_t)strtoul(pair, NULL, 16);
        }
        aether_derive_device_id(d->key, d->id);
        d->flags = flags;
        if (key_file) {
                char text[128];
                snprintf(text, sizeof(text), "# a test device\n%s\n", key_hex);
                write_text(key_file, text);
        }
}

/* The keyring line of a device: "ID KEY". */
static void keyring_line(const struct device *d, char *out) {
        hex(d->id, AETHER_DEVICE_ID_SIZE, out);
        out[32] = ' ';
        hex(d->key, AETHER_PROOF_KEY_SIZE, out + 33);
}

static struct aether_proof_record make_record(const struct device *d, uint64_t epoch, uint64_t seq) {
        struct aether_proof_record rec = {
                .vector = seq % 2 ? 0x20 : 0x21,
                .outcome = AETHER_FAULT_NONE,
                .epoch = epoch,
                .seq = seq,
                .status = 3,
                .pressure_bits = 0x447d5000,
                .dose = 42,
                .telemetry_len = sizeof(TELEMETRY) - 1,
                .uplink_lo = 0xfeedface,
                .uplink_hi = 7,
                .dropped_wakes = seq / 3,
                .rejected_frames = seq / 2,
                .boot_flags = d->flags,
        };
        aether_sha256(TELEMETRY, rec.telemetry_len, rec.telemetry_sha256);
        memcpy(rec.payload_sha256, payload_sha256, AETHER_SHA256_SIZE);
        memcpy(rec.device_id, d->id, AETHER_DEVICE_ID_SIZE);
        return rec;
}

static uint64_t sign(const struct device *d, const struct aether_proof_record *rec,
                     uint8_t record[AETHER_PROOF_RECORD_SIZE]) {
        aether_proof_encode(rec, record);
        return aether_proof_tag(d->key, record);
}

/* ---- proof streams ---------------------------------------------------------------- */

struct stream {
        uint8_t *data;
        size_t len, cap;
};

static uint8_t *stream_room(struct stream *s, size_t n) {
        if (s->len + n > s->cap) {
                s->cap = 2 * (s->len + n);
                s->data = realloc(s->data, s->cap);
                if (!s->data)
                        die("out of memory");
        }
        s->len += n;
        return s->data + s->len - n;
}

static void stream_record(struct stream *s, const struct device *d, const struct aether_proof_record *rec) {
        uint8_t *entry = stream_room(s, ENTRY_SIZE);
        store_le(entry + AETHER_PROOF_RECORD_SIZE, sign(d, rec, entry), 8);
}

static void stream_add(struct stream *s, const struct device *d, uint64_t epoch, uint64_t seq) {
        struct aether_proof_record rec = make_record(d, epoch, seq);
        stream_record(s, d, &rec);
}

/* Seqs first..last of one boot, except except_first..except_last. */
static void stream_run(struct stream *s, const struct device *d, uint64_t epoch, uint64_t first, uint64_t last,
                       uint64_t except_first, uint64_t except_last) {
        for (uint64_t seq = first; seq <= last; seq++)
                if (seq < except_first || seq > except_last)
                        stream_add(s, d, epoch, seq);
}

static void stream_write(struct stream *s, const char *name) {
        write_file(name, s->data, s->len);
        s->len = 0;
}

/* A stream of dev's records, (epoch, seq) pairs ending in {0, 0}. */
static void write_pairs(const char *name, const uint64_t (*pairs)[2]) {
        struct stream s = { 0 };
        for (; pairs[0][0]; pairs++)
                stream_add(&s, &dev, pairs[0][0], pairs[0][1]);
        stream_write(&s, name);
        free(s.data);
}

/* ---- harness reports -------------------------------------------------------------- */

struct text {
        char buf[1 << 16];
        size_t used;
};

__attribute__((format(printf, 2, 3))) static void add(struct text *t, const char *format, ...) {
        va_list args;
        va_start(args, format);
        t->used += (size_t)vsnprintf(t->buf + t->used, sizeof(t->buf) - t->used, format, args);
        va_end(args);
        if (t->used >= sizeof(t->buf))
                die("report too long");
}

/* One wake object with every copy the harness writes; `edit` names the member
 * written wrong ("" for none), and extra goes in as more members. */
static void add_wake(struct text *t, const struct device *d, const struct aether_proof_record *rec, const char *edit,
                     const char *pressure, const char *extra) {
        uint8_t record[AETHER_PROOF_RECORD_SIZE];
        char record_hex[2 * AETHER_PROOF_RECORD_SIZE + 1], device_hex[33], payload_hex[65], telemetry_hex[128];
        uint64_t tag = sign(d, rec, record);
        hex(record, sizeof(record), record_hex);
        hex(rec->device_id, AETHER_DEVICE_ID_SIZE, device_hex);
        hex(rec->payload_sha256, AETHER_SHA256_SIZE, payload_hex);
        hex((const uint8_t *)TELEMETRY, sizeof(TELEMETRY) - 1, telemetry_hex);
#define FIELD(name) (strcmp(edit, name) == 0)
        if (FIELD("telemetry"))
                telemetry_hex[0] = telemetry_hex[0] == '7' ? '6' : '7';
        if (FIELD("device_id"))
                device_hex[31] ^= 1;
        if (FIELD("payload_sha256"))
                payload_hex[0] = payload_hex[0] == 'a' ? 'b' : 'a';
        add(t, "{\"vector\": \"0x%02x\", \"pressure\": %s, \"pressure_bits\": \"0x%08x\", \"dose\": %d, "
               "\"outcome\": \"%s\", \"status\": %d, \"telemetry\": \"%s\", \"proof\": \"0x%016llx\", "
               "\"proof_verified\": true, \"seq\": %llu, \"epoch\": %llu, \"uplink_lo\": %u, \"uplink_hi\": %u, "
               "\"device_id\": \"%s\", \"payload_sha256\": \"%s\", \"dropped_wakes\": %llu, \"rejected_frames\": %llu, "
               "\"boot_flags\": %llu, \"stack_bytes\": 4096, \"record\": \"%s\"%s}",
            rec->vector + FIELD("vector"), pressure ? pressure : FIELD("pressure") ? "1013.5" : "1013.25",
            rec->pressure_bits ^ FIELD("pressure_bits"), rec->dose + FIELD("dose"),
            FIELD("outcome") ? "oob" : aether_fault_name(rec->outcome), rec->status + FIELD("status"), telemetry_hex,
            (unsigned long long)tag, (unsigned long long)(rec->seq + FIELD("seq")),
            (unsigned long long)(rec->epoch + FIELD("epoch")), rec->uplink_lo + FIELD("uplink_lo"),
            rec->uplink_hi + FIELD("uplink_hi"), device_hex, payload_hex,
            (unsigned long long)(rec->dropped_wakes + FIELD("dropped_wakes")),
            (unsigned long long)(rec->rejected_frames + FIELD("rejected_frames")),
            (unsigned long long)(rec->boot_flags ^ FIELD("boot_flags")), record_hex, extra ? extra : "");
#undef FIELD
}

/* report.json: dev's epoch 1 seq 1-3, written with varying order, spacing
 * and escapes, and decoys the verifier must not read; flip_wake gets one
 * record bit flipped after signing (-1: none). */
static void write_report(const char *name, int flip_wake) {
        struct text t = { .used = 0 };
        add(&t, "{\n  \"harness\": {\"version\": 1, \"wakes\": \"not this one\"},\n"
                "  \"notes\": \"escapes \\\" \\\\ \\u00e9 [ { are fine\",\n  \"epoch\": 1,\n  \"wakes\": [\n    ");
        for (int w = 0; w < 3; w++) {
                struct aether_proof_record rec = make_record(&dev, 1, (uint64_t)w + 1);
                uint8_t record[AETHER_PROOF_RECORD_SIZE];
                char record_hex[2 * AETHER_PROOF_RECORD_SIZE + 1];
                uint64_t tag = sign(&dev, &rec, record);
                if (w == flip_wake)
                        record[0x40] ^= 0x04;
                hex(record, sizeof(record), record_hex);
                if (w == 0) {
                        add_wake(&t, &dev, &rec, "", NULL, ", \"timing\": {\"record\": \"00\"}");
                        if (flip_wake == 0)
                                die("flip_wake 0 is not written");
                } else if (w == 1) {
                        /* An escaped member name and escaped digits mean the same. */
                        add(&t, ",\n    {\"pro\\u006ff\":\"0x\\u%04x%015llX\",\"residue\":{\"record\":\"00\"},"
                                "\"recor\\u0064\":\"%s\",\"temperature\":-1.5e+2,\"ok\":true}",
                            "0123456789abcdef"[tag >> 60], (unsigned long long)tag & 0x0fffffffffffffffull, record_hex);
                } else {
                        add(&t, " ,\n\t{ \"list\" : [ 1, null, false, [ ] ] ,\r\n \"record\" : \"%s\" ,"
                                " \"proof\" : \"0x%016llx\" }",
                            record_hex, (unsigned long long)tag);
                }
        }
        add(&t, "\n  ],\n  \"summary\": {\"wakes\": 3}\n}\n");
        write_text(name, t.buf);
}

/* Wakes that each edit one copy, then one that edits none. */
static void write_edited(void) {
        static const char *const members[] = {
                "telemetry", "device_id", "epoch", "seq", "vector", "outcome", "status", "pressure_bits", "pressure",
                "dose", "uplink_lo", "uplink_hi", "payload_sha256", "dropped_wakes", "rejected_frames", "boot_flags", "",
        };
        struct text t = { .used = 0 };
        add(&t, "{\"wakes\": [");
        for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
                struct aether_proof_record rec = make_record(&dev, 1, i + 1);
                add(&t, i ? ",\n" : "\n");
                add_wake(&t, &dev, &rec, members[i], NULL, NULL);
        }
        add(&t, "\n]}\n");
        write_text("edited.json", t.buf);
}

/* The forms a copy may take: pressure as a number or a word, -0, integers only. */
static void write_forms(void) {
        static const struct {
                uint32_t bits;
                const char *pressure;
                int32_t dose;
                const char *extra;
        } forms[] = {
                { 0x7fc00000, "\"nan\"", 42, NULL },             /* 1 any NaN is "nan" */
                { 0x7f800000, "\"inf\"", 42, NULL },             /* 2 */
                { 0x7f800000, "1e39", 42, NULL },                /* 3 rounds past FLT_MAX to infinity */
                { 0xff800000, "\"-inf\"", 42, NULL },            /* 4 */
                { 0x80000000, "-0.0", 42, NULL },                /* 5 */
                { 0x00000001, "1e-45", 42, NULL },               /* 6 the least subnormal */
                { 0x3dcccccd, "0.1", 42, NULL },                 /* 7 */
                { 0x3dcccccd, "\"0.1\"", 42, NULL },             /* 8 a string is not a number */
                { 0x3dcccccd, "\"nan\"", 42, NULL },             /* 9 */
                { 0x447d5000, "1013.25", 0, ", \"dose\": 0" }, /* 10 "dose" twice */
                { 0x447d5000, "1013.25", 42, NULL },             /* 11 */
        };
        struct text t = { .used = 0 };
        add(&t, "{\"wakes\": [");
        for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
                struct aether_proof_record rec = make_record(&dev, 1, i + 1);
                rec.pressure_bits = forms[i].bits;
                rec.dose = forms[i].dose;
                add(&t, i ? ",\n" : "\n");
                add_wake(&t, &dev, &rec, "", forms[i].pressure, forms[i].extra);
        }
        /* 12: dose written 42.0, 13: dose written 4.2e1, 14: a negative status,
         * 15: a dose of 0 written -0. */
        static const char *const members[] = {
                "\"dose\": 42.0", "\"dose\": 4.2e1", "\"status\": -5, \"uplink_lo\": 4277009102", "\"dose\": -0",
        };
        struct aether_proof_record rec = make_record(&dev, 1, 12);
        uint8_t record[AETHER_PROOF_RECORD_SIZE];
        char record_hex[2 * AETHER_PROOF_RECORD_SIZE + 1];
        for (int i = 0; i < 4; i++) {
                rec.seq = 12 + (uint64_t)i;
                rec.status = i == 2 ? -5 : 3;
                rec.dose = i == 3 ? 0 : 42;
                uint64_t tag = sign(&dev, &rec, record);
                hex(record, sizeof(record), record_hex);
                add(&t, ",\n{\"record\": \"%s\", \"proof\": \"0x%016llx\", %s}", record_hex, (unsigned long long)tag,
                    members[i]);
        }
        add(&t, "\n]}\n");
        write_text("forms.json", t.buf);
}

/* ---- uplink dumps ---------------------------------------------------------------- */

enum dump_damage {
        DUMP_GOOD,
        DUMP_EMPTY,         /* before the first commit */
        DUMP_TORN,          /* seq 5's record and tag, COMMIT_COUNT still 4, STATE running */
        DUMP_RUNNING,       /* STATE running, commit 4 complete */
        DUMP_TELEMETRY,     /* a telemetry byte changed */
        DUMP_TELEMETRY_TAIL, /* a byte past TELEMETRY_LEN */
        DUMP_DEVICE_ID,
        DUMP_EPOCH,
        DUMP_COUNT,
        DUMP_RECORD_LEN,
        DUMP_LAYOUT_1,
        DUMP_LAYOUT_3,
        DUMP_SHORT,
        DUMP_BAD_TAG,
};

static void write_uplink(const char *name, enum dump_damage damage) {
        static uint8_t dump[UPLINK_SIZE];
        memset(dump, 0, sizeof(dump));
        struct aether_proof_record rec = make_record(&dev, 1, damage == DUMP_TORN ? 5 : 4);
        uint64_t tag = sign(&dev, &rec, dump + 0x40);
        memcpy(dump, "AETHUPL1", 8);
        store_le(dump + 0x08, damage == DUMP_LAYOUT_1 ? 1 : damage == DUMP_LAYOUT_3 ? 3 : 2, 4);
        store_le(dump + 0x0c, damage == DUMP_TORN || damage == DUMP_RUNNING ? 2 : 1, 4);
        store_le(dump + 0x10, damage == DUMP_EMPTY ? 0 : damage == DUMP_COUNT ? 9 : 4, 8);
        store_le(dump + 0x18, (tag & 0xffffffff) ^ (damage == DUMP_BAD_TAG), 4);
        store_le(dump + 0x1c, tag >> 32, 4);
        store_le(dump + 0x20, damage == DUMP_RECORD_LEN ? AETHER_PROOF_V1_RECORD_SIZE : AETHER_PROOF_RECORD_SIZE, 4);
        store_le(dump + 0x24, rec.telemetry_len, 4);
        store_le(dump + 0x28, damage == DUMP_EPOCH ? 2 : rec.epoch, 8);
        memcpy(dump + 0x100, TELEMETRY, rec.telemetry_len);
        dump[0x100 + 3] ^= damage == DUMP_TELEMETRY;
        dump[0x100 + 0xff] = damage == DUMP_TELEMETRY_TAIL;
        memcpy(dump + 0x258, dev.id, AETHER_DEVICE_ID_SIZE);
        dump[0x258] ^= damage == DUMP_DEVICE_ID;
        write_file(name, dump, damage == DUMP_SHORT ? 0x200 : sizeof(dump));
}

/* ---- keyrings and other files --------------------------------------------------------- */

static void write_keyrings(void) {
        char a[66], b[66], c[66], d[66], text[1024];
        keyring_line(&fleet_a, a);
        keyring_line(&fleet_b, b);
        keyring_line(&fleet_c, c);
        keyring_line(&dev, d);
        snprintf(text, sizeof(text), "# the fleet: device ID, key\n\n%s\n  %s\t# c follows\r\n# a comment\n%s", a, b, c);
        text[strlen(text) - 33] = '\t'; /* a tab between c's ID and key */
        write_text("fleet.keyring", text);
        snprintf(text, sizeof(text), "%s\n", d);
        write_text("dev.keyring", text);

        snprintf(text, sizeof(text), "%s\n%.31s %s\n", a, b, b + 33);
        write_text("keyring-bad-id.keyring", text);
        snprintf(text, sizeof(text), "%s\n%.32s\n", a, b);
        write_text("keyring-no-key.keyring", text);
        snprintf(text, sizeof(text), "%s extra\n", a);
        write_text("keyring-trailing.keyring", text);
        snprintf(text, sizeof(text), "%.32s %s\n", a, b + 33);
        write_text("keyring-mismatch.keyring", text);
        snprintf(text, sizeof(text), "%s\n%s\n# again\n%s\nnot a line\n", a, b, a);
        write_text("keyring-twice.keyring", text);
        write_text("keyring-empty.keyring", "# nobody here\n\n");
}

int main(int argc, char **argv) {
        if (argc != 3) {
                fprintf(stderr, "usage: verify_fixtures DEV_KEYFILE DIR\n");
                return 2;
        }
        dir = argv[2];
        if (mkdir(dir, 0755) != 0 && errno != EEXIST)
                die(dir);
        aether_sha256(payload_wasm, sizeof(payload_wasm), payload_sha256);
        write_file("payload.wasm", payload_wasm, sizeof(payload_wasm));
        char payload_hex[65], text[512];
        hex(payload_sha256, sizeof(payload_sha256), payload_hex);
        snprintf(text, sizeof(text), "{\"key_file\": \"dev.key\", \"payload_sha256\": \"%s\", \"board\": \"q35\"}\n",
                 payload_hex);
        write_text("aether-build.json", text);
        write_text("payload.sha256", payload_hex);

        char err[96];
        FILE *f = fopen(argv[1], "rb");
        if (!f)
                die(argv[1]);
        size_t len = fread(text, 1, sizeof(text), f);
        fclose(f);
        if (aether_key_parse(text, len, dev.key, err, sizeof(err)) != 0) {
                fprintf(stderr, "verify_fixtures: %s: %s\n", argv[1], err);
                return 1;
        }
        aether_derive_device_id(dev.key, dev.id);
        dev.flags = AETHER_BOOT_FLAG_DEVELOPMENT_KEY;
        make_device(&other, "ffeeddccbbaa99887766554433221100", 0, "other.key");
        make_device(&fleet_a, "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf", 0, "fleet-a.key");
        make_device(&fleet_b, "b0b1b2b3b4b5b6b7b8b9babbbcbdbebf", AETHER_BOOT_FLAG_SECURE_BOOT_KNOWN, "fleet-b.key");
        make_device(&fleet_c, "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf",
                    AETHER_BOOT_FLAG_SECURE_BOOT_KNOWN | AETHER_BOOT_FLAG_SECURE_BOOT_ON, "fleet-c.key");
        write_keyrings();

        /* Epoch 1: seq 1-3 in a report, 4 in an uplink dump, 5-6 then epoch 2
         * seq 1 in a stream; together they are one valid sequence. */
        write_report("report.json", -1);
        write_report("tampered.json", 1);
        write_edited();
        write_forms();
        static const struct {
                const char *name;
                enum dump_damage damage;
        } dumps[] = {
                { "uplink.bin", DUMP_GOOD },
                { "uplink-empty.bin", DUMP_EMPTY },
                { "uplink-torn.bin", DUMP_TORN },
                { "uplink-running.bin", DUMP_RUNNING },
                { "uplink-telemetry.bin", DUMP_TELEMETRY },
                { "uplink-telemetry-tail.bin", DUMP_TELEMETRY_TAIL },
                { "uplink-device-id.bin", DUMP_DEVICE_ID },
                { "uplink-epoch.bin", DUMP_EPOCH },
                { "uplink-count.bin", DUMP_COUNT },
                { "uplink-record-len.bin", DUMP_RECORD_LEN },
                { "uplink-layout-1.bin", DUMP_LAYOUT_1 },
                { "uplink-layout-3.bin", DUMP_LAYOUT_3 },
                { "uplink-short.bin", DUMP_SHORT },
                { "uplink-bad-tag.bin", DUMP_BAD_TAG },
        };
        for (size_t i = 0; i < sizeof(dumps) / sizeof(dumps[0]); i++)
                write_uplink(dumps[i].name, dumps[i].damage);

        static const uint64_t stream_pairs[][2] = { { 1, 5 }, { 1, 6 }, { 2, 1 }, { 0, 0 } };
        write_pairs("stream.aepr", stream_pairs);

        /* The window's cases, one stream each. */
        struct stream s = { 0 };
        stream_run(&s, &dev, 1, 1, 10, 5, 5);
        stream_write(&s, "loss1.aepr");
        stream_run(&s, &dev, 1, 1, 10, 5, 6);
        stream_write(&s, "loss2.aepr");
        stream_run(&s, &dev, 1, 1, 300, 50, 149); /* the gap leaves the window at seq 213 */
        stream_write(&s, "loss100.aepr");
        static const uint64_t seq1_late[][2] = { { 1, 1 }, { 1, 2 }, { 1, 3 }, { 2, 2 }, { 2, 3 }, { 2, 1 }, { 0, 0 } };
        write_pairs("seq1-late.aepr", seq1_late);
        static const uint64_t seq1_lost[][2] = { { 1, 1 }, { 1, 2 }, { 1, 3 }, { 2, 2 }, { 2, 3 }, { 0, 0 } };
        write_pairs("seq1-lost.aepr", seq1_lost);
        static const uint64_t boots[][2] = { { 2, 1 }, { 2, 2 }, { 5, 1 }, { 6, 1 }, { 8, 1 }, { 0, 0 } };
        write_pairs("missing-boots.aepr", boots);
        static const uint64_t inside[][2] = { { 1, 1 }, { 1, 2 }, { 1, 4 }, { 1, 3 }, { 1, 5 }, { 0, 0 } };
        write_pairs("reorder-inside.aepr", inside);
        stream_run(&s, &dev, 1, 1, 70, 6, 6);
        stream_add(&s, &dev, 1, 6); /* 70 - 64 = 6: just outside the window */
        stream_add(&s, &dev, 1, 7); /* inside, already accepted */
        stream_write(&s, "reorder-outside.aepr");
        static const uint64_t dup_gap[][2] = { { 1, 1 }, { 1, 2 }, { 1, 5 }, { 1, 5 }, { 1, 3 }, { 1, 3 }, { 1, 4 },
                                               { 0, 0 } };
        write_pairs("duplicate-after-gap.aepr", dup_gap);
        static const uint64_t gap_a[][2] = { { 1, 1 }, { 1, 2 }, { 1, 4 }, { 0, 0 } };
        write_pairs("gap-a.aepr", gap_a);
        static const uint64_t gap_b[][2] = { { 1, 3 }, { 1, 80 }, { 0, 0 } };
        write_pairs("gap-b.aepr", gap_b);
        static const uint64_t gap_c[][2] = { { 2, 1 }, { 0, 0 } };
        write_pairs("gap-c.aepr", gap_c);

        /* Every record rule in one stream, then one that cannot be framed. */
        stream_add(&s, &dev, 1, 1);
        stream_add(&s, &dev, 1, 1);
        uint8_t *v1 = stream_room(&s, AETHER_PROOF_V1_RECORD_SIZE + 8); /* an obsolete version 1 entry */
        memcpy(v1, s.data, AETHER_PROOF_V1_RECORD_SIZE);
        v1[4] = 1;
        store_le(v1 + AETHER_PROOF_V1_RECORD_SIZE, aether_siphash24(dev.key, v1, AETHER_PROOF_V1_RECORD_SIZE), 8);
        stream_add(&s, &dev, 1, 3);
        stream_add(&s, &dev, 2, 5);
        stream_add(&s, &dev, 1, 2);
        stream_add(&s, &dev, 2, 2);
        struct aether_proof_record rec = make_record(&dev, 2, 3);
        rec.vector = 0x22;
        stream_record(&s, &dev, &rec);
        rec = make_record(&other, 2, 3);
        stream_record(&s, &other, &rec);
        rec = make_record(&dev, 2, 3);
        uint8_t *bad_tag = stream_room(&s, ENTRY_SIZE);
        store_le(bad_tag + AETHER_PROOF_RECORD_SIZE, sign(&dev, &rec, bad_tag) ^ 1, 8);
        uint8_t *v7 = stream_room(&s, ENTRY_SIZE);
        sign(&dev, &rec, v7);
        v7[4] = 7;
        stream_write(&s, "rules.aepr");
        stream_add(&s, &dev, 1, 1);
        memcpy(stream_room(&s, 12), "NOT A RECORD", 12);
        stream_write(&s, "bad-magic.aepr");
        stream_add(&s, &dev, 1, 1);
        stream_add(&s, &dev, 1, 2);
        s.len -= 10;
        stream_write(&s, "truncated.aepr");
        stream_add(&s, &dev, 1, 1);
        memcpy(stream_room(&s, 3), "AEP", 3);
        stream_write(&s, "short-tail.aepr");

        /* A fleet: three devices interleaved, each losing something, and a
         * device the keyring does not know. */
        for (uint64_t i = 1; i <= 6; i++) {
                if (i != 4)
                        stream_add(&s, &fleet_a, 1, i);
                if (i <= 5 && (i < 2 || i > 3))
                        stream_add(&s, &fleet_b, 3, i);
                if (i <= 4)
                        stream_add(&s, &fleet_c, 1, i);
                if (i == 3)
                        stream_add(&s, &other, 1, 1);
        }
        stream_add(&s, &fleet_c, 2, 2);
        stream_add(&s, &fleet_b, 5, 1);
        stream_add(&s, &fleet_c, 2, 3);
        stream_write(&s, "fleet.aepr");

        /* Payload pinning: the second record names another payload. */
        stream_add(&s, &dev, 1, 1);
        rec = make_record(&dev, 1, 2);
        aether_sha256("another payload", 15, rec.payload_sha256);
        stream_record(&s, &dev, &rec);
        stream_add(&s, &dev, 1, 3);
        stream_write(&s, "payloads.aepr");
        free(s.data);

        write_text("empty.json", "{\"wakes\": []}\n");
        write_text("broken.json", "{\"wakes\": [ {\"record\": \"41\", \"proof\": \"0x00\"}\n");
        write_text("nowakes.json", "{\"harness\": {\"wakes\": []}}\n");
        write_text("wakes-object.json", "{\"wakes\": {\"record\": \"41\"}}\n");
        write_text("two-epochs.json", "{\"epoch\": 1, \"wakes\": [], \"epoch\": 1}\n");
        write_text("leading-zero.json", "{\"wakes\": [], \"epoch\": 01}\n");
        write_text("report-epoch.json", "{\"epoch\": 2, \"wakes\": []}\n");
        write_text("odd-wakes.json",
                   "{\"wakes\": [ 7, {\"record\": \"4145\", \"proof\": \"0x0000000000000000\"},"
                   " {\"record\": null, \"proof\": \"0x0\"}, {\"record\": \"41\"},"
                   " {\"record\": \"41\", \"proof\": \"0x0000000000000000\", \"seq\": 1, \"seq\": 1},"
                   " {\"record\": \"414\", \"proof\": \"0x0000000000000000\"},"
                   " {\"record\": \"4145\", \"proof\": \"0x00000000000000000\"} ]}\n");
        /* A value nested in 64 containers is read; in 65, refused. */
        char deep[512];
        for (int depth = 64; depth <= 65; depth++) {
                size_t n = (size_t)snprintf(deep, sizeof(deep), "{\"wakes\": [], \"deep\": ");
                for (int i = 1; i < depth; i++)
                        deep[n++] = '[';
                deep[n++] = '0';
                for (int i = 1; i < depth; i++)
                        deep[n++] = ']';
                snprintf(deep + n, sizeof(deep) - n, "}\n");
                write_text(depth == 64 ? "deep-64.json" : "deep-65.json", deep);
        }
        write_text("notes.txt", "these are not proofs\n");
        write_text("empty-input.bin", "");
        write_text("bad.key", "# a typo\n0001g2030405060708090a0b0c0d0e0f\n");
        write_text("short.key", "000102030405060708090a0b0c0d0e\n");
        write_text("bad-state.txt", "aether-verify state 2\n1 x\n");
        write_text("state-v1.txt", "1 4\n");
        snprintf(text, sizeof(text), "%s/state.txt", dir);
        if (remove(text) != 0 && errno != ENOENT)
                die(text);
        snprintf(text, sizeof(text), "%s/gap-state.txt", dir);
        if (remove(text) != 0 && errno != ENOENT)
                die(text);
        return 0;
}
