/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* cycle.c: the host side of a wake: latched sensors, the gate's services, the sealed record, the scrub. */
#include "cycle.h"

#include <string.h>

#include "aether_embedded.h"
#include "config.h"
#include "gate.h"
#include "hostcall.h"
#include "sha256.h"

/* Ring-0 state of the wake. The guest can write none of it: the gate's
 * checks use these numbers, never anything held in guest memory. */
static struct aether_wake_io io;
static uint8_t wake_vector;
static int32_t wake_status;
static aether_fault_t wake_fault;
static uint32_t memory_pages;                   /* linear memory present now */
static uint32_t memory_initial_pages, memory_limit_pages;
static uint32_t wake_memory_bytes;

void aether_cycle_init(uint32_t initial_pages, uint32_t max_pages) {
        memory_initial_pages = initial_pages;
        memory_limit_pages = max_pages < AETHER_CFG_MEMORY_CAP_PAGES ? max_pages : AETHER_CFG_MEMORY_CAP_PAGES;
}

void aether_cycle_begin(const struct aether_wake *wake) {
        memset(&io, 0, sizeof(io));
        io.pressure_bits = wake->pressure_bits;
        io.dose = wake->dose;
        wake_vector = wake->vector;
        wake_status = 0;
}

void aether_cycle_guest(void) {
        memory_pages = memory_initial_pages;
        wake_fault = aether_platform_run_guest(memory_initial_pages);
}

/* ---- the gate --------------------------------------------------------------- */

static aether_fault_t fault_of_trap(uint64_t kind) {
        switch (kind) {
        case AETHER_GATE_TRAP_OOB:
                return AETHER_FAULT_OOB;
        case AETHER_GATE_TRAP_INT_OVERFLOW:
                return AETHER_FAULT_INT_OVERFLOW;
        case AETHER_GATE_TRAP_DIV_BY_ZERO:
                return AETHER_FAULT_DIV_BY_ZERO;
        case AETHER_GATE_TRAP_INVALID_CONVERSION:
                return AETHER_FAULT_INVALID_CONVERSION;
        case AETHER_GATE_TRAP_UNREACHABLE:
                return AETHER_FAULT_UNREACHABLE;
        case AETHER_GATE_TRAP_CALL_INDIRECT:
                return AETHER_FAULT_CALL_INDIRECT;
        case AETHER_GATE_TRAP_EXHAUSTION:
                return AETHER_FAULT_EXHAUSTION;
        }
        return AETHER_FAULT_ISOLATION; /* no trap generated code raises */
}

static uint64_t grow_memory(uint32_t delta) {
        uint32_t old_pages = memory_pages;
        if (delta > memory_limit_pages - old_pages)
                return UINT32_MAX;
        if (delta) {
                aether_platform_grow_memory(old_pages, old_pages + delta);
                memory_pages = old_pages + delta;
        }
        return old_pages;
}

uint64_t aether_gate_service(uint64_t op, uint64_t a, uint64_t b) {
        uint32_t a32 = (uint32_t)a, b32 = (uint32_t)b;
        if (op >= AETHER_GATE_OP_COUNT) /* compared whole: no upper bits may alias an operation */
                aether_platform_leave_guest(AETHER_FAULT_ISOLATION);
        switch ((enum aether_gate_op)op) {
        case AETHER_GATE_EXIT:
                wake_status = (int32_t)a32;
                aether_platform_leave_guest(AETHER_FAULT_NONE);
        case AETHER_GATE_TRAP:
                aether_platform_leave_guest(fault_of_trap(a32));
        case AETHER_GATE_READ_PRESSURE:
                return io.pressure_bits;
        case AETHER_GATE_READ_DOSE:
                return (uint32_t)io.dose;
        case AETHER_GATE_COMMIT_TELEMETRY: {
                /* Checked against memory_pages, the host's own count. */
                const uint8_t *memory = aether_platform_open_guest_memory();
                aether_fault_t fault = aether_hostcall_commit_telemetry(
                        &io, memory, (uint64_t)memory_pages * AETHER_WASM_PAGE_BYTES, a32, b32);
                aether_platform_close_guest_memory();
                if (fault != AETHER_FAULT_NONE)
                        aether_platform_leave_guest(fault);
                return 0;
        }
        case AETHER_GATE_COMMIT_UPLINK:
                aether_hostcall_commit_uplink(&io, a32, b32);
                return 0;
        case AETHER_GATE_MEMORY_GROW:
                return grow_memory(a32);
        }
        __builtin_unreachable(); /* every operation below AETHER_GATE_OP_COUNT has its case */
}

/* ---- after the guest ---------------------------------------------------------- */

void aether_cycle_seal(uint64_t epoch, uint64_t seq, const uint8_t key[AETHER_PROOF_KEY_SIZE],
                       const uint8_t device_id[AETHER_DEVICE_ID_SIZE], struct aether_cycle_result *out) {
        struct aether_proof_record *rec = &out->fields;
        *rec = (struct aether_proof_record){
                .vector = wake_vector,
                .outcome = wake_fault,
                .epoch = epoch,
                .seq = seq,
                .status = wake_fault == AETHER_FAULT_NONE ? wake_status : 0,
                .pressure_bits = io.pressure_bits,
                .dose = io.dose,
                .telemetry_len = io.telemetry_len,
                .uplink_lo = io.uplink_lo,
                .uplink_hi = io.uplink_hi,
                .dropped_wakes = out->dropped_wakes,
                .rejected_frames = out->rejected_frames,
                .boot_flags = out->boot_flags,
        };
        aether_sha256(io.telemetry, io.telemetry_len, rec->telemetry_sha256);
        memcpy(rec->payload_sha256, aether_payload_sha256, sizeof(rec->payload_sha256));
        memcpy(rec->device_id, device_id, sizeof(rec->device_id));
        aether_proof_encode(rec, out->record);
        out->tag = aether_proof_tag(key, out->record);
        memcpy(out->telemetry, io.telemetry, io.telemetry_len);
        out->telemetry_len = io.telemetry_len;
}

void aether_cycle_scrub(void) {
        wake_memory_bytes = memory_pages * AETHER_WASM_PAGE_BYTES;
        aether_platform_zero_memory(wake_memory_bytes);
        memory_pages = 0;
        memset(&io, 0, sizeof(io));
        wake_status = 0;
        wake_fault = AETHER_FAULT_NONE;
}

uint32_t aether_cycle_last_memory_bytes(void) {
        return wake_memory_bytes;
}
