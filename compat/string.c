/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* string.c (freestanding compat): memcpy, memmove, memset and memcmp with x86 string instructions. */
#include <string.h>

#include <stdint.h>

/* Bulk work moves 8 bytes an iteration (rep movsq / rep stosq), the tail one:
 * an emulator such as QEMU under -icount counts every iteration. */
void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
        void *d = dst;
        size_t words = n / 8, tail = n % 8;
        __asm__ volatile("rep movsq" : "+D"(d), "+S"(src), "+c"(words) : : "memory");
        __asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(tail) : : "memory");
        return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
        if ((uintptr_t)dst - (uintptr_t)src >= n)
                return memcpy(dst, src, n); /* no overlap that a forward copy breaks */
        const uint8_t *s = (const uint8_t *)src + n - 1;
        uint8_t *d = (uint8_t *)dst + n - 1;
        __asm__ volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
        return dst;
}

void *memset(void *dst, int c, size_t n) {
        void *d = dst;
        size_t words = n / 8, tail = n % 8;
        uint64_t pattern = (uint8_t)c * 0x0101010101010101ull;
        __asm__ volatile("rep stosq" : "+D"(d), "+c"(words) : "a"(pattern) : "memory");
        __asm__ volatile("rep stosb" : "+D"(d), "+c"(tail) : "a"(pattern) : "memory");
        return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
        const uint8_t *x = a, *y = b;
        for (size_t i = 0; i < n; i++)
                if (x[i] != y[i])
                        return x[i] < y[i] ? -1 : 1;
        return 0;
}
