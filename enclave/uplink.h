/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* uplink.h: the uplink commit region's register map and the commit sequence. */
#ifndef AETHER_UPLINK_H
#define AETHER_UPLINK_H

#include <stdint.h>

#include "proof.h"

/* Byte offsets in the region; all fields little-endian. ARCHITECTURE.md,
 * "Uplink register map". */
enum aether_uplink_register {
        UPLINK_MAGIC = 0x000,          /* 8 bytes "AETHUPL1" */
        UPLINK_LAYOUT_VERSION = 0x008, /* u32 = AETHER_UPLINK_LAYOUT_VERSION */
        UPLINK_STATE = 0x00c,          /* u32, enum aether_uplink_state */
        UPLINK_COMMIT_COUNT = 0x010,   /* u64, written last in a commit */
        REG_UPLINK_COMMIT_LO = 0x018,  /* u32, tag bits 0-31 */
        REG_UPLINK_COMMIT_HI = 0x01c,  /* u32, tag bits 32-63 */
        UPLINK_RECORD_LEN = 0x020,     /* u32 = AETHER_PROOF_RECORD_SIZE */
        UPLINK_TELEMETRY_LEN = 0x024,  /* u32 */
        UPLINK_BOOT_EPOCH = 0x028,     /* u64 */
        UPLINK_DORMANT_COUNT = 0x030,  /* u64, +1 at each entry into dormancy */
        UPLINK_LAST_STACK_BYTES = 0x038,  /* u32, user-stack bytes the last wake used */
        UPLINK_LAST_MEMORY_BYTES = 0x03c, /* u32, linear-memory bytes the last wake used */
        UPLINK_RECORD = 0x040,         /* AETHER_PROOF_RECORD_SIZE bytes */
        UPLINK_TELEMETRY = 0x100,      /* AETHER_TELEMETRY_MAX bytes */
        /* Where the enclave keeps guest state, for residue checks from outside. */
        UPLINK_LINEAR_MEMORY_BASE = 0x200, /* u64, physical address */
        UPLINK_LINEAR_MEMORY_CAP = 0x208,  /* u64, bytes */
        UPLINK_CYCLE_STACK_BASE = 0x210,   /* u64, physical address of its lowest byte */
        UPLINK_CYCLE_STACK_BYTES = 0x218,  /* u64 */
        /* TSC deltas of the last wake and of the boot (instructions x 2^N under -icount shift=N). */
        UPLINK_TSC_WAKE_TO_COMMIT = 0x220,   /* u64, wake ISR entry to COMMIT_COUNT written */
        UPLINK_TSC_WAKE_TO_SCRUBBED = 0x228, /* u64, wake ISR entry to registers scrubbed */
        UPLINK_TSC_BOOT_TO_DORMANT = 0x230,  /* u64, efi_main entry to first dormancy */
        /* where the guest's user pages may be (virtual, user_layout.h) */
        UPLINK_USER_VA_BASE = 0x238,   /* u64 */
        UPLINK_USER_VA_LIMIT = 0x240,  /* u64 */
        /* What this boot lost so far; live counts, written each time the enclave goes dormant or to sleep. */
        UPLINK_DROPPED_WAKES = 0x248,   /* u64, wakes dropped by a full queue */
        UPLINK_REJECTED_FRAMES = 0x250, /* u64, frames the parser rejected */
        UPLINK_DEVICE_ID = 0x258,       /* AETHER_DEVICE_ID_SIZE bytes, the records' device ID */
        /* The timer calibration at boot (ARCHITECTURE.md section 5): the rates in Hz. */
        UPLINK_LAPIC_TIMER_HZ = 0x268,          /* u64, the rate the watchdog uses: measured, or the board's */
        UPLINK_LAPIC_TIMER_MEASURED_HZ = 0x270, /* u64, the LAPIC timer at divide-by-1; 0: not measured */
        UPLINK_TSC_HZ = 0x278,                  /* u64, the TSC; 0: not measured */
        UPLINK_TIMER_REFERENCE = 0x280,         /* u64, what it was measured against: enum aether_timer_reference */
        UPLINK_REGION_MIN = 0x288,
};
_Static_assert(UPLINK_RECORD + AETHER_PROOF_RECORD_SIZE <= UPLINK_TELEMETRY, "record fits before telemetry");
_Static_assert(UPLINK_TELEMETRY + AETHER_TELEMETRY_MAX <= UPLINK_LINEAR_MEMORY_BASE, "telemetry fits before the layout");
_Static_assert(UPLINK_DEVICE_ID + AETHER_DEVICE_ID_SIZE == UPLINK_LAPIC_TIMER_HZ, "the calibration follows the device ID");

#define AETHER_UPLINK_LAYOUT_VERSION 2

enum aether_uplink_state {
        UPLINK_STATE_BOOTING = 0,
        UPLINK_STATE_DORMANT = 1,
        UPLINK_STATE_RUNNING = 2,
        UPLINK_STATE_HALTED = 3,
};

/* Clears the region and writes the header for this boot. */
void aether_uplink_init(volatile uint8_t *region, uint64_t epoch, const uint8_t device_id[AETHER_DEVICE_ID_SIZE]);

void aether_uplink_set_state(volatile uint8_t *region, enum aether_uplink_state state);

/* Writes one 64-bit register (the descriptive and timing ones above). */
void aether_uplink_write64(volatile uint8_t *region, enum aether_uplink_register reg, uint64_t value);

/* Writes DROPPED_WAKES and REJECTED_FRAMES. */
void aether_uplink_publish_losses(volatile uint8_t *region, uint64_t dropped_wakes, uint64_t rejected_frames);

/* Records what the last wake used, then STATE = dormant and DORMANT_COUNT + 1. */
void aether_uplink_enter_dormancy(volatile uint8_t *region, uint32_t stack_bytes, uint32_t memory_bytes);

/* Writes record, telemetry, tag and lengths, then COMMIT_COUNT = commit_count. */
void aether_uplink_commit(volatile uint8_t *region, const uint8_t record[AETHER_PROOF_RECORD_SIZE], uint64_t tag,
                          const uint8_t *telemetry, uint32_t telemetry_len, uint64_t commit_count);

#endif
