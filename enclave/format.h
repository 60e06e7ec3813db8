/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* format.h: a small printf subset for the log, without libc. */
#ifndef AETHER_FORMAT_H
#define AETHER_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Formats into buf (always NUL-terminated when len > 0, cut to fit) and
 * returns the length the whole text needs. Conversions: %s %c %d %u %x %%,
 * with an optional 0-padded width (%016llx) and the l / ll length modifiers
 * (%lu, %llx). Anything else is copied literally. */
size_t aether_vformat(char *buf, size_t len, const char *fmt, va_list args);
size_t aether_format(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
