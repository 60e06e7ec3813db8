/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* cycle.h: one wake of the payload: fresh instance, evaluate_limits, sealed proof, scrubbed guest state. */
#ifndef AETHER_CYCLE_H
#define AETHER_CYCLE_H

#include <stddef.h>
#include <stdint.h>

#include "aether_rt.h"
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
 * bytes (telemetry): the caller commits it, then zeroes it. */
struct aether_cycle_result {
        struct aether_proof_record fields;
        uint8_t record[AETHER_PROOF_RECORD_SIZE];
        uint64_t tag;
        uint8_t telemetry[AETHER_TELEMETRY_MAX];
        uint32_t telemetry_len;
};

/* Once at boot: the runtime, the module's types, and the static storage for
 * linear memory and tables (zero, never touched outside a wake). */
void aether_cycle_init(const struct aether_rt_regions *regions);

/* A wake in four steps, so that the platform can run the guest on the cycle
 * stack under the watchdog and commit before it scrubs:
 *   aether_cycle_begin()  latches the sensor values;
 *   aether_cycle_guest()  instantiates afresh and calls evaluate_limits,
 *                         catching every trap and guest abort;
 *   aether_cycle_seal()   builds the record and tags it with the key;
 *   aether_cycle_scrub()  zeroes the linear memory the wake used, the
 *                         instance and the host-call state. */
void aether_cycle_begin(const struct aether_wake *wake);
void aether_cycle_guest(void *unused);
void aether_cycle_seal(uint64_t epoch, uint64_t seq, const uint8_t key[AETHER_PROOF_KEY_SIZE],
                       struct aether_cycle_result *out);
void aether_cycle_scrub(void);

/* Provided by the platform: makes [base, base + bytes) of linear memory all
 * zero again after a wake wrote into it. The image zeroes only the pages the
 * wake dirtied (page-table dirty bits); a host build has no such bits and
 * zeroes the whole range. */
void aether_platform_zero_memory(uint8_t *base, size_t bytes);

/* Bytes of linear memory the last wake used (its final memory.size). */
uint32_t aether_cycle_last_memory_bytes(void);

#endif
