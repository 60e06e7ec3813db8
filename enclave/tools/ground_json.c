/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* ground_json.c: a validating JSON reader over a whole buffer, handing out values as spans of the input. */
#include "ground_json.h"

#include <string.h>

#include "ground.h"

void ground_json_skip_space(struct ground_json *j) {
        while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
                j->p++;
}

bool ground_json_peek(struct ground_json *j, char c) {
        ground_json_skip_space(j);
        return j->p < j->end && *j->p == c;
}

bool ground_json_eat(struct ground_json *j, char c) {
        if (!ground_json_peek(j, c))
                return false;
        j->p++;
        return true;
}

static bool read_string(struct ground_json *j, struct ground_json_value *out) {
        if (!ground_json_eat(j, '"'))
                return false;
        const char *first = j->p;
        while (j->p < j->end && *j->p != '"') {
                unsigned char c = (unsigned char)*j->p++;
                if (c < 0x20)
                        return false;
                if (c != '\\')
                        continue;
                if (j->p == j->end || !strchr("\"\\/bfnrtu", *j->p) || *j->p == '\0')
                        return false;
                if (*j->p++ != 'u')
                        continue;
                for (int i = 0; i < 4; i++)
                        if (j->p == j->end || aether_hex_digit(*j->p++) < 0)
                                return false;
        }
        if (j->p == j->end)
                return false;
        *out = (struct ground_json_value){ GROUND_JSON_STRING, first, (size_t)(j->p - first) };
        j->p++;
        return true;
}

static bool read_digits(struct ground_json *j) {
        const char *first = j->p;
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
                j->p++;
        return j->p > first;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool read_number(struct ground_json *j, struct ground_json_value *out) {
        const char *first = j->p;
        if (j->p < j->end && *j->p == '-')
                j->p++;
        if (j->p < j->end && *j->p == '0')
                j->p++;
        else if (j->p == j->end || *j->p < '1' || *j->p > '9' || !read_digits(j))
                return false;
        if (j->p < j->end && *j->p == '.') {
                j->p++;
                if (!read_digits(j))
                        return false;
        }
        if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
                j->p++;
                if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
                        j->p++;
                if (!read_digits(j))
                        return false;
        }
        *out = (struct ground_json_value){ GROUND_JSON_NUMBER, first, (size_t)(j->p - first) };
        return true;
}

static bool read_literal(struct ground_json *j, const char *word) {
        size_t n = strlen(word);
        if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0)
                return false;
        j->p += n;
        return true;
}

bool ground_json_members(struct ground_json *j, int depth, ground_json_member_fn *on_member, void *ctx) {
        if (ground_json_eat(j, '}'))
                return true;
        do {
                struct ground_json_value key;
                ground_json_skip_space(j);
                if (!read_string(j, &key) || !ground_json_eat(j, ':'))
                        return false;
                if (!(on_member ? on_member(j, &key, depth, ctx) : ground_json_value(j, depth + 1, NULL)))
                        return false;
        } while (ground_json_eat(j, ','));
        return ground_json_eat(j, '}');
}

bool ground_json_value(struct ground_json *j, int depth, struct ground_json_value *out) {
        struct ground_json_value ignored;
        if (!out)
                out = &ignored;
        if (depth > GROUND_JSON_DEPTH_MAX)
                return false;
        ground_json_skip_space(j);
        if (j->p == j->end)
                return false;
        *out = (struct ground_json_value){ GROUND_JSON_OTHER, j->p, 0 };
        switch (*j->p) {
        case '{':
                j->p++;
                return ground_json_members(j, depth, NULL, NULL);
        case '[':
                j->p++;
                if (ground_json_eat(j, ']'))
                        return true;
                do {
                        if (!ground_json_value(j, depth + 1, NULL))
                                return false;
                } while (ground_json_eat(j, ','));
                return ground_json_eat(j, ']');
        case '"':
                return read_string(j, out);
        case 't':
                return read_literal(j, "true");
        case 'f':
                return read_literal(j, "false");
        case 'n':
                out->kind = GROUND_JSON_NULL;
                return read_literal(j, "null");
        default:
                return read_number(j, out);
        }
}

/* The character at v->p[*i] (an escape resolved), advancing *i past it. */
static char next_char(const struct ground_json_value *v, size_t *i) {
        char c = v->p[(*i)++];
        if (c != '\\')
                return c;
        char e = v->p[(*i)++]; /* the reader checked every escape */
        switch (e) {
        case 'b':
                return '\b';
        case 'f':
                return '\f';
        case 'n':
                return '\n';
        case 'r':
                return '\r';
        case 't':
                return '\t';
        case 'u': {
                unsigned unit = 0;
                for (int k = 0; k < 4; k++)
                        unit = unit << 4 | (unsigned)aether_hex_digit(v->p[(*i)++]);
                return unit < 0x80 ? (char)unit : (char)0xff;
        }
        default: /* '"', '\\' and '/' stand for themselves */
                return e;
        }
}

size_t ground_json_decode_string(const struct ground_json_value *v, char *out) {
        size_t n = 0;
        for (size_t i = 0; i < v->len;)
                out[n++] = next_char(v, &i);
        return n;
}

bool ground_json_string_is(const struct ground_json_value *v, const char *s) {
        if (v->kind != GROUND_JSON_STRING)
                return false;
        size_t i = 0;
        for (; i < v->len && *s; s++)
                if (next_char(v, &i) != *s)
                        return false;
        return i == v->len && *s == '\0';
}
