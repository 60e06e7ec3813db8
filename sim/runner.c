/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* runner.c: the per-payload program aether-sim runs: each wake through cycle.c as enclave_main.c runs it, checked and reported. */
#define _GNU_SOURCE /* MAP_FIXED_NOREPLACE */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "config.h"
#include "cycle.h"
#include "host_platform.h"
#include "key.h"
#include "options.h"
#include "payload.h"
#include "report.h"
#include "ring.h"
#include "symbolize.h"
#include "unwind.h"
#include "window.h"

/*
 * Linked by aether-sim (sim/translate.c) with one payload's generated code,
 * guest/entry.c, enclave/cycle.c and sim/payload_glue.c, and run with the
 * options aether-sim normalized (--key, --epoch and --watchdog-us always
 * given). A wake is enclave_main.c's run_wake and scrub without the
 * hardware: aether_cycle_begin, aether_cycle_guest (the guest runs on its
 * own stack through enclave/host_platform.c, behind sim/ring.c),
 * aether_cycle_seal with the device key, then the check the harness makes
 * (the tag and the fields), the report, and aether_cycle_scrub, the stack's
 * and the result's zeroing and aether_scrub_registers.
 */

static struct aether_cycle_result result;

static double now_seconds(void) {
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The ground station's check of the sealed record, as aether-run makes it:
 * the record rules and the tag (the proof code aether-verify runs), then the
 * fields against what was sent. Returns NULL, or why not. */
static const char *check_record(const uint8_t *key, const struct sim_wake *wake, uint64_t epoch, uint64_t seq,
                                char *reason, size_t reason_len) {
        struct aether_proof_record rec;
        if (aether_proof_decode(result.record, sizeof(result.record), &rec, reason, reason_len) != AETHER_RECORD_OK)
                return reason;
        if (aether_proof_tag(key, result.record) != result.tag)
                return "bad tag";
        if (rec.vector != wake->vector || rec.pressure_bits != wake->pressure_bits || rec.dose != wake->dose)
                return "the record's sensor values are not the wake's";
        if (rec.epoch != epoch || rec.seq != seq)
                return "the record's epoch or seq is not the run's";
        if (memcmp(rec.payload_sha256, aether_sim_payload_sha256, sizeof(rec.payload_sha256)) != 0)
                return "the record's payload identity is not the payload's";
        return NULL;
}

int main(int argc, char **argv) {
        struct sim_options opts;
        char err[SIM_ERROR_MAX];
        if (sim_options_parse(argc, argv, &opts, err, sizeof(err)) != 0) {
                fprintf(stderr, SIM_PROGRAM ": %s\n", err);
                return 2;
        }
        uint8_t key[AETHER_PROOF_KEY_SIZE];
        if (!opts.key_file || !opts.watchdog_us) {
                fprintf(stderr, SIM_PROGRAM ": the runner needs --key and --watchdog-us (aether-sim gives them)\n");
                return 2;
        }
        if (sim_load_key(opts.key_file, key) != 0)
                return 2;
        /* As the image at boot: the device ID from the key, the development
         * key's flag when it is that key. */
        uint8_t device_id[AETHER_DEVICE_ID_SIZE];
        aether_derive_device_id(key, device_id);
        uint64_t boot_flags =
                memcmp(key, aether_development_key, AETHER_PROOF_KEY_SIZE) == 0 ? AETHER_BOOT_FLAG_DEVELOPMENT_KEY : 0;

        uint8_t *stack;
        size_t stack_bytes;
        /* Linear memory at the window generated code was compiled for. */
        uint8_t *window = (uint8_t *)(uintptr_t)(AETHER_GUEST_WINDOW);
        uint8_t *memory = mmap(window, AETHER_MEMORY_CAP_BYTES, PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
        if (memory != window) {
                fprintf(stderr, SIM_PROGRAM ": cannot map linear memory at %p: %s\n", (void *)window,
                        memory == MAP_FAILED ? strerror(errno) : "the address is taken");
                return 1;
        }
        if (sim_ring_init(opts.watchdog_us, &stack, &stack_bytes) != 0)
                return 1;
        aether_host_platform_init(memory, AETHER_MEMORY_CAP_BYTES, stack, stack_bytes);
        aether_cycle_init(aether_sim_memory_min_pages, aether_sim_memory_max_pages);

        struct sim_report *report =
                sim_report_begin(opts.report, opts.payload, aether_sim_payload_sha256, opts.epoch, opts.watchdog_us);
        if (!report) {
                fprintf(stderr, SIM_PROGRAM ": out of memory\n");
                return 1;
        }
        size_t unverified = 0;
        double started = now_seconds();
        for (size_t i = 0; i < opts.wake_count; i++) {
                const struct sim_wake *spec = &opts.wakes[i];
                uint64_t seq = i + 1;
                struct aether_wake wake = {.vector = spec->vector, .pressure_bits = spec->pressure_bits,
                                           .dose = spec->dose};
                struct sim_site site;
                aether_cycle_begin(&wake);
                aether_cycle_guest();
                sim_ring_end_wake(&site);
                result.boot_flags = boot_flags;
                aether_cycle_seal(opts.epoch, seq, key, device_id, &result);
                aether_cycle_scrub();

                char reason[128];
                struct sim_wake_outcome outcome = {
                        .wake = spec,
                        .result = &result,
                        .problem = check_record(key, spec, opts.epoch, seq, reason, sizeof(reason)),
                        .memory_bytes = aether_cycle_last_memory_bytes(),
                        .function = result.fields.outcome != AETHER_FAULT_NONE ? sim_wasm_function(&site) : NULL,
                };
                outcome.verified = outcome.problem == NULL;
                unverified += !outcome.verified;
                if (site.signal)
                        fprintf(stderr,
                                SIM_PROGRAM ": wake %" PRIu64 ": signal %d (address %p) in guest code at %p: "
                                            "committed as isolation, as the image commits any other CPU fault\n",
                                seq, site.signal, site.fault_address, site.pcs[0]);
                sim_report_wake(report, &outcome);

                memset(stack, 0, stack_bytes);
                memset(&result, 0, sizeof(result));
                aether_scrub_registers();
        }
        double seconds = now_seconds() - started;
        if (sim_report_end(report, seconds) != 0)
                return 1;
        printf(SIM_PROGRAM ": %zu wake%s in %.3f ms, %s%s%s\n", opts.wake_count, opts.wake_count == 1 ? "" : "s",
               seconds * 1e3,
               unverified ? "SOME PROOFS DID NOT VERIFY" : "every proof verified", opts.report ? "; report " : "",
               opts.report ? opts.report : "");
        sim_options_free(&opts);
        return unverified ? 1 : 0;
}
