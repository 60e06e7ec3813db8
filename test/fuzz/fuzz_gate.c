/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* fuzz_gate.c: libFuzzer harness for the gate's services: any sequence of operations and arguments from a guest. */
#include <stdint.h>
#include <string.h>

#include "gate.h"
#include "gate_platform.h"
#include "require.h"

/* Input: 17-byte calls, each an operation byte (values 0..15 as they are, so
 * most calls hit a real operation; 16..255 become 2^(b - 16 + 8) + b, large and
 * aliasing-prone) and two little-endian u64 arguments. The guest makes the
 * calls in order, then EXITs; any call may end the wake first. */
#define CALL_BYTES 17
#define INITIAL_PAGES 2u
#define MAX_PAGES 6u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *calls;
static size_t call_count, calls_made;
static uint32_t pages_seen;
static uint64_t last_op, last_a; /* the call being made when the wake ended */

static uint64_t le64(const uint8_t *p) {
        uint64_t v = 0;
        for (int i = 7; i >= 0; i--)
                v = v << 8 | p[i];
        return v;
}

static void guest(void) {
        for (calls_made = 0; calls_made < call_count; calls_made++) {
                const uint8_t *c = calls + calls_made * CALL_BYTES;
                uint64_t op = c[0] < 16 ? c[0] : (1ull << ((c[0] - 16) % 56 + 8)) + c[0];
                uint64_t a = le64(c + 1), b = le64(c + 9);
                last_op = op, last_a = a;
                uint64_t result = aether_gate_service(op, a, b);
                if (op == AETHER_GATE_MEMORY_GROW) {
                        /* -1, or the old size; either way within the limit. */
                        REQUIRE(result == UINT32_MAX || result == pages_seen);
                        if (result != UINT32_MAX)
                                pages_seen += (uint32_t)a;
                        REQUIRE(pages_seen <= MAX_PAGES && gate_platform.mapped_pages == pages_seen);
                }
                REQUIRE(op < AETHER_GATE_OP_COUNT && op != AETHER_GATE_EXIT && op != AETHER_GATE_TRAP);
                REQUIRE(gate_platform.open_windows == 0);
        }
        last_op = AETHER_GATE_EXIT, last_a = call_count;
        aether_gate_service(AETHER_GATE_EXIT, call_count, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static int initialized;
        if (!initialized) {
                aether_cycle_init(INITIAL_PAGES, MAX_PAGES);
                for (size_t i = 0; i < sizeof(gate_platform_memory); i++)
                        gate_platform_memory[i] = (uint8_t)(i * 7 + 3);
                initialized = 1;
        }
        calls = data;
        call_count = size / CALL_BYTES;
        pages_seen = INITIAL_PAGES;
        const struct aether_cycle_result *r = gate_platform_wake(guest, 0x3df5c28fu, 1250);
        const struct aether_proof_record *rec = &r->fields;

        REQUIRE(!gate_platform.returned_without_exit && gate_platform.bad_grows == 0);
        REQUIRE(gate_platform.open_windows == 0);
        REQUIRE(gate_platform.zeroed_bytes == pages_seen * AETHER_WASM_PAGE_BYTES);
        REQUIRE(aether_fault_name(rec->outcome) != NULL);
        /* ok only through EXIT (the input's or the guest's own), with its result. */
        REQUIRE(rec->outcome == AETHER_FAULT_NONE ? last_op == AETHER_GATE_EXIT && rec->status == (int32_t)last_a
                                                  : rec->status == 0);
        REQUIRE(rec->telemetry_len <= AETHER_TELEMETRY_MAX && r->telemetry_len == rec->telemetry_len);
        /* What was committed is what the memory held at the offset the guest named. */
        if (rec->telemetry_len) {
                int found = 0;
                for (size_t i = 0; i < calls_made + (rec->outcome != AETHER_FAULT_NONE) && i < call_count; i++) {
                        const uint8_t *c = calls + i * CALL_BYTES;
                        uint32_t ptr = (uint32_t)le64(c + 1), len = (uint32_t)le64(c + 9);
                        if (c[0] == AETHER_GATE_COMMIT_TELEMETRY && len == rec->telemetry_len &&
                            (uint64_t)ptr + len <= sizeof(gate_platform_memory) &&
                            memcmp(r->telemetry, gate_platform_memory + ptr, len) == 0)
                                found = 1;
                }
                REQUIRE(found);
        }
        return 0;
}
