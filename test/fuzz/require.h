/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* require.h: the invariant check the libFuzzer harnesses share: a broken invariant aborts, so the fuzzer reports it. */
#ifndef AETHER_FUZZ_REQUIRE_H
#define AETHER_FUZZ_REQUIRE_H

#include <stdio.h>
#include <stdlib.h>

#define REQUIRE(cond)                                                                              \
        do {                                                                                       \
                if (!(cond)) {                                                                     \
                        fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
                        abort();                                                                   \
                }                                                                                  \
        } while (0)

#endif
