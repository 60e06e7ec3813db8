/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* test_format.c: the log's printf subset against the C library's printf, and its fault names. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "fault.h"
#include "format.h"

#pragma clang diagnostic ignored "-Wformat-nonliteral"
#pragma clang diagnostic ignored "-Wformat-security"

#define SAME_AS_LIBC(...)                                                     \
        do {                                                                  \
                char ours[128], theirs[128];                                  \
                size_t n = aether_format(ours, sizeof(ours), __VA_ARGS__);    \
                int m = snprintf(theirs, sizeof(theirs), __VA_ARGS__);        \
                CHECK(n == (size_t)m && strcmp(ours, theirs) == 0);           \
        } while (0)

int main(void) {
        SAME_AS_LIBC("plain text");
        SAME_AS_LIBC("%d %d %d", 0, -1, 2147483647);
        SAME_AS_LIBC("%d", (int)-2147483647 - 1);
        SAME_AS_LIBC("%u %x %08x", 4000000000u, 0xbeefu, 0x2au);
        SAME_AS_LIBC("proof=0x%016llx", 0x6b2c4b39342e65abull);
        SAME_AS_LIBC("%llu %lu", 18446744073709551615ull, 42ul);
        SAME_AS_LIBC("%s|%c|%%|%s", "x", 'y', "");
        SAME_AS_LIBC("%4d|%04u", 7, 7u);

        /* Cut to fit, always terminated, and the full length reported. */
        char small[8];
        CHECK(aether_format(small, sizeof(small), "%s", "0123456789") == 10);
        CHECK(strcmp(small, "0123456") == 0);
        CHECK(aether_format(NULL, 0, "%d", 12345) == 5);
        /* An unknown conversion is copied as text, not consumed. */
        char text[32];
        const char *unknown = "a%qb%d"; /* not a literal: the compiler would reject %q */
        aether_format(text, sizeof(text), unknown, 5);
        CHECK(strcmp(text, "a%qb5") == 0);

        /* Every fault has a name, the names round-trip, and nothing else does. */
        for (int f = 0; f < AETHER_FAULT_COUNT; f++) {
                aether_fault_t back;
                const char *name = aether_fault_name((aether_fault_t)f);
                CHECK(name && aether_fault_from_name(name, &back) == 0 && back == (aether_fault_t)f);
        }
        aether_fault_t unused;
        CHECK(aether_fault_name((aether_fault_t)AETHER_FAULT_COUNT) == NULL);
        CHECK(aether_fault_from_name("segfault", &unused) == -1);
        CHECK(strcmp(aether_fault_name(AETHER_FAULT_WATCHDOG), "watchdog") == 0);
        return check_summary("test_format");
}
