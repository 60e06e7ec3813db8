/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* test_ground.c: the verifier's logic: every bit flip, the anti-replay window, keyring and state grammars, output lines. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ground.h"

static const uint8_t dev_key[AETHER_PROOF_KEY_SIZE] = {
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
};
static const uint8_t other_key[AETHER_PROOF_KEY_SIZE] = { 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
                                                          0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf };
static const char telemetry[] = "p=1013.25 dose=42";

/* ---- a verifier whose output is collected ------------------------------------------------ */

struct run {
        struct ground_keyring ring;
        struct ground_verifier v;
        struct ground_text out;
        enum ground_verdict last;
        char last_reason[GROUND_REASON_MAX];
};

static int collect(void *ctx, const struct ground_event *e) {
        struct run *r = ctx;
        ground_format_event(e, &r->out);
        r->last = e->verdict;
        snprintf(r->last_reason, sizeof(r->last_reason), "%s", e->reason);
        return 0;
}

static void run_start(struct run *r, uint64_t window) {
        memset(r, 0, sizeof(*r));
        CHECK(ground_keyring_add(&r->ring, dev_key) == 0);
        CHECK(ground_keyring_add(&r->ring, other_key) == 0);
        r->v = (struct ground_verifier){ .keyring = &r->ring, .window = window, .on_event = collect, .ctx = r };
}

/* Ends the run (keep_open as with --state) and returns its whole output. */
static const char *run_finish(struct run *r, bool keep_open) {
        const struct ground_missing *missing;
        size_t count;
        CHECK(ground_verify_finish(&r->v, keep_open, &missing, &count) == 0);
        ground_format_summary(&r->v, missing, count, &r->out);
        return r->out.buf;
}

static void run_free(struct run *r) {
        ground_verifier_free(&r->v);
        ground_keyring_free(&r->ring);
        ground_text_free(&r->out);
}

static int input(struct run *r, const char *name, const void *data, size_t len) {
        struct ground_text err = { 0 };
        int result = ground_verify_input(&r->v, name, data, len, &err);
        ground_text_free(&err);
        return result;
}

static struct aether_proof_record make_record(const uint8_t key[AETHER_PROOF_KEY_SIZE], uint64_t epoch, uint64_t seq) {
        struct aether_proof_record rec = {
                .vector = 0x20, .epoch = epoch, .seq = seq, .status = 3, .pressure_bits = 0x447d5000, .dose = 42,
                .telemetry_len = sizeof(telemetry) - 1, .boot_flags = AETHER_BOOT_FLAG_DEVELOPMENT_KEY,
        };
        aether_sha256(telemetry, rec.telemetry_len, rec.telemetry_sha256);
        aether_sha256("payload", 7, rec.payload_sha256);
        aether_derive_device_id(key, rec.device_id);
        return rec;
}

/* A proof stream entry of (epoch, seq) of the device with this key. */
static size_t entry(uint8_t *out, const uint8_t key[AETHER_PROOF_KEY_SIZE], uint64_t epoch, uint64_t seq) {
        struct aether_proof_record rec = make_record(key, epoch, seq);
        aether_proof_encode(&rec, out);
        uint64_t tag = aether_proof_tag(key, out);
        for (int i = 0; i < 8; i++)
                out[AETHER_PROOF_RECORD_SIZE + i] = (uint8_t)(tag >> (8 * i));
        return AETHER_PROOF_RECORD_SIZE + 8;
}

/* Feeds dev's (epoch, seq) pairs as one stream; returns the run's output. */
static const char *stream_run(struct run *r, uint64_t window, const uint64_t (*pairs)[2], size_t count, bool keep_open) {
        uint8_t *stream = malloc(count * (AETHER_PROOF_RECORD_SIZE + 8));
        size_t len = 0;
        for (size_t i = 0; i < count; i++)
                len += entry(stream + len, dev_key, pairs[i][0], pairs[i][1]);
        run_start(r, window);
        CHECK(input(r, "s", stream, len) == 0);
        free(stream);
        return run_finish(r, keep_open);
}

static void expect_output(const char *got, const char *needle, const char *what) {
        CHECK_MSG(got && strstr(got, needle), "%s: no \"%s\" in:\n%s", what, needle, got ? got : "(none)");
}

/* ---- every single-bit flip ---------------------------------------------------------------- */

static void hex(const uint8_t *bytes, size_t n, char *out) {
        for (size_t i = 0; i < n; i++)
                sprintf(out + 2 * i, "%02x", bytes[i]);
}

/* A report of one wake: its record, tag and telemetry (as hex). */
static size_t report(char *out, size_t size, const uint8_t *record, uint64_t tag, const uint8_t *tele, size_t tele_len) {
        char record_hex[2 * AETHER_PROOF_RECORD_SIZE + 1], tele_hex[2 * sizeof(telemetry) + 1];
        hex(record, AETHER_PROOF_RECORD_SIZE, record_hex);
        hex(tele, tele_len, tele_hex);
        return (size_t)snprintf(out, size, "{\"wakes\": [{\"record\": \"%s\", \"proof\": \"0x%016" PRIx64
                                           "\", \"telemetry\": \"%s\"}]}",
                                record_hex, tag, tele_hex);
}

static bool reason_is_any(const char *reason, const char *const *allowed) {
        for (; *allowed; allowed++)
                if (strncmp(reason, *allowed, strlen(*allowed)) == 0)
                        return true;
        return false;
}

/* Each of the 1216 record bits, 64 tag bits and 136 telemetry bits flipped
 * alone: never valid, and a reason of the right kind. */
static void test_bit_flips(void) {
        struct aether_proof_record rec = make_record(dev_key, 1, 1);
        uint8_t record[AETHER_PROOF_RECORD_SIZE], tele[sizeof(telemetry) - 1];
        aether_proof_encode(&rec, record);
        uint64_t tag = aether_proof_tag(dev_key, record);
        memcpy(tele, telemetry, sizeof(tele));
        char text[1024];
        struct run r;
        static const char *const record_reasons[] = {
                "malformed record", "obsolete version", "unknown version", "unknown device", "bad tag", NULL,
        };
        static const char *const tag_reasons[] = { "bad tag", NULL };
        static const char *const telemetry_reasons[] = { "telemetry does not match the record", NULL };

        run_start(&r, GROUND_WINDOW_DEFAULT);
        CHECK(input(&r, "r", text, report(text, sizeof(text), record, tag, tele, sizeof(tele))) == 0);
        CHECK_MSG(r.last == GROUND_VALID, "the unflipped report: %s", r.last_reason);
        run_free(&r);

        size_t bits = 8 * (sizeof(record) + 8 + sizeof(tele));
        for (size_t bit = 0; bit < bits; bit++) {
                size_t at = bit / 8;
                uint8_t mask = (uint8_t)(1u << (bit % 8));
                uint64_t flipped_tag = tag;
                const char *const *allowed;
                if (at < sizeof(record)) {
                        record[at] ^= mask;
                        allowed = record_reasons;
                } else if (at < sizeof(record) + 8) {
                        flipped_tag ^= UINT64_C(1) << (bit - 8 * sizeof(record));
                        allowed = tag_reasons;
                } else {
                        tele[at - sizeof(record) - 8] ^= mask;
                        allowed = telemetry_reasons;
                }
                run_start(&r, GROUND_WINDOW_DEFAULT);
                CHECK(input(&r, "r", text, report(text, sizeof(text), record, flipped_tag, tele, sizeof(tele))) == 0);
                CHECK_MSG(r.last == GROUND_INVALID && reason_is_any(r.last_reason, allowed), "bit %zu: %s \"%s\"",
                          bit, r.last == GROUND_VALID ? "valid" : "invalid", r.last_reason);
                CHECK_MSG(r.v.fleet.count == 0, "bit %zu: a rejected record moved the state", bit);
                run_free(&r);
                if (at < sizeof(record))
                        record[at] ^= mask;
                else if (at >= sizeof(record) + 8)
                        tele[at - sizeof(record) - 8] ^= mask;
        }
}

/* ---- the window --------------------------------------------------------------------------- */

static void test_window(void) {
        struct run r;
        const char *out;

        static const uint64_t lose_one[][2] = { { 1, 1 }, { 1, 2 }, { 1, 4 }, { 1, 5 } };
        out = stream_run(&r, 64, lose_one, 4, false);
        expect_output(out, "s#3: valid", "loss of 1");
        expect_output(out, "\nmissing: epoch 1 seq 3 (device 4fe0f94cd4c6d74097657433fe3813bd)\n"
                           "aether-verify: 4 valid, 0 invalid, 1 missing, 0 missing boots\n",
                      "loss of 1");
        run_free(&r);

        /* With --state the gap stays open: nothing missing yet, the state keeps it. */
        out = stream_run(&r, 64, lose_one, 4, true);
        expect_output(out, "4 valid, 0 invalid, 0 missing", "open gap");
        CHECK(r.v.fleet.count == 1 && r.v.fleet.windows[0].gap_count == 1 && r.v.fleet.windows[0].gaps[0].first == 3);
        run_free(&r);

        /* A gap is reported whole, when its last record leaves the window:
         * 4 leaves a window of 4 records when 8 arrives. */
        static const uint64_t slide[][2] = { { 1, 1 }, { 1, 5 }, { 1, 6 }, { 1, 7 }, { 1, 8 } };
        out = stream_run(&r, 4, slide, 5, false);
        const char *seven = strstr(out, "seq=7 "), *eight = strstr(out, "seq=8 ");
        const char *missing = strstr(out, "\nmissing: epoch 1 seq 2..4 (device 4fe0f94cd4c6d74097657433fe3813bd)\n");
        CHECK_MSG(seven && eight && missing && seven < eight && eight < missing && strchr(eight, '\n') == missing,
                  "the gap 2..4 is reported with seq 8's record:\n%s", out);
        expect_output(out, "5 valid, 0 invalid, 3 missing", "slide");
        run_free(&r);

        /* Filling the middle of a gap splits it. */
        static const uint64_t split[][2] = { { 1, 1 }, { 1, 10 }, { 1, 5 }, { 1, 5 } };
        out = stream_run(&r, 64, split, 4, true);
        CHECK(r.v.fleet.windows[0].gap_count == 2);
        CHECK(r.v.fleet.windows[0].gaps[0].first == 2 && r.v.fleet.windows[0].gaps[0].last == 4);
        CHECK(r.v.fleet.windows[0].gaps[1].first == 6 && r.v.fleet.windows[0].gaps[1].last == 9);
        expect_output(out, "s#3: INVALID (replay)", "gap split");
        run_free(&r);
        static const uint64_t edges[][2] = { { 1, 1 }, { 1, 6 }, { 1, 2 }, { 1, 5 }, { 1, 4 }, { 1, 3 } };
        out = stream_run(&r, 64, edges, 6, true);
        CHECK(r.v.fleet.windows[0].gap_count == 0);
        expect_output(out, "6 valid, 0 invalid, 0 missing", "gap filled from both ends");
        run_free(&r);

        /* A new boot of a known device: what the old one lacked, the boots between, seq 1.. of the new. */
        static const uint64_t boots[][2] = { { 2, 1 }, { 2, 3 }, { 5, 4 }, { 5, 1 }, { 4, 1 } };
        out = stream_run(&r, 64, boots, 5, false);
        expect_output(out, "s#2: valid device=4fe0f94cd4c6d74097657433fe3813bd epoch=5 seq=4 vector=0x20 outcome=ok "
                           "status=3 dropped=0 rejected=0 flags=development-key payload=239f59ed55e7 proof=0x",
                      "new boot");
        expect_output(out, "\nmissing: epoch 2 seq 2 (device 4fe0f94cd4c6d74097657433fe3813bd)\n"
                           "missing: epoch 3..4 (device 4fe0f94cd4c6d74097657433fe3813bd)\ns#3: valid",
                      "new boot");
        expect_output(out, "s#4: INVALID (epoch went back)\nmissing: epoch 5 seq 2..3 (device", "new boot");
        expect_output(out, "4 valid, 1 invalid, 3 missing, 2 missing boots", "new boot");
        run_free(&r);

        /* The largest counters: no overflow in the window's arithmetic. */
        static const uint64_t top[][2] = { { UINT64_MAX, UINT64_MAX - 1 }, { UINT64_MAX, UINT64_MAX },
                                           { UINT64_MAX, UINT64_MAX }, { UINT64_MAX, 1 } };
        out = stream_run(&r, GROUND_WINDOW_MAX, top, 4, false);
        expect_output(out, "s#2: INVALID (replay)", "top");
        expect_output(out, "s#3: INVALID (replay)", "top"); /* the verifier started at UINT64_MAX - 1 */
        expect_output(out, "2 valid, 2 invalid, 0 missing", "top");
        run_free(&r);
        static const uint64_t jump[][2] = { { 1, 1 }, { 1, UINT64_MAX } };
        out = stream_run(&r, 1, jump, 2, false);
        expect_output(out, "missing: epoch 1 seq 2..18446744073709551614 (device", "jump");
        expect_output(out, "18446744073709551613 missing", "jump");
        run_free(&r);
        static const uint64_t epochs[][2] = { { 1, 1 }, { UINT64_MAX, 1 } };
        out = stream_run(&r, 1, epochs, 2, false);
        expect_output(out, "missing: epoch 2..18446744073709551614 (device", "epoch jump");
        expect_output(out, "0 missing, 18446744073709551613 missing boots", "epoch jump");
        run_free(&r);
}

/* ---- keyring and state ----------------------------------------------------------------------- */

static void expect_keyring_error(const char *text, const char *expected) {
        struct ground_keyring ring = { 0 };
        struct ground_text err = { 0 };
        CHECK_MSG(ground_keyring_parse(text, strlen(text), &ring, &err) == -1 && err.buf &&
                          strcmp(err.buf, expected) == 0,
                  "keyring \"%s\": got \"%s\", expected \"%s\"", text, err.buf ? err.buf : "(accepted)", expected);
        CHECK(ring.devices == NULL);
        ground_text_free(&err);
}

static void test_keyring(void) {
        static const char dev_line[] = "4fe0f94cd4c6d74097657433fe3813bd 000102030405060708090a0b0c0d0e0f";
        static const char other_line[] = "5e7fa9f5bc2c8bb4e2532ab73d446169 A0A1A2A3A4A5A6A7A8A9AAABACADAEAF";
        char text[512];
        struct ground_keyring ring = { 0 };
        struct ground_text err = { 0 };

        snprintf(text, sizeof(text), "# fleet\n\n \t%s\t# sat 2\r\n%s", other_line, dev_line);
        CHECK(ground_keyring_parse(text, strlen(text), &ring, &err) == 0);
        CHECK(ring.count == 2);
        CHECK(ring.count == 2 && memcmp(ring.devices[0].key, dev_key, 16) == 0); /* sorted by ID */
        CHECK(ring.count == 2 && memcmp(ring.devices[1].key, other_key, 16) == 0);
        ground_keyring_free(&ring);

        expect_keyring_error("", "no device in the keyring");
        expect_keyring_error("# only\n", "no device in the keyring");
        snprintf(text, sizeof(text), "%s\n%.31s\n", dev_line, dev_line);
        expect_keyring_error(text, "line 2: expected a device ID of 32 hexadecimal digits");
        snprintf(text, sizeof(text), "%.32s 0001\n", dev_line);
        expect_keyring_error(text, "line 1: expected a key of 32 hexadecimal digits after the device ID");
        snprintf(text, sizeof(text), "%s x\n", dev_line);
        expect_keyring_error(text, "line 1: unexpected text after the key");
        snprintf(text, sizeof(text), "%.32s %s\n", dev_line, other_line + 33);
        expect_keyring_error(text, "line 1: the device ID is not the one derived from the key");
        snprintf(text, sizeof(text), "%s\n%s\n%s\n%s\n", other_line, dev_line, other_line, dev_line);
        expect_keyring_error(text, "line 3: device listed twice (first on line 1)");
        snprintf(text, sizeof(text), "%s\nbad\n%s\n", dev_line, dev_line);
        expect_keyring_error(text, "line 2: expected a device ID of 32 hexadecimal digits");
}

static void expect_state(const char *text, const char *expected_error) {
        struct ground_fleet fleet = { 0 };
        struct ground_text err = { 0 }, again = { 0 };
        int r = ground_state_parse(text, strlen(text), &fleet, &err);
        if (!expected_error) {
                CHECK_MSG(r == 0, "state \"%s\": %s", text, err.buf);
                ground_state_format(&fleet, &again);
                CHECK_MSG(again.buf && strcmp(again.buf, text) == 0, "state \"%s\" formats as \"%s\"", text, again.buf);
        } else {
                CHECK_MSG(r == -1 && err.buf && strcmp(err.buf, expected_error) == 0, "state \"%s\": got \"%s\"", text,
                          r ? err.buf : "(accepted)");
        }
        ground_fleet_free(&fleet);
        ground_text_free(&err);
        ground_text_free(&again);
}

static void test_state(void) {
        expect_state("aether-verify state 2\n", NULL);
        expect_state("aether-verify state 2\n"
                     "4fe0f94cd4c6d74097657433fe3813bd 1 80 5..79\n"
                     "5e7fa9f5bc2c8bb4e2532ab73d446169 18446744073709551615 18446744073709551615 1 3..4 6\n",
                     NULL);
        expect_state("", "line 1: expected \"aether-verify state 2\"");
        expect_state("3 7\n", "line 1: a version 1 state file (\"epoch seq\") names no device: start a new state file");
        expect_state("aether-verify state 2\n4FE0F94CD4C6D74097657433FE3813BD 1 1\n",
                     "line 2: expected a device ID of 32 lowercase hexadecimal digits");
        expect_state("aether-verify state 2\n4fe0f94cd4c6d74097657433fe3813bd 0 1\n",
                     "line 2: expected an epoch (a decimal number from 1) after the device ID");
        expect_state("aether-verify state 2\n4fe0f94cd4c6d74097657433fe3813bd 1 01\n",
                     "line 2: expected a sequence number (a decimal number from 1) after the epoch");
        expect_state("aether-verify state 2\n4fe0f94cd4c6d74097657433fe3813bd 1 18446744073709551616\n",
                     "line 2: expected a sequence number (a decimal number from 1) after the epoch");
        expect_state("aether-verify state 2\n4fe0f94cd4c6d74097657433fe3813bd 1 9 3 4\n",
                     "line 2: gaps must be ascending, apart, and below the sequence number");
        expect_state("aether-verify state 2\n4fe0f94cd4c6d74097657433fe3813bd 1 9 3..9\n",
                     "line 2: gaps must be ascending, apart, and below the sequence number");
        expect_state("aether-verify state 2\n4fe0f94cd4c6d74097657433fe3813bd 1 9 5..5\n",
                     "line 2: gaps must be ascending, apart, and below the sequence number");
        expect_state("aether-verify state 2\n4fe0f94cd4c6d74097657433fe3813bd 1 9 5..3\n",
                     "line 2: gaps must be ascending, apart, and below the sequence number");
        expect_state("aether-verify state 2\n4fe0f94cd4c6d74097657433fe3813bd 1 9 3.. 5\n",
                     "line 2: expected a gap \"a\" or \"a..b\" after the sequence number");
        expect_state("aether-verify state 2\n5e7fa9f5bc2c8bb4e2532ab73d446169 1 1\n4fe0f94cd4c6d74097657433fe3813bd 1 1\n",
                     "line 3: devices must be in ascending order of ID, each once");
        expect_state("aether-verify state 2\n4fe0f94cd4c6d74097657433fe3813bd 1 1",
                     "line 2: the last line has no newline");
}

/* A state carried over: the late record of a gap is accepted, then the new boot reports the rest. */
static void test_state_carried(void) {
        static const char saved[] = "aether-verify state 2\n4fe0f94cd4c6d74097657433fe3813bd 1 10 3 5..6\n";
        struct run r;
        uint8_t stream[4 * (AETHER_PROOF_RECORD_SIZE + 8)];
        size_t len = 0;
        len += entry(stream + len, dev_key, 1, 5);
        len += entry(stream + len, dev_key, 1, 4);
        len += entry(stream + len, dev_key, 2, 1);
        run_start(&r, GROUND_WINDOW_DEFAULT);
        struct ground_text err = { 0 }, state = { 0 };
        CHECK(ground_state_parse(saved, strlen(saved), &r.v.fleet, &err) == 0);
        CHECK(input(&r, "s", stream, len) == 0);
        const char *out = run_finish(&r, true);
        expect_output(out, "s#0: valid device=4fe0f94cd4c6d74097657433fe3813bd epoch=1 seq=5", "carried");
        expect_output(out, "s#1: INVALID (replay)", "carried");
        expect_output(out, "s#2: valid device=4fe0f94cd4c6d74097657433fe3813bd epoch=2 seq=1 ", "carried");
        expect_output(out, "\nmissing: epoch 1 seq 3 (device 4fe0f94cd4c6d74097657433fe3813bd)\n"
                           "missing: epoch 1 seq 6 (device 4fe0f94cd4c6d74097657433fe3813bd)\n"
                           "aether-verify: 2 valid, 1 invalid, 2 missing, 0 missing boots\n",
                      "carried");
        ground_state_format(&r.v.fleet, &state);
        CHECK_MSG(strcmp(state.buf, "aether-verify state 2\n4fe0f94cd4c6d74097657433fe3813bd 2 1\n") == 0, "%s",
                  state.buf);
        ground_text_free(&err);
        ground_text_free(&state);
        run_free(&r);
}

/* ---- inputs the run refuses, and the output forms ------------------------------------------------- */

static void test_inputs(void) {
        struct run r;
        run_start(&r, GROUND_WINDOW_DEFAULT);
        CHECK(input(&r, "e", "", 0) == -1);
        CHECK(input(&r, "t", "text", 4) == -1);
        CHECK(input(&r, "j", "{\"wakes\": [", 11) == -1);
        CHECK(input(&r, "j", " {\"wakes\": {}}", 14) == -1);
        CHECK(input(&r, "j", "{\"wakes\": []}", 13) == 0);
        CHECK(r.v.valid + r.v.invalid == 0);
        run_free(&r);

        uint8_t sha[AETHER_SHA256_SIZE];
        CHECK(ground_payload_from_hex("93A44BBB96C751218E4C00D479E4C14358122A389ACCA16205B1E4D0DC5F9476", sha) == 0);
        CHECK(sha[0] == 0x93 && sha[31] == 0x76);
        CHECK(ground_payload_from_hex("93a44bbb", sha) == -1);
        static const char info[] = "{\"payload_sha256\": \"00000000000000000000000000000000000000000000000000000000000000ff\"}";
        CHECK(ground_payload_from_file((const uint8_t *)info, sizeof(info) - 1, sha) == 0 && sha[31] == 0xff);
        static const char twice[] = "{\"payload_sha256\": \"00\", \"payload_sha256\": \"00\"}";
        CHECK(ground_payload_from_file((const uint8_t *)twice, sizeof(twice) - 1, sha) == -1);
        static const uint8_t wasm[] = { 0, 'a', 's', 'm', 1, 0, 0, 0 };
        uint8_t expected[AETHER_SHA256_SIZE];
        aether_sha256(wasm, sizeof(wasm), expected);
        CHECK(ground_payload_from_file(wasm, sizeof(wasm), sha) == 0 && memcmp(sha, expected, sizeof(sha)) == 0);
}

static void test_formats(void) {
        struct ground_text t = { 0 };
        ground_format_boot_flags(0, &t);
        ground_text_append(&t, " ");
        ground_format_boot_flags(AETHER_BOOT_FLAGS_DEFINED, &t);
        CHECK_MSG(strcmp(t.buf, "none development-key,secure-boot-known,secure-boot-on,setup-mode,"
                                "key-uefi-variable,key-tpm,epoch-tpm") == 0,
                  "%s", t.buf);
        ground_text_free(&t);

        struct ground_missing missing[2] = {
                { .epoch = 7, .first_seq = 9, .last_seq = 9 },
                { .whole_epochs = true, .epoch = 3, .last_epoch = 3 },
        };
        struct ground_event e = { .input = "a\"b", .index = 4, .verdict = GROUND_INVALID, .reason = "bad tag",
                                  .missing = missing, .missing_count = 2 };
        ground_format_event(&e, &t);
        CHECK_MSG(strcmp(t.buf, "a\"b#4: INVALID (bad tag)\n"
                                "missing: epoch 7 seq 9 (device 00000000000000000000000000000000)\n"
                                "missing: epoch 3 (device 00000000000000000000000000000000)\n") == 0,
                  "%s", t.buf);
        ground_text_free(&t);
        ground_format_event_json(&e, &t);
        CHECK_MSG(strstr(t.buf, "{\"input\":\"a\\\"b\",\"index\":4,\"verdict\":\"invalid\",\"reason\":\"bad tag\","
                                "\"device\":null,") == t.buf,
                  "%s", t.buf);
        CHECK_MSG(strstr(t.buf, "\"missing\":[{\"device\":\"00000000000000000000000000000000\",\"epoch\":7,"
                                "\"first_seq\":9,\"last_seq\":9},{\"device\":\"00000000000000000000000000000000\","
                                "\"first_epoch\":3,\"last_epoch\":3}]}\n") != NULL,
                  "%s", t.buf);
        ground_text_free(&t);
}

int main(void) {
        test_bit_flips();
        test_window();
        test_keyring();
        test_state();
        test_state_carried();
        test_inputs();
        test_formats();
        return check_summary("test_ground");
}
