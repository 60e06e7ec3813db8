/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* cycle.h: one wake, host side: latched sensors, the guest run, the gate's services, the sealed proof, the scrub. */
#ifndef AETHER_CYCLE_H
#define AETHER_CYCLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fault.h"
#include "proof.h"

/* What a wake source latched: the vector and the sensor values the guest
 * will read through the aether imports. */
struct aether_wake {
        uint8_t vector;
        uint32_t pressure_bits;
        int32_t dose;
        uint64_t latched_tsc; /* when the wake's interrupt was taken (0 on the host build) */
};

/* A sealed wake: the record, its tag and the telemetry it covers. Holds guest
 * bytes (telemetry): the caller commits it, then zeroes it.
 * The first three members go into the seal: the caller sets them to this
 * boot's losses so far and the boot flags only the platform knows; a zeroed
 * result (the host build) seals none lost and the build's flags alone. */
struct aether_cycle_result {
        uint64_t dropped_wakes;   /* in: wakes dropped by a full queue this boot */
        uint64_t rejected_frames; /* in: frames the parser rejected this boot */
        uint64_t boot_flags;      /* in: AETHER_BOOT_FLAG_*, the boot's key source and Secure Boot state */
        struct aether_proof_record fields;
        uint8_t record[AETHER_PROOF_RECORD_SIZE];
        uint64_t tag;
        uint8_t telemetry[AETHER_TELEMETRY_MAX];
        uint32_t telemetry_len;
};

/* Once at boot: the memory the module declares (payload_iface.h, from the
 * build): initial_pages are present before it runs; memory.grow succeeds up
 * to min(max_pages, AETHER_CFG_MEMORY_CAP_PAGES). */
void aether_cycle_init(uint32_t initial_pages, uint32_t max_pages);

/* A wake in four steps, so that the platform can commit before it scrubs:
 *   aether_cycle_begin()  latches the sensor values;
 *   aether_cycle_guest()  runs the guest program from a fresh instance until
 *                         it leaves (EXIT, a trap, any fault);
 *   aether_cycle_seal()   builds the record (with out's losses and boot
 *                         flags, and the device ID) and tags it with the key;
 *   aether_cycle_scrub()  zeroes the linear memory the wake used and the
 *                         host's wake state. */
void aether_cycle_begin(const struct aether_wake *wake);
void aether_cycle_guest(void);
void aether_cycle_seal(uint64_t epoch, uint64_t seq, const uint8_t key[AETHER_PROOF_KEY_SIZE],
                       const uint8_t device_id[AETHER_DEVICE_ID_SIZE], struct aether_cycle_result *out);
void aether_cycle_scrub(void);

/* The gate (guest/gate.h): serves one operation from the guest, checking
 * every argument against the host's own state. Returns the result for rax;
 * EXIT, TRAP and every refused call leave the guest instead. */
uint64_t aether_gate_service(uint64_t op, uint64_t a, uint64_t b);

/* Bytes of linear memory the last wake used (its final memory.size). */
uint32_t aether_cycle_last_memory_bytes(void);

/* ---- provided by the platform (the image: usermode.c; host builds: host_guest.c) ---- */

/* Runs the guest program from its entry with a fresh instance and the first
 * `initial_pages` of linear memory present and zero; returns the fault it
 * left with through aether_platform_leave_guest (AETHER_FAULT_NONE after EXIT). */
aether_fault_t aether_platform_run_guest(uint32_t initial_pages);

/* Abandons the guest: aether_platform_run_guest returns `fault`. */
_Noreturn void aether_platform_leave_guest(aether_fault_t fault);

/* Makes linear-memory pages [old_pages, new_pages) present (64 KiB pages). */
void aether_platform_grow_memory(uint32_t old_pages, uint32_t new_pages);

/* Opens linear memory to the host for a copy the caller has checked against
 * its own memory size, and returns its base (the image: stac, and the window's
 * user address); close it right after the copy (the image: clac). */
const uint8_t *aether_platform_open_guest_memory(void);
void aether_platform_close_guest_memory(void);

/* After a wake: makes the first `bytes` of linear memory zero again and
 * absent, so the next wake starts from nothing. */
void aether_platform_zero_memory(uint32_t bytes);

#endif
