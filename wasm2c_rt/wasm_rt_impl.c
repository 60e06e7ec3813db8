/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* wasm_rt_impl.c: wasm-rt.h for the enclave: static memory, bounded tables, traps that unwind without libc. */
#include "wasm-rt.h"

#include <stdarg.h>

#include "aether_rt.h"
#include "config.h"

#if WASM_RT_MEMCHECK_SIGNAL_HANDLER
#error "the enclave has no signal handler: build generated code with WASM_RT_MEMCHECK_SIGNAL_HANDLER=0"
#endif
#if !WASM_RT_USE_STACK_DEPTH_COUNT
#error "the call-depth bound needs WASM_RT_USE_STACK_DEPTH_COUNT=1"
#endif
#if WASM_RT_MAX_CALL_STACK_DEPTH != AETHER_CFG_MAX_CALL_DEPTH
#error "WASM_RT_MAX_CALL_STACK_DEPTH must equal AETHER_CFG_MAX_CALL_DEPTH"
#endif

uint32_t wasm_rt_call_stack_depth;

static bool runtime_initialized;
static struct aether_rt_regions regions;
static aether_jmp_buf *guest_catch;

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

static aether_fault_t fault_of_trap(wasm_rt_trap_t trap) {
        /* No default: a new trap kind must be mapped before it compiles. */
        switch (trap) {
        case WASM_RT_TRAP_NONE:
                break;
        case WASM_RT_TRAP_OOB:
                return AETHER_FAULT_OOB;
        case WASM_RT_TRAP_INT_OVERFLOW:
                return AETHER_FAULT_INT_OVERFLOW;
        case WASM_RT_TRAP_DIV_BY_ZERO:
                return AETHER_FAULT_DIV_BY_ZERO;
        case WASM_RT_TRAP_INVALID_CONVERSION:
                return AETHER_FAULT_INVALID_CONVERSION;
        case WASM_RT_TRAP_UNREACHABLE:
                return AETHER_FAULT_UNREACHABLE;
        case WASM_RT_TRAP_CALL_INDIRECT:
                return AETHER_FAULT_CALL_INDIRECT;
        case WASM_RT_TRAP_UNCAUGHT_EXCEPTION:
                break; /* exceptions are rejected at build time */
        case WASM_RT_TRAP_EXHAUSTION:
                return AETHER_FAULT_EXHAUSTION;
        }
        aether_rt_panic("wasm_rt_trap with a trap kind the enclave does not admit");
}

void wasm_rt_trap(wasm_rt_trap_t trap) {
        aether_rt_abort_guest(fault_of_trap(trap));
}

const char *wasm_rt_strerror(wasm_rt_trap_t trap) {
        switch (trap) {
        case WASM_RT_TRAP_NONE:
                return "no error";
        case WASM_RT_TRAP_UNCAUGHT_EXCEPTION:
                return "uncaught exception";
        case WASM_RT_TRAP_OOB:
        case WASM_RT_TRAP_INT_OVERFLOW:
        case WASM_RT_TRAP_DIV_BY_ZERO:
        case WASM_RT_TRAP_INVALID_CONVERSION:
        case WASM_RT_TRAP_UNREACHABLE:
        case WASM_RT_TRAP_CALL_INDIRECT:
        case WASM_RT_TRAP_EXHAUSTION:
                return aether_fault_name(fault_of_trap(trap));
        }
        return "unknown trap";
}

void aether_rt_abort_guest(aether_fault_t fault) {
        if (!guest_catch)
                aether_rt_panic("guest abort outside a guarded call");
        aether_longjmp(guest_catch, (int)fault);
}

bool aether_rt_in_guest(void) {
        return guest_catch != NULL;
}

aether_fault_t aether_rt_guarded_call(void (*fn)(void *), void *arg) {
        aether_jmp_buf catch_point;
        aether_fault_t fault = (aether_fault_t)aether_setjmp(&catch_point);
        if (fault == AETHER_FAULT_NONE) {
                guest_catch = &catch_point;
                fn(arg);
        }
        guest_catch = NULL;
        wasm_rt_call_stack_depth = 0;
        return fault;
}

/* ---- function types ------------------------------------------------------- */

/* A registered signature: parameter types, then result types. */
struct func_type {
        uint8_t params, results;
        uint8_t types[16]; /* wasm_rt_type_t values */
};

static struct func_type func_types[AETHER_CFG_FUNC_TYPE_CAP];
static uint32_t func_type_count;

uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...) {
        struct func_type candidate = {.params = (uint8_t)params, .results = (uint8_t)results};
        if (params + results > sizeof(candidate.types))
                aether_rt_panic("function signature with more than 16 params and results");

        va_list args;
        va_start(args, results);
        for (uint32_t i = 0; i < params + results; i++)
                candidate.types[i] = (uint8_t)va_arg(args, int);
        va_end(args);

        for (uint32_t i = 0; i < func_type_count; i++) {
                const struct func_type *known = &func_types[i];
                if (known->params != params || known->results != results)
                        continue;
                bool same = true;
                for (uint32_t t = 0; t < params + results; t++)
                        same = same && known->types[t] == candidate.types[t];
                if (same)
                        return i;
        }
        if (func_type_count == AETHER_CFG_FUNC_TYPE_CAP)
                aether_rt_panic("more function signatures than AETHER_CFG_FUNC_TYPE_CAP");
        func_types[func_type_count] = candidate;
        return func_type_count++;
}

/* ---- linear memory -------------------------------------------------------- */

void aether_rt_set_regions(const struct aether_rt_regions *new_regions) {
        regions = *new_regions;
}

static uint32_t memory_page_limit(uint32_t max_pages) {
        uint32_t cap = (uint32_t)(regions.linear_memory_bytes / AETHER_WASM_PAGE_BYTES);
        return max_pages < cap ? max_pages : cap;
}

/* The region is all zero whenever no wake runs (the scrub restores that), so
 * a fresh instance gets zeroed memory without a memset here. */
void wasm_rt_allocate_memory(wasm_rt_memory_t *memory, uint32_t initial_pages, uint32_t max_pages) {
        if (!regions.linear_memory)
                aether_rt_panic("linear memory region not set");
        if (initial_pages > memory_page_limit(max_pages))
                wasm_rt_trap(WASM_RT_TRAP_OOB); /* build-time check makes this unreachable */
        memory->data = regions.linear_memory;
        memory->pages = initial_pages;
        memory->max_pages = max_pages;
        memory->size = initial_pages * AETHER_WASM_PAGE_BYTES;
}

uint32_t wasm_rt_grow_memory(wasm_rt_memory_t *memory, uint32_t delta) {
        uint32_t old_pages = memory->pages;
        uint64_t new_pages = (uint64_t)old_pages + delta;
        if (new_pages > memory_page_limit(memory->max_pages))
                return (uint32_t)-1;
        memory->pages = (uint32_t)new_pages;
        memory->size = (uint32_t)new_pages * AETHER_WASM_PAGE_BYTES;
        return old_pages;
}

void wasm_rt_free_memory(wasm_rt_memory_t *memory) {
        memory->data = NULL;
        memory->pages = memory->size = 0;
}

/* ---- tables --------------------------------------------------------------- */

/* One table of each kind, in the platform's storage: a module has at most one
 * funcref and one externref table in practice, and a second table of a kind
 * would share the storage, so allocating it fails. */
#define DEFINE_TABLE_OPS(kind)                                                                    \
        void wasm_rt_allocate_##kind##_table(wasm_rt_##kind##_table_t *table, uint32_t elements,  \
                                             uint32_t max_elements) {                            \
                if (elements > AETHER_CFG_TABLE_CAP || !regions.kind##_table)                     \
                        wasm_rt_trap(WASM_RT_TRAP_OOB);                                           \
                memset(regions.kind##_table, 0, elements * sizeof(wasm_rt_##kind##_t));            \
                table->data = regions.kind##_table;                                               \
                table->size = elements;                                                           \
                table->max_size = max_elements;                                                   \
        }                                                                                         \
                                                                                                  \
        void wasm_rt_free_##kind##_table(wasm_rt_##kind##_table_t *table) {                       \
                if (table->data)                                                                  \
                        memset(table->data, 0, table->size * sizeof(wasm_rt_##kind##_t));         \
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
