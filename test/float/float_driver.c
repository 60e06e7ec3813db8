/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* float_driver.c: runs every case of the float-semantics payload through its wasm2c build and prints them as wasm-interp does. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aether_float.h"
#include "float_iface.h"
#include "config.h"
#include "gate.h"
#include "guest.h"
#include "host_window.h"

/* Built once per memory-check mode (cmake/AetherBench.cmake) from the payload
 * test/float/float_gen.py writes, through the image's pipeline: validation,
 * wasm2c, aether_wasm2c_rewrite.py, the guest's code-generation flags and
 * runtime, linear memory at the fixed window. Calls the exports in
 * float_cases.h's order, one line each, as `wasm-interp --run-all-exports`
 * prints them: `NAME() => i32:BITS` (unsigned decimal), or
 * `NAME() => error: MESSAGE` for a trap. test/float/float_case.py compares
 * the two. */

static jmp_buf trap_jump;
static Z_float_instance_t instance;

/* The payload imports nothing and never grows its memory: the gate only
 * ever sees a trap, which ends the case. */
uint64_t aether_gate_service(uint64_t op, uint64_t a, uint64_t b) {
        (void)b;
        if (op == AETHER_GATE_TRAP && a != 0)
                longjmp(trap_jump, (int)a);
        fprintf(stderr, "float_driver: unexpected gate operation %llu (%llu)\n", (unsigned long long)op,
                (unsigned long long)a);
        exit(1);
}

/* wasm-interp's words for the traps a float case can raise. */
static const char *trap_message(int trap) {
        switch (trap) {
        case WASM_RT_TRAP_INT_OVERFLOW:
                return "integer overflow";
        case WASM_RT_TRAP_INVALID_CONVERSION:
                return "invalid conversion to integer";
        default:
                return "unexpected trap";
        }
}

static void report_trap(const char *name, int trap) {
        printf("%s() => error: %s\n", name, trap_message(trap));
        wasm_rt_call_stack_depth = 0; /* the trap left the case's frame counted */
}

#define FLOAT_CASE(name, type)                                                              \
        {                                                                                   \
                int trap = setjmp(trap_jump);                                               \
                if (trap)                                                                   \
                        report_trap(#name, trap);                                           \
                else                                                                        \
                        printf("%s() => " #type ":%llu\n", #name,                          \
                               (unsigned long long)Z_floatZ_##name(&instance));             \
        }

int main(void) {
        aether_guest_window = host_window_reserve();
        host_window_map(0, AETHER_PAYLOAD_MEMORY_MIN_PAGES);
        wasm_rt_init();
        Z_float_init_module();
        Z_float_instantiate(&instance);
#include "float_cases.h"
        return 0;
}
