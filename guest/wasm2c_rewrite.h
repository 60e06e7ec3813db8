/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* wasm2c_rewrite.h: what rewritten wasm2c 1.0.32 output uses: linear-memory loads and stores, opaque signalling NaNs. */
#ifndef AETHER_WASM2C_REWRITE_H
#define AETHER_WASM2C_REWRITE_H

/*
 * enclave/tools/aether_wasm2c_rewrite.py puts an #include of this file where
 * wasm2c 1.0.32 defines load_data, LOAD_DATA, DEFINE_LOAD and DEFINE_STORE
 * (after the generated header's u8..f64 and wasm2c's MEMCHECK and
 * RANGE_CHECK). wasm2c's own loads end in an empty `asm` that takes the
 * loaded value in a general register, so that a load whose value is unused
 * still happens (and faults, with guard pages). That asm is volatile, so
 * clang assumes it may write any memory: it reloads the memory base from the
 * instance after every load, and every float makes a trip through a general
 * register. Here instead:
 *
 *   guard pages (WASM_RT_MEMCHECK_SIGNAL_HANDLER=1): every load is a volatile
 *     access of exactly its width, once: never removed, merged, narrowed or
 *     speculated, so an access that touches an absent page faults exactly as
 *     the wasm load traps, used or not. A volatile load only reads, so the
 *     compiler may keep everything else in registers across it;
 *   bounds checks (=0): MEMCHECK traps before any access outside
 *     [0, memory.size), so whatever clang does with the load after it
 *     (remove it unused, narrow it) cannot change an outcome: a plain load.
 *
 * Stores are wasm2c's memcpy in both modes: clang never removes a store to
 * linear memory that something later could read, and one it removes as
 * overwritten is overwritten by a store to the same bytes that faults alike.
 *
 * AETHER_GUEST_WINDOW (window.h): nonzero, linear memory always starts at that
 * address, a constant clang keeps in a register; 0, at memory->data, read
 * from the instance at each access.
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
/* Any alignment (wasm's are hints) and any type (memory is untyped bytes). */
#define AETHER_ACCESS_TYPE(t) typedef t aether_##t##_access __attribute__((aligned(1), may_alias));
AETHER_ACCESS_TYPE(u8)
AETHER_ACCESS_TYPE(s8)
AETHER_ACCESS_TYPE(u16)
AETHER_ACCESS_TYPE(s16)
AETHER_ACCESS_TYPE(u32)
AETHER_ACCESS_TYPE(s32)
AETHER_ACCESS_TYPE(u64)
AETHER_ACCESS_TYPE(f32)
AETHER_ACCESS_TYPE(f64)
#undef AETHER_ACCESS_TYPE
#define AETHER_LOAD(t, mem, addr) (*(const volatile aether_##t##_access *)(AETHER_LINEAR_MEMORY(mem) + (addr)))
#else
#define AETHER_LOAD(t, mem, addr)                                               \
        ({                                                                      \
                t loaded_;                                                      \
                wasm_rt_memcpy(&loaded_, AETHER_LINEAR_MEMORY(mem) + (addr), sizeof(t)); \
                loaded_;                                                        \
        })
#endif

#define DEFINE_LOAD(name, t1, t2, t3)                                  \
        static inline t3 name(wasm_rt_memory_t *mem, u64 addr) {       \
                MEMCHECK(mem, addr, t1);                               \
                t1 result = AETHER_LOAD(t1, mem, addr);                \
                return (t3)(t2)result;                                 \
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
