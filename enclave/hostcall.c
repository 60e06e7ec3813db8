/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* hostcall.c: bounds checks for guest pointers and lengths, before any host read. */
#include "hostcall.h"

#include <string.h>

aether_fault_t aether_hostcall_commit_telemetry(struct aether_wake_io *io, const uint8_t *memory,
                                                uint64_t memory_size, uint32_t ptr, uint32_t len) {
        if (len > AETHER_TELEMETRY_MAX || (uint64_t)ptr + len > memory_size)
                return AETHER_FAULT_HOST_CALL;
        memcpy(io->telemetry, memory + ptr, len);
        io->telemetry_len = len;
        return AETHER_FAULT_NONE;
}

void aether_hostcall_commit_uplink(struct aether_wake_io *io, uint32_t lo, uint32_t hi) {
        io->uplink_lo = lo;
        io->uplink_hi = hi;
}
