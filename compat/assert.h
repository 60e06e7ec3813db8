/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* assert.h (freestanding compat): a failed assertion is a host bug and panics the enclave. */
#ifndef AETHER_COMPAT_ASSERT_H
#define AETHER_COMPAT_ASSERT_H

_Noreturn void aether_assert_failed(const char *expr, const char *file, int line);

#define assert(expr) ((expr) ? (void)0 : aether_assert_failed(#expr, __FILE__, __LINE__))

#endif
