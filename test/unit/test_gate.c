/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* test_gate.c: the gate's services (cycle.c) against every operation and argument a hostile guest can pass. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "config.h"
#include "cycle.h"
#include "gate.h"
#include "gate_platform.h"

/* The guest is a scenario function that calls aether_gate_service as the gate
 * would (gate_platform.c). */
#define INITIAL_PAGES 2u
#define MAX_PAGES 4u
#define memory gate_platform_memory

static struct aether_cycle_result result;

static struct aether_proof_record *wake(void (*fn)(void), uint32_t pressure_bits, int32_t dose) {
        result = *gate_platform_wake(fn, pressure_bits, dose);
        CHECK(!gate_platform.returned_without_exit && gate_platform.bad_grows == 0);
        CHECK(gate_platform.open_windows == 0);
        CHECK(gate_platform.zeroed_bytes == gate_platform.mapped_pages * AETHER_WASM_PAGE_BYTES);
        return &result.fields;
}

static uint64_t gate(uint64_t op, uint64_t a, uint64_t b) {
        return aether_gate_service(op, a, b);
}

/* ---- scenarios ------------------------------------------------------------------ */

static uint64_t argument, argument2;

static void exit_with_argument(void) {
        gate(AETHER_GATE_EXIT, argument, 0);
}

static void trap_with_argument(void) {
        gate(AETHER_GATE_TRAP, argument, 0);
}

static void call_operation(void) {
        gate(argument, 0, 0);
}

static void read_sensors(void) {
        uint64_t pressure = gate(AETHER_GATE_READ_PRESSURE, 0xdead, 0xbeef);
        uint64_t dose = gate(AETHER_GATE_READ_DOSE, 0, 0);
        gate(AETHER_GATE_EXIT, (uint32_t)(pressure ^ dose), 0);
}

static void commit_telemetry(void) {
        gate(AETHER_GATE_COMMIT_UPLINK, 0x11111111, 0x22222222);
        gate(AETHER_GATE_COMMIT_UPLINK, 0xdeadbeef, 0xfeedface); /* the last call wins */
        gate(AETHER_GATE_COMMIT_TELEMETRY, argument, argument2);
        gate(AETHER_GATE_EXIT, 1, 0);
}

/* Grows by `argument` pages, twice, exiting with both results packed. */
static void grow_twice(void) {
        uint32_t first = (uint32_t)gate(AETHER_GATE_MEMORY_GROW, argument, 0);
        uint32_t second = (uint32_t)gate(AETHER_GATE_MEMORY_GROW, argument, 0);
        gate(AETHER_GATE_EXIT, (first & 0xffff) | second << 16, 0);
}

/* Grows to the limit, then commits telemetry from the last page. */
static void grow_then_commit(void) {
        CHECK(gate(AETHER_GATE_MEMORY_GROW, MAX_PAGES - INITIAL_PAGES, 0) == INITIAL_PAGES);
        gate(AETHER_GATE_COMMIT_TELEMETRY, MAX_PAGES * AETHER_WASM_PAGE_BYTES - 16, 16);
        gate(AETHER_GATE_EXIT, 2, 0);
}

int main(void) {
        aether_cycle_init(INITIAL_PAGES, MAX_PAGES);
        for (unsigned i = 0; i < sizeof(memory); i++)
                memory[i] = (uint8_t)(i * 13 + 1);
        struct aether_proof_record *rec;

        /* EXIT: ok with the i32 result; the upper half of rdi is ignored. */
        argument = 0xffffffff00000007ull;
        rec = wake(exit_with_argument, 0, 0);
        CHECK(rec->outcome == AETHER_FAULT_NONE && rec->status == 7);
        argument = 0xfffffffe;
        rec = wake(exit_with_argument, 0, 0);
        CHECK(rec->outcome == AETHER_FAULT_NONE && rec->status == -2);

        /* TRAP: each wasm2c kind maps to its fault; anything else is isolation. */
        const struct {
                uint64_t kind;
                aether_fault_t fault;
        } traps[] = {
                {1, AETHER_FAULT_OOB},
                {2, AETHER_FAULT_INT_OVERFLOW},
                {3, AETHER_FAULT_DIV_BY_ZERO},
                {4, AETHER_FAULT_INVALID_CONVERSION},
                {5, AETHER_FAULT_UNREACHABLE},
                {6, AETHER_FAULT_CALL_INDIRECT},
                {8, AETHER_FAULT_EXHAUSTION},
                {0, AETHER_FAULT_ISOLATION},
                {7, AETHER_FAULT_ISOLATION},
                {9, AETHER_FAULT_ISOLATION},
                {1000, AETHER_FAULT_ISOLATION},
                {0xffffffffu, AETHER_FAULT_ISOLATION},
                {(1ull << 32) | 5, AETHER_FAULT_UNREACHABLE}, /* upper half ignored */
        };
        for (size_t i = 0; i < sizeof(traps) / sizeof(traps[0]); i++) {
                argument = traps[i].kind;
                rec = wake(trap_with_argument, 0, 0);
                CHECK_MSG(rec->outcome == traps[i].fault && rec->status == 0, "trap kind %llu -> outcome %d",
                          (unsigned long long)traps[i].kind, rec->outcome);
        }

        /* An operation the gate does not have: isolation; rax is compared whole. */
        const uint64_t bad_ops[] = {AETHER_GATE_OP_COUNT, 99, 0xffffffffu, (1ull << 40) | AETHER_GATE_READ_DOSE,
                                    UINT64_MAX};
        for (size_t i = 0; i < sizeof(bad_ops) / sizeof(bad_ops[0]); i++) {
                argument = bad_ops[i];
                rec = wake(call_operation, 0, 0);
                CHECK_MSG(rec->outcome == AETHER_FAULT_ISOLATION, "operation 0x%llx -> outcome %d",
                          (unsigned long long)bad_ops[i], rec->outcome);
        }

        /* The latched sensor values, bit for bit. */
        rec = wake(read_sensors, 0x7fc00001u, -5);
        CHECK(rec->outcome == AETHER_FAULT_NONE && rec->status == (int32_t)(0x7fc00001u ^ (uint32_t)-5));
        CHECK(rec->pressure_bits == 0x7fc00001u && rec->dose == -5);

        /* Telemetry inside the host's own memory size, and every way out of it. */
        argument = 100, argument2 = 16;
        rec = wake(commit_telemetry, 0, 0);
        CHECK(rec->outcome == AETHER_FAULT_NONE && rec->telemetry_len == 16);
        CHECK(memcmp(result.telemetry, memory + 100, 16) == 0);
        CHECK(rec->uplink_lo == 0xdeadbeef && rec->uplink_hi == 0xfeedface);
        const uint64_t bad_telemetry[][2] = {
                {0, AETHER_TELEMETRY_MAX + 1},
                {INITIAL_PAGES * AETHER_WASM_PAGE_BYTES - 15, 16}, /* one byte past the mapped pages */
                {INITIAL_PAGES * AETHER_WASM_PAGE_BYTES, 1},
                {0xffffffffu, 2},
                {16, 0xffffffffu},
        };
        for (size_t i = 0; i < sizeof(bad_telemetry) / sizeof(bad_telemetry[0]); i++) {
                argument = bad_telemetry[i][0], argument2 = bad_telemetry[i][1];
                rec = wake(commit_telemetry, 0, 0);
                CHECK_MSG(rec->outcome == AETHER_FAULT_HOST_CALL && rec->telemetry_len == 0,
                          "telemetry ptr 0x%llx len 0x%llx -> outcome %d", (unsigned long long)argument,
                          (unsigned long long)argument2, rec->outcome);
        }

        /* memory.grow: up to the module's maximum, -1 past it, 0 pages always. */
        argument = 1;
        rec = wake(grow_twice, 0, 0);
        CHECK(rec->status == (int32_t)(INITIAL_PAGES | (INITIAL_PAGES + 1) << 16));
        argument = MAX_PAGES - INITIAL_PAGES;
        rec = wake(grow_twice, 0, 0);
        CHECK(rec->status == (int32_t)(INITIAL_PAGES | 0xffffu << 16));
        argument = 0xffffffff;
        rec = wake(grow_twice, 0, 0);
        CHECK(rec->status == (int32_t)0xffffffffu);
        argument = 0;
        rec = wake(grow_twice, 0, 0);
        CHECK(rec->status == (int32_t)(INITIAL_PAGES | INITIAL_PAGES << 16));
        /* Each wake starts from the initial pages again, and the grown ones count. */
        rec = wake(grow_then_commit, 0, 0);
        CHECK(rec->outcome == AETHER_FAULT_NONE && rec->telemetry_len == 16);
        CHECK(memcmp(result.telemetry, memory + MAX_PAGES * AETHER_WASM_PAGE_BYTES - 16, 16) == 0);
        CHECK(aether_cycle_last_memory_bytes() == MAX_PAGES * AETHER_WASM_PAGE_BYTES);

        /* A module maximum above the cap is cut to the cap. */
        aether_cycle_init(1, 0xffffffffu);
        argument = AETHER_CFG_MEMORY_CAP_PAGES;
        rec = wake(grow_twice, 0, 0);
        CHECK(rec->status == (int32_t)(0xffffu | 0xffffu << 16));
        return check_summary("test_gate");
}
