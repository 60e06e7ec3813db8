/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* fuzz_hostcall.c: libFuzzer harness for the host-call bridge: any memory size, ptr and len from the guest. */
#include "hostcall.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "require.h"

/* Input: memory size (u32 LE, cut to MAX_MEMORY), ptr (u32 LE), len (u32 LE), then
 * the memory's first bytes (the rest is 0xa5). The memory is a heap
 * block of exactly `size` bytes, so ASan catches a read one byte past it. */
#define MAX_MEMORY (1u << 14) /* well past the 256-byte telemetry limit; small blocks fuzz faster */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t le32(const uint8_t *p) {
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        if (size < 12)
                return 0;
        uint32_t memory_size = le32(data) % (MAX_MEMORY + 1);
        uint32_t ptr = le32(data + 4), len = le32(data + 8);
        /* Steer half the cases to the edges, where the bugs would be. */
        if (data[0] & 1)
                ptr = memory_size - (ptr % 300u); /* at, just before or (wrapping) past the end */
        data += 12;
        size -= 12;

        uint8_t *memory = malloc(memory_size ? memory_size : 1);
        REQUIRE(memory != NULL);
        memset(memory, 0xa5, memory_size);
        memcpy(memory, data, size < memory_size ? size : memory_size);

        struct aether_wake_io io;
        memset(&io, 0xee, sizeof(io));
        io.telemetry_len = 7;
        struct aether_wake_io before = io;

        aether_fault_t fault = aether_hostcall_commit_telemetry(&io, memory, memory_size, ptr, len);
        bool bad = len > AETHER_TELEMETRY_MAX || (uint64_t)ptr + len > memory_size;
        REQUIRE(fault == (bad ? AETHER_FAULT_HOST_CALL : AETHER_FAULT_NONE));
        if (bad) {
                /* A refused call copies nothing and changes nothing. */
                REQUIRE(memcmp(&io, &before, sizeof(io)) == 0);
        } else {
                REQUIRE(io.telemetry_len == len);
                REQUIRE(memcmp(io.telemetry, memory + ptr, len) == 0);
                REQUIRE(io.pressure_bits == before.pressure_bits && io.dose == before.dose);
                REQUIRE(io.uplink_lo == before.uplink_lo && io.uplink_hi == before.uplink_hi);
        }
        free(memory);
        return 0;
}
