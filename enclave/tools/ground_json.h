/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* ground_json.h: the JSON reader aether-verify reads harness reports with (RFC 8259 syntax, depth-bounded). */
#ifndef AETHER_GROUND_JSON_H
#define AETHER_GROUND_JSON_H

#include <stdbool.h>
#include <stddef.h>

/* Values nested in more arrays and objects than this are refused. */
#define GROUND_JSON_DEPTH_MAX 64

struct ground_json {
        const char *p, *start, *end;
};

enum ground_json_kind {
        GROUND_JSON_STRING,
        GROUND_JSON_NUMBER,
        GROUND_JSON_NULL,
        GROUND_JSON_OTHER, /* an object, an array, true or false */
};

/* A value as read: a string's raw text between its quotes (escapes not yet
 * resolved), a number's token; nothing for the other kinds. */
struct ground_json_value {
        enum ground_json_kind kind;
        const char *p;
        size_t len;
};

void ground_json_skip_space(struct ground_json *j);
bool ground_json_peek(struct ground_json *j, char c);
bool ground_json_eat(struct ground_json *j, char c);

/* Reads one value nested in `depth` containers; out may be NULL. False on
 * a syntax error (j->p is then near it) or nesting past the bound. */
bool ground_json_value(struct ground_json *j, int depth, struct ground_json_value *out);

/* Reads an object's members after its '{', through its '}'. on_member sees
 * each member's key with j before the value, and must read the value
 * (ground_json_value at depth + 1); NULL reads them all. */
typedef bool ground_json_member_fn(struct ground_json *j, const struct ground_json_value *key, int depth, void *ctx);
bool ground_json_members(struct ground_json *j, int depth, ground_json_member_fn *on_member, void *ctx);

/* A string's text with its escapes resolved, into out (room for v->len
 * bytes); returns its length. A character outside ASCII (raw, or from a \u
 * escape) becomes one 0xff byte, so it never equals an ASCII text. */
size_t ground_json_decode_string(const struct ground_json_value *v, char *out);

/* Whether v is a string whose text is exactly the ASCII text s. */
bool ground_json_string_is(const struct ground_json_value *v, const char *s);

#endif
