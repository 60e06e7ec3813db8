/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* aether_verify.c: the ground-station verifier: reads keys, state and inputs, prints each record's verdict (ground.h). */
#define _DEFAULT_SOURCE /* explicit_bzero */

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ground.h"
#include "tool_usage.h"

#define PROGRAM "aether-verify"
#define STDIN_NAME "-"

static void usage(FILE *out) {
        fprintf(out, "usage: " PROGRAM " (--key KEYFILE | --keyring FILE) [--state FILE] [--payload SHA256|FILE]...\n"
                     "                     [--window N] [--json] INPUT...\n"
                     "       " PROGRAM " --device-id KEYFILE\n"
                     "INPUT: a harness JSON report, a raw uplink dump (AETHUPL1), a proof stream (AEPR),\n"
                     "       or - for standard input. --payload: a SHA-256, a .wasm or an aether-build.json.\n"
                     "Exit status: 0 every record valid, 1 a record invalid or none read,\n"
                     "             2 a usage, input, key, keyring, state or payload error.\n");
}

__attribute__((format(printf, 1, 2))) static void fail(const char *format, ...) {
        va_list args;

        fputs(PROGRAM ": ", stderr);
        va_start(args, format);
        vfprintf(stderr, format, args);
        va_end(args);
        fputc('\n', stderr);
}

/* Reads all of path ("-": standard input), at most max bytes, into a
 * buffer the caller frees. Returns 0; or -1 after a message, or -2 for a
 * file that does not exist (no message). */
static int read_input(const char *path, size_t max, uint8_t **data, size_t *len) {
        bool is_stdin = strcmp(path, STDIN_NAME) == 0;
        FILE *f = is_stdin ? stdin : fopen(path, "rb");
        if (!f) {
                if (errno == ENOENT)
                        return -2;
                fail("%s: %s", path, strerror(errno));
                return -1;
        }
        uint8_t *buf = NULL;
        size_t used = 0, capacity = 0;
        const char *problem = NULL;
        while (!problem) {
                if (used == capacity) {
                        /* Room for one byte more than allowed tells an oversized input apart. */
                        size_t grown = capacity == 0 ? 4096 : capacity * 2;
                        capacity = grown > max + 1 ? max + 1 : grown;
                        uint8_t *bigger = realloc(buf, capacity);
                        if (!bigger) {
                                problem = "out of memory";
                                break;
                        }
                        buf = bigger;
                }
                used += fread(buf + used, 1, capacity - used, f);
                if (ferror(f))
                        problem = "read error";
                else if (used > max)
                        problem = "too large";
                else if (feof(f))
                        break;
        }
        if (!is_stdin)
                fclose(f);
        if (problem) {
                if (buf)
                        explicit_bzero(buf, used < capacity ? used : capacity);
                free(buf);
                fail("%s: %s", path, problem);
                return -1;
        }
        *data = buf;
        *len = used;
        return 0;
}

/* A file that must exist. */
static int read_required(const char *path, size_t max, uint8_t **data, size_t *len) {
        int r = read_input(path, max, data, len);
        if (r == -2)
                fail("%s: %s", path, strerror(ENOENT));
        return r < 0 ? -1 : 0;
}

static int load_key(const char *path, uint8_t key[AETHER_PROOF_KEY_SIZE]) {
        uint8_t *text;
        size_t len;
        char err[128];

        if (read_required(path, GROUND_KEY_FILE_MAX, &text, &len) < 0)
                return -1;
        int r = aether_key_parse((const char *)text, len, key, err, sizeof(err));
        explicit_bzero(text, len);
        free(text);
        if (r < 0)
                fail("%s: malformed key file: %s", path, err);
        return r;
}

static int load_keyring(const char *path, struct ground_keyring *ring) {
        uint8_t *text;
        size_t len;
        struct ground_text err = { 0 };

        if (read_required(path, GROUND_KEYRING_MAX, &text, &len) < 0)
                return -1;
        int r = ground_keyring_parse((const char *)text, len, ring, &err);
        explicit_bzero(text, len);
        free(text);
        if (r < 0)
                fail("%s: malformed keyring: %s", path, err.failed ? "out of memory" : err.buf);
        ground_text_free(&err);
        return r;
}

/* A missing state file is a verifier that has seen nothing yet. */
static int load_state(const char *path, struct ground_fleet *fleet) {
        uint8_t *text;
        size_t len;
        struct ground_text err = { 0 };

        int r = read_input(path, GROUND_STATE_MAX, &text, &len);
        if (r == -2)
                return 0;
        if (r < 0)
                return -1;
        r = ground_state_parse((const char *)text, len, fleet, &err);
        free(text);
        if (r < 0)
                fail("%s: malformed state file: %s", path, err.failed ? "out of memory" : err.buf);
        ground_text_free(&err);
        return r;
}

/* Writes the state next to path and renames it over path. */
static int save_state(const char *path, const struct ground_fleet *fleet) {
        struct ground_text text = { 0 }, tmp = { 0 };
        ground_state_format(fleet, &text);
        ground_text_appendf(&tmp, "%s.tmp", path);
        int r = -1;
        FILE *f = text.failed || tmp.failed ? NULL : fopen(tmp.buf, "wb");
        if (f) {
                bool written = fwrite(text.buf, 1, text.len, f) == text.len;
                if (fclose(f) == 0 && written && rename(tmp.buf, path) == 0)
                        r = 0;
                else
                        remove(tmp.buf);
        }
        if (r < 0)
                fail("%s: cannot save the state: %s", path, text.failed || tmp.failed ? "out of memory" : strerror(errno));
        ground_text_free(&text);
        ground_text_free(&tmp);
        return r;
}

static int load_payload(const char *arg, uint8_t sha256[AETHER_SHA256_SIZE]) {
        if (ground_payload_from_hex(arg, sha256) == 0)
                return 0;
        uint8_t *data;
        size_t len;
        if (read_required(arg, GROUND_INPUT_MAX, &data, &len) < 0)
                return -1;
        int r = ground_payload_from_file(data, len, sha256);
        free(data);
        if (r < 0)
                fail("--payload %s: neither a SHA-256, a .wasm module nor an aether-build.json with \"payload_sha256\"",
                     arg);
        return r;
}

struct output {
        bool json;
        bool failed;
};

static int print_event(void *ctx, const struct ground_event *event) {
        struct output *out = ctx;
        struct ground_text text = { 0 };
        if (out->json)
                ground_format_event_json(event, &text);
        else
                ground_format_event(event, &text);
        if (text.failed || fwrite(text.buf, 1, text.len, stdout) != text.len)
                out->failed = true;
        ground_text_free(&text);
        return out->failed ? -1 : 0;
}

static int print_device_id(const char *key_path) {
        uint8_t key[AETHER_PROOF_KEY_SIZE], id[AETHER_DEVICE_ID_SIZE];
        if (load_key(key_path, key) < 0)
                return 2;
        aether_derive_device_id(key, id);
        explicit_bzero(key, sizeof(key));
        for (size_t i = 0; i < sizeof(id); i++)
                printf("%02x", id[i]);
        printf("\n");
        return fflush(stdout) == 0 ? 0 : 2;
}

struct options {
        const char *key, *keyring, *state, *window, *device_id;
        const char **payloads, **inputs;
        size_t payload_count, input_count;
        bool json;
};

/* Returns 0, or -1 after a message. */
static int parse_options(int argc, char **argv, struct options *o) {
        bool options_done = false, stdin_seen = false;
        for (int i = 1; i < argc; i++) {
                const char *arg = argv[i];
                const char **slot = NULL;
                if (options_done || arg[0] != '-' || strcmp(arg, STDIN_NAME) == 0) {
                        if (strcmp(arg, STDIN_NAME) == 0 && stdin_seen) {
                                fail("- (standard input) given twice");
                                return -1;
                        }
                        stdin_seen |= strcmp(arg, STDIN_NAME) == 0;
                        o->inputs[o->input_count++] = arg;
                        continue;
                }
                if (strcmp(arg, "--") == 0) {
                        options_done = true;
                        continue;
                }
                if (strcmp(arg, "--json") == 0) {
                        o->json = true;
                        continue;
                }
                if (strcmp(arg, "--key") == 0)
                        slot = &o->key;
                else if (strcmp(arg, "--keyring") == 0)
                        slot = &o->keyring;
                else if (strcmp(arg, "--state") == 0)
                        slot = &o->state;
                else if (strcmp(arg, "--window") == 0)
                        slot = &o->window;
                else if (strcmp(arg, "--device-id") == 0)
                        slot = &o->device_id;
                else if (strcmp(arg, "--payload") != 0) {
                        fail("unexpected option %s", arg);
                        return -1;
                }
                if (i + 1 == argc) {
                        fail("%s needs an argument", arg);
                        return -1;
                }
                if (!slot) {
                        o->payloads[o->payload_count++] = argv[++i];
                } else if (*slot) {
                        fail("%s given twice", arg);
                        return -1;
                } else {
                        *slot = argv[++i];
                }
        }
        if (o->device_id) {
                if (o->key || o->keyring || o->state || o->window || o->payload_count || o->json || o->input_count) {
                        fail("--device-id KEYFILE goes alone");
                        return -1;
                }
                return 0;
        }
        if (!o->key == !o->keyring) {
                fail(o->key ? "--key and --keyring exclude each other" : "--key KEYFILE or --keyring FILE is required");
                return -1;
        }
        if (o->input_count == 0) {
                fail("no INPUT given");
                return -1;
        }
        return 0;
}

/* 1..GROUND_WINDOW_MAX in decimal. */
static int parse_window(const char *text, uint64_t *window) {
        uint64_t value = 0;
        const char *s = text;
        for (; *s >= '0' && *s <= '9' && value <= GROUND_WINDOW_MAX; s++)
                value = value * 10 + (uint64_t)(*s - '0');
        if (s == text || *s || text[0] == '0' || value > GROUND_WINDOW_MAX) {
                fail("--window %s: expected a number of records from 1 to %d", text, GROUND_WINDOW_MAX);
                return -1;
        }
        *window = value;
        return 0;
}

/* Reads every input through v; returns the exit status. */
static int run(struct ground_verifier *v, const struct options *o, struct output *out) {
        for (size_t i = 0; i < o->input_count; i++) {
                uint8_t *data;
                size_t len;
                if (read_required(o->inputs[i], GROUND_INPUT_MAX, &data, &len) < 0)
                        return 2;
                struct ground_text err = { 0 };
                int r = ground_verify_input(v, o->inputs[i], data, len, &err);
                free(data);
                if (r < 0)
                        fail("%s: %s", o->inputs[i], out->failed ? "cannot write the output" : err.buf);
                ground_text_free(&err);
                if (r < 0)
                        return 2;
        }
        const struct ground_missing *missing;
        size_t count;
        struct ground_text summary = { 0 };
        if (ground_verify_finish(v, o->state != NULL, &missing, &count) < 0) {
                fail("out of memory");
                return 2;
        }
        if (out->json)
                ground_format_summary_json(v, missing, count, &summary);
        else
                ground_format_summary(v, missing, count, &summary);
        bool written = !summary.failed && fwrite(summary.buf, 1, summary.len, stdout) == summary.len;
        ground_text_free(&summary);
        if (!written || fflush(stdout) != 0) {
                fail("cannot write the output");
                return 2;
        }
        if (o->state && save_state(o->state, &v->fleet) < 0)
                return 2;
        if (v->valid + v->invalid == 0) {
                fail("no records read");
                return 1;
        }
        return v->invalid == 0 ? 0 : 1;
}

/* After the options: keys, pins, window and state, then the inputs. */
static int verify(const struct options *o) {
        struct ground_keyring ring = { 0 };
        uint8_t (*pins)[AETHER_SHA256_SIZE] = calloc(o->payload_count + 1, sizeof(*pins));
        struct output out = { .json = o->json };
        struct ground_verifier v = { .keyring = &ring, .window = GROUND_WINDOW_DEFAULT, .on_event = print_event,
                                     .ctx = &out };
        int status = pins ? 0 : 2;
        if (status == 0 && o->key) {
                uint8_t key[AETHER_PROOF_KEY_SIZE];
                if (load_key(o->key, key) < 0 || ground_keyring_add(&ring, key) < 0)
                        status = 2;
                explicit_bzero(key, sizeof(key));
        } else if (status == 0 && load_keyring(o->keyring, &ring) < 0) {
                status = 2;
        }
        for (size_t i = 0; status == 0 && i < o->payload_count; i++)
                if (load_payload(o->payloads[i], pins[i]) < 0)
                        status = 2;
        if (status == 0 && o->window && parse_window(o->window, &v.window) < 0)
                status = 2;
        if (status == 0 && o->state && load_state(o->state, &v.fleet) < 0)
                status = 2;
        if (status == 0) {
                v.payloads = (const uint8_t(*)[AETHER_SHA256_SIZE])pins;
                v.payload_count = o->payload_count;
                status = run(&v, o, &out);
        }
        ground_keyring_free(&ring);
        ground_verifier_free(&v);
        free(pins);
        return status;
}

int main(int argc, char **argv) {
        struct options o = { 0 };
        int status = 2;
        o.payloads = calloc((size_t)argc, sizeof(*o.payloads));
        o.inputs = calloc((size_t)argc, sizeof(*o.inputs));
        bool help = aether_tool_wants_help(argc, argv);
        if (!o.payloads || !o.inputs) {
                fail("out of memory");
        } else if (help) {
                usage(stdout);
                status = 0;
        } else if (parse_options(argc, argv, &o) < 0) {
                usage(stderr);
        } else {
                status = o.device_id ? print_device_id(o.device_id) : verify(&o);
        }
        free(o.payloads);
        free(o.inputs);
        return status;
}
