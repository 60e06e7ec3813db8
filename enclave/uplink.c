/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* uplink.c: ordered little-endian writes into the uplink commit region. */
#include "uplink.h"

static void put32(volatile uint8_t *region, unsigned offset, uint32_t value) {
        for (unsigned i = 0; i < 4; i++)
                region[offset + i] = (uint8_t)(value >> (8 * i));
}

static void put64(volatile uint8_t *region, unsigned offset, uint64_t value) {
        put32(region, offset, (uint32_t)value);
        put32(region, offset + 4, (uint32_t)(value >> 32));
}

static uint64_t get64(const volatile uint8_t *region, unsigned offset) {
        uint64_t value = 0;
        for (unsigned i = 0; i < 8; i++)
                value |= (uint64_t)region[offset + i] << (8 * i);
        return value;
}

/* x86 keeps stores in order; this keeps the compiler from reordering them. */
static void store_fence(void) {
        __asm__ volatile("" : : : "memory");
}

void aether_uplink_init(volatile uint8_t *region, uint64_t epoch, const uint8_t device_id[AETHER_DEVICE_ID_SIZE]) {
        for (unsigned i = 0; i < UPLINK_REGION_MIN; i++)
                region[i] = 0;
        static const char magic[8] = {'A', 'E', 'T', 'H', 'U', 'P', 'L', '1'};
        for (unsigned i = 0; i < sizeof(magic); i++)
                region[UPLINK_MAGIC + i] = (uint8_t)magic[i];
        put32(region, UPLINK_LAYOUT_VERSION, AETHER_UPLINK_LAYOUT_VERSION);
        put32(region, UPLINK_RECORD_LEN, AETHER_PROOF_RECORD_SIZE);
        put64(region, UPLINK_BOOT_EPOCH, epoch);
        for (unsigned i = 0; i < AETHER_DEVICE_ID_SIZE; i++)
                region[UPLINK_DEVICE_ID + i] = device_id[i];
        store_fence();
}

void aether_uplink_publish_losses(volatile uint8_t *region, uint64_t dropped_wakes, uint64_t rejected_frames) {
        put64(region, UPLINK_DROPPED_WAKES, dropped_wakes);
        put64(region, UPLINK_REJECTED_FRAMES, rejected_frames);
}

void aether_uplink_write64(volatile uint8_t *region, enum aether_uplink_register reg, uint64_t value) {
        put64(region, reg, value);
}

void aether_uplink_set_state(volatile uint8_t *region, enum aether_uplink_state state) {
        store_fence();
        put32(region, UPLINK_STATE, state);
        store_fence();
}

void aether_uplink_enter_dormancy(volatile uint8_t *region, uint32_t stack_bytes, uint32_t memory_bytes) {
        put32(region, UPLINK_LAST_STACK_BYTES, stack_bytes);
        put32(region, UPLINK_LAST_MEMORY_BYTES, memory_bytes);
        put64(region, UPLINK_DORMANT_COUNT, get64(region, UPLINK_DORMANT_COUNT) + 1);
        aether_uplink_set_state(region, UPLINK_STATE_DORMANT);
}

void aether_uplink_commit(volatile uint8_t *region, const uint8_t record[AETHER_PROOF_RECORD_SIZE], uint64_t tag,
                          const uint8_t *telemetry, uint32_t telemetry_len, uint64_t commit_count) {
        for (unsigned i = 0; i < AETHER_PROOF_RECORD_SIZE; i++)
                region[UPLINK_RECORD + i] = record[i];
        for (unsigned i = 0; i < AETHER_TELEMETRY_MAX; i++)
                region[UPLINK_TELEMETRY + i] = i < telemetry_len ? telemetry[i] : 0;
        put32(region, UPLINK_TELEMETRY_LEN, telemetry_len);
        put32(region, REG_UPLINK_COMMIT_LO, (uint32_t)tag);
        put32(region, REG_UPLINK_COMMIT_HI, (uint32_t)(tag >> 32));
        store_fence();
        put64(region, UPLINK_COMMIT_COUNT, commit_count);
        store_fence();
}
