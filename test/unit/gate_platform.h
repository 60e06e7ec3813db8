/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* gate_platform.h: cycle.c's platform for host tests of the gate: the guest is a function, its exits a longjmp. */
#ifndef AETHER_TEST_GATE_PLATFORM_H
#define AETHER_TEST_GATE_PLATFORM_H

#include <stdint.h>

#include "config.h"
#include "cycle.h"

/* Linear memory as the platform hands it to cycle.c (a pattern, not zero). */
extern uint8_t gate_platform_memory[AETHER_MEMORY_CAP_BYTES];

/* What the platform saw: pages present now, open memory windows (must be 0
 * between gate calls), the bytes the last scrub zeroed, grow calls that did
 * not extend the present pages within the cap (must be none), and whether the
 * last guest returned without leaving through the gate (it must never). */
struct gate_platform_state {
        uint32_t mapped_pages, open_windows, zeroed_bytes, bad_grows;
        int returned_without_exit;
};
extern struct gate_platform_state gate_platform;

/* One whole wake whose guest is `guest` (it calls aether_gate_service as the
 * gate would); returns the sealed result (epoch 1, seq 1, a zero key). */
const struct aether_cycle_result *gate_platform_wake(void (*guest)(void), uint32_t pressure_bits, int32_t dose);

#endif
