/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* guest_compute.c: times a workload's bench_loop, built natively or through wasm2c and the enclave runtime. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_stats.h"
#include "hostcall.h"

/* Built three times per workload (cmake/AetherBench.cmake):
 *   AETHER_BENCH_WASM2C=0  the workload's C compiled for the host, the
 *                          imports plain C functions in this file;
 *   AETHER_BENCH_WASM2C=1  its .wasm translated by wasm2c (-n bench) and
 *                          rewritten as the image's is, on the guest runtime
 *                          (guest/) with the image's AETHER_CFG defines, one
 *                          instance, the gate a plain call, in one of the two
 *                          memory-check modes (AETHER_GUEST_GUARD_PAGES=1
 *                          guard pages: no checks; 0 bounds: every access
 *                          checked). In both, the memory is at the start of a
 *                          PROT_NONE reservation as large as the enclave's
 *                          window (USER_WINDOW_BYTES) at the fixed address
 *                          AETHER_GUEST_WINDOW, with only [0, memory.size)
 *                          read/write, so a stray access crashes the process
 *                          as it would fault in the enclave.
 * Usage: ITERATIONS REPEATS PRESSURE DOSE. One untimed warm-up batch, then
 * REPEATS batches of bench_loop(ITERATIONS); prints one JSON object with
 * the nanoseconds per evaluate_limits call of each batch and their median. */

static struct aether_wake_io io; /* the latched inputs and what the payload committed */

#if AETHER_BENCH_WASM2C

#include "aether_bench.h"
#include "bench_iface.h"
#include "config.h"
#include "gate.h"
#include "guest.h"
#include "unwind.h"

#include "host_window.h"

static uint8_t *linear_memory;

/* The guest runtime (guest/runtime.c, guest/imports.c), its gate a call to
 * the service below: the imports as the enclave's gate serves them, and any
 * trap ends the benchmark. */
static uint32_t memory_pages;
static Z_bench_instance_t instance;

uint64_t aether_gate_service(uint64_t op, uint64_t a, uint64_t b) {
        switch ((enum aether_gate_op)op) {
        case AETHER_GATE_READ_PRESSURE:
                return io.pressure_bits;
        case AETHER_GATE_READ_DOSE:
                return (uint32_t)io.dose;
        case AETHER_GATE_COMMIT_TELEMETRY:
                if (aether_hostcall_commit_telemetry(&io, linear_memory, (uint64_t)memory_pages * AETHER_WASM_PAGE_BYTES,
                                                     (uint32_t)a, (uint32_t)b) == AETHER_FAULT_NONE)
                        return 0;
                break;
        case AETHER_GATE_COMMIT_UPLINK:
                aether_hostcall_commit_uplink(&io, (uint32_t)a, (uint32_t)b);
                return 0;
        case AETHER_GATE_MEMORY_GROW:
                if ((uint32_t)a > AETHER_CFG_MEMORY_CAP_PAGES - memory_pages)
                        return UINT32_MAX;
                host_window_map(memory_pages, memory_pages + (uint32_t)a);
                memory_pages += (uint32_t)a;
                return memory_pages - (uint32_t)a;
        case AETHER_GATE_EXIT:
        case AETHER_GATE_TRAP:
                break;
        }
        fprintf(stderr, "guest left through the gate: operation %llu (%llu)\n", (unsigned long long)op,
                (unsigned long long)a);
        exit(1);
}

/* As a wake starts: the module's initial pages mapped, then the instance made. */
static void setup(void) {
        linear_memory = host_window_reserve();
        memory_pages = AETHER_PAYLOAD_MEMORY_MIN_PAGES;
        host_window_map(0, memory_pages);
        aether_guest_window = linear_memory;
        wasm_rt_init();
        Z_bench_init_module();
        Z_bench_instantiate(&instance, NULL);
}

static int32_t run_loop(int32_t iterations) {
        return (int32_t)Z_benchZ_bench_loop(&instance, (u32)iterations);
}

#define BUILD_NAME (AETHER_GUEST_GUARD_PAGES ? "wasm2c-guard" : "wasm2c-bounds")

#else

#include "aether_guest.h"

int bench_loop(int n);

float aether_read_atmospheric_pressure(void) {
        float pressure;
        memcpy(&pressure, &io.pressure_bits, sizeof(pressure));
        return pressure;
}

int aether_read_radiation_dosimeter(void) {
        return io.dose;
}

void aether_commit_telemetry_vector(const void *ptr, int len) {
        if (len < 0 || len > AETHER_TELEMETRY_MAX) {
                fprintf(stderr, "commit_telemetry_vector: bad length %d\n", len);
                exit(1);
        }
        memcpy(io.telemetry, ptr, (size_t)len);
        io.telemetry_len = (uint32_t)len;
}

void aether_commit_uplink(int lo, int hi) {
        aether_hostcall_commit_uplink(&io, (uint32_t)lo, (uint32_t)hi);
}

static void setup(void) {
}

static int32_t run_loop(int32_t iterations) {
        return bench_loop(iterations);
}

#define BUILD_NAME "native"

#endif

int main(int argc, char **argv) {
        if (argc != 5) {
                fprintf(stderr, "usage: %s ITERATIONS REPEATS PRESSURE DOSE\n", argv[0]);
                return 2;
        }
        int32_t iterations = (int32_t)bench_count_arg(argv[1], "ITERATIONS");
        size_t repeats = (size_t)bench_count_arg(argv[2], "REPEATS");
        float pressure = strtof(argv[3], NULL);
        memcpy(&io.pressure_bits, &pressure, sizeof(pressure));
        io.dose = (int32_t)strtol(argv[4], NULL, 0);

        double *ns_per_call = calloc(repeats, sizeof(*ns_per_call));
        if (!ns_per_call)
                return 1;
        setup();
        int32_t checksum = run_loop(iterations);
        for (size_t r = 0; r < repeats; r++) {
                uint64_t start = bench_now_ns();
                int32_t again = run_loop(iterations);
                ns_per_call[r] = (double)(bench_now_ns() - start) / iterations;
                if (again != checksum) {
                        fprintf(stderr, "checksum changed between batches: %d then %d\n", checksum, again);
                        return 1;
                }
        }

        printf("{\"build\": \"%s\", \"iterations\": %d, \"ns_per_call\": [", BUILD_NAME, iterations);
        for (size_t r = 0; r < repeats; r++)
                printf("%s%.1f", r ? ", " : "", ns_per_call[r]);
        printf("], \"median_ns\": %.1f, \"checksum\": %d, \"telemetry\": \"", bench_quantile(ns_per_call, repeats, 0.5),
               checksum);
        for (uint32_t i = 0; i < io.telemetry_len; i++)
                printf("%02x", io.telemetry[i]);
        printf("\"}\n");
        free(ns_per_call);
        return 0;
}
