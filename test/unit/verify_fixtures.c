/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* verify_fixtures.c: writes the signed inputs the aether-verify CLI tests read. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "proof.h"

#define ENTRY_SIZE (AETHER_PROOF_RECORD_SIZE + 8)
#define UPLINK_SIZE 0x200

static const char *dir;
static uint8_t key[AETHER_PROOF_KEY_SIZE];

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

static struct aether_proof_record make_record(uint64_t epoch, uint64_t seq) {
        static const uint8_t telemetry[] = "p=1013.25 dose=42";
        struct aether_proof_record rec = {
                .vector = seq % 2 ? 0x20 : 0x21,
                .outcome = AETHER_FAULT_NONE,
                .epoch = epoch,
                .seq = seq,
                .status = 3,
                .pressure_bits = 0x447d5000,
                .dose = 42,
                .telemetry_len = sizeof(telemetry) - 1,
        };
        aether_sha256(telemetry, rec.telemetry_len, rec.telemetry_sha256);
        aether_sha256("payload", 7, rec.payload_sha256);
        return rec;
}

static uint64_t sign(const struct aether_proof_record *rec, uint8_t record[AETHER_PROOF_RECORD_SIZE]) {
        aether_proof_encode(rec, record);
        return aether_proof_tag(key, record);
}

static void store_le(uint8_t *p, uint64_t v, size_t bytes) {
        for (size_t i = 0; i < bytes; i++)
                p[i] = (uint8_t)(v >> (8 * i));
}

/* A proof stream entry; returns the next free position. */
static uint8_t *stream_entry(uint8_t *p, const struct aether_proof_record *rec) {
        uint64_t tag = sign(rec, p);
        store_le(p + AETHER_PROOF_RECORD_SIZE, tag, 8);
        return p + ENTRY_SIZE;
}

static void hex(const uint8_t *bytes, size_t len, char *out) {
        for (size_t i = 0; i < len; i++)
                sprintf(out + 2 * i, "%02x", bytes[i]);
}

/* A harness report whose wakes spell their keys in varying order and
 * spacing, with decoy "record" keys nested deeper; flip_wake gets one record
 * bit flipped after signing (or -1 for none). */
static void write_report(const char *name, int flip_wake) {
        char record_hex[2 * AETHER_PROOF_RECORD_SIZE + 1], text[8192];
        size_t used = 0;

        used += (size_t)snprintf(text + used, sizeof(text) - used,
                                 "{\n  \"harness\": {\"version\": 1, \"wakes\": \"not this one\"},\n"
                                 "  \"notes\": \"escapes \\\" \\\\ \\u00e9 [ { are fine\",\n  \"wakes\": [");
        for (int w = 0; w < 3; w++) {
                struct aether_proof_record rec = make_record(1, (uint64_t)w + 1);
                uint8_t record[AETHER_PROOF_RECORD_SIZE];
                uint64_t tag = sign(&rec, record);
                if (w == flip_wake)
                        record[0x40] ^= 0x04;
                hex(record, sizeof(record), record_hex);
                if (w == 0)
                        used += (size_t)snprintf(text + used, sizeof(text) - used,
                                                 "\n    {\"index\": 0, \"record\": \"%s\", \"proof\": \"0x%016llx\", "
                                                 "\"outcome\": \"ok\", \"status\": 3}",
                                                 record_hex, (unsigned long long)tag);
                else if (w == 1)
                        used += (size_t)snprintf(text + used, sizeof(text) - used,
                                                 ",\n    {\"proof\":\"0x%016llX\",\"telemetry\":{\"record\":\"00\"},"
                                                 "\"record\":\"%s\",\"pressure\":-1.5e+2,\"ok\":true}",
                                                 (unsigned long long)tag, record_hex);
                else
                        used += (size_t)snprintf(text + used, sizeof(text) - used,
                                                 " ,\n\t{ \"list\" : [ 1, null, false, [ ] ] ,\r\n \"record\" : \"%s\" ,"
                                                 " \"proof\" : \"0x%016llx\" }",
                                                 record_hex, (unsigned long long)tag);
        }
        snprintf(text + used, sizeof(text) - used, "\n  ],\n  \"summary\": {\"wakes\": 3}\n}\n");
        write_text(name, text);
}

static void write_uplink(const char *name, const struct aether_proof_record *rec, uint32_t record_len) {
        uint8_t dump[UPLINK_SIZE] = { 0 };
        uint64_t tag = sign(rec, dump + 0x40);

        memcpy(dump, "AETHUPL1", 8);
        store_le(dump + 0x08, 1, 4);        /* layout version */
        store_le(dump + 0x0c, 1, 4);        /* dormant */
        store_le(dump + 0x10, rec->seq, 8); /* commit count */
        store_le(dump + 0x18, tag & 0xffffffff, 4);
        store_le(dump + 0x1c, tag >> 32, 4);
        store_le(dump + 0x20, record_len, 4);
        store_le(dump + 0x24, rec->telemetry_len, 4);
        store_le(dump + 0x28, rec->epoch, 8);
        write_file(name, dump, sizeof(dump));
}

int main(int argc, char **argv) {
        if (argc != 3) {
                fprintf(stderr, "usage: verify_fixtures KEYFILE DIR\n");
                return 2;
        }
        dir = argv[2];
        if (mkdir(dir, 0755) != 0 && errno != EEXIST)
                die(dir);

        char text[512], err[96];
        FILE *f = fopen(argv[1], "rb");
        if (!f)
                die(argv[1]);
        size_t len = fread(text, 1, sizeof(text), f);
        fclose(f);
        if (aether_key_parse(text, len, key, err, sizeof(err)) != 0) {
                fprintf(stderr, "verify_fixtures: %s: %s\n", argv[1], err);
                return 1;
        }

        /* Epoch 1: seq 1-3 in a report, 4 in an uplink dump, 5-6 then epoch 2
         * seq 1 in a stream; together they are one valid sequence. */
        write_report("report.json", -1);
        write_report("tampered.json", 1);
        struct aether_proof_record rec = make_record(1, 4);
        write_uplink("uplink.bin", &rec, AETHER_PROOF_RECORD_SIZE);
        write_uplink("uplink-badlen.bin", &rec, 96);

        uint8_t stream[16 * ENTRY_SIZE], *p = stream;
        rec = make_record(1, 5);
        p = stream_entry(p, &rec);
        rec = make_record(1, 6);
        p = stream_entry(p, &rec);
        rec = make_record(2, 1);
        p = stream_entry(p, &rec);
        write_file("stream.aepr", stream, (size_t)(p - stream));

        /* Every replay rule in one stream, ending in a cut entry. */
        static const uint64_t rules[][2] = { { 1, 1 }, { 1, 1 }, { 1, 3 }, { 2, 5 }, { 2, 1 }, { 1, 2 }, { 2, 2 } };
        p = stream;
        for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
                rec = make_record(rules[i][0], rules[i][1]);
                p = stream_entry(p, &rec);
        }
        rec = make_record(2, 3);
        p = stream_entry(p, &rec);
        p[-ENTRY_SIZE + 4] = 2; /* version 2, re-signed below */
        store_le(p - 8, aether_proof_tag(key, p - ENTRY_SIZE), 8);
        rec = make_record(2, 3);
        rec.vector = 0x22;
        p = stream_entry(p, &rec);
        p = stream_entry(p, &rec);
        write_file("rules.aepr", stream, (size_t)(p - stream) - 10);

        write_text("empty.json", "{\"wakes\": []}\n");
        write_text("broken.json", "{\"wakes\": [ {\"record\": \"41\", \"proof\": \"0x00\"}\n");
        write_text("nowakes.json", "{\"harness\": {\"wakes\": []}}\n");
        write_text("odd-wakes.json", "{\"wakes\": [ 7, {\"record\": \"4145\", \"proof\": \"0x0000000000000000\"},"
                                     " {\"record\": null, \"proof\": \"0x0\"} ]}\n");
        write_text("notes.txt", "these are not proofs\n");
        write_text("other.key", "# another device\nffeeddccbbaa99887766554433221100\n");
        write_text("bad.key", "# a typo\n0001g2030405060708090a0b0c0d0e0f\n");
        write_text("short.key", "000102030405060708090a0b0c0d0e\n");
        write_text("bad-state.txt", "1 x\n");
        snprintf(text, sizeof(text), "%s/state.txt", dir);
        if (remove(text) != 0 && errno != ENOENT)
                die(text);
        return 0;
}
