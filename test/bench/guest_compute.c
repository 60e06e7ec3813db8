/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* guest_compute.c: times bench_payload's bench_loop, built natively or through wasm2c and the enclave runtime. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_stats.h"
#include "hostcall.h"

/* Built twice (cmake/AetherBench.cmake):
 *   AETHER_BENCH_WASM2C=0  bench_payload.c compiled for the host, the imports
 *                          plain C functions in this file;
 *   AETHER_BENCH_WASM2C=1  bench_payload.wasm translated by wasm2c (-n bench),
 *                          on wasm2c_rt/ with the image's AETHER_CFG and
 *                          WASM_RT defines, one instance in a static region
 *                          of the cap size, every call inside a guarded call.
 * Usage: ITERATIONS REPEATS PRESSURE DOSE. One untimed warm-up batch, then
 * REPEATS batches of bench_loop(ITERATIONS); prints one JSON object with
 * the nanoseconds per evaluate_limits call of each batch and their median. */

static struct aether_wake_io io; /* the latched inputs and what the payload committed */

#if AETHER_BENCH_WASM2C

#include "aether_rt.h"
#include "aether_bench.h"
#include "config.h"

struct Z_aether_instance_t {
        wasm_rt_memory_t *memory;
};

static uint8_t linear_memory[AETHER_MEMORY_CAP_BYTES] __attribute__((aligned(4096)));
static wasm_rt_funcref_t funcref_table[AETHER_CFG_TABLE_CAP];
static wasm_rt_externref_t externref_table[AETHER_CFG_TABLE_CAP];
static Z_bench_instance_t instance;
static struct Z_aether_instance_t host;

float Z_aetherZ_read_atmospheric_pressure(struct Z_aether_instance_t *ctx) {
        (void)ctx;
        float pressure;
        memcpy(&pressure, &io.pressure_bits, sizeof(pressure));
        return pressure;
}

u32 Z_aetherZ_read_radiation_dosimeter(struct Z_aether_instance_t *ctx) {
        (void)ctx;
        return (u32)io.dose;
}

void Z_aetherZ_commit_telemetry_vector(struct Z_aether_instance_t *ctx, u32 ptr, u32 len) {
        aether_fault_t fault = aether_hostcall_commit_telemetry(&io, ctx->memory->data, ctx->memory->size, ptr, len);
        if (fault != AETHER_FAULT_NONE)
                aether_rt_abort_guest(fault);
}

void Z_aetherZ_commit_uplink(struct Z_aether_instance_t *ctx, u32 lo, u32 hi) {
        (void)ctx;
        aether_hostcall_commit_uplink(&io, lo, hi);
}

_Noreturn void aether_rt_panic(const char *why) {
        fprintf(stderr, "runtime panic: %s\n", why);
        abort();
}

struct loop_call {
        int32_t iterations, checksum;
};

static void instantiate(void *unused) {
        (void)unused;
        host.memory = Z_benchZ_memory(&instance);
        Z_bench_instantiate(&instance, &host);
}

static void call_loop(void *arg) {
        struct loop_call *call = arg;
        call->checksum = (int32_t)Z_benchZ_bench_loop(&instance, (u32)call->iterations);
}

static void guarded(void (*fn)(void *), void *arg) {
        aether_fault_t fault = aether_rt_guarded_call(fn, arg);
        if (fault != AETHER_FAULT_NONE) {
                fprintf(stderr, "guest fault: %s\n", aether_fault_name(fault));
                exit(1);
        }
}

static void setup(void) {
        aether_rt_set_regions(&(struct aether_rt_regions){linear_memory, sizeof(linear_memory), funcref_table,
                                                          externref_table});
        wasm_rt_init();
        Z_bench_init_module();
        guarded(instantiate, NULL);
}

static int32_t run_loop(int32_t iterations) {
        struct loop_call call = {.iterations = iterations};
        guarded(call_loop, &call);
        return call.checksum;
}

#define BUILD_NAME "wasm2c"

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
