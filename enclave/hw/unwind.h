/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* unwind.h: setjmp/longjmp, a call on another stack, and the stack and register scrubs, without libc. */
#ifndef AETHER_UNWIND_H
#define AETHER_UNWIND_H

#include <stdint.h>

/* Callee-saved state of x86-64 SysV, enough to resume a caller. */
typedef struct aether_jmp_buf {
        uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
} aether_jmp_buf;

/* setjmp/longjmp without libc (unwind.S). aether_longjmp's value is never 0. */
int aether_setjmp(aether_jmp_buf *buf) __attribute__((returns_twice));
_Noreturn void aether_longjmp(aether_jmp_buf *buf, int value);

/* Calls fn(arg) with the stack pointer set to stack_top (16-byte aligned,
 * grows down), then restores the caller's stack (unwind.S). */
void aether_call_on_stack(void (*fn)(void *), void *arg, void *stack_top);

/* Zeroes the dead stack from lowest (8-byte aligned) up to the caller's stack
 * pointer, leaving the return address and everything above it (unwind.S). */
void aether_zero_stack_below(void *lowest);

/* Zeroes the caller-saved general registers, and loads a clean x87/SSE state
 * (fxrstor: every x87, MMX and XMM register zero, MXCSR 0x1f80, FCW 0x37f):
 * nothing the guest left in a register survives, rounding mode included. */
void aether_scrub_registers(void);

#endif
