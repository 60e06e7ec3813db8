/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* math.c (freestanding compat): ceil, floor, trunc and nearbyint for double and float. */
#include <math.h>

#include <stdint.h>

/* Above 2^52 (2^23 for float) every value is already an integer. The
 * comparisons are false for NaN, which is returned unchanged. */
#define DEFINE_ROUNDING(type, suffix, int_type, exact_limit)                  \
        type trunc##suffix(type x) {                                          \
                if (!(fabs##suffix(x) < exact_limit))                         \
                        return x;                                             \
                return copysign##suffix((type)(int_type)x, x);                \
        }                                                                     \
        type floor##suffix(type x) {                                          \
                type t = trunc##suffix(x);                                    \
                return t > x ? t - 1 : t;                                     \
        }                                                                     \
        type ceil##suffix(type x) {                                           \
                type t = trunc##suffix(x);                                    \
                return t < x ? copysign##suffix(t + 1, x) : t;                \
        }                                                                     \
        type nearbyint##suffix(type x) {                                      \
                if (!(fabs##suffix(x) < exact_limit))                         \
                        return x;                                             \
                volatile type shifted = fabs##suffix(x) + exact_limit;        \
                return copysign##suffix(shifted - exact_limit, x);            \
        }

DEFINE_ROUNDING(double, , int64_t, 0x1p52)
DEFINE_ROUNDING(float, f, int32_t, 0x1p23f)
