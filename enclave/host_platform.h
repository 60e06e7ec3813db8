/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* host_platform.h: cycle.c's platform in a host process (benchmarks, simulator): the guest linked in, the gate a call. */
#ifndef AETHER_HOST_PLATFORM_H
#define AETHER_HOST_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

/* The guest's linear memory (the cap's size, zero) and the stack its code runs
 * on. The guest is the bounds-checked build (no guard pages in a process),
 * and its gate is a plain call (AETHER_GATE_DIRECT). */
void aether_host_platform_init(uint8_t *memory, size_t memory_bytes, uint8_t *stack, size_t stack_bytes);

#endif
