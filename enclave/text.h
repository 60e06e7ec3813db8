/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* text.h: string equality for NUL-terminated names, without libc. */
#ifndef AETHER_TEXT_H
#define AETHER_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when a and b hold the same characters, comparing at most max of them
 * (pass (size_t)-1 for no bound). */
static inline bool text_equal(const char *a, const char *b, size_t max) {
        for (size_t i = 0; i < max; i++) {
                if (a[i] != b[i])
                        return false;
                if (!a[i])
                        return true;
        }
        return true;
}

#endif
