/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* ground.h: the ground-station verifier's logic (aether-verify): inputs, verdicts, keyring, per-device anti-replay windows, state file. */
#ifndef AETHER_GROUND_H
#define AETHER_GROUND_H

/* Pure: no file, no stream, no clock. aether_verify.c reads the files and
 * prints what this logic reports; ARCHITECTURE.md section 7.6 is the
 * specification, rule by rule. Host only (never in the image). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proof.h"

#define GROUND_WINDOW_DEFAULT 64        /* anti-replay window, records per device and boot */
#define GROUND_WINDOW_MAX 65536
#define GROUND_INPUT_MAX ((size_t)64 << 20)    /* bytes per input (a file or standard input) */
#define GROUND_KEY_FILE_MAX 4096               /* a key file is one short line */
#define GROUND_KEYRING_MAX ((size_t)1 << 20)   /* about 15,000 devices */
#define GROUND_STATE_MAX ((size_t)64 << 20)
#define GROUND_PAYLOAD_SHORT_BYTES 6    /* a payload's short ID: the first bytes of its SHA-256, as hex */
#define GROUND_REASON_MAX 128

/* ---- text built in memory ------------------------------------------------------ */

/* A NUL-terminated text that grows as it is appended to. After a failed
 * allocation it stays as it was and `failed` is set. */
struct ground_text {
        char *buf;
        size_t len, cap;
        bool failed;
};

void ground_text_append(struct ground_text *t, const char *s);
void ground_text_append_bytes(struct ground_text *t, const char *s, size_t n);
__attribute__((format(printf, 2, 3))) void ground_text_appendf(struct ground_text *t, const char *format, ...);
void ground_text_hex(struct ground_text *t, const uint8_t *bytes, size_t n); /* lowercase */


/* Whether s[0..len) is an even number of hexadecimal digits (either case);
 * if out is not NULL its len / 2 bytes go there. */
bool ground_hex_decode(const char *s, size_t len, uint8_t *out);
void ground_text_free(struct ground_text *t);

/* ---- the keyring ------------------------------------------------------------- */

struct ground_device_key {
        uint8_t id[AETHER_DEVICE_ID_SIZE];
        uint8_t key[AETHER_PROOF_KEY_SIZE];
};

/* The devices a verifier knows, sorted by ID. */
struct ground_keyring {
        struct ground_device_key *devices;
        size_t count, cap;
};

/* Parses a keyring file (ARCHITECTURE.md, "Keyring file"). Returns 0, or -1
 * with err holding "line N: <problem>" (never a quote of the file). */
int ground_keyring_parse(const char *text, size_t len, struct ground_keyring *out, struct ground_text *err);

/* Adds the one device of a --key file. Returns 0, or -1 when out of memory. */
int ground_keyring_add(struct ground_keyring *ring, const uint8_t key[AETHER_PROOF_KEY_SIZE]);

/* Zeroes the keys and frees the keyring. */
void ground_keyring_free(struct ground_keyring *ring);

/* ---- per-device windows and the state file -------------------------------------- */

/* Sequence numbers first..last of one boot that were never accepted. */
struct ground_gap {
        uint64_t first, last;
};

/* What the verifier remembers of one device: its current boot, the highest
 * record accepted in it, and the records below that it still waits for. */
struct ground_window {
        uint8_t device[AETHER_DEVICE_ID_SIZE];
        uint64_t epoch, top;
        struct ground_gap *gaps; /* ascending, disjoint, not adjacent, all below top */
        size_t gap_count, gap_cap;
};

/* Every device's window, sorted by device ID. */
struct ground_fleet {
        struct ground_window *windows;
        size_t count, cap;
};

/* Parses a state file (ARCHITECTURE.md, "State file"). Returns 0, or -1 with
 * err holding "line N: <problem>". */
int ground_state_parse(const char *text, size_t len, struct ground_fleet *out, struct ground_text *err);

/* Appends the state file text of fleet to out. */
void ground_state_format(const struct ground_fleet *fleet, struct ground_text *out);

/* The window of a device, or NULL. */
struct ground_window *ground_fleet_find(const struct ground_fleet *fleet, const uint8_t device[AETHER_DEVICE_ID_SIZE]);

/* A new window for a device the fleet does not have (epoch and top 0, no
 * gap), in its sorted place; NULL when out of memory. */
struct ground_window *ground_fleet_insert(struct ground_fleet *fleet, const uint8_t device[AETHER_DEVICE_ID_SIZE]);

/* Appends a gap above the window's last one. Returns 0, or -1 when out of memory. */
int ground_window_append_gap(struct ground_window *w, uint64_t first, uint64_t last);

void ground_fleet_free(struct ground_fleet *fleet);

/* ---- verdicts ------------------------------------------------------------------ */

/* Records that can never be accepted any more: seq first_seq..last_seq of
 * boot `epoch`, or (whole_epochs) the boots epoch..last_epoch. */
struct ground_missing {
        uint8_t device[AETHER_DEVICE_ID_SIZE];
        bool whole_epochs;
        uint64_t epoch, last_epoch;
        uint64_t first_seq, last_seq;
};

enum ground_verdict {
        GROUND_VALID,
        GROUND_INVALID,
        GROUND_NO_COMMIT, /* an uplink dump taken before the first commit: no record */
};

/* One record of an input, judged. */
struct ground_event {
        const char *input;                 /* the input's name: its argument, "-" for standard input */
        size_t index;                      /* the record's place in the input, from 0 */
        enum ground_verdict verdict;
        char reason[GROUND_REASON_MAX];    /* GROUND_INVALID and GROUND_NO_COMMIT */
        struct aether_proof_record rec;    /* GROUND_VALID only */
        uint64_t tag;                      /* GROUND_VALID only */
        const struct ground_missing *missing; /* what this record made final, in report order */
        size_t missing_count;
};

/* Receives each judged record; returns 0, or -1 to stop (an output error). */
typedef int ground_event_fn(void *ctx, const struct ground_event *event);

struct ground_verifier {
        /* Set before the first input: */
        const struct ground_keyring *keyring;
        struct ground_fleet fleet;             /* from the state file, or empty */
        uint64_t window;                       /* 1..GROUND_WINDOW_MAX */
        const uint8_t (*payloads)[AETHER_SHA256_SIZE]; /* --payload pins; none: any payload */
        size_t payload_count;
        ground_event_fn *on_event;
        void *ctx;
        /* Counted as the inputs are read: */
        uint64_t valid, invalid, missing_records, missing_boots;
        /* Scratch: the missing ranges of the record being judged. */
        struct ground_missing *missing;
        size_t missing_count, missing_cap;
        bool out_of_memory;
};

/* Judges every record of one input, in order, through v->on_event. Returns
 * 0, or -1 when the input is no input at all (not one of the three kinds,
 * bad JSON, a report without its "wakes" array) or memory or the output
 * failed: err then says why, and the run stops with status 2. */
int ground_verify_input(struct ground_verifier *v, const char *name, const uint8_t *data, size_t len,
                        struct ground_text *err);

/* Ends a run: reports as missing what can no longer arrive (keep_open: only
 * what left the window, since a state file keeps the rest; otherwise every
 * gap), devices in ID order. *missing and *count are the ranges (v's
 * scratch). Returns 0, or -1 when out of memory. */
int ground_verify_finish(struct ground_verifier *v, bool keep_open, const struct ground_missing **missing,
                         size_t *count);

void ground_verifier_free(struct ground_verifier *v);

/* ---- payload pins ---------------------------------------------------------------- */

/* A --payload argument of exactly 64 hex digits (either case). Returns 0, or -1. */
int ground_payload_from_hex(const char *text, uint8_t sha256[AETHER_SHA256_SIZE]);

/* A --payload file: a wasm module (it starts with "\0asm": its SHA-256), or
 * an aether-build.json (a JSON object with one "payload_sha256" of 64 hex
 * digits). Returns 0, or -1 for anything else. */
int ground_payload_from_file(const uint8_t *data, size_t len, uint8_t sha256[AETHER_SHA256_SIZE]);

/* ---- output ------------------------------------------------------------------- */

/* The text lines of an event: the record's line, then one line per missing
 * range; each ends in '\n'. */
void ground_format_event(const struct ground_event *event, struct ground_text *out);

/* The same as one JSON object and '\n'. */
void ground_format_event_json(const struct ground_event *event, struct ground_text *out);

/* The end of a run: the missing lines, then the summary line. */
void ground_format_summary(const struct ground_verifier *v, const struct ground_missing *missing, size_t count,
                           struct ground_text *out);
void ground_format_summary_json(const struct ground_verifier *v, const struct ground_missing *missing, size_t count,
                                struct ground_text *out);

/* "development-key,secure-boot-known" or "none": the names of a record's
 * boot flags (only defined bits reach here). */
void ground_format_boot_flags(uint64_t flags, struct ground_text *out);

#endif
