/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* wasm2c_rewrite.h: what rewritten wasm2c 1.0.32 output uses: linear-memory loads and stores, opaque signalling NaNs. */
#ifndef AETHER_WASM2C_REWRITE_H
#define AETHER_WASM2C_REWRITE_H

/*
 * enclave/tools/aether_wasm2c_rewrite.py puts an #include of this file where
 * wasm2c 1.0.32 defines load_data, LOAD_DATA, DEFINE_LOAD and DEFINE_STORE
 * (after the generated header's u8..f64 and wasm2c's MEMCHECK and
 * RANGE_CHECK). wasm2c ends every load with an empty volatile `asm` that takes
 * the loaded value in a general register, so that a load whose value is
 * unused still happens, whole (with guard pages that is what makes it fault).
 * clang takes that asm to write any memory, so it reloads the memory base
 * from the instance after every load, and every float makes a trip through a
 * general register. Here instead:
 *
 *   the memory base is the constant AETHER_GUEST_WINDOW where the build fixes
 *     one (window.h: the image, both modes), which nothing can clobber;
 *   guard pages (WASM_RT_MEMCHECK_SIGNAL_HANDLER=1):
 *     an integer load keeps wasm2c's asm: without it clang may drop a load
 *       whose value is unused or narrow one whose high bytes are, and so miss
 *       a fault. (A volatile load would do too, and saves 3% of the integer
 *       workload's instructions, but clang then folds loads into the
 *       arithmetic and computes it before a call, so frames thin out: the
 *       hostile exhaustion_guard payload no longer reaches its guard.)
 *     a float load is one volatile access of exactly its width, once, into
 *       its SSE register: never removed, merged, narrowed or speculated;
 *   bounds checks (=0): MEMCHECK traps before any access outside
 *     [0, memory.size), so whatever clang does with the load after it
 *     (remove it unused, narrow it) cannot change an outcome: a plain load.
 *
 * Stores are wasm2c's memcpy in both modes: clang never removes a store to
 * linear memory that something later could read, and one it removes as
 * overwritten is overwritten by a store to the same bytes that faults alike.
 *
 * AETHER_GUEST_WINDOW 0 (the benchmark's wake cycle): memory->data, read from
 * the instance at each access.
 */

#include "window.h"

#if WABT_BIG_ENDIAN
#error "the enclave is x86-64: little-endian"
#endif

#if AETHER_GUEST_WINDOW
#define AETHER_LINEAR_MEMORY(mem) ((u8 *)(uintptr_t)(AETHER_GUEST_WINDOW))
#else
#define AETHER_LINEAR_MEMORY(mem) ((mem)->data)
#endif

#if WASM_RT_MEMCHECK_SIGNAL_HANDLER
/* An integer: loaded, then passed whole to an empty volatile asm in a general
 * register, as wasm2c does. */
#define AETHER_DEFINE_ACCESS_INT(t)                                                    \
        static inline t aether_load_##t(const u8 *from) {                              \
                t value;                                                               \
                wasm_rt_memcpy(&value, from, sizeof(t));                               \
                __asm__("" ::"r"(value));                                              \
                return value;                                                          \
        }
/* A float: one volatile access of its width, straight into its SSE register. */
typedef f32 aether_f32_access __attribute__((aligned(1), may_alias));
typedef f64 aether_f64_access __attribute__((aligned(1), may_alias));
#define AETHER_DEFINE_ACCESS_FLOAT(t)                                                  \
        static inline t aether_load_##t(const u8 *from) {                              \
                return *(const volatile aether_##t##_access *)from;                    \
        }
#else
/* Bounds checks: a plain load. */
#define AETHER_DEFINE_ACCESS_INT(t)                                                    \
        static inline t aether_load_##t(const u8 *from) {                              \
                t value;                                                               \
                wasm_rt_memcpy(&value, from, sizeof(t));                               \
                return value;                                                          \
        }
#define AETHER_DEFINE_ACCESS_FLOAT AETHER_DEFINE_ACCESS_INT
#endif
AETHER_DEFINE_ACCESS_INT(u8)
AETHER_DEFINE_ACCESS_INT(s8)
AETHER_DEFINE_ACCESS_INT(u16)
AETHER_DEFINE_ACCESS_INT(s16)
AETHER_DEFINE_ACCESS_INT(u32)
AETHER_DEFINE_ACCESS_INT(s32)
AETHER_DEFINE_ACCESS_INT(u64)
AETHER_DEFINE_ACCESS_FLOAT(f32)
AETHER_DEFINE_ACCESS_FLOAT(f64)
#undef AETHER_DEFINE_ACCESS_INT
#undef AETHER_DEFINE_ACCESS_FLOAT

#define DEFINE_LOAD(name, t1, t2, t3)                                           \
        static inline t3 name(wasm_rt_memory_t *mem, u64 addr) {                \
                MEMCHECK(mem, addr, t1);                                        \
                t1 result = aether_load_##t1(AETHER_LINEAR_MEMORY(mem) + addr); \
                return (t3)(t2)result;                                          \
        }

#define DEFINE_STORE(name, t1, t2)                                                        \
        static inline void name(wasm_rt_memory_t *mem, u64 addr, t2 value) {              \
                MEMCHECK(mem, addr, t1);                                                  \
                t1 wrapped = (t1)value;                                                   \
                wasm_rt_memcpy(AETHER_LINEAR_MEMORY(mem) + addr, &wrapped, sizeof(t1));   \
        }

/* A signalling NaN constant, which the rewrite passes through here: clang 14
 * to 16 fold arithmetic on one to a signalling NaN, where wasm (and the
 * CPU) return it quieted. The empty asm hides the value from the folder; it
 * is not volatile, so it costs nothing where the result goes unused. */
static inline u32 aether_opaque_u32(u32 bits) {
        __asm__("" : "+r"(bits));
        return bits;
}
static inline u64 aether_opaque_u64(u64 bits) {
        __asm__("" : "+r"(bits));
        return bits;
}

/* Data segments at instantiation and memory.init, as wasm2c does them. */
static inline void load_data(void *dest, const void *src, size_t n) {
        memcpy(dest, src, n);
}
#define LOAD_DATA(m, o, i, s)                        \
        do {                                         \
                RANGE_CHECK((&m), o, s);             \
                load_data(&(m.data[o]), i, s);       \
        } while (0)

#endif
