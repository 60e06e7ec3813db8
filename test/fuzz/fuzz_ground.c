/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* fuzz_ground.c: the verifier's input parsing (report, dump, stream, keyring, state) on arbitrary bytes, each read twice. */
#include <string.h>

#include "ground.h"
#include "require.h"

static const uint8_t dev_key[AETHER_PROOF_KEY_SIZE] = {
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
};

static int transcribe(void *ctx, const struct ground_event *e) {
        struct ground_text *out = ctx;
        REQUIRE(e->verdict == GROUND_VALID || e->reason[0] != '\0');
        ground_format_event(e, out);
        ground_format_event_json(e, out);
        return 0;
}

/* Everything a run prints for these inputs, read by a fresh verifier
 * starting from the state text (NULL: none); the caller frees it. */
static struct ground_text read_all(const uint8_t *data, size_t len, const char *state, size_t state_len,
                                   uint64_t window) {
        struct ground_keyring ring = { 0 };
        struct ground_text out = { 0 }, err = { 0 };
        REQUIRE(ground_keyring_add(&ring, dev_key) == 0);
        struct ground_verifier v = { .keyring = &ring, .window = window, .on_event = transcribe, .ctx = &out };
        if (state && ground_state_parse(state, state_len, &v.fleet, &err) < 0)
                ground_text_append(&out, "state refused\n");
        if (ground_verify_input(&v, "in", data, len, &err) < 0) {
                REQUIRE(err.len > 0); /* a refused input always says why */
                ground_text_append(&out, "input refused\n");
        }
        const struct ground_missing *missing;
        size_t count;
        REQUIRE(ground_verify_finish(&v, state != NULL, &missing, &count) == 0);
        ground_format_summary(&v, missing, count, &out);
        ground_state_format(&v.fleet, &out);
        REQUIRE(!out.failed);
        ground_verifier_free(&v);
        ground_keyring_free(&ring);
        ground_text_free(&err);
        return out;
}

/* The same bytes read twice give the same verdicts, lines and state. */
static void read_twice(const uint8_t *data, size_t len, const char *state, size_t state_len, uint64_t window) {
        struct ground_text first = read_all(data, len, state, state_len, window);
        struct ground_text second = read_all(data, len, state, state_len, window);
        REQUIRE(first.len == second.len && memcmp(first.buf, second.buf, first.len) == 0);
        ground_text_free(&first);
        ground_text_free(&second);
}

/* A parsed state file formats to a text that parses to the same text. */
static void state_round_trip(const char *text, size_t len) {
        struct ground_fleet fleet = { 0 }, again = { 0 };
        struct ground_text err = { 0 }, once = { 0 }, twice = { 0 };
        if (ground_state_parse(text, len, &fleet, &err) == 0) {
                ground_state_format(&fleet, &once);
                REQUIRE(ground_state_parse(once.buf, once.len, &again, &err) == 0);
                ground_state_format(&again, &twice);
                REQUIRE(once.len == twice.len && memcmp(once.buf, twice.buf, once.len) == 0);
        } else {
                REQUIRE(err.len > 0);
        }
        ground_fleet_free(&fleet);
        ground_fleet_free(&again);
        ground_text_free(&err);
        ground_text_free(&once);
        ground_text_free(&twice);
}

/* A keyring read twice: the same devices, sorted, each its key's. */
static void keyring_twice(const char *text, size_t len) {
        struct ground_keyring a = { 0 }, b = { 0 };
        struct ground_text err_a = { 0 }, err_b = { 0 };
        int ra = ground_keyring_parse(text, len, &a, &err_a), rb = ground_keyring_parse(text, len, &b, &err_b);
        REQUIRE(ra == rb);
        if (ra == 0) {
                REQUIRE(a.count == b.count && memcmp(a.devices, b.devices, a.count * sizeof(a.devices[0])) == 0);
                for (size_t i = 0; i < a.count; i++) {
                        uint8_t id[AETHER_DEVICE_ID_SIZE];
                        aether_derive_device_id(a.devices[i].key, id);
                        REQUIRE(memcmp(id, a.devices[i].id, sizeof(id)) == 0);
                        REQUIRE(i == 0 || memcmp(a.devices[i - 1].id, a.devices[i].id, sizeof(id)) < 0);
                }
        } else {
                REQUIRE(err_a.len > 0 && err_a.len == err_b.len && memcmp(err_a.buf, err_b.buf, err_a.len) == 0);
        }
        ground_keyring_free(&a);
        ground_keyring_free(&b);
        ground_text_free(&err_a);
        ground_text_free(&err_b);
}

/* In a proof stream, a zero tag stands for the correct one, so that inputs
 * reach the window behind the tag check; the same record then reads the
 * same from a report. */
static void stream_and_report(const uint8_t *data, size_t len) {
        enum { ENTRY = AETHER_PROOF_RECORD_SIZE + 8 };
        uint8_t stream[16 * ENTRY];
        size_t n = len / ENTRY < 16 ? len / ENTRY : 16;
        memcpy(stream, data, n * ENTRY);
        for (size_t i = 0; i < n; i++) {
                uint8_t *tag = stream + i * ENTRY + AETHER_PROOF_RECORD_SIZE;
                static const uint8_t zero[8];
                if (memcmp(tag, zero, sizeof(zero)) != 0)
                        continue;
                uint64_t good = aether_proof_tag(dev_key, stream + i * ENTRY);
                for (int b = 0; b < 8; b++)
                        tag[b] = (uint8_t)(good >> (8 * b));
        }
        read_twice(stream, n * ENTRY, NULL, 0, 1 + (len ? data[0] % 8 : 0));

        if (n == 0 || memcmp(stream, "AEPR", 4) != 0 || stream[4] != AETHER_PROOF_VERSION || stream[5] != 0)
                return; /* a report reads any length; a stream frames by version */
        static const char digits[] = "0123456789abcdef";
        char report[2 * AETHER_PROOF_RECORD_SIZE + 80];
        size_t used = (size_t)snprintf(report, sizeof(report), "{\"wakes\":[{\"record\":\"");
        for (size_t i = 0; i < AETHER_PROOF_RECORD_SIZE; i++) {
                report[used++] = digits[stream[i] >> 4];
                report[used++] = digits[stream[i] & 0xf];
        }
        uint64_t tag = 0;
        for (int b = 7; b >= 0; b--)
                tag = tag << 8 | stream[AETHER_PROOF_RECORD_SIZE + b];
        used += (size_t)snprintf(report + used, sizeof(report) - used, "\",\"proof\":\"0x%016llx\"}]}",
                                 (unsigned long long)tag);
        struct ground_text from_stream = read_all(stream, ENTRY, NULL, 0, GROUND_WINDOW_DEFAULT);
        struct ground_text from_report = read_all((const uint8_t *)report, used, NULL, 0, GROUND_WINDOW_DEFAULT);
        /* Past "in#0: " the lines are the same; the JSON objects too. */
        REQUIRE(from_stream.len == from_report.len && memcmp(from_stream.buf, from_report.buf, from_stream.len) == 0);
        ground_text_free(&from_stream);
        ground_text_free(&from_report);
}

/* The first byte picks what the rest is: 0 a report (or anything else the
 * verifier may be given), 1 a dump, 2 records for a stream, 3 a keyring,
 * 4 a state file then, after a NUL, a stream for it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        if (size == 0)
                return 0;
        const uint8_t *rest = data + 1;
        size_t len = size - 1;
        switch (data[0] % 5) {
        case 0:
                read_twice(rest, len, NULL, 0, GROUND_WINDOW_DEFAULT);
                break;
        case 1: {
                uint8_t dump[0x268];
                memset(dump, 0, sizeof(dump));
                memcpy(dump, "AETHUPL1", 8);
                memcpy(dump + 8, rest, len < sizeof(dump) - 8 ? len : sizeof(dump) - 8);
                read_twice(dump, len < sizeof(dump) - 8 ? len + 8 : sizeof(dump), NULL, 0, GROUND_WINDOW_DEFAULT);
                break;
        }
        case 2:
                stream_and_report(rest, len);
                break;
        case 3:
                keyring_twice((const char *)rest, len);
                break;
        case 4: {
                const uint8_t *nul = memchr(rest, 0, len);
                size_t state_len = nul ? (size_t)(nul - rest) : len;
                state_round_trip((const char *)rest, state_len);
                if (nul)
                        read_twice(nul + 1, len - state_len - 1, (const char *)rest, state_len, 1 + rest[0] % 8);
                break;
        }
        }
        return 0;
}
