/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* math.h (freestanding compat): the float functions wasm2c output calls, exact per IEEE 754. */
#ifndef AETHER_COMPAT_MATH_H
#define AETHER_COMPAT_MATH_H

/* These inline to single SSE instructions (built with -fno-math-errno). */
#define isnan(x) __builtin_isnan(x)
#define signbit(x) __builtin_signbit(x)
#define fabs(x) __builtin_fabs(x)
#define fabsf(x) __builtin_fabsf(x)
#define sqrt(x) __builtin_sqrt(x)
#define sqrtf(x) __builtin_sqrtf(x)
#define copysign(x, y) __builtin_copysign(x, y)
#define copysignf(x, y) __builtin_copysignf(x, y)

/* Rounding needs SSE4.1 to inline, which the baseline x86-64 target lacks:
 * math.c implements them with integer conversions, in the current rounding
 * mode for nearbyint. */
double ceil(double x);
float ceilf(float x);
double floor(double x);
float floorf(float x);
double trunc(double x);
float truncf(float x);
double nearbyint(double x);
float nearbyintf(float x);

#endif
