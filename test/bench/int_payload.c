/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* int_payload.c: the benchmark's integer workload: linked lists, integer matrices, a tokenizer, CRC-32. */
#include "aether_guest.h"

/* What one wake computes, CoreMark-like in spirit, the same source built
 * natively and to wasm32 for scripts/aether-bench (native, wasm2c in both
 * memory-check modes, V8, wabt's interpreter). The latched pressure and dose
 * seed a xorshift32 stream; then:
 *   1. lists: LIST_NODES nodes whose links, keys and values live in index
 *      arrays, linked in a shuffled order; summed, reversed, summed again,
 *      searched for FINDS keys, then every node whose value has its low two
 *      bits clear is unlinked and the rest summed;
 *   2. matrices: C = A x B for MAT_N x MAT_N integer matrices, checked by
 *      Freivalds' identity C r = A (B r); then C is transformed row by row
 *      through a carry that every element changes and whose low bits pick the
 *      next step, and summed with CoreMark's clipping rule;
 *   3. a tokenizer: TEXT_BYTES of synthetic text (numbers with fractions and
 *      exponents, identifiers, quoted strings with escapes, operators, blanks,
 *      stray bytes) run through a state machine, a switch on the state;
 *   4. CRC-32 (IEEE 802.3) of the text bitwise and by table, which must
 *      agree, and of the results.
 * A 32-byte summary is committed as telemetry and the stock status bits are
 * returned. A failed self-check (the list's length and total after the
 * reversal and after the pruning, the found keys, Freivalds' identity, the
 * token lengths adding up to the text, the two CRCs) traps (`unreachable`),
 * so no engine can report a figure for a wrong result.
 *
 * The native compiler cannot vectorise any of it, by construction: every loop
 * carries a value the next iteration needs (a list walk follows next[], a dot
 * product visits k in the order of the cycle kcycle[], the matrix transform
 * threads a carry, the tokenizer its state, the CRC its register, the
 * generators their random state), and the arrays are reached through indices
 * computed at run time (even the CRC table is built from its earlier
 * entries). So native and wasm32 run the same scalar algorithm and the ratio
 * measures the translation, not SIMD (clang 14 -O2 -Rpass=loop-vectorize
 * -Rpass=slp-vectorizer reports nothing vectorised; the only SSE
 * instructions in the native build handle the float pressure). */

#define LIST_NODES 512
#define FINDS 24
#define MAT_N 24
#define TEXT_BYTES 4096
#define DOSE_HIGH 1000
#define PRESSURE_LOW_ATM 0.5f
#define SUMMARY_MAGIC 0x4d534941u /* "AISM" little-endian */
#define NIL 0xffffu               /* the end of a list */

struct summary {
        unsigned int magic;
        unsigned short status;
        unsigned short tokens;
        unsigned int list_digest;
        unsigned int list_found;
        unsigned int matrix_clipped;
        unsigned int token_digest;
        unsigned int text_crc32;
        unsigned int result_crc32; /* the text, C, the pruned list's links, then the fields above */
};
_Static_assert(sizeof(struct summary) == 32, "summary is 32 bytes");

static unsigned short next[LIST_NODES];
static unsigned int key[LIST_NODES];
static unsigned int value[LIST_NODES];
static unsigned int mat_a[MAT_N][MAT_N], mat_b[MAT_N][MAT_N], mat_c[MAT_N][MAT_N];
static unsigned char kcycle[MAT_N]; /* one cycle through 0..MAT_N-1: the order every dot product visits k in */
static unsigned char text[TEXT_BYTES];
static unsigned int crc_table[256];
static struct summary summary;

static void check(int ok) {
        if (!ok)
                __builtin_trap();
}

static unsigned int next_random(unsigned int *state) {
        unsigned int x = *state; /* xorshift32 */
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        return *state = x;
}

/* order[0..n) becomes a random permutation of 0..n-1 (inside-out Fisher-Yates). */
static void shuffle(unsigned short *order, unsigned int n, unsigned int *rng) {
        for (unsigned int i = 0; i < n; i++) {
                unsigned int j = next_random(rng) % (i + 1);
                order[i] = order[j];
                order[j] = (unsigned short)i;
        }
}

/* ---- 1. lists ---------------------------------------------------------------- */

/* Nodes linked in a random order: each node's next is the one after it in a
 * shuffled order. Returns the head. */
static unsigned int list_build(unsigned int *rng) {
        static unsigned short order[LIST_NODES];
        shuffle(order, LIST_NODES, rng);
        for (unsigned int i = 0; i < LIST_NODES; i++) {
                unsigned int node = order[i];
                next[node] = i + 1 < LIST_NODES ? order[i + 1] : NIL;
                key[node] = next_random(rng);
                value[node] = key[node] >> 7 ^ i;
        }
        return order[0];
}

static unsigned int list_sum(unsigned int head, unsigned int *length) {
        unsigned int sum = 0, count = 0;
        for (unsigned int node = head; node != NIL; node = next[node], count++)
                sum = sum * 3 + value[node]; /* order-dependent: the reversal changes it */
        *length = count;
        return sum;
}

static unsigned int list_total(unsigned int head) {
        unsigned int total = 0;
        for (unsigned int node = head; node != NIL; node = next[node])
                total += value[node];
        return total;
}

static unsigned int list_reverse(unsigned int head) {
        unsigned int previous = NIL;
        while (head != NIL) {
                unsigned int following = next[head];
                next[head] = (unsigned short)previous;
                previous = head;
                head = following;
        }
        return previous;
}

/* Returns the position of the first node holding wanted, or LIST_NODES. */
static unsigned int list_find(unsigned int head, unsigned int wanted, unsigned int *found) {
        unsigned int position = 0;
        for (unsigned int node = head; node != NIL; node = next[node], position++)
                if (key[node] == wanted) {
                        *found = node;
                        return position;
                }
        return LIST_NODES;
}

/* Unlinks every node whose value has its two low bits clear; returns the new
 * head and adds what it unlinked to *removed. */
static unsigned int list_prune(unsigned int head, unsigned int *removed) {
        unsigned int new_head = NIL, tail = NIL;
        for (unsigned int node = head; node != NIL; node = next[node]) {
                if ((value[node] & 3) == 0) {
                        *removed += value[node];
                        continue;
                }
                if (tail == NIL)
                        new_head = node;
                else
                        next[tail] = (unsigned short)node;
                tail = node;
        }
        if (tail != NIL)
                next[tail] = NIL;
        return new_head;
}

static unsigned int lists(unsigned int *rng, unsigned int *found_hash) {
        unsigned int head = list_build(rng), length, reversed_length;
        unsigned int total = list_total(head);
        unsigned int forward = list_sum(head, &length);
        head = list_reverse(head);
        unsigned int backward = list_sum(head, &reversed_length);
        check(length == LIST_NODES && reversed_length == LIST_NODES && list_total(head) == total);

        unsigned int hash = 0;
        for (unsigned int f = 0; f < FINDS; f++) {
                unsigned int target = next_random(rng) % LIST_NODES, found = NIL;
                unsigned int position = list_find(head, key[target], &found);
                check(position < LIST_NODES && key[found] == key[target]);
                hash = hash * 33 + position;
        }
        *found_hash = hash;

        unsigned int removed = 0;
        head = list_prune(head, &removed);
        check(list_total(head) + removed == total);
        return forward ^ backward * 5 ^ list_sum(head, &length) * 7;
}

/* ---- 2. matrices ---------------------------------------------------------------- */

/* sum over k of row[k] * b[k * b_stride], k in kcycle's order. */
static unsigned int dot(const unsigned int *row, const unsigned int *b, unsigned int b_stride) {
        unsigned int sum = 0, k = kcycle[0];
        for (unsigned int step = 0; step < MAT_N; step++, k = kcycle[k])
                sum += row[k] * b[k * b_stride];
        return sum;
}

static unsigned int matrices(unsigned int *rng) {
        unsigned short order[MAT_N];
        shuffle(order, MAT_N, rng);
        for (unsigned int i = 0; i < MAT_N; i++)
                kcycle[order[i]] = order[(i + 1) % MAT_N];
        for (unsigned int i = 0; i < MAT_N; i++)
                for (unsigned int j = 0; j < MAT_N; j++) {
                        mat_a[i][j] = next_random(rng) >> 20;
                        mat_b[i][j] = next_random(rng) >> 20;
                }

        for (unsigned int i = 0; i < MAT_N; i++)
                for (unsigned int j = 0; j < MAT_N; j++)
                        mat_c[i][j] = dot(mat_a[i], &mat_b[0][j], MAT_N);

        /* Freivalds: C r = A (B r) for a random r, exactly (arithmetic mod 2^32). */
        unsigned int r[MAT_N], br[MAT_N];
        for (unsigned int k = 0; k < MAT_N; k++)
                r[k] = next_random(rng);
        for (unsigned int k = 0; k < MAT_N; k++)
                br[k] = dot(mat_b[k], r, 1);
        for (unsigned int i = 0; i < MAT_N; i++)
                check(dot(mat_c[i], r, 1) == dot(mat_a[i], br, 1));

        /* The transform: a carry threads every element of a row; its low bits
         * choose how the next element is mixed in. */
        for (unsigned int i = 0; i < MAT_N; i++) {
                unsigned int carry = mat_c[i][kcycle[i]];
                for (unsigned int j = 0; j < MAT_N; j++) {
                        unsigned int v = mat_c[i][j];
                        switch (carry & 3) {
                        case 0:
                                v += carry >> 3;
                                break;
                        case 1:
                                v ^= carry << 5;
                                break;
                        case 2:
                                v = (v >> (carry >> 2 & 15)) | 1;
                                break;
                        default:
                                v -= mat_a[i][(carry >> 4) % MAT_N];
                                break;
                        }
                        mat_c[i][j] = v;
                        carry = carry * 0x9e3779b1u + v;
                }
        }

        /* CoreMark's matrix_sum rule: accumulate, and past a clip value add
         * ten and restart; otherwise count the rises. */
        unsigned int clipped = 0, running = 0, previous = 0;
        for (unsigned int i = 0; i < MAT_N; i++)
                for (unsigned int j = 0; j < MAT_N; j++) {
                        unsigned int v = mat_c[i][j] >> 16;
                        running += v;
                        if (running > 0x40000) {
                                clipped += 10;
                                running = 0;
                        } else {
                                clipped += v > previous;
                        }
                        previous = v;
                }
        return clipped;
}

/* ---- 3. the tokenizer ------------------------------------------------------------- */

enum char_class { C_BLANK, C_DIGIT, C_LETTER, C_E, C_DOT, C_SIGN, C_QUOTE, C_BACKSLASH, C_OPERATOR, C_OTHER };
enum token_kind { T_INTEGER, T_REAL, T_IDENTIFIER, T_STRING, T_OPERATOR, T_INVALID, T_KINDS };

static enum char_class classify(unsigned char c) {
        if (c == ' ' || c == '\n')
                return C_BLANK;
        if (c >= '0' && c <= '9')
                return C_DIGIT;
        if (c == 'e' || c == 'E')
                return C_E;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
                return C_LETTER;
        switch (c) {
        case '.':
                return C_DOT;
        case '+':
        case '-':
                return C_SIGN;
        case '"':
                return C_QUOTE;
        case '\\':
                return C_BACKSLASH;
        case '*':
        case '/':
        case '=':
        case '<':
        case '>':
        case ',':
        case ';':
        case '(':
        case ')':
                return C_OPERATOR;
        default:
                return C_OTHER;
        }
}

/* Writes one random token (or a blank) at text[at], cut short at the end of
 * the text, and after three tokens in four a blank; returns the new end. A
 * token without a blank runs into the next one: the tokenizer must split them. */
static unsigned int generate_token(unsigned int *rng, unsigned int at) {
        static const char letters[] = "abcdefghijklmnopqrstuvwxyzE_0123456789";
        static const char operators[] = "+-*/=<>,;()";
        static const char stray[] = "@#$%&!?";
        unsigned int choice = next_random(rng), length = 1 + (choice >> 8) % 9, n = 0;
        unsigned char token[24];
        switch (choice % 8) {
        case 0:
        case 1: /* a number: digits, sometimes a fraction, sometimes an exponent */
                while (n < length)
                        token[n++] = (unsigned char)('0' + next_random(rng) % 10);
                if (choice & 0x10000) {
                        token[n++] = '.';
                        token[n++] = (unsigned char)('0' + (choice >> 20) % 10);
                }
                if (choice & 0x20000) {
                        token[n++] = 'e';
                        if (choice & 0x40000)
                                token[n++] = '-';
                        if (choice & 0x80000) /* else a bare exponent mark: an invalid token */
                                token[n++] = (unsigned char)('1' + (choice >> 24) % 9);
                }
                break;
        case 2:
        case 3: /* an identifier */
                token[n++] = (unsigned char)letters[(choice >> 4) % 26];
                while (n < length)
                        token[n++] = (unsigned char)letters[next_random(rng) % (sizeof(letters) - 1)];
                break;
        case 4: /* a string, sometimes with an escaped quote */
                token[n++] = '"';
                if (choice & 0x100000) {
                        token[n++] = '\\';
                        token[n++] = '"';
                }
                while (n < length + 2)
                        token[n++] = (unsigned char)letters[next_random(rng) % (sizeof(letters) - 1)];
                token[n++] = '"';
                break;
        case 5: /* an operator */
                token[n++] = (unsigned char)operators[(choice >> 4) % (sizeof(operators) - 1)];
                break;
        case 6: /* a stray byte */
                token[n++] = (unsigned char)stray[(choice >> 12) % (sizeof(stray) - 1)];
                break;
        default:
                token[n++] = (choice & 0x100) ? '\n' : ' ';
                break;
        }
        if (choice >= 0x40000000u)
                token[n++] = ' ';
        for (unsigned int i = 0; i < n && at < TEXT_BYTES; i++)
                text[at++] = token[i];
        return at;
}

enum state { S_START, S_INTEGER, S_FRACTION, S_EXPONENT_MARK, S_EXPONENT_SIGN, S_EXPONENT, S_IDENTIFIER, S_STRING,
             S_STRING_ESCAPE, S_OPERATOR, S_INVALID };

struct scan {
        unsigned int counts[T_KINDS];
        unsigned int token_bytes, blank_bytes, number_hash;
};

static void emit(struct scan *scan, enum token_kind kind, unsigned int length) {
        scan->counts[kind]++;
        scan->token_bytes += length;
}

/* The state machine: one switch on the state per byte; a token ends where
 * the next byte cannot extend it. */
static void tokenize(struct scan *scan) {
        enum state state = S_START;
        unsigned int start = 0, number = 0;
        for (unsigned int i = 0; i <= TEXT_BYTES; i++) {
                enum char_class c = i < TEXT_BYTES ? classify(text[i]) : C_BLANK;
                for (;;) { /* runs again only when a token ends at byte i: then i starts the next one */
                        enum state from = state;
                        switch (state) {
                        case S_START:
                                start = i;
                                number = 0;
                                if (i == TEXT_BYTES)
                                        break;
                                switch (c) {
                                case C_BLANK:
                                        scan->blank_bytes++;
                                        break;
                                case C_DIGIT:
                                        number = text[i] - '0';
                                        state = S_INTEGER;
                                        break;
                                case C_LETTER:
                                case C_E:
                                        state = S_IDENTIFIER;
                                        break;
                                case C_QUOTE:
                                        state = S_STRING;
                                        break;
                                case C_SIGN:
                                case C_OPERATOR:
                                        state = S_OPERATOR;
                                        break;
                                default:
                                        state = S_INVALID;
                                        break;
                                }
                                break;
                        case S_INTEGER:
                                if (c == C_DIGIT)
                                        number = number * 10 + (text[i] - '0');
                                else if (c == C_DOT)
                                        state = S_FRACTION;
                                else if (c == C_E)
                                        state = S_EXPONENT_MARK;
                                else
                                        state = S_START;
                                break;
                        case S_FRACTION:
                                if (c == C_DIGIT)
                                        number = number * 10 + (text[i] - '0');
                                else if (c == C_E)
                                        state = S_EXPONENT_MARK;
                                else
                                        state = S_START;
                                break;
                        case S_EXPONENT_MARK: /* a mark or sign without digits is an invalid token */
                                state = c == C_SIGN    ? S_EXPONENT_SIGN
                                        : c == C_DIGIT ? S_EXPONENT
                                        : c == C_BLANK ? S_START
                                                       : S_INVALID;
                                break;
                        case S_EXPONENT_SIGN:
                                state = c == C_DIGIT ? S_EXPONENT : c == C_BLANK ? S_START : S_INVALID;
                                break;
                        case S_EXPONENT:
                                if (c == C_DIGIT)
                                        number ^= number << 3 ^ text[i];
                                else
                                        state = S_START;
                                break;
                        case S_IDENTIFIER:
                                if (c != C_LETTER && c != C_E && c != C_DIGIT)
                                        state = S_START;
                                break;
                        case S_STRING:
                                if (i == TEXT_BYTES)
                                        state = S_START; /* unterminated: an invalid token */
                                else if (c == C_BACKSLASH)
                                        state = S_STRING_ESCAPE;
                                else if (c == C_QUOTE) {
                                        emit(scan, T_STRING, i + 1 - start);
                                        state = S_START;
                                        from = S_START; /* the quote is the string's: nothing to rescan */
                                }
                                break;
                        case S_STRING_ESCAPE:
                                state = i == TEXT_BYTES ? S_START : S_STRING;
                                break;
                        case S_OPERATOR:
                                state = S_START;
                                break;
                        case S_INVALID:
                                if (c == C_BLANK)
                                        state = S_START;
                                break;
                        }
                        if (state != S_START || from == S_START)
                                break;
                        /* A token ended before byte i. */
                        switch (from) {
                        case S_INTEGER:
                                emit(scan, T_INTEGER, i - start);
                                scan->number_hash = scan->number_hash * 31 + number;
                                break;
                        case S_FRACTION:
                        case S_EXPONENT:
                                emit(scan, T_REAL, i - start);
                                scan->number_hash = scan->number_hash * 37 + number;
                                break;
                        case S_IDENTIFIER:
                                emit(scan, T_IDENTIFIER, i - start);
                                break;
                        case S_OPERATOR:
                                emit(scan, T_OPERATOR, i - start);
                                break;
                        default: /* an unterminated string, a bare exponent, stray bytes */
                                emit(scan, T_INVALID, i - start);
                                break;
                        }
                }
        }
}

/* Returns a digest of the numbers' values and the counts of each kind; *count
 * becomes the number of tokens. */
static unsigned int tokens(unsigned int *rng, unsigned int *count) {
        for (unsigned int at = 0; at < TEXT_BYTES;)
                at = generate_token(rng, at);
        struct scan scan = {0};
        tokenize(&scan);
        check(scan.token_bytes + scan.blank_bytes == TEXT_BYTES);
        unsigned int digest = scan.number_hash;
        *count = 0;
        for (unsigned int k = 0; k < T_KINDS; k++) {
                digest = digest * 31 + scan.counts[k];
                *count += scan.counts[k];
        }
        return digest;
}

/* ---- 4. CRC-32 ---------------------------------------------------------------------- */

static unsigned int crc32_bitwise(const unsigned char *data, unsigned int len) {
        unsigned int crc = 0xffffffffu;
        for (unsigned int i = 0; i < len; i++) {
                crc ^= data[i];
                for (int bit = 0; bit < 8; bit++)
                        crc = crc & 1 ? 0xedb88320u ^ (crc >> 1) : crc >> 1;
        }
        return crc ^ 0xffffffffu;
}

static unsigned int crc32_update(unsigned int crc, const unsigned char *data, unsigned int len) {
        crc ^= 0xffffffffu;
        for (unsigned int i = 0; i < len; i++)
                crc = crc_table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
        return crc ^ 0xffffffffu;
}

/* The table from its 8 one-bit entries: CRC-32 is linear over GF(2), so an
 * entry is the entry without its lowest set bit xor that bit's entry. Each
 * entry reads earlier ones, so the loop is not vectorised either. */
static void crc32_init(void) {
        crc_table[0] = 0;
        for (unsigned int n = 1; n < 256; n++) {
                unsigned int low = n & -n;
                if (n != low) {
                        crc_table[n] = crc_table[n ^ low] ^ crc_table[low];
                        continue;
                }
                unsigned int c = n;
                for (int bit = 0; bit < 8; bit++)
                        c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
                crc_table[n] = c;
        }
}

AETHER_EXPORT("evaluate_limits") int evaluate_limits(void) {
        float pressure = aether_read_atmospheric_pressure();
        int dose = aether_read_radiation_dosimeter();
        union {
                float f;
                unsigned int u;
        } bits = {.f = pressure};
        unsigned int rng = (bits.u ^ (unsigned int)dose * 0x85ebca6bu) | 1;

        crc32_init();
        unsigned int found_hash, token_count;
        unsigned int list_digest = lists(&rng, &found_hash);
        unsigned int clipped = matrices(&rng);
        unsigned int token_digest = tokens(&rng, &token_count);
        unsigned int text_crc = crc32_bitwise(text, TEXT_BYTES);
        check(crc32_update(0, text, TEXT_BYTES) == text_crc);

        int status = 0;
        if (pressure < PRESSURE_LOW_ATM)
                status |= AETHER_STATUS_PRESSURE_LOW;
        if (dose > DOSE_HIGH)
                status |= AETHER_STATUS_DOSE_HIGH;
        summary = (struct summary){
                .magic = SUMMARY_MAGIC,
                .status = (unsigned short)status,
                .tokens = (unsigned short)token_count,
                .list_digest = list_digest,
                .list_found = found_hash,
                .matrix_clipped = clipped,
                .token_digest = token_digest,
                .text_crc32 = text_crc,
        };
        unsigned int crc = crc32_update(text_crc, (const unsigned char *)mat_c, sizeof(mat_c));
        crc = crc32_update(crc, (const unsigned char *)next, sizeof(next));
        summary.result_crc32 = crc32_update(crc, (const unsigned char *)&summary, sizeof(summary) - sizeof(crc));
        aether_commit_telemetry_vector(&summary, sizeof(summary));
        return status;
}

/* Runs evaluate_limits n times in one call (as bench_payload.c's does);
 * returns a checksum of every status and result CRC (which covers every
 * figure of the summary), which must agree across all the builds. */
AETHER_EXPORT("bench_loop") int bench_loop(int n) {
        unsigned int checksum = 0;
        for (int i = 0; i < n; i++) {
                int status = evaluate_limits();
                checksum = checksum * 31u + summary.result_crc32 + (unsigned int)status;
        }
        return (int)checksum;
}
