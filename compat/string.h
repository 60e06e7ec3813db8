/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* string.h (freestanding compat): only the memory functions generated code and the enclave use. */
#ifndef AETHER_COMPAT_STRING_H
#define AETHER_COMPAT_STRING_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
