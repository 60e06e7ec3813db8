/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* gate.h: the one gate from the ring-3 guest into the ring-0 host: its vector, operations and register ABI. */
#ifndef AETHER_GATE_H
#define AETHER_GATE_H

#include <stdint.h>

/*
 * The guest asks the host for everything through one interrupt gate with
 * DPL 3 (ARCHITECTURE.md, "The gate"):
 *
 *   rax = operation, rdi = first argument, rsi = second argument
 *   int $0x80
 *   rax = result (operations that return)
 *
 * Every other register is preserved. Arguments are taken as unsigned 32-bit
 * values (the upper halves of rdi and rsi are ignored). The host checks each
 * one against its own ring-0 state and never reads guest memory to decide.
 * An unknown operation, or a TRAP with an unknown kind, ends the wake with the
 * `isolation` fault. EXIT and TRAP never return.
 */
#define AETHER_GATE_VECTOR 0x80

enum aether_gate_op {
        AETHER_GATE_EXIT = 0,             /* rdi = evaluate_limits' i32 result: the wake ends `ok` */
        AETHER_GATE_TRAP = 1,             /* rdi = wasm_rt_trap_t: the wake ends with that fault */
        AETHER_GATE_READ_PRESSURE = 2,    /* -> eax = the latched pressure's binary32 bits */
        AETHER_GATE_READ_DOSE = 3,        /* -> eax = the latched dose */
        AETHER_GATE_COMMIT_TELEMETRY = 4, /* rdi = ptr, rsi = len, inside linear memory, len <= 256 */
        AETHER_GATE_COMMIT_UPLINK = 5,    /* rdi = lo, rsi = hi */
        AETHER_GATE_MEMORY_GROW = 6,      /* rdi = delta pages -> eax = old pages, or 0xffffffff */
};
#define AETHER_GATE_OP_COUNT 7

/* TRAP kinds: the values of wasm2c 1.0.32's wasm_rt_trap_t, which the guest
 * passes through (guest/runtime.c asserts that they agree). Any other value,
 * 0 and 7 (exceptions, which the build rejects) included, is `isolation`. */
enum aether_gate_trap {
        AETHER_GATE_TRAP_OOB = 1,
        AETHER_GATE_TRAP_INT_OVERFLOW = 2,
        AETHER_GATE_TRAP_DIV_BY_ZERO = 3,
        AETHER_GATE_TRAP_INVALID_CONVERSION = 4,
        AETHER_GATE_TRAP_UNREACHABLE = 5,
        AETHER_GATE_TRAP_CALL_INDIRECT = 6,
        AETHER_GATE_TRAP_EXHAUSTION = 8,
};

/* AETHER_GATE_DIRECT: 1 when the guest is linked into a host process (the
 * host build: benchmarks, simulator), where the gate is a plain call into the
 * host's dispatcher; 0 in the image, where it is `int $0x80` from ring 3. */
#ifndef AETHER_GATE_DIRECT
#define AETHER_GATE_DIRECT 0
#endif

#if AETHER_GATE_DIRECT
uint64_t aether_gate_service(uint64_t op, uint64_t a, uint64_t b);
static inline uint64_t aether_gate(uint64_t op, uint64_t a, uint64_t b) {
        return aether_gate_service(op, a, b);
}
#else
static inline uint64_t aether_gate(uint64_t op, uint64_t a, uint64_t b) {
        uint64_t result;
        __asm__ volatile("int $0x80" : "=a"(result) : "a"(op), "D"(a), "S"(b) : "memory");
        return result;
}
#endif

#endif
