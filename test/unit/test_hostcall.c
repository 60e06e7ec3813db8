/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* test_hostcall.c: the bounds of commit_telemetry_vector and commit_uplink, at and around every edge. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hostcall.h"

#define MEMORY_BYTES 65536u

static uint8_t memory[MEMORY_BYTES];

static aether_fault_t commit(struct aether_wake_io *io, uint32_t ptr, uint32_t len) {
        return aether_hostcall_commit_telemetry(io, memory, MEMORY_BYTES, ptr, len);
}

int main(void) {
        for (unsigned i = 0; i < MEMORY_BYTES; i++)
                memory[i] = (uint8_t)(i * 7 + 3);
        struct aether_wake_io io;
        memset(&io, 0, sizeof(io));

        /* In bounds: copied, length recorded. */
        CHECK(commit(&io, 100, 16) == AETHER_FAULT_NONE);
        CHECK(io.telemetry_len == 16 && memcmp(io.telemetry, memory + 100, 16) == 0);
        /* The maximum length, ending exactly at the end of memory. */
        CHECK(commit(&io, MEMORY_BYTES - AETHER_TELEMETRY_MAX, AETHER_TELEMETRY_MAX) == AETHER_FAULT_NONE);
        CHECK(io.telemetry_len == AETHER_TELEMETRY_MAX);
        /* Zero length anywhere up to the end, even at the end itself. */
        CHECK(commit(&io, MEMORY_BYTES, 0) == AETHER_FAULT_NONE && io.telemetry_len == 0);

        /* Each rejection copies nothing and leaves the last good commit. */
        CHECK(commit(&io, 0, 8) == AETHER_FAULT_NONE);
        const uint32_t bad[][2] = {
                {0, AETHER_TELEMETRY_MAX + 1},        /* over the telemetry maximum */
                {MEMORY_BYTES - 15, 16},              /* one byte past the end */
                {MEMORY_BYTES, 1},                    /* starts at the end */
                {UINT32_MAX, 2},                      /* ptr + len wraps in 32 bits */
                {0xfffffff0u, 0x20},                  /* wraps too */
                {16, (uint32_t)-1},                   /* a negative i32 length */
                {16, (uint32_t)-256},                 /* another negative length */
                {0x80000000u, 4},                     /* a negative i32 pointer */
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                CHECK(commit(&io, bad[i][0], bad[i][1]) == AETHER_FAULT_HOST_CALL);
                CHECK(io.telemetry_len == 8 && memcmp(io.telemetry, memory, 8) == 0);
        }

        /* commit_uplink: the last call wins. */
        aether_hostcall_commit_uplink(&io, 1, 2);
        aether_hostcall_commit_uplink(&io, 0xdeadbeef, 0xfeedface);
        CHECK(io.uplink_lo == 0xdeadbeef && io.uplink_hi == 0xfeedface);

        /* A memory smaller than the telemetry maximum. */
        CHECK(aether_hostcall_commit_telemetry(&io, memory, 10, 0, 10) == AETHER_FAULT_NONE);
        CHECK(aether_hostcall_commit_telemetry(&io, memory, 10, 1, 10) == AETHER_FAULT_HOST_CALL);
        return check_summary("test_hostcall");
}
