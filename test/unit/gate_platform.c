/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* gate_platform.c: cycle.c's platform for host tests of the gate: the guest is a function, its exits a longjmp. */
#include "gate_platform.h"

#include <setjmp.h>

uint8_t gate_platform_memory[AETHER_MEMORY_CAP_BYTES];
struct gate_platform_state gate_platform;

static jmp_buf guest_exit;
static void (*current_guest)(void);
static struct aether_cycle_result result;

aether_fault_t aether_platform_run_guest(uint32_t initial_pages) {
        gate_platform.mapped_pages = initial_pages;
        int left = setjmp(guest_exit);
        if (left == 0) {
                current_guest();
                gate_platform.returned_without_exit = 1;
                return AETHER_FAULT_NONE;
        }
        return (aether_fault_t)(left - 1);
}

void aether_platform_leave_guest(aether_fault_t fault) {
        longjmp(guest_exit, (int)fault + 1);
}

void aether_platform_grow_memory(uint32_t old_pages, uint32_t new_pages) {
        if (old_pages != gate_platform.mapped_pages || new_pages <= old_pages ||
            new_pages > AETHER_CFG_MEMORY_CAP_PAGES)
                gate_platform.bad_grows++;
        gate_platform.mapped_pages = new_pages;
}

const uint8_t *aether_platform_open_guest_memory(void) {
        gate_platform.open_windows++;
        return gate_platform_memory;
}

void aether_platform_close_guest_memory(void) {
        gate_platform.open_windows--;
}

void aether_platform_zero_memory(uint32_t bytes) {
        gate_platform.zeroed_bytes = bytes;
}

const struct aether_cycle_result *gate_platform_wake(void (*guest)(void), uint32_t pressure_bits, int32_t dose) {
        static const uint8_t key[AETHER_PROOF_KEY_SIZE], device_id[AETHER_DEVICE_ID_SIZE];
        current_guest = guest;
        gate_platform.returned_without_exit = 0;
        aether_cycle_begin(&(struct aether_wake){.vector = 0x20, .pressure_bits = pressure_bits, .dose = dose});
        aether_cycle_guest();
        aether_cycle_seal(1, 1, key, device_id, &result);
        aether_cycle_scrub();
        return &result;
}
