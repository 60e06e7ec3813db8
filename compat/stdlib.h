/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* stdlib.h (freestanding compat): wasm-rt.h includes it; only abort exists, and it panics. */
#ifndef AETHER_COMPAT_STDLIB_H
#define AETHER_COMPAT_STDLIB_H

_Noreturn void abort(void);

#endif
