/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* test_uplink.c: the uplink register map as bytes: header, device ID, commit, losses, dormancy, little-endian everywhere. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "uplink.h"

static uint64_t le(const uint8_t *p, unsigned n) {
        uint64_t v = 0;
        for (unsigned i = 0; i < n; i++)
                v |= (uint64_t)p[i] << (8 * i);
        return v;
}

int main(void) {
        static uint8_t region[0x1000];
        memset(region, 0xee, sizeof(region));

        static const uint8_t device_id[AETHER_DEVICE_ID_SIZE] = { 0x4f, 0xe0, 0xf9, 0x4c, 0xd4, 0xc6, 0xd7, 0x40,
                                                                  0x97, 0x65, 0x74, 0x33, 0xfe, 0x38, 0x13, 0xbd };
        aether_uplink_init(region, 0x0102030405060708ull, device_id);
        CHECK(memcmp(region + UPLINK_MAGIC, "AETHUPL1", 8) == 0);
        CHECK(le(region + UPLINK_LAYOUT_VERSION, 4) == 2);
        CHECK(UPLINK_DROPPED_WAKES == 0x248 && UPLINK_REJECTED_FRAMES == 0x250 && UPLINK_DEVICE_ID == 0x258);
        CHECK(memcmp(region + UPLINK_DEVICE_ID, device_id, sizeof(device_id)) == 0);
        CHECK(le(region + UPLINK_DROPPED_WAKES, 8) == 0 && le(region + UPLINK_REJECTED_FRAMES, 8) == 0);
        CHECK(le(region + UPLINK_STATE, 4) == UPLINK_STATE_BOOTING);
        CHECK(le(region + UPLINK_RECORD_LEN, 4) == AETHER_PROOF_RECORD_SIZE);
        CHECK(le(region + UPLINK_BOOT_EPOCH, 8) == 0x0102030405060708ull);
        CHECK(le(region + UPLINK_COMMIT_COUNT, 8) == 0);
        CHECK(region[UPLINK_DEVICE_ID - 1] == 0);      /* the whole map is cleared */
        CHECK(region[UPLINK_REGION_MIN] == 0xee);      /* and nothing past it */

        aether_uplink_enter_dormancy(region, 4096, 131072);
        aether_uplink_enter_dormancy(region, 8192, 65536);
        CHECK(le(region + UPLINK_STATE, 4) == UPLINK_STATE_DORMANT);
        CHECK(le(region + UPLINK_DORMANT_COUNT, 8) == 2);
        CHECK(le(region + UPLINK_LAST_STACK_BYTES, 4) == 8192);
        CHECK(le(region + UPLINK_LAST_MEMORY_BYTES, 4) == 65536);

        uint8_t record[AETHER_PROOF_RECORD_SIZE], telemetry[AETHER_TELEMETRY_MAX];
        for (unsigned i = 0; i < sizeof(record); i++)
                record[i] = (uint8_t)(0x40 + i);
        for (unsigned i = 0; i < sizeof(telemetry); i++)
                telemetry[i] = (uint8_t)(0x80 ^ i);
        aether_uplink_commit(region, record, 0x1122334455667788ull, telemetry, 20, 7);
        CHECK(memcmp(region + UPLINK_RECORD, record, sizeof(record)) == 0);
        CHECK(le(region + REG_UPLINK_COMMIT_LO, 4) == 0x55667788u);
        CHECK(le(region + REG_UPLINK_COMMIT_HI, 4) == 0x11223344u);
        CHECK(le(region + UPLINK_TELEMETRY_LEN, 4) == 20);
        CHECK(memcmp(region + UPLINK_TELEMETRY, telemetry, 20) == 0);
        CHECK(region[UPLINK_TELEMETRY + 20] == 0); /* bytes past the length are cleared */
        CHECK(le(region + UPLINK_COMMIT_COUNT, 8) == 7);

        aether_uplink_publish_losses(region, 3, 0x0102030405060708ull);
        CHECK(le(region + UPLINK_DROPPED_WAKES, 8) == 3);
        CHECK(le(region + UPLINK_REJECTED_FRAMES, 8) == 0x0102030405060708ull);

        aether_uplink_write64(region, UPLINK_TSC_WAKE_TO_COMMIT, 0xa1b2c3d4e5f60718ull);
        CHECK(le(region + UPLINK_TSC_WAKE_TO_COMMIT, 8) == 0xa1b2c3d4e5f60718ull);
        aether_uplink_set_state(region, UPLINK_STATE_HALTED);
        CHECK(le(region + UPLINK_STATE, 4) == 3);
        return check_summary("test_uplink");
}
