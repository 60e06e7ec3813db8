/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* wake_cycle.c: times whole host-built wakes of the stock payload through enclave/cycle.c, and the physical floor. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aether_guest.h"
#include "bench_stats.h"
#include "config.h"
#include "cycle.h"
#include "host_platform.h"
#include "payload_iface.h"
#include "unwind.h"

/* Usage: WAKES PRESSURE DOSE BOOT_FLAGS. Times, one by one:
 *   enclave  a wake as enclave_main.c runs it: aether_cycle_begin, the guest
 *            (guest/, bounds-checked, its gate a call: host_platform.c) on a
 *            static stack, aether_cycle_seal
 *            (SHA-256 + SipHash proof with the development key, as the
 *            stock image's key-source development, and the boot flags
 *            BOOT_FLAGS), aether_cycle_scrub
 *            (the used linear memory and the host state), the guest
 *            stack's scrub (a scan: the image uses dirty bits), the
 *            result's scrub and
 *            aether_scrub_registers. Not here: the image's interrupt entry,
 *            uplink writes and watchdog (section C measures all of it);
 *   floor    the stock payload compiled natively (stock_payload.c) plus a
 *            memset of the linear memory bytes a wake uses (its final
 *            memory.size: the module's initial pages).
 * Each after 100 untimed warm-up wakes; prints one JSON object with the median
 * and the 10th/90th percentiles, and the first wake's proof (epoch 1, seq 1),
 * which must equal the tag the booted image commits for the same wake. */

#define WARMUP_WAKES 100
#define BENCH_EPOCH 1
#define WAKE_VECTOR 0x20

static uint8_t linear_memory[AETHER_MEMORY_CAP_BYTES] __attribute__((aligned(4096)));
static uint8_t cycle_stack[AETHER_CFG_CYCLE_STACK_BYTES] __attribute__((aligned(64)));
static struct aether_cycle_result result;
static struct aether_wake wake;
static uint8_t device_id[AETHER_DEVICE_ID_SIZE]; /* the development key's */
static uint64_t boot_flags;                       /* what the booted image's records carry */

/* Seals as enclave_main.c does on a key-source development board. */
static void seal(uint64_t seq) {
        result.boot_flags = boot_flags;
        aether_cycle_seal(BENCH_EPOCH, seq, aether_development_key, device_id, &result);
}

/* The host build has no page-table dirty bits: the guest's stack is scanned
 * from the bottom for the deepest block the wake wrote (zero below that). */
static void scrub_cycle_stack(void) {
        const uint64_t *words = (const uint64_t *)cycle_stack;
        size_t block = 0, blocks = sizeof(cycle_stack) / 64;
        for (; block < blocks; block++) {
                uint64_t any = 0;
                for (unsigned i = 0; i < 8; i++)
                        any |= words[block * 8 + i];
                if (any)
                        break;
        }
        memset(cycle_stack + block * 64, 0, sizeof(cycle_stack) - block * 64);
}

static void enclave_wake(uint64_t seq) {
        aether_cycle_begin(&wake);
        aether_cycle_guest();
        seal(seq);
        aether_cycle_scrub();
        scrub_cycle_stack();
        memset(&result, 0, sizeof(result));
        aether_scrub_registers();
}

/* ---- the floor: the stock payload's logic natively, and the memset ---------- */

int evaluate_limits(void); /* payload/stock_payload.c, host build */

static uint8_t floor_telemetry[AETHER_TELEMETRY_MAX];
static uint32_t floor_memory_bytes;

float aether_read_atmospheric_pressure(void) {
        float pressure;
        memcpy(&pressure, &wake.pressure_bits, sizeof(pressure));
        return pressure;
}

int aether_read_radiation_dosimeter(void) {
        return wake.dose;
}

void aether_commit_telemetry_vector(const void *ptr, int len) {
        memcpy(floor_telemetry, ptr, len < 0 || len > AETHER_TELEMETRY_MAX ? 0 : (size_t)len);
}

void aether_commit_uplink(int lo, int hi) {
        (void)lo;
        (void)hi;
}

static int floor_wake(void) {
        int status = evaluate_limits();
        memset(linear_memory, 0, floor_memory_bytes);
        __asm__ volatile("" : : "r"(linear_memory) : "memory"); /* the memset is not dead */
        return status;
}

/* ---- the runs ---------------------------------------------------------------- */

struct summary {
        double median, p10, p90;
};

static struct summary summarise(double *samples, size_t count) {
        struct summary s;
        s.p10 = bench_quantile(samples, count, 0.1);
        s.median = bench_quantile(samples, count, 0.5);
        s.p90 = bench_quantile(samples, count, 0.9);
        return s;
}

int main(int argc, char **argv) {
        if (argc != 5) {
                fprintf(stderr, "usage: %s WAKES PRESSURE DOSE BOOT_FLAGS\n", argv[0]);
                return 2;
        }
        boot_flags = strtoull(argv[4], NULL, 0);
        size_t wakes = (size_t)bench_count_arg(argv[1], "WAKES");
        float pressure = strtof(argv[2], NULL);
        wake = (struct aether_wake){.vector = WAKE_VECTOR, .dose = (int32_t)strtol(argv[3], NULL, 0)};
        memcpy(&wake.pressure_bits, &pressure, sizeof(pressure));
        double *samples = calloc(wakes, sizeof(*samples));
        if (!samples)
                return 1;

        aether_host_platform_init(linear_memory, sizeof(linear_memory), cycle_stack, sizeof(cycle_stack));
        aether_cycle_init(AETHER_PAYLOAD_MEMORY_MIN_PAGES, AETHER_PAYLOAD_MEMORY_MAX_PAGES);
        aether_derive_device_id(aether_development_key, device_id);
        aether_cycle_begin(&wake);
        aether_cycle_guest();
        seal(1);
        aether_cycle_scrub();
        scrub_cycle_stack();
        struct aether_cycle_result first = result;
        memset(&result, 0, sizeof(result));
        floor_memory_bytes = aether_cycle_last_memory_bytes();

        uint64_t seq = 2;
        for (size_t i = 0; i < WARMUP_WAKES; i++)
                enclave_wake(seq++);
        for (size_t i = 0; i < wakes; i++) {
                uint64_t start = bench_now_ns();
                enclave_wake(seq++);
                samples[i] = (double)(bench_now_ns() - start);
        }
        struct summary enclave = summarise(samples, wakes);

        int floor_status = 0;
        for (size_t i = 0; i < WARMUP_WAKES; i++)
                floor_status = floor_wake();
        for (size_t i = 0; i < wakes; i++) {
                uint64_t start = bench_now_ns();
                floor_status = floor_wake();
                samples[i] = (double)(bench_now_ns() - start);
        }
        struct summary floor = summarise(samples, wakes);
        free(samples);

        if (first.fields.outcome != AETHER_FAULT_NONE || first.fields.status != floor_status ||
            first.telemetry_len == 0 || memcmp(first.telemetry, floor_telemetry, first.telemetry_len) != 0) {
                fprintf(stderr, "the enclave wake (outcome %s, status %d) and the native payload (status %d) "
                                "disagree\n",
                        aether_fault_name(first.fields.outcome), (int)first.fields.status, floor_status);
                return 1;
        }
        printf("{\"wakes\": %zu, \"enclave_ns\": {\"median\": %.1f, \"p10\": %.1f, \"p90\": %.1f}, "
               "\"floor_ns\": {\"median\": %.1f, \"p10\": %.1f, \"p90\": %.1f}, \"memory_bytes\": %u, "
               "\"status\": %d, \"outcome\": \"%s\", \"first_proof\": \"0x%016llx\"}\n",
               wakes, enclave.median, enclave.p10, enclave.p90, floor.median, floor.p10, floor.p90,
               floor_memory_bytes, (int)first.fields.status, aether_fault_name(first.fields.outcome),
               (unsigned long long)first.tag);
        return 0;
}
