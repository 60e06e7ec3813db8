/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* runtime.c: wasm-rt.h for the ring-3 guest: linear memory in the host's window, tables, types, traps through the gate. */
#include "wasm-rt.h"

#include <stdarg.h>
#include <string.h>

#include "config.h"
#include "gate.h"
#include "guest.h"
#include "window.h"

/* The memory-check mode (ARCHITECTURE.md, "Guard pages"). Guard pages: the
 * generated code checks nothing and a stray access faults in the window.
 * Bounds: it checks every access against memory.size. Both count call depth,
 * so that a module has the same outcomes in both. */
#if AETHER_GUEST_GUARD_PAGES != WASM_RT_MEMCHECK_SIGNAL_HANDLER
#error "guard-page mode is WASM_RT_MEMCHECK_SIGNAL_HANDLER=1, bounds mode =0"
#endif
#if !WASM_RT_USE_STACK_DEPTH_COUNT || WASM_RT_MAX_CALL_STACK_DEPTH != AETHER_CFG_MAX_CALL_DEPTH
#error "generated code counts call depth against AETHER_CFG_MAX_CALL_DEPTH"
#endif
uint32_t wasm_rt_call_stack_depth;

_Static_assert(WASM_RT_TRAP_OOB == AETHER_GATE_TRAP_OOB && WASM_RT_TRAP_INT_OVERFLOW == AETHER_GATE_TRAP_INT_OVERFLOW &&
                       WASM_RT_TRAP_DIV_BY_ZERO == AETHER_GATE_TRAP_DIV_BY_ZERO &&
                       WASM_RT_TRAP_INVALID_CONVERSION == AETHER_GATE_TRAP_INVALID_CONVERSION &&
                       WASM_RT_TRAP_UNREACHABLE == AETHER_GATE_TRAP_UNREACHABLE &&
                       WASM_RT_TRAP_CALL_INDIRECT == AETHER_GATE_TRAP_CALL_INDIRECT &&
                       WASM_RT_TRAP_EXHAUSTION == AETHER_GATE_TRAP_EXHAUSTION,
               "the gate's TRAP kinds are wasm2c's");

uint8_t *aether_guest_window;

static bool runtime_initialized;

void wasm_rt_init(void) {
        runtime_initialized = true;
}

bool wasm_rt_is_initialized(void) {
        return runtime_initialized;
}

void wasm_rt_free(void) {
        runtime_initialized = false;
}

/* ---- traps ---------------------------------------------------------------- */

void wasm_rt_trap(wasm_rt_trap_t trap) {
        aether_gate(AETHER_GATE_TRAP, (uint64_t)trap, 0);
        __builtin_unreachable();
}

void aether_guest_panic(void) {
        /* A TRAP the host does not know: `isolation`. Only a broken guest
         * (or a build check that let something through) gets here. */
        aether_gate(AETHER_GATE_TRAP, WASM_RT_TRAP_NONE, 0);
        __builtin_unreachable();
}

const char *wasm_rt_strerror(wasm_rt_trap_t trap) {
        (void)trap;
        return "trap";
}

/* ---- function types ------------------------------------------------------- */

/* Registered signatures: counts, and their parameter then result types in
 * one pool, so a signature may be as long as the pool (the build rejects a
 * module whose distinct signatures need more: AETHER_CFG_FUNC_TYPE_CAP
 * types, AETHER_CFG_FUNC_TYPE_POOL type bytes). */
struct func_type {
        uint32_t params, results, first;
};

static struct func_type func_types[AETHER_CFG_FUNC_TYPE_CAP];
static uint8_t func_type_pool[AETHER_CFG_FUNC_TYPE_POOL];
static uint32_t func_type_count, func_type_pool_used;
static bool funcref_in_use, externref_in_use;

void aether_guest_runtime_reset(void) {
        wasm_rt_call_stack_depth = 0; /* a trap leaves it where it was: a host build's next wake starts at 0 */
        func_type_count = func_type_pool_used = 0;
        funcref_in_use = externref_in_use = false;
}

uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...) {
        uint32_t count = params + results;
        if (count < params || count > AETHER_CFG_FUNC_TYPE_POOL - func_type_pool_used)
                aether_guest_panic();
        uint8_t *types = &func_type_pool[func_type_pool_used];
        va_list args;
        va_start(args, results);
        for (uint32_t i = 0; i < count; i++)
                types[i] = (uint8_t)va_arg(args, int);
        va_end(args);

        for (uint32_t i = 0; i < func_type_count; i++) {
                const struct func_type *known = &func_types[i];
                if (known->params == params && known->results == results &&
                    memcmp(&func_type_pool[known->first], types, count) == 0)
                        return i;
        }
        if (func_type_count == AETHER_CFG_FUNC_TYPE_CAP)
                aether_guest_panic();
        func_types[func_type_count] = (struct func_type){params, results, func_type_pool_used};
        func_type_pool_used += count;
        return func_type_count++;
}

/* ---- linear memory -------------------------------------------------------- */

/* The host has mapped the module's initial pages at the window before the
 * guest runs; growing maps more through the gate. The host keeps its own
 * count and never trusts this structure, which the guest can write. */
void wasm_rt_allocate_memory(wasm_rt_memory_t *memory, uint32_t initial_pages, uint32_t max_pages) {
#if AETHER_GUEST_WINDOW
        /* Generated code reaches linear memory at this address, never
         * through memory->data (guest/wasm2c_rewrite.h). */
        if (aether_guest_window != (uint8_t *)(uintptr_t)(AETHER_GUEST_WINDOW))
                aether_guest_panic();
#endif
        memory->data = aether_guest_window;
        memory->pages = initial_pages;
        memory->max_pages = max_pages;
        memory->size = initial_pages * AETHER_WASM_PAGE_BYTES;
}

uint32_t wasm_rt_grow_memory(wasm_rt_memory_t *memory, uint32_t delta) {
        uint32_t old_pages = (uint32_t)aether_gate(AETHER_GATE_MEMORY_GROW, delta, 0);
        if (old_pages != (uint32_t)-1) {
                memory->pages = old_pages + delta;
                memory->size = memory->pages * AETHER_WASM_PAGE_BYTES;
        }
        return old_pages;
}

void wasm_rt_free_memory(wasm_rt_memory_t *memory) {
        memory->data = NULL;
        memory->pages = memory->size = 0;
}

/* ---- tables --------------------------------------------------------------- */

/* One table of each kind, in static guest storage. The build rejects a
 * second table of a kind; the runtime refuses one too (an `oob` trap), so
 * two tables can never share storage. */
#define DEFINE_TABLE_OPS(kind)                                                                    \
        static wasm_rt_##kind##_t kind##_storage[AETHER_CFG_TABLE_CAP];                           \
                                                                                                  \
        void wasm_rt_allocate_##kind##_table(wasm_rt_##kind##_table_t *table, uint32_t elements,  \
                                             uint32_t max_elements) {                            \
                if (elements > AETHER_CFG_TABLE_CAP || kind##_in_use)                             \
                        wasm_rt_trap(WASM_RT_TRAP_OOB);                                           \
                kind##_in_use = true;                                                             \
                memset(kind##_storage, 0, elements * sizeof(wasm_rt_##kind##_t));                 \
                table->data = kind##_storage;                                                     \
                table->size = elements;                                                           \
                table->max_size = max_elements;                                                   \
        }                                                                                         \
                                                                                                  \
        void wasm_rt_free_##kind##_table(wasm_rt_##kind##_table_t *table) {                       \
                if (table->data == kind##_storage)                                                \
                        kind##_in_use = false;                                                    \
                table->data = NULL;                                                               \
                table->size = 0;                                                                  \
        }                                                                                         \
                                                                                                  \
        uint32_t wasm_rt_grow_##kind##_table(wasm_rt_##kind##_table_t *table, uint32_t delta,     \
                                             wasm_rt_##kind##_t init) {                           \
                uint32_t old_size = table->size;                                                  \
                uint64_t new_size = (uint64_t)old_size + delta;                                   \
                uint32_t limit = table->max_size < AETHER_CFG_TABLE_CAP ? table->max_size         \
                                                                        : AETHER_CFG_TABLE_CAP;   \
                if (new_size > limit)                                                             \
                        return (uint32_t)-1;                                                      \
                for (uint32_t i = old_size; i < new_size; i++)                                    \
                        table->data[i] = init;                                                    \
                table->size = (uint32_t)new_size;                                                 \
                return old_size;                                                                  \
        }

DEFINE_TABLE_OPS(funcref)
DEFINE_TABLE_OPS(externref)
