/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* hostcall.h: what the four `aether` imports may see and do, with every guest argument bounds-checked. */
#ifndef AETHER_HOSTCALL_H
#define AETHER_HOSTCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "fault.h"
#include "proof.h"

/* The host side of one wake: the latched sensor values the guest may read,
 * and what it committed. Zeroed by the scrub. */
struct aether_wake_io {
        uint32_t pressure_bits; /* raw f32 bits latched at the wake */
        int32_t dose;
        uint8_t telemetry[AETHER_TELEMETRY_MAX];
        uint32_t telemetry_len;
        uint32_t uplink_lo, uplink_hi; /* last commit_uplink; 0 if never called */
};

/* commit_telemetry_vector(ptr, len): copies len bytes at guest address ptr.
 * ptr and len are the guest's i32 values reinterpreted as unsigned, so a
 * negative length is huge. Returns AETHER_FAULT_HOST_CALL, copying nothing,
 * when len > AETHER_TELEMETRY_MAX or ptr + len passes the memory's end.
 * A later call replaces an earlier one. */
aether_fault_t aether_hostcall_commit_telemetry(struct aether_wake_io *io, const uint8_t *memory,
                                                uint64_t memory_size, uint32_t ptr, uint32_t len);

/* commit_uplink(lo, hi): the last call in a wake wins. */
void aether_hostcall_commit_uplink(struct aether_wake_io *io, uint32_t lo, uint32_t hi);

#endif
