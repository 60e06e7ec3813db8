/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* ground_verify.c: aether-verify's rules: the three input kinds, each record's verdict, the per-device anti-replay window. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ground.h"
#include "ground_json.h"

/* The uplink region (ARCHITECTURE.md section 5), as far as a dump is read. */
#define UPLINK_MAGIC "AETHUPL1"
#define UPLINK_LAYOUT_VERSION 0x008
#define UPLINK_STATE 0x00c
#define UPLINK_COMMIT_COUNT 0x010
#define UPLINK_TAG_LO 0x018
#define UPLINK_TAG_HI 0x01c
#define UPLINK_RECORD_LEN 0x020
#define UPLINK_TELEMETRY_LEN 0x024
#define UPLINK_BOOT_EPOCH 0x028
#define UPLINK_RECORD 0x040
#define UPLINK_TELEMETRY 0x100
#define UPLINK_DEVICE_ID 0x258
#define UPLINK_DUMP_MIN 0x268
#define UPLINK_LAYOUT 2
#define UPLINK_STATE_RUNNING 2

#define STREAM_TAG_SIZE 8
#define REPORT_PROOF_DIGITS 16

static uint64_t load_le(const uint8_t *p, size_t bytes) {
        uint64_t v = 0;
        for (size_t i = bytes; i > 0; i--)
                v = (v << 8) | p[i - 1];
        return v;
}

static void set_reason(char reason[GROUND_REASON_MAX], const char *format, ...)
        __attribute__((format(printf, 2, 3)));

static void set_reason(char reason[GROUND_REASON_MAX], const char *format, ...) {
        va_list args;
        va_start(args, format);
        vsnprintf(reason, GROUND_REASON_MAX, format, args);
        va_end(args);
}

static void set_hex_reason(char reason[GROUND_REASON_MAX], const char *prefix, const uint8_t *bytes, size_t n) {
        struct ground_text t = { 0 };
        ground_text_append(&t, prefix);
        ground_text_hex(&t, bytes, n);
        set_reason(reason, "%s", t.failed ? prefix : t.buf);
        ground_text_free(&t);
}

/* ---- missing ranges ------------------------------------------------------------------ */

static uint64_t saturating_add(uint64_t a, uint64_t b) {
        return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static void add_missing(struct ground_verifier *v, const struct ground_missing *m) {
        if (v->missing_count == v->missing_cap) {
                size_t cap = v->missing_cap ? 2 * v->missing_cap : 8;
                struct ground_missing *bigger = realloc(v->missing, cap * sizeof(*bigger));
                if (!bigger) {
                        v->out_of_memory = true;
                        return;
                }
                v->missing = bigger;
                v->missing_cap = cap;
        }
        v->missing[v->missing_count++] = *m;
        /* Epochs and seqs start at 1, so a range never holds all 2^64 values. */
        if (m->whole_epochs)
                v->missing_boots = saturating_add(v->missing_boots, m->last_epoch - m->epoch + 1);
        else
                v->missing_records = saturating_add(v->missing_records, m->last_seq - m->first_seq + 1);
}

static void missing_seqs(struct ground_verifier *v, const struct ground_window *w, uint64_t first, uint64_t last) {
        struct ground_missing m = { .epoch = w->epoch, .first_seq = first, .last_seq = last };
        memcpy(m.device, w->device, AETHER_DEVICE_ID_SIZE);
        add_missing(v, &m);
}

/* ---- the window ------------------------------------------------------------------------ */

static void remove_gap(struct ground_window *w, size_t at) {
        memmove(&w->gaps[at], &w->gaps[at + 1], (w->gap_count - at - 1) * sizeof(w->gaps[0]));
        w->gap_count--;
}

/* Reports and forgets the gaps that end at or below limit, each as one range. */
static void report_gaps_through(struct ground_verifier *v, struct ground_window *w, uint64_t limit) {
        while (w->gap_count && w->gaps[0].last <= limit) {
                missing_seqs(v, w, w->gaps[0].first, w->gaps[0].last);
                remove_gap(w, 0);
        }
}

/* A gap the window has left behind can never be filled: once its last
 * record is older than the window, it is reported. */
static void slide(struct ground_verifier *v, struct ground_window *w) {
        if (w->top > v->window)
                report_gaps_through(v, w, w->top - v->window);
}

enum window_check {
        WINDOW_NEW_DEVICE, /* no window yet: it starts here */
        WINDOW_NEW_EPOCH,  /* a later boot */
        WINDOW_AHEAD,      /* above the highest record of the boot */
        WINDOW_FILLS_GAP,  /* a late record inside the window */
        WINDOW_EPOCH_BACK, /* an earlier boot */
        WINDOW_REPLAY,     /* accepted before, or older than the window */
};

static enum window_check window_check(const struct ground_verifier *v, const struct ground_window *w, uint64_t epoch,
                                      uint64_t seq, size_t *gap) {
        if (!w)
                return WINDOW_NEW_DEVICE;
        if (epoch < w->epoch)
                return WINDOW_EPOCH_BACK;
        if (epoch > w->epoch)
                return WINDOW_NEW_EPOCH;
        if (seq > w->top)
                return WINDOW_AHEAD;
        if (w->top >= v->window && seq <= w->top - v->window)
                return WINDOW_REPLAY;
        for (*gap = 0; *gap < w->gap_count; (*gap)++)
                if (w->gaps[*gap].first <= seq && seq <= w->gaps[*gap].last)
                        return WINDOW_FILLS_GAP;
        return WINDOW_REPLAY;
}

static int insert_gap(struct ground_window *w, size_t at, struct ground_gap gap) {
        if (ground_window_append_gap(w, 0, 0) < 0)
                return -1;
        memmove(&w->gaps[at + 1], &w->gaps[at], (w->gap_count - 1 - at) * sizeof(w->gaps[0]));
        w->gaps[at] = gap;
        return 0;
}

/* Accepts (epoch, seq) of a device, which window_check found acceptable. */
static void window_accept(struct ground_verifier *v, struct ground_window *w, const uint8_t *device,
                          enum window_check check, size_t gap, uint64_t epoch, uint64_t seq) {
        switch (check) {
        case WINDOW_NEW_DEVICE:
                w = ground_fleet_insert(&v->fleet, device);
                if (!w) {
                        v->out_of_memory = true;
                        return;
                }
                w->epoch = epoch;
                w->top = seq; /* the verifier starts at its first record: no gap below it */
                return;
        case WINDOW_NEW_EPOCH:
                report_gaps_through(v, w, UINT64_MAX);
                if (epoch - w->epoch > 1) {
                        struct ground_missing m = { .whole_epochs = true, .epoch = w->epoch + 1, .last_epoch = epoch - 1 };
                        memcpy(m.device, w->device, AETHER_DEVICE_ID_SIZE);
                        add_missing(v, &m);
                }
                w->epoch = epoch;
                w->top = seq;
                if (seq > 1 && ground_window_append_gap(w, 1, seq - 1) < 0)
                        v->out_of_memory = true;
                slide(v, w);
                return;
        case WINDOW_AHEAD:
                if (seq - w->top > 1 && ground_window_append_gap(w, w->top + 1, seq - 1) < 0)
                        v->out_of_memory = true;
                w->top = seq;
                slide(v, w);
                return;
        case WINDOW_FILLS_GAP: {
                struct ground_gap *g = &w->gaps[gap];
                if (g->first == g->last)
                        remove_gap(w, gap);
                else if (seq == g->first)
                        g->first++;
                else if (seq == g->last)
                        g->last--;
                else if (insert_gap(w, gap + 1, (struct ground_gap){ seq + 1, g->last }) < 0)
                        v->out_of_memory = true;
                else
                        w->gaps[gap].last = seq - 1;
                return;
        }
        case WINDOW_EPOCH_BACK:
        case WINDOW_REPLAY:
                return; /* never accepted */
        }
}

/* ---- one record ------------------------------------------------------------------------- */

/* Checks what an input carries besides the record and its tag, once the tag
 * holds: returns false with the reason on the first mismatch. */
typedef bool side_check_fn(const void *ctx, const uint8_t *record, const struct aether_proof_record *rec,
                           char reason[GROUND_REASON_MAX]);

struct candidate {
        const uint8_t *record;
        size_t len;
        uint64_t tag;
        bool torn;                  /* a dump taken while a wake ran: a failure may be a commit half written */
        side_check_fn *side;        /* or NULL */
        const void *side_ctx;
};

static const struct ground_device_key *find_key(const struct ground_keyring *ring,
                                                const uint8_t id[AETHER_DEVICE_ID_SIZE]) {
        size_t lo = 0, hi = ring->count;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                int order = memcmp(ring->devices[mid].id, id, AETHER_DEVICE_ID_SIZE);
                if (order == 0)
                        return &ring->devices[mid];
                if (order < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return NULL;
}

static bool payload_pinned(const struct ground_verifier *v, const uint8_t payload[AETHER_SHA256_SIZE]) {
        if (v->payload_count == 0)
                return true;
        for (size_t i = 0; i < v->payload_count; i++)
                if (memcmp(v->payloads[i], payload, AETHER_SHA256_SIZE) == 0)
                        return true;
        return false;
}

static int emit(struct ground_verifier *v, struct ground_event *e) {
        e->missing = v->missing;
        e->missing_count = v->missing_count;
        int r = v->out_of_memory ? -1 : v->on_event(v->ctx, e);
        v->missing_count = 0;
        return r;
}

/* Rules 1-7: whether the record is well formed, from a known device, with
 * its tag, and matched by the input's copies; otherwise the reason. */
static bool authentic(const struct ground_verifier *v, const struct candidate *c, struct ground_event *e) {
        if (aether_proof_decode(c->record, c->len, &e->rec, e->reason, sizeof(e->reason)) != AETHER_RECORD_OK)
                return false;
        const struct ground_device_key *device = find_key(v->keyring, e->rec.device_id);
        if (!device) {
                set_hex_reason(e->reason, "unknown device ", e->rec.device_id, AETHER_DEVICE_ID_SIZE);
                return false;
        }
        if (aether_proof_tag(device->key, c->record) != c->tag) {
                set_reason(e->reason, "bad tag");
                return false;
        }
        return !c->side || c->side(c->side_ctx, c->record, &e->rec, e->reason);
}

/* The verdict on one record, reported through v->on_event. */
static int judge(struct ground_verifier *v, const char *input, size_t index, const struct candidate *c) {
        struct ground_event e = { .input = input, .index = index, .verdict = GROUND_INVALID };

        if (!authentic(v, c, &e)) {
                if (c->torn)
                        set_reason(e.reason, "torn dump: taken during a commit");
        } else if (!payload_pinned(v, e.rec.payload_sha256)) {
                set_hex_reason(e.reason, "unexpected payload ", e.rec.payload_sha256, GROUND_PAYLOAD_SHORT_BYTES);
        } else {
                struct ground_window *w = ground_fleet_find(&v->fleet, e.rec.device_id);
                size_t gap = 0;
                enum window_check check = window_check(v, w, e.rec.epoch, e.rec.seq, &gap);
                if (check == WINDOW_EPOCH_BACK) {
                        set_reason(e.reason, "epoch went back");
                } else if (check == WINDOW_REPLAY) {
                        set_reason(e.reason, "replay");
                } else {
                        window_accept(v, w, e.rec.device_id, check, gap, e.rec.epoch, e.rec.seq);
                        e.verdict = GROUND_VALID;
                        e.reason[0] = '\0';
                        e.tag = c->tag;
                }
        }
        if (e.verdict == GROUND_VALID)
                v->valid++;
        else
                v->invalid++;
        return emit(v, &e);
}

static int no_commit(struct ground_verifier *v, const char *input) {
        struct ground_event e = { .input = input, .index = 0, .verdict = GROUND_NO_COMMIT };
        set_reason(e.reason, "no commit yet");
        return emit(v, &e);
}

/* A record its container already shows to be unusable. */
static int reject(struct ground_verifier *v, const char *input, size_t index, const char *reason) {
        struct ground_event e = { .input = input, .index = index, .verdict = GROUND_INVALID };
        set_reason(e.reason, "%s", reason);
        v->invalid++;
        return emit(v, &e);
}

/* ---- uplink dumps ----------------------------------------------------------------------- */

static bool telemetry_matches(const uint8_t *telemetry, size_t len, const struct aether_proof_record *rec) {
        uint8_t digest[AETHER_SHA256_SIZE];
        aether_sha256(telemetry, len, digest);
        return memcmp(digest, rec->telemetry_sha256, AETHER_SHA256_SIZE) == 0;
}

static bool dump_side(const void *ctx, const uint8_t *record, const struct aether_proof_record *rec,
                      char reason[GROUND_REASON_MAX]) {
        const uint8_t *dump = ctx;
        (void)record;
        uint64_t telemetry_len = load_le(dump + UPLINK_TELEMETRY_LEN, 4);
        bool telemetry_ok = telemetry_len <= AETHER_TELEMETRY_MAX &&
                            telemetry_matches(dump + UPLINK_TELEMETRY, telemetry_len, rec);
        for (size_t i = telemetry_len; telemetry_ok && i < AETHER_TELEMETRY_MAX; i++)
                telemetry_ok = dump[UPLINK_TELEMETRY + i] == 0;
        const char *field = NULL;
        if (!telemetry_ok)
                field = "telemetry";
        else if (memcmp(dump + UPLINK_DEVICE_ID, rec->device_id, AETHER_DEVICE_ID_SIZE) != 0)
                field = "DEVICE_ID";
        else if (load_le(dump + UPLINK_BOOT_EPOCH, 8) != rec->epoch)
                field = "BOOT_EPOCH";
        else if (load_le(dump + UPLINK_COMMIT_COUNT, 8) != rec->seq)
                field = "COMMIT_COUNT";
        if (field)
                set_reason(reason, "%s does not match the record", field);
        return field == NULL;
}

static int verify_dump(struct ground_verifier *v, const char *input, const uint8_t *data, size_t len) {
        if (len < UPLINK_DUMP_MIN)
                return reject(v, input, 0, "malformed dump: truncated");
        uint64_t layout = load_le(data + UPLINK_LAYOUT_VERSION, 4);
        if (layout != UPLINK_LAYOUT) {
                char reason[GROUND_REASON_MAX];
                set_reason(reason, "%s uplink layout %" PRIu64, layout == 1 ? "obsolete" : "unknown", layout);
                return reject(v, input, 0, reason);
        }
        if (load_le(data + UPLINK_COMMIT_COUNT, 8) == 0)
                return no_commit(v, input);
        uint64_t record_len = load_le(data + UPLINK_RECORD_LEN, 4);
        if (record_len != AETHER_PROOF_RECORD_SIZE) {
                char reason[GROUND_REASON_MAX];
                set_reason(reason, "malformed dump: RECORD_LEN %" PRIu64, record_len);
                return reject(v, input, 0, reason);
        }
        struct candidate c = {
                .record = data + UPLINK_RECORD,
                .len = AETHER_PROOF_RECORD_SIZE,
                .tag = load_le(data + UPLINK_TAG_LO, 4) | load_le(data + UPLINK_TAG_HI, 4) << 32,
                .torn = load_le(data + UPLINK_STATE, 4) == UPLINK_STATE_RUNNING,
                .side = dump_side,
                .side_ctx = data,
        };
        return judge(v, input, 0, &c);
}

/* ---- proof streams ---------------------------------------------------------------------- */

static int verify_stream(struct ground_verifier *v, const char *input, const uint8_t *data, size_t len) {
        size_t off = 0;
        for (size_t index = 0; off < len; index++) {
                size_t left = len - off;
                char reason[GROUND_REASON_MAX];
                if (left < 6)
                        return reject(v, input, index, "malformed stream: truncated entry");
                if (memcmp(data + off, "AEPR", 4) != 0) {
                        set_reason(reason, "malformed stream: no record at byte %zu", off);
                        return reject(v, input, index, reason);
                }
                uint64_t version = load_le(data + off + 4, 2);
                size_t record_size = version == AETHER_PROOF_VERSION ? AETHER_PROOF_RECORD_SIZE
                                     : version == 1                  ? AETHER_PROOF_V1_RECORD_SIZE
                                                                     : 0;
                if (record_size == 0) {
                        set_reason(reason, "unknown version %" PRIu64 ", rest of stream skipped", version);
                        return reject(v, input, index, reason);
                }
                if (left < record_size + STREAM_TAG_SIZE)
                        return reject(v, input, index, "malformed stream: truncated entry");
                struct candidate c = {
                        .record = data + off,
                        .len = record_size,
                        .tag = load_le(data + off + record_size, STREAM_TAG_SIZE),
                };
                if (judge(v, input, index, &c) < 0)
                        return -1;
                off += record_size + STREAM_TAG_SIZE;
        }
        return 0;
}

/* ---- harness reports -------------------------------------------------------------------- */

/* The members of a wake object aether-verify reads, in the order of its checks. */
enum wake_member {
        MEMBER_RECORD,
        MEMBER_PROOF,
        MEMBER_TELEMETRY,
        MEMBER_DEVICE_ID,
        MEMBER_EPOCH,
        MEMBER_SEQ,
        MEMBER_VECTOR,
        MEMBER_OUTCOME,
        MEMBER_STATUS,
        MEMBER_PRESSURE_BITS,
        MEMBER_PRESSURE,
        MEMBER_DOSE,
        MEMBER_UPLINK_LO,
        MEMBER_UPLINK_HI,
        MEMBER_PAYLOAD_SHA256,
        MEMBER_DROPPED_WAKES,
        MEMBER_REJECTED_FRAMES,
        MEMBER_BOOT_FLAGS,
        MEMBER_COUNT,
};

static const char *const member_names[MEMBER_COUNT] = {
        [MEMBER_RECORD] = "record",
        [MEMBER_PROOF] = "proof",
        [MEMBER_TELEMETRY] = "telemetry",
        [MEMBER_DEVICE_ID] = "device_id",
        [MEMBER_EPOCH] = "epoch",
        [MEMBER_SEQ] = "seq",
        [MEMBER_VECTOR] = "vector",
        [MEMBER_OUTCOME] = "outcome",
        [MEMBER_STATUS] = "status",
        [MEMBER_PRESSURE_BITS] = "pressure_bits",
        [MEMBER_PRESSURE] = "pressure",
        [MEMBER_DOSE] = "dose",
        [MEMBER_UPLINK_LO] = "uplink_lo",
        [MEMBER_UPLINK_HI] = "uplink_hi",
        [MEMBER_PAYLOAD_SHA256] = "payload_sha256",
        [MEMBER_DROPPED_WAKES] = "dropped_wakes",
        [MEMBER_REJECTED_FRAMES] = "rejected_frames",
        [MEMBER_BOOT_FLAGS] = "boot_flags",
};

struct wake {
        int seen[MEMBER_COUNT];
        struct ground_json_value value[MEMBER_COUNT];
        const struct ground_json_value *report_epoch; /* the report's top-level "epoch", or NULL */
};

static bool wake_member(struct ground_json *j, const struct ground_json_value *key, int depth, void *ctx) {
        struct wake *w = ctx;
        for (int m = 0; m < MEMBER_COUNT; m++) {
                if (ground_json_string_is(key, member_names[m])) {
                        w->seen[m]++;
                        return ground_json_value(j, depth + 1, &w->value[m]);
                }
        }
        return ground_json_value(j, depth + 1, NULL);
}

/* A JSON string, escapes resolved, in a buffer the caller frees. */
static char *decoded(const struct ground_json_value *value, size_t *len) {
        char *text = malloc(value->len ? value->len : 1);
        if (text)
                *len = ground_json_decode_string(value, text);
        return text;
}

/* Whether value is a string of exactly "0x" and `digits` hex digits, whose
 * value then goes to *out. */
static bool hex_number(const struct ground_json_value *value, size_t digits, uint64_t *out) {
        if (value->kind != GROUND_JSON_STRING)
                return false;
        size_t len;
        char *text = decoded(value, &len);
        bool ok = text && len == 2 + digits && text[0] == '0' && text[1] == 'x';
        uint64_t v = 0;
        for (size_t i = 2; ok && i < len; i++) {
                int digit = aether_hex_digit(text[i]);
                ok = digit >= 0;
                v = v << 4 | (uint64_t)(digit & 0xf);
        }
        free(text);
        *out = v;
        return ok;
}

/* Whether value is a string of hex digits for exactly the n bytes expected. */
static bool hex_bytes_equal(const struct ground_json_value *value, const uint8_t *expected, size_t n) {
        if (value->kind != GROUND_JSON_STRING)
                return false;
        size_t len;
        char *text = decoded(value, &len);
        uint8_t *bytes = malloc(n ? n : 1);
        bool equal = text && bytes && len == 2 * n && ground_hex_decode(text, len, bytes) && memcmp(bytes, expected, n) == 0;
        free(bytes);
        free(text);
        return equal;
}

/* Whether value is a JSON integer (no fraction, no exponent) equal to the
 * signed or unsigned field. */
static bool integer_equal(const struct ground_json_value *value, bool is_signed, int64_t signed_field,
                          uint64_t unsigned_field) {
        if (value->kind != GROUND_JSON_NUMBER || memchr(value->p, '.', value->len) || memchr(value->p, 'e', value->len) ||
            memchr(value->p, 'E', value->len))
                return false;
        const char *s = value->p, *end = value->p + value->len;
        bool negative = *s == '-';
        uint64_t magnitude = 0;
        for (s += negative; s < end; s++) {
                unsigned digit = (unsigned)(*s - '0');
                if (magnitude > (UINT64_MAX - digit) / 10)
                        return false; /* beyond any field */
                magnitude = magnitude * 10 + digit;
        }
        if (magnitude == 0)
                return is_signed ? signed_field == 0 : unsigned_field == 0; /* 0 and -0 */
        if (!is_signed)
                return !negative && magnitude == unsigned_field;
        if (negative)
                return signed_field < 0 && magnitude == (uint64_t)0 - (uint64_t)signed_field;
        return signed_field > 0 && magnitude == (uint64_t)signed_field;
}

static bool unsigned_equal(const struct ground_json_value *value, uint64_t field) {
        return integer_equal(value, false, 0, field);
}

static bool signed_equal(const struct ground_json_value *value, int32_t field) {
        return integer_equal(value, true, field, 0);
}

/* "pressure": a number that rounds (to binary64, then binary32) to the
 * record's bits, or "nan", "inf", "-inf". */
static bool pressure_equal(const struct ground_json_value *value, uint32_t bits) {
        bool is_nan = (bits & 0x7f800000u) == 0x7f800000u && (bits & 0x007fffffu) != 0;
        if (value->kind == GROUND_JSON_STRING)
                return (ground_json_string_is(value, "nan") && is_nan) ||
                       (ground_json_string_is(value, "inf") && bits == 0x7f800000u) ||
                       (ground_json_string_is(value, "-inf") && bits == 0xff800000u);
        if (value->kind != GROUND_JSON_NUMBER)
                return false;
        char *token = malloc(value->len + 1);
        if (!token)
                return false;
        memcpy(token, value->p, value->len);
        token[value->len] = '\0';
        float f = (float)strtod(token, NULL);
        free(token);
        uint32_t got;
        memcpy(&got, &f, sizeof(got));
        return got == bits;
}

static bool copy_matches(const struct wake *w, enum wake_member m, const struct aether_proof_record *rec) {
        const struct ground_json_value *value = &w->value[m];
        uint64_t number;
        switch (m) {
        case MEMBER_DEVICE_ID:
                return hex_bytes_equal(value, rec->device_id, AETHER_DEVICE_ID_SIZE);
        case MEMBER_EPOCH:
                return unsigned_equal(value, rec->epoch);
        case MEMBER_SEQ:
                return unsigned_equal(value, rec->seq);
        case MEMBER_VECTOR:
                return hex_number(value, 2, &number) && number == rec->vector;
        case MEMBER_OUTCOME:
                return ground_json_string_is(value, aether_fault_name(rec->outcome));
        case MEMBER_STATUS:
                return signed_equal(value, rec->status);
        case MEMBER_PRESSURE_BITS:
                return hex_number(value, 8, &number) && number == rec->pressure_bits;
        case MEMBER_PRESSURE:
                return pressure_equal(value, rec->pressure_bits);
        case MEMBER_DOSE:
                return signed_equal(value, rec->dose);
        case MEMBER_UPLINK_LO:
                return unsigned_equal(value, rec->uplink_lo);
        case MEMBER_UPLINK_HI:
                return unsigned_equal(value, rec->uplink_hi);
        case MEMBER_PAYLOAD_SHA256:
                return hex_bytes_equal(value, rec->payload_sha256, AETHER_SHA256_SIZE);
        case MEMBER_DROPPED_WAKES:
                return unsigned_equal(value, rec->dropped_wakes);
        case MEMBER_REJECTED_FRAMES:
                return unsigned_equal(value, rec->rejected_frames);
        case MEMBER_BOOT_FLAGS:
                return unsigned_equal(value, rec->boot_flags);
        case MEMBER_RECORD:
        case MEMBER_PROOF:
        case MEMBER_TELEMETRY:
        case MEMBER_COUNT:
                break; /* not copies: checked on their own */
        }
        return false;
}

static bool report_side(const void *ctx, const uint8_t *record, const struct aether_proof_record *rec,
                        char reason[GROUND_REASON_MAX]) {
        const struct wake *w = ctx;
        (void)record;
        if (w->seen[MEMBER_TELEMETRY]) {
                const struct ground_json_value *value = &w->value[MEMBER_TELEMETRY];
                size_t len = 0;
                char *text = value->kind == GROUND_JSON_STRING ? decoded(value, &len) : NULL;
                uint8_t *bytes = text ? malloc(len / 2 + 1) : NULL;
                bool ok = bytes && ground_hex_decode(text, len, bytes) && telemetry_matches(bytes, len / 2, rec);
                free(bytes);
                free(text);
                if (!ok) {
                        set_reason(reason, "telemetry does not match the record");
                        return false;
                }
        }
        for (int m = MEMBER_DEVICE_ID; m < MEMBER_COUNT; m++) {
                if (w->seen[m] && !copy_matches(w, (enum wake_member)m, rec)) {
                        set_reason(reason, "%s does not match the record", member_names[m]);
                        return false;
                }
        }
        if (w->report_epoch && w->report_epoch->kind != GROUND_JSON_NULL &&
            !unsigned_equal(w->report_epoch, rec->epoch)) {
                set_reason(reason, "report epoch does not match the record");
                return false;
        }
        return true;
}

/* One element of "wakes", the '{' already read. Returns 0, or -1 on a JSON
 * error (the report was validated first, so only memory) or output error. */
static int verify_wake(struct ground_verifier *v, const char *input, size_t index, struct ground_json *j,
                       const struct ground_json_value *report_epoch) {
        struct wake w = { .report_epoch = report_epoch };
        if (!ground_json_members(j, 2, wake_member, &w))
                return -1;
        if (w.seen[MEMBER_RECORD] != 1 || w.seen[MEMBER_PROOF] != 1)
                return reject(v, input, index, "malformed wake: needs exactly one \"record\" and one \"proof\"");
        for (int m = MEMBER_TELEMETRY; m < MEMBER_COUNT; m++) {
                if (w.seen[m] > 1) {
                        char reason[GROUND_REASON_MAX];
                        set_reason(reason, "malformed wake: \"%s\" given twice", member_names[m]);
                        return reject(v, input, index, reason);
                }
        }
        const struct ground_json_value *record_value = &w.value[MEMBER_RECORD];
        size_t len = 0;
        char *text = record_value->kind == GROUND_JSON_STRING ? decoded(record_value, &len) : NULL;
        if (!text || !ground_hex_decode(text, len, NULL)) {
                free(text);
                return reject(v, input, index, "malformed record: \"record\" is not hexadecimal");
        }
        uint8_t *record = malloc(len / 2 + 1);
        if (!record) {
                free(text);
                v->out_of_memory = true;
                return -1;
        }
        ground_hex_decode(text, len, record);
        free(text);
        uint64_t tag;
        int r;
        if (!hex_number(&w.value[MEMBER_PROOF], REPORT_PROOF_DIGITS, &tag)) {
                r = reject(v, input, index, "malformed proof: \"proof\" is not 0x and 16 hexadecimal digits");
        } else {
                struct candidate c = { .record = record, .len = len / 2, .tag = tag, .side = report_side, .side_ctx = &w };
                r = judge(v, input, index, &c);
        }
        free(record);
        return r;
}

/* The report's top-level members, read twice: first to find "wakes" and
 * "epoch", then to judge the wakes. */
struct report {
        struct ground_verifier *v;
        const char *input;
        bool judging;
        int wakes_seen, epoch_seen;       /* first pass */
        struct ground_json_value epoch;   /* first pass: the last "epoch" seen */
        int result;                       /* second pass: -1 after a memory or output error */
};

static bool report_member(struct ground_json *j, const struct ground_json_value *key, int depth, void *ctx) {
        struct report *r = ctx;
        if (!r->judging) {
                if (ground_json_string_is(key, "epoch")) {
                        r->epoch_seen++;
                        return ground_json_value(j, depth + 1, &r->epoch);
                }
                if (!ground_json_string_is(key, "wakes"))
                        return ground_json_value(j, depth + 1, NULL);
                r->wakes_seen++;
                return ground_json_peek(j, '[') && ground_json_value(j, depth + 1, NULL);
        }
        if (!ground_json_string_is(key, "wakes"))
                return ground_json_value(j, depth + 1, NULL);
        ground_json_eat(j, '['); /* the first pass saw it */
        if (ground_json_eat(j, ']'))
                return true;
        size_t index = 0;
        do {
                if (ground_json_eat(j, '{')) {
                        if (verify_wake(r->v, r->input, index, j, r->epoch_seen ? &r->epoch : NULL) < 0) {
                                r->result = -1;
                                return false;
                        }
                } else if (!ground_json_value(j, depth + 2, NULL) ||
                           reject(r->v, r->input, index, "malformed wake: not an object") < 0) {
                        r->result = -1;
                        return false;
                }
                index++;
        } while (ground_json_eat(j, ','));
        return ground_json_eat(j, ']');
}

/* Syntax first, so that a damaged report is an input error before any verdict. */
static int verify_report(struct ground_verifier *v, const char *input, const uint8_t *data, size_t len,
                         struct ground_text *err) {
        const char *text = (const char *)data;
        struct ground_json j = { .p = text, .start = text, .end = text + len };
        if (!ground_json_value(&j, 0, NULL) || (ground_json_skip_space(&j), j.p != j.end)) {
                ground_text_appendf(err, "not valid JSON (near byte %td)", j.p - j.start);
                return -1;
        }
        struct report r = { .v = v, .input = input };
        j.p = j.start;
        if (!ground_json_eat(&j, '{') || !ground_json_members(&j, 0, report_member, &r) || r.wakes_seen != 1 ||
            r.epoch_seen > 1) {
                ground_text_append(err, "a harness report is an object with one \"wakes\" array and at most one \"epoch\"");
                return -1;
        }
        r.judging = true;
        j.p = j.start;
        ground_json_eat(&j, '{');
        ground_json_members(&j, 0, report_member, &r);
        return r.result;
}

/* ---- payload pins -------------------------------------------------------------------------- */

int ground_payload_from_hex(const char *text, uint8_t sha256[AETHER_SHA256_SIZE]) {
        size_t len = strlen(text);
        return len == 2 * AETHER_SHA256_SIZE && ground_hex_decode(text, len, sha256) ? 0 : -1;
}

struct build_info {
        int seen;
        struct ground_json_value payload;
};

static bool build_info_member(struct ground_json *j, const struct ground_json_value *key, int depth, void *ctx) {
        struct build_info *info = ctx;
        if (!ground_json_string_is(key, "payload_sha256"))
                return ground_json_value(j, depth + 1, NULL);
        info->seen++;
        return ground_json_value(j, depth + 1, &info->payload);
}

int ground_payload_from_file(const uint8_t *data, size_t len, uint8_t sha256[AETHER_SHA256_SIZE]) {
        static const uint8_t wasm_magic[4] = { 0x00, 'a', 's', 'm' };
        if (len >= sizeof(wasm_magic) && memcmp(data, wasm_magic, sizeof(wasm_magic)) == 0) {
                aether_sha256(data, len, sha256);
                return 0;
        }
        const char *text = (const char *)data;
        struct ground_json j = { .p = text, .start = text, .end = text + len };
        if (!ground_json_value(&j, 0, NULL) || (ground_json_skip_space(&j), j.p != j.end))
                return -1;
        struct build_info info = { 0 };
        j.p = j.start;
        if (!ground_json_eat(&j, '{') || !ground_json_members(&j, 0, build_info_member, &info) || info.seen != 1 ||
            info.payload.kind != GROUND_JSON_STRING)
                return -1;
        size_t n;
        char *hex = decoded(&info.payload, &n);
        bool ok = hex && n == 2 * AETHER_SHA256_SIZE && ground_hex_decode(hex, n, sha256);
        free(hex);
        return ok ? 0 : -1;
}

/* ---- the run ------------------------------------------------------------------------------ */

int ground_verify_input(struct ground_verifier *v, const char *name, const uint8_t *data, size_t len,
                        struct ground_text *err) {
        int r;
        v->missing_count = 0;
        if (len == 0) {
                ground_text_append(err, "empty input");
                return -1;
        }
        if (len >= strlen(UPLINK_MAGIC) && memcmp(data, UPLINK_MAGIC, strlen(UPLINK_MAGIC)) == 0) {
                r = verify_dump(v, name, data, len);
        } else if (len >= 4 && memcmp(data, "AEPR", 4) == 0) {
                r = verify_stream(v, name, data, len);
        } else {
                struct ground_json probe = { .p = (const char *)data, .end = (const char *)data + len };
                if (!ground_json_peek(&probe, '{')) {
                        ground_text_append(err, "neither a harness report, an uplink dump nor a proof stream");
                        return -1;
                }
                r = verify_report(v, name, data, len, err);
                if (r < 0 && err->len)
                        return -1;
        }
        if (r < 0 && !err->len)
                ground_text_append(err, v->out_of_memory ? "out of memory" : "cannot write the output");
        return r;
}

int ground_verify_finish(struct ground_verifier *v, bool keep_open, const struct ground_missing **missing,
                         size_t *count) {
        v->missing_count = 0;
        for (size_t i = 0; i < v->fleet.count; i++) {
                struct ground_window *w = &v->fleet.windows[i];
                if (keep_open)
                        slide(v, w);
                else
                        report_gaps_through(v, w, UINT64_MAX);
        }
        *missing = v->missing;
        *count = v->missing_count;
        return v->out_of_memory ? -1 : 0;
}

void ground_verifier_free(struct ground_verifier *v) {
        ground_fleet_free(&v->fleet);
        free(v->missing);
        v->missing = NULL;
        v->missing_count = v->missing_cap = 0;
}
