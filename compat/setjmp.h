/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* setjmp.h (freestanding compat): wasm-rt.h names jmp_buf; the enclave unwinds with aether_setjmp instead. */
#ifndef AETHER_COMPAT_SETJMP_H
#define AETHER_COMPAT_SETJMP_H

typedef unsigned long jmp_buf[8];

#endif
