/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* aether_verify.c: the ground-station verifier of proof records and their tags. */
#define _DEFAULT_SOURCE /* explicit_bzero */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proof.h"

#define PROGRAM "aether-verify"
#define KEY_FILE_MAX 4096             /* a key file is one short line */
#define STATE_FILE_MAX 64             /* "epoch seq\n" */
#define INPUT_MAX ((size_t)64 << 20)  /* reports and dumps are far smaller */
#define JSON_DEPTH_MAX 64

/* Raw uplink dump (ARCHITECTURE.md, "Uplink region"). */
#define UPLINK_MAGIC "AETHUPL1"
#define UPLINK_TAG_LO 0x18
#define UPLINK_TAG_HI 0x1c
#define UPLINK_RECORD_LEN 0x20
#define UPLINK_RECORD 0x40
#define UPLINK_DUMP_MIN 0x200

/* Proof stream: entries of the record followed by its LE u64 tag. */
#define STREAM_ENTRY_SIZE (AETHER_PROOF_RECORD_SIZE + 8)

/* In a harness report: "record" is the record as hex, "proof" the tag as
 * "0x" and 16 hex digits. */
#define REPORT_PROOF_DIGITS 16

struct verifier {
        uint8_t key[AETHER_PROOF_KEY_SIZE];
        struct aether_replay_state state;
        unsigned long valid, invalid;
};

static void usage(FILE *out) {
        fprintf(out, "usage: " PROGRAM " --key KEYFILE [--state STATEFILE] INPUT...\n"
                     "INPUT: a harness JSON report, a raw uplink dump (AETHUPL1) or a proof stream (AEPR).\n"
                     "Exit status: 0 all records valid, 1 a record invalid or none read, 2 usage or I/O error.\n");
}

__attribute__((format(printf, 1, 2))) static void fail(const char *format, ...) {
        va_list args;

        fputs(PROGRAM ": ", stderr);
        va_start(args, format);
        vfprintf(stderr, format, args);
        va_end(args);
        fputc('\n', stderr);
}

static uint64_t load_le(const uint8_t *p, size_t bytes) {
        uint64_t v = 0;
        for (size_t i = bytes; i > 0; i--)
                v = (v << 8) | p[i - 1];
        return v;
}

/* Reads all of path, at most max bytes, into a buffer that grows as the
 * file does. Returns 0, or -1 after a message. */
static int read_file(const char *path, size_t max, uint8_t **data, size_t *len) {
        FILE *f = fopen(path, "rb");
        if (!f) {
                fail("%s: %s", path, strerror(errno));
                return -1;
        }
        uint8_t *buf = NULL;
        size_t used = 0, capacity = 0;
        const char *problem = NULL;
        while (!problem) {
                if (used == capacity) {
                        /* Room for one byte more than allowed tells an oversized file apart. */
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
        fclose(f);
        if (problem) {
                free(buf);
                fail("%s: %s", path, problem);
                return -1;
        }
        *data = buf;
        *len = used;
        return 0;
}

static int load_key(const char *path, uint8_t key[AETHER_PROOF_KEY_SIZE]) {
        uint8_t *text;
        size_t len;
        char err[128];

        if (read_file(path, KEY_FILE_MAX, &text, &len) < 0)
                return -1;
        int r = aether_key_parse((const char *)text, len, key, err, sizeof(err));
        explicit_bzero(text, len);
        free(text);
        if (r < 0)
                fail("%s: malformed key file: %s", path, err);
        return r;
}

/* Parses a positive decimal u64 at *p, advancing *p. */
static bool parse_counter(const char **p, const char *end, uint64_t *value) {
        const char *s = *p;
        uint64_t v = 0;

        while (s < end && *s >= '0' && *s <= '9') {
                unsigned digit = (unsigned)(*s - '0');
                if (v > (UINT64_MAX - digit) / 10)
                        return false;
                v = v * 10 + digit;
                s++;
        }
        if (s == *p || v == 0)
                return false;
        *p = s;
        *value = v;
        return true;
}

/* A missing state file is a verifier that has seen nothing yet. */
static int load_state(const char *path, struct aether_replay_state *state) {
        char text[STATE_FILE_MAX + 1];
        FILE *f = fopen(path, "rb");

        if (!f) {
                if (errno == ENOENT)
                        return 0;
                fail("%s: %s", path, strerror(errno));
                return -1;
        }
        size_t len = fread(text, 1, sizeof(text), f);
        int error = ferror(f);
        fclose(f);
        if (error) {
                fail("%s: read error", path);
                return -1;
        }
        const char *p = text, *end = text + len;
        bool ok = len <= STATE_FILE_MAX && parse_counter(&p, end, &state->epoch) && p < end && *p++ == ' ' &&
                  parse_counter(&p, end, &state->seq) && p < end && *p++ == '\n' && p == end;
        if (!ok) {
                fail("%s: malformed state file, expected \"epoch seq\" and a newline", path);
                return -1;
        }
        state->have_last = true;
        return 0;
}

/* Writes the state next to path and renames it over path. */
static int save_state(const char *path, const struct aether_replay_state *state) {
        if (!state->have_last)
                return 0;

        size_t tmp_len = strlen(path) + sizeof(".tmp");
        char *tmp = malloc(tmp_len);
        if (!tmp) {
                fail("%s: out of memory", path);
                return -1;
        }
        snprintf(tmp, tmp_len, "%s.tmp", path);
        FILE *f = fopen(tmp, "w");
        int r = -1;
        if (f) {
                bool written = fprintf(f, "%" PRIu64 " %" PRIu64 "\n", state->epoch, state->seq) > 0;
                if (fclose(f) == 0 && written && rename(tmp, path) == 0)
                        r = 0;
        }
        if (r < 0) {
                fail("%s: cannot save state: %s", path, strerror(errno));
                remove(tmp);
        }
        free(tmp);
        return r;
}

/* Reports a record the container already shows to be unusable. */
static void reject(struct verifier *v, const char *input, size_t index, const char *reason) {
        printf("%s#%zu: INVALID (%s)\n", input, index, reason);
        v->invalid++;
}

static void check_record(struct verifier *v, const char *input, size_t index, const uint8_t *record, size_t len,
                         uint64_t tag) {
        char reason[96];

        aether_verdict_t verdict = aether_proof_check(&v->state, v->key, record, len, tag, reason, sizeof(reason));
        if (verdict != AETHER_VERDICT_VALID) {
                reject(v, input, index, reason);
                return;
        }

        struct aether_proof_record rec;
        const char *why;
        aether_proof_decode(record, len, &rec, &why); /* cannot fail: the record was just accepted */
        printf("%s#%zu: valid epoch=%" PRIu64 " seq=%" PRIu64 " vector=0x%02x outcome=%s status=%" PRId32
               " proof=0x%016" PRIx64 "\n",
               input, index, rec.epoch, rec.seq, rec.vector, aether_fault_name(rec.outcome), rec.status, tag);
        v->valid++;
}

static void verify_uplink_dump(struct verifier *v, const char *input, const uint8_t *data, size_t len) {
        if (len < UPLINK_DUMP_MIN) {
                reject(v, input, 0, "malformed record: truncated uplink dump");
                return;
        }
        uint64_t record_len = load_le(data + UPLINK_RECORD_LEN, 4);
        if (record_len != AETHER_PROOF_RECORD_SIZE) {
                char reason[64];
                snprintf(reason, sizeof(reason), "malformed record: uplink record length %" PRIu64, record_len);
                reject(v, input, 0, reason);
                return;
        }
        uint64_t tag = load_le(data + UPLINK_TAG_LO, 4) | load_le(data + UPLINK_TAG_HI, 4) << 32;
        check_record(v, input, 0, data + UPLINK_RECORD, AETHER_PROOF_RECORD_SIZE, tag);
}

static void verify_proof_stream(struct verifier *v, const char *input, const uint8_t *data, size_t len) {
        size_t index = 0;

        for (size_t off = 0; off < len; off += STREAM_ENTRY_SIZE, index++) {
                if (len - off < STREAM_ENTRY_SIZE) {
                        reject(v, input, index, "malformed record: truncated proof stream entry");
                        return;
                }
                check_record(v, input, index, data + off, AETHER_PROOF_RECORD_SIZE,
                             load_le(data + off + AETHER_PROOF_RECORD_SIZE, 8));
        }
}

/* A JSON reader over the whole report. It validates the syntax and hands out
 * strings as raw spans between the quotes, escapes undecoded: the fields it
 * extracts are hex, so an escape in them is simply not a hex digit. */
struct json {
        const char *p, *start, *end;
};

struct span {
        const char *p;
        size_t len;
};

static void json_skip_space(struct json *j) {
        while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
                j->p++;
}

static bool json_peek(struct json *j, char c) {
        json_skip_space(j);
        return j->p < j->end && *j->p == c;
}

static bool json_eat(struct json *j, char c) {
        if (!json_peek(j, c))
                return false;
        j->p++;
        return true;
}

static bool is_hex_digit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool json_string(struct json *j, struct span *s) {
        if (!json_eat(j, '"'))
                return false;
        s->p = j->p;
        while (j->p < j->end && *j->p != '"') {
                unsigned char c = (unsigned char)*j->p++;
                if (c < 0x20)
                        return false;
                if (c != '\\')
                        continue;
                if (j->p == j->end || !strchr("\"\\/bfnrtu", *j->p))
                        return false;
                if (*j->p++ != 'u')
                        continue;
                for (int i = 0; i < 4; i++)
                        if (j->p == j->end || !is_hex_digit(*j->p++))
                                return false;
        }
        if (j->p == j->end)
                return false;
        s->len = (size_t)(j->p - s->p);
        j->p++;
        return true;
}

static bool json_digits(struct json *j) {
        const char *first = j->p;
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
                j->p++;
        return j->p > first;
}

static bool json_number(struct json *j) {
        if (j->p < j->end && *j->p == '-')
                j->p++;
        if (!json_digits(j))
                return false;
        if (j->p < j->end && *j->p == '.') {
                j->p++;
                if (!json_digits(j))
                        return false;
        }
        if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
                j->p++;
                if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
                        j->p++;
                if (!json_digits(j))
                        return false;
        }
        return true;
}

static bool json_literal(struct json *j, const char *word) {
        size_t n = strlen(word);
        if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0)
                return false;
        j->p += n;
        return true;
}

static bool json_value(struct json *j, int depth);

/* Members of an object after its '{'; on_member, if set, sees each key. */
typedef bool json_member_fn(struct json *j, const struct span *key, void *ctx);

static bool json_members(struct json *j, int depth, json_member_fn *on_member, void *ctx) {
        if (json_eat(j, '}'))
                return true;
        do {
                struct span key;
                if (!json_string(j, &key) || !json_eat(j, ':'))
                        return false;
                if (!(on_member ? on_member(j, &key, ctx) : json_value(j, depth + 1)))
                        return false;
        } while (json_eat(j, ','));
        return json_eat(j, '}');
}

static bool json_value(struct json *j, int depth) {
        struct span ignored;

        if (depth > JSON_DEPTH_MAX)
                return false;
        json_skip_space(j);
        if (j->p == j->end)
                return false;
        switch (*j->p) {
        case '{':
                j->p++;
                return json_members(j, depth, NULL, NULL);
        case '[':
                j->p++;
                if (json_eat(j, ']'))
                        return true;
                do {
                        if (!json_value(j, depth + 1))
                                return false;
                } while (json_eat(j, ','));
                return json_eat(j, ']');
        case '"':
                return json_string(j, &ignored);
        case 't':
                return json_literal(j, "true");
        case 'f':
                return json_literal(j, "false");
        case 'n':
                return json_literal(j, "null");
        default:
                return json_number(j);
        }
}

static bool span_is(const struct span *s, const char *text) {
        return s->len == strlen(text) && memcmp(s->p, text, s->len) == 0;
}

/* One string field of a wake: absent, a string, or anything else. */
struct wake_field {
        const char *name;
        int seen;             /* how many times the key occurred */
        bool is_string;
        struct span value;
};

struct wake {
        struct wake_field record, proof;
};

static bool wake_member(struct json *j, const struct span *key, void *ctx) {
        struct wake *w = ctx;
        struct wake_field *field = span_is(key, w->record.name) ? &w->record
                                   : span_is(key, w->proof.name) ? &w->proof
                                                                 : NULL;
        if (!field)
                return json_value(j, 3);
        field->seen++;
        field->is_string = json_peek(j, '"');
        return field->is_string ? json_string(j, &field->value) : json_value(j, 3);
}

static bool hex_decode(const struct span *s, uint8_t *out, size_t bytes) {
        if (s->len != 2 * bytes)
                return false;
        for (size_t i = 0; i < s->len; i++)
                if (!is_hex_digit(s->p[i]))
                        return false;
        for (size_t i = 0; i < bytes; i++) {
                char pair[3] = { s->p[2 * i], s->p[2 * i + 1], '\0' };
                out[i] = (uint8_t)strtoul(pair, NULL, 16);
        }
        return true;
}

/* The report's fields of one wake object, the '{' already consumed. */
static bool verify_wake(struct verifier *v, const char *input, size_t index, struct json *j) {
        struct wake w = { .record.name = "record", .proof.name = "proof" };
        uint8_t record[AETHER_PROOF_RECORD_SIZE], tag_bytes[8];

        if (!json_members(j, 2, wake_member, &w))
                return false;
        if (w.record.seen != 1 || w.proof.seen != 1)
                reject(v, input, index, "malformed wake: needs exactly one \"record\" and one \"proof\"");
        else if (!w.record.is_string || !hex_decode(&w.record.value, record, sizeof(record)))
                reject(v, input, index, "malformed record: \"record\" is not 224 hexadecimal digits");
        else if (!w.proof.is_string || w.proof.value.len != 2 + REPORT_PROOF_DIGITS ||
                 memcmp(w.proof.value.p, "0x", 2) != 0 ||
                 !hex_decode(&(struct span){ w.proof.value.p + 2, REPORT_PROOF_DIGITS }, tag_bytes, sizeof(tag_bytes)))
                reject(v, input, index, "malformed proof: \"proof\" is not 0x and 16 hexadecimal digits");
        else {
                uint64_t tag = 0;
                for (size_t i = 0; i < sizeof(tag_bytes); i++)
                        tag = tag << 8 | tag_bytes[i]; /* printed big-endian, as 0x%016llx */
                check_record(v, input, index, record, sizeof(record), tag);
        }
        return true;
}

struct report {
        struct verifier *v;
        const char *input;
        int wakes_seen;
};

static bool report_member(struct json *j, const struct span *key, void *ctx) {
        struct report *r = ctx;

        if (!span_is(key, "wakes"))
                return json_value(j, 1);
        if (r->wakes_seen++ || !json_eat(j, '['))
                return false;
        if (json_eat(j, ']'))
                return true;
        size_t index = 0;
        do {
                if (json_eat(j, '{')) {
                        if (!verify_wake(r->v, r->input, index, j))
                                return false;
                } else {
                        if (!json_value(j, 2))
                                return false;
                        reject(r->v, r->input, index, "malformed wake: not an object");
                }
                index++;
        } while (json_eat(j, ','));
        return json_eat(j, ']');
}

/* Syntax first, so a damaged report is an input error before any verdict. */
static int verify_report(struct verifier *v, const char *input, const uint8_t *data, size_t len) {
        struct json j = { .p = (const char *)data, .start = (const char *)data, .end = (const char *)data + len };

        if (!json_value(&j, 0) || (json_skip_space(&j), j.p != j.end)) {
                fail("%s: not valid JSON (near byte %td)", input, j.p - j.start);
                return -1;
        }
        j.p = j.start;
        struct report r = { .v = v, .input = input };
        if (!json_eat(&j, '{') || !json_members(&j, 0, report_member, &r) || r.wakes_seen != 1) {
                fail("%s: a harness report is an object with one \"wakes\" array", input);
                return -1;
        }
        return 0;
}

static int verify_input(struct verifier *v, const char *input) {
        uint8_t *data;
        size_t len;
        int r = 0;

        if (read_file(input, INPUT_MAX, &data, &len) < 0)
                return -1;
        struct json probe = { .p = (const char *)data, .start = (const char *)data, .end = (const char *)data + len };
        if (len >= strlen(UPLINK_MAGIC) && memcmp(data, UPLINK_MAGIC, strlen(UPLINK_MAGIC)) == 0)
                verify_uplink_dump(v, input, data, len);
        else if (len >= 4 && memcmp(data, "AEPR", 4) == 0)
                verify_proof_stream(v, input, data, len);
        else if (json_peek(&probe, '{'))
                r = verify_report(v, input, data, len);
        else {
                fail("%s: neither a harness report, an uplink dump nor a proof stream", input);
                r = -1;
        }
        free(data);
        return r;
}

int main(int argc, char **argv) {
        const char *key_path = NULL, *state_path = NULL;
        const char **inputs = calloc((size_t)argc, sizeof(*inputs));
        size_t n_inputs = 0;
        bool options_done = false;

        if (!inputs)
                return 2;
        for (int i = 1; i < argc; i++) {
                const char *arg = argv[i];
                if (options_done || arg[0] != '-' || arg[1] == '\0') {
                        inputs[n_inputs++] = arg;
                } else if (strcmp(arg, "--") == 0) {
                        options_done = true;
                } else if (strcmp(arg, "--help") == 0) {
                        usage(stdout);
                        free(inputs);
                        return 0;
                } else if (strcmp(arg, "--key") == 0 || strcmp(arg, "--state") == 0) {
                        const char **slot = strcmp(arg, "--key") == 0 ? &key_path : &state_path;
                        if (*slot || i + 1 == argc) {
                                fail(*slot ? "%s given twice" : "%s needs a file name", arg);
                                usage(stderr);
                                free(inputs);
                                return 2;
                        }
                        *slot = argv[++i];
                } else {
                        fail("unexpected option %s", arg);
                        usage(stderr);
                        free(inputs);
                        return 2;
                }
        }
        if (!key_path || n_inputs == 0) {
                fail(!key_path ? "--key KEYFILE is required" : "no INPUT given");
                usage(stderr);
                free(inputs);
                return 2;
        }

        struct verifier v = { 0 };
        int status = 0;
        if (load_key(key_path, v.key) < 0 || (state_path && load_state(state_path, &v.state) < 0))
                status = 2;
        for (size_t i = 0; status == 0 && i < n_inputs; i++)
                if (verify_input(&v, inputs[i]) < 0)
                        status = 2;
        explicit_bzero(v.key, sizeof(v.key));
        free(inputs);
        if (status != 0)
                return status;

        printf(PROGRAM ": %lu valid, %lu invalid\n", v.valid, v.invalid);
        if (state_path && save_state(state_path, &v.state) < 0)
                return 2;
        if (v.valid + v.invalid == 0) {
                fail("no records read");
                return 1;
        }
        return v.invalid == 0 ? 0 : 1;
}
