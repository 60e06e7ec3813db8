/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* ground_fleet.c: the keyring file, the state file, and the sorted per-device windows both describe. */
#define _DEFAULT_SOURCE /* explicit_bzero */

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ground.h"

#define STATE_HEADER "aether-verify state 2\n"

/* ---- small parsing helpers -------------------------------------------------------- */

/* Exactly 2 * n hex digits (lowercase only if lower) at s[0..len) into out. */
static bool parse_hex(const char *s, size_t len, uint8_t *out, size_t n, bool lower) {
        if (len != 2 * n)
                return false;
        for (size_t i = 0; i < len; i++)
                if (aether_hex_digit(s[i]) < 0 || (lower && s[i] >= 'A' && s[i] <= 'F'))
                        return false;
        for (size_t i = 0; i < n; i++)
                out[i] = (uint8_t)(aether_hex_digit(s[2 * i]) << 4 | aether_hex_digit(s[2 * i + 1]));
        return true;
}

/* A decimal number from 1 (no sign, no leading zero, at most 2^64 - 1) at
 * *p, which advances past it. */
static bool parse_counter(const char **p, const char *end, uint64_t *value) {
        const char *s = *p;
        uint64_t v = 0;
        if (s == end || *s < '1' || *s > '9')
                return false;
        for (; s < end && *s >= '0' && *s <= '9'; s++) {
                unsigned digit = (unsigned)(*s - '0');
                if (v > (UINT64_MAX - digit) / 10)
                        return false;
                v = v * 10 + digit;
        }
        *p = s;
        *value = v;
        return true;
}

static bool is_blank(char c) {
        return c == ' ' || c == '\t';
}

/* ---- windows -------------------------------------------------------------------- */

/* The index where device is, or would be inserted. */
static size_t fleet_position(const struct ground_fleet *fleet, const uint8_t device[AETHER_DEVICE_ID_SIZE]) {
        size_t lo = 0, hi = fleet->count;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (memcmp(fleet->windows[mid].device, device, AETHER_DEVICE_ID_SIZE) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo;
}

struct ground_window *ground_fleet_find(const struct ground_fleet *fleet, const uint8_t device[AETHER_DEVICE_ID_SIZE]) {
        size_t at = fleet_position(fleet, device);
        if (at < fleet->count && memcmp(fleet->windows[at].device, device, AETHER_DEVICE_ID_SIZE) == 0)
                return &fleet->windows[at];
        return NULL;
}

struct ground_window *ground_fleet_insert(struct ground_fleet *fleet, const uint8_t device[AETHER_DEVICE_ID_SIZE]) {
        if (fleet->count == fleet->cap) {
                size_t cap = fleet->cap ? 2 * fleet->cap : 16;
                struct ground_window *bigger = realloc(fleet->windows, cap * sizeof(*bigger));
                if (!bigger)
                        return NULL;
                fleet->windows = bigger;
                fleet->cap = cap;
        }
        size_t at = fleet_position(fleet, device);
        memmove(&fleet->windows[at + 1], &fleet->windows[at], (fleet->count - at) * sizeof(fleet->windows[0]));
        fleet->count++;
        struct ground_window *w = &fleet->windows[at];
        *w = (struct ground_window){ 0 };
        memcpy(w->device, device, AETHER_DEVICE_ID_SIZE);
        return w;
}

int ground_window_append_gap(struct ground_window *w, uint64_t first, uint64_t last) {
        if (w->gap_count == w->gap_cap) {
                size_t cap = w->gap_cap ? 2 * w->gap_cap : 4;
                struct ground_gap *bigger = realloc(w->gaps, cap * sizeof(*bigger));
                if (!bigger)
                        return -1;
                w->gaps = bigger;
                w->gap_cap = cap;
        }
        w->gaps[w->gap_count++] = (struct ground_gap){ first, last };
        return 0;
}

void ground_fleet_free(struct ground_fleet *fleet) {
        for (size_t i = 0; i < fleet->count; i++)
                free(fleet->windows[i].gaps);
        free(fleet->windows);
        *fleet = (struct ground_fleet){ 0 };
}

/* ---- the keyring ------------------------------------------------------------------ */

static int ring_append(struct ground_keyring *ring, const uint8_t id[AETHER_DEVICE_ID_SIZE],
                       const uint8_t key[AETHER_PROOF_KEY_SIZE]) {
        if (ring->count == ring->cap) {
                size_t cap = ring->cap ? 2 * ring->cap : 16;
                struct ground_device_key *bigger = malloc(cap * sizeof(*bigger));
                if (!bigger)
                        return -1;
                if (ring->count)
                        memcpy(bigger, ring->devices, ring->count * sizeof(*bigger));
                ground_keyring_free(&(struct ground_keyring){ ring->devices, ring->count, ring->cap });
                ring->devices = bigger;
                ring->cap = cap;
        }
        memcpy(ring->devices[ring->count].id, id, AETHER_DEVICE_ID_SIZE);
        memcpy(ring->devices[ring->count].key, key, AETHER_PROOF_KEY_SIZE);
        ring->count++;
        return 0;
}

/* A device of the keyring and the line it was on, while the file is read. */
struct ring_line {
        size_t index;  /* in the ring */
        uint64_t line;
};

static const struct ground_keyring *sort_ring;

static int compare_ring_lines(const void *a, const void *b) {
        const struct ring_line *x = a, *y = b;
        int by_id = memcmp(sort_ring->devices[x->index].id, sort_ring->devices[y->index].id, AETHER_DEVICE_ID_SIZE);
        return by_id ? by_id : (x->line > y->line) - (x->line < y->line);
}

static int compare_device_keys(const void *a, const void *b) {
        return memcmp(((const struct ground_device_key *)a)->id, ((const struct ground_device_key *)b)->id,
                      AETHER_DEVICE_ID_SIZE);
}

/* Checks one device line (blanks already skipped, no line end); returns the
 * problem or NULL. */
static const char *keyring_line(const char *s, const char *end, uint8_t id[AETHER_DEVICE_ID_SIZE],
                                uint8_t key[AETHER_PROOF_KEY_SIZE]) {
        const char *word = s;
        while (s < end && !is_blank(*s))
                s++;
        if (!parse_hex(word, (size_t)(s - word), id, AETHER_DEVICE_ID_SIZE, false))
                return "expected a device ID of 32 hexadecimal digits";
        while (s < end && is_blank(*s))
                s++;
        word = s;
        while (s < end && !is_blank(*s))
                s++;
        if (!parse_hex(word, (size_t)(s - word), key, AETHER_PROOF_KEY_SIZE, false))
                return "expected a key of 32 hexadecimal digits after the device ID";
        while (s < end && is_blank(*s))
                s++;
        if (s != end && *s != '#') /* a comment may follow */
                return "unexpected text after the key";
        uint8_t derived[AETHER_DEVICE_ID_SIZE];
        aether_derive_device_id(key, derived);
        if (memcmp(derived, id, AETHER_DEVICE_ID_SIZE) != 0)
                return "the device ID is not the one derived from the key";
        return NULL;
}

int ground_keyring_parse(const char *text, size_t len, struct ground_keyring *out, struct ground_text *err) {
        struct ground_keyring ring = { 0 };
        struct ring_line *lines = NULL;
        size_t lines_cap = 0;
        uint64_t line = 0, bad_line = 0;
        const char *problem = NULL, *end = text + len;
        uint8_t id[AETHER_DEVICE_ID_SIZE], key[AETHER_PROOF_KEY_SIZE];

        for (const char *s = text; s < end && !problem;) {
                const char *eol = memchr(s, '\n', (size_t)(end - s));
                const char *next = eol ? eol + 1 : end, *stop = eol ? eol : end;
                line++;
                if (stop > s && stop[-1] == '\r')
                        stop--;
                while (s < stop && is_blank(*s))
                        s++;
                if (s < stop && *s != '#') {
                        problem = keyring_line(s, stop, id, key);
                        if (problem) {
                                bad_line = line;
                        } else {
                                if (ring.count == lines_cap) {
                                        lines_cap = lines_cap ? 2 * lines_cap : 16;
                                        struct ring_line *bigger = realloc(lines, lines_cap * sizeof(*bigger));
                                        if (!bigger) {
                                                problem = "out of memory";
                                                break;
                                        }
                                        lines = bigger;
                                }
                                lines[ring.count] = (struct ring_line){ ring.count, line };
                                if (ring_append(&ring, id, key) < 0)
                                        problem = "out of memory";
                        }
                }
                s = next;
        }
        explicit_bzero(key, sizeof(key));

        /* A device given again is reported at its second line: every line
         * read comes before the first other problem, so it wins. */
        sort_ring = &ring;
        if (ring.count)
                qsort(lines, ring.count, sizeof(*lines), compare_ring_lines);
        uint64_t repeated = 0, first = 0, group_first = 0;
        for (size_t i = 0; i < ring.count; i++) {
                if (i == 0 || memcmp(ring.devices[lines[i].index].id, ring.devices[lines[i - 1].index].id,
                                     AETHER_DEVICE_ID_SIZE) != 0) {
                        group_first = lines[i].line;
                } else if (!repeated || lines[i].line < repeated) {
                        repeated = lines[i].line;
                        first = group_first;
                }
        }
        free(lines);
        if (repeated)
                ground_text_appendf(err, "line %" PRIu64 ": device listed twice (first on line %" PRIu64 ")", repeated,
                                    first);
        else if (problem && bad_line)
                ground_text_appendf(err, "line %" PRIu64 ": %s", bad_line, problem);
        else if (problem)
                ground_text_append(err, problem);
        else if (ring.count == 0)
                ground_text_append(err, "no device in the keyring");
        if (repeated || problem || ring.count == 0) {
                ground_keyring_free(&ring);
                return -1;
        }
        qsort(ring.devices, ring.count, sizeof(ring.devices[0]), compare_device_keys);
        *out = ring;
        return 0;
}

int ground_keyring_add(struct ground_keyring *ring, const uint8_t key[AETHER_PROOF_KEY_SIZE]) {
        uint8_t id[AETHER_DEVICE_ID_SIZE];
        aether_derive_device_id(key, id);
        if (ring_append(ring, id, key) < 0)
                return -1;
        qsort(ring->devices, ring->count, sizeof(ring->devices[0]), compare_device_keys);
        return 0;
}

void ground_keyring_free(struct ground_keyring *ring) {
        if (ring->devices)
                explicit_bzero(ring->devices, ring->cap * sizeof(ring->devices[0]));
        free(ring->devices);
        *ring = (struct ground_keyring){ 0 };
}

/* ---- the state file --------------------------------------------------------------- */

/* Whether text is a version 1 state file: "epoch seq\n". */
static bool is_state_v1(const char *text, size_t len) {
        const char *p = text, *end = text + len;
        uint64_t ignored;
        return parse_counter(&p, end, &ignored) && p < end && *p++ == ' ' && parse_counter(&p, end, &ignored) &&
               p < end && *p++ == '\n' && p == end;
}

/* One device line, without its '\n'; returns the problem or NULL. */
static const char *state_line(struct ground_fleet *fleet, const char *s, const char *end) {
        uint8_t device[AETHER_DEVICE_ID_SIZE];
        const char *word = s;
        while (s < end && *s != ' ')
                s++;
        if (!parse_hex(word, (size_t)(s - word), device, AETHER_DEVICE_ID_SIZE, true))
                return "expected a device ID of 32 lowercase hexadecimal digits";
        if (fleet->count && memcmp(fleet->windows[fleet->count - 1].device, device, AETHER_DEVICE_ID_SIZE) >= 0)
                return "devices must be in ascending order of ID, each once";
        uint64_t epoch, top;
        if (s == end || *s++ != ' ' || !parse_counter(&s, end, &epoch) || (s < end && *s != ' '))
                return "expected an epoch (a decimal number from 1) after the device ID";
        if (s == end || *s++ != ' ' || !parse_counter(&s, end, &top) || (s < end && *s != ' '))
                return "expected a sequence number (a decimal number from 1) after the epoch";
        struct ground_window *w = ground_fleet_insert(fleet, device);
        if (!w)
                return "out of memory";
        w->epoch = epoch;
        w->top = top;
        uint64_t floor = 1; /* the lowest seq the next gap may start at */
        while (s < end) {
                uint64_t first, last;
                if (*s++ != ' ' || !parse_counter(&s, end, &first))
                        return "expected a gap \"a\" or \"a..b\" after the sequence number";
                last = first;
                bool range = end - s >= 2 && s[0] == '.' && s[1] == '.';
                if (range) {
                        s += 2;
                        if (!parse_counter(&s, end, &last))
                                return "expected a gap \"a\" or \"a..b\" after the sequence number";
                }
                if ((s < end && *s != ' ') || first < floor || last < first + range || last >= top)
                        return "gaps must be ascending, apart, and below the sequence number";
                if (ground_window_append_gap(w, first, last) < 0)
                        return "out of memory";
                floor = last + 2; /* last < top, so no overflow */
        }
        return NULL;
}

int ground_state_parse(const char *text, size_t len, struct ground_fleet *out, struct ground_text *err) {
        struct ground_fleet fleet = { 0 };
        const size_t header = sizeof(STATE_HEADER) - 1;
        const char *problem = NULL, *end = text + len;
        uint64_t line = 1;

        if (len < header || memcmp(text, STATE_HEADER, header) != 0) {
                problem = is_state_v1(text, len) ? "a version 1 state file (\"epoch seq\") names no device: "
                                                    "start a new state file"
                                                  : "expected \"aether-verify state 2\"";
        }
        for (const char *s = text + header; !problem && s < end;) {
                const char *eol = memchr(s, '\n', (size_t)(end - s));
                line++;
                problem = eol ? state_line(&fleet, s, eol) : "the last line has no newline";
                s = eol ? eol + 1 : end;
        }
        if (problem) {
                ground_text_appendf(err, "line %" PRIu64 ": %s", line, problem);
                ground_fleet_free(&fleet);
                return -1;
        }
        *out = fleet;
        return 0;
}

void ground_state_format(const struct ground_fleet *fleet, struct ground_text *out) {
        ground_text_append(out, STATE_HEADER);
        for (size_t i = 0; i < fleet->count; i++) {
                const struct ground_window *w = &fleet->windows[i];
                ground_text_hex(out, w->device, AETHER_DEVICE_ID_SIZE);
                ground_text_appendf(out, " %" PRIu64 " %" PRIu64, w->epoch, w->top);
                for (size_t g = 0; g < w->gap_count; g++) {
                        if (w->gaps[g].first == w->gaps[g].last)
                                ground_text_appendf(out, " %" PRIu64, w->gaps[g].first);
                        else
                                ground_text_appendf(out, " %" PRIu64 "..%" PRIu64, w->gaps[g].first, w->gaps[g].last);
                }
                ground_text_append(out, "\n");
        }
}
