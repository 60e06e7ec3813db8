/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* cycle.c: the wake cycle around the wasm2c-generated payload, and the four aether imports. */
#include "cycle.h"

#include <string.h>

#include "aether_embedded.h"
#include "aether_payload.h"
#include "aether_rt.h"
#include "hostcall.h"
#include "sha256.h"

/* The host context wasm2c passes to every import. */
struct Z_aether_instance_t {
        struct aether_wake_io io;
        wasm_rt_memory_t *memory;
};

static Z_payload_instance_t instance;
static struct Z_aether_instance_t host;
static uint8_t wake_vector;
static int32_t wake_status;
static aether_fault_t wake_fault;
static uint32_t wake_memory_bytes;

/* ---- the aether imports (module "aether") --------------------------------- */

float Z_aetherZ_read_atmospheric_pressure(struct Z_aether_instance_t *ctx) {
        float pressure;
        memcpy(&pressure, &ctx->io.pressure_bits, sizeof(pressure));
        return pressure;
}

uint32_t Z_aetherZ_read_radiation_dosimeter(struct Z_aether_instance_t *ctx) {
        return (uint32_t)ctx->io.dose;
}

void Z_aetherZ_commit_telemetry_vector(struct Z_aether_instance_t *ctx, uint32_t ptr, uint32_t len) {
        aether_fault_t fault =
                aether_hostcall_commit_telemetry(&ctx->io, ctx->memory->data, ctx->memory->size, ptr, len);
        if (fault != AETHER_FAULT_NONE)
                aether_rt_abort_guest(fault);
}

void Z_aetherZ_commit_uplink(struct Z_aether_instance_t *ctx, uint32_t lo, uint32_t hi) {
        aether_hostcall_commit_uplink(&ctx->io, lo, hi);
}

/* ---- the cycle ---------------------------------------------------------------- */

void aether_cycle_init(const struct aether_rt_regions *regions) {
        aether_rt_set_regions(regions);
        wasm_rt_init();
        Z_payload_init_module();
}

void aether_cycle_begin(const struct aether_wake *wake) {
        memset(&host, 0, sizeof(host));
        host.io.pressure_bits = wake->pressure_bits;
        host.io.dose = wake->dose;
        wake_vector = wake->vector;
        wake_status = 0;
}

static void run_payload(void *unused) {
        (void)unused;
        /* Set before instantiation, so a trap in a data segment still
         * leaves the scrub a pointer to what was written. */
        host.memory = Z_payloadZ_memory(&instance);
        Z_payload_instantiate(&instance, &host);
        wake_status = (int32_t)Z_payloadZ_evaluate_limits(&instance);
}

void aether_cycle_guest(void *unused) {
        (void)unused;
        wake_fault = aether_rt_guarded_call(run_payload, NULL);
}

void aether_cycle_seal(uint64_t epoch, uint64_t seq, const uint8_t key[AETHER_PROOF_KEY_SIZE],
                       struct aether_cycle_result *out) {
        struct aether_proof_record *rec = &out->fields;
        *rec = (struct aether_proof_record){
                .vector = wake_vector,
                .outcome = wake_fault,
                .epoch = epoch,
                .seq = seq,
                .status = wake_fault == AETHER_FAULT_NONE ? wake_status : 0,
                .pressure_bits = host.io.pressure_bits,
                .dose = host.io.dose,
                .telemetry_len = host.io.telemetry_len,
                .uplink_lo = host.io.uplink_lo,
                .uplink_hi = host.io.uplink_hi,
        };
        aether_sha256(host.io.telemetry, host.io.telemetry_len, rec->telemetry_sha256);
        memcpy(rec->payload_sha256, aether_payload_sha256, sizeof(rec->payload_sha256));
        aether_proof_encode(rec, out->record);
        out->tag = aether_proof_tag(key, out->record);
        memcpy(out->telemetry, host.io.telemetry, host.io.telemetry_len);
        out->telemetry_len = host.io.telemetry_len;
}

void aether_cycle_scrub(void) {
        /* The memory the guest could reach is [0, memory.size); the rest of
         * the region is still zero from the last scrub. */
        wasm_rt_memory_t *memory = host.memory;
        wake_memory_bytes = memory && memory->data ? memory->size : 0;
        if (wake_memory_bytes)
                aether_platform_zero_memory(memory->data, wake_memory_bytes);
        Z_payload_free(&instance);
        memset(&instance, 0, sizeof(instance));
        memset(&host, 0, sizeof(host));
        wake_status = 0;
        wake_fault = AETHER_FAULT_NONE;
}

uint32_t aether_cycle_last_memory_bytes(void) {
        return wake_memory_bytes;
}
