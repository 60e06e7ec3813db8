/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* format.c: the log's printf subset: %s %c %d %u %x with width and l/ll. */
#include "format.h"

#include <stdbool.h>
#include <stdint.h>

struct sink {
        char *buf;
        size_t len, needed;
};

static void put(struct sink *s, char c) {
        if (s->needed + 1 < s->len)
                s->buf[s->needed] = c;
        s->needed++;
}

static void put_unsigned(struct sink *s, uint64_t value, unsigned base, unsigned width, char pad) {
        char digits[24];
        unsigned n = 0;
        do {
                digits[n++] = "0123456789abcdef"[value % base];
                value /= base;
        } while (value);
        while (width > n) {
                put(s, pad);
                width--;
        }
        while (n)
                put(s, digits[--n]);
}

size_t aether_vformat(char *buf, size_t len, const char *fmt, va_list args) {
        struct sink s = {buf, len, 0};
        for (const char *p = fmt; *p; p++) {
                if (*p != '%') {
                        put(&s, *p);
                        continue;
                }
                const char *start = p++;
                char pad = ' ';
                unsigned width = 0, longs = 0;
                if (*p == '0')
                        pad = '0';
                while (*p >= '0' && *p <= '9')
                        width = width * 10 + (unsigned)(*p++ - '0');
                while (*p == 'l') {
                        longs++;
                        p++;
                }
                bool is_signed = *p == 'd';
                uint64_t value = 0;
                switch (*p) {
                case 'd':
                case 'u':
                case 'x':
                        if (longs == 0)
                                value = is_signed ? (uint64_t)(int64_t)va_arg(args, int) : va_arg(args, unsigned);
                        else
                                value = is_signed ? (uint64_t)va_arg(args, long long) : va_arg(args, unsigned long long);
                        if (is_signed && (int64_t)value < 0) {
                                put(&s, '-');
                                value = -value;
                        }
                        put_unsigned(&s, value, *p == 'x' ? 16 : 10, width, pad);
                        break;
                case 's':
                        for (const char *str = va_arg(args, const char *); str && *str; str++)
                                put(&s, *str);
                        break;
                case 'c':
                        put(&s, (char)va_arg(args, int));
                        break;
                case '%':
                        put(&s, '%');
                        break;
                default: /* not a conversion we know: copy it as text */
                        for (; start <= p && *start; start++)
                                put(&s, *start);
                        if (!*p)
                                p--;
                        break;
                }
        }
        if (len)
                buf[s.needed < len ? s.needed : len - 1] = '\0';
        return s.needed;
}

size_t aether_format(char *buf, size_t len, const char *fmt, ...) {
        va_list args;
        va_start(args, fmt);
        size_t needed = aether_vformat(buf, len, fmt, args);
        va_end(args);
        return needed;
}
