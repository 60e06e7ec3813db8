/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* aether_rt.h: the contract between the enclave host and its freestanding wasm2c runtime. */
#ifndef AETHER_RT_H
#define AETHER_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fault.h"
#include "wasm-rt.h"

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

/* Zeroes the caller-saved general registers and xmm0-xmm15 (unwind.S). */
void aether_scrub_registers(void);

/* The static storage the runtime hands to a module: zero on entry, and never
 * memory outside it. The platform owns it (the image: the enclave arena). */
struct aether_rt_regions {
        uint8_t *linear_memory;                /* linear_memory_bytes long */
        size_t linear_memory_bytes;
        wasm_rt_funcref_t *funcref_table;      /* AETHER_CFG_TABLE_CAP entries */
        wasm_rt_externref_t *externref_table;  /* AETHER_CFG_TABLE_CAP entries */
};

void aether_rt_set_regions(const struct aether_rt_regions *regions);

/* Runs fn(arg), which calls into generated code, and catches every wasm trap
 * and every aether_rt_abort_guest(). Returns AETHER_FAULT_NONE or the fault.
 * The call-depth counter is reset on the way out. */
aether_fault_t aether_rt_guarded_call(void (*fn)(void *), void *arg);

/* True while aether_rt_guarded_call is running guest code. */
bool aether_rt_in_guest(void);

/* Abandons the guest: control returns from aether_rt_guarded_call with
 * `fault`. Callable from host imports and interrupt handlers. */
_Noreturn void aether_rt_abort_guest(aether_fault_t fault);

/* Called when the runtime itself is misused (a trap outside a guarded call,
 * a bad configuration). Provided by the embedder; never returns. */
_Noreturn void aether_rt_panic(const char *why);

#endif
