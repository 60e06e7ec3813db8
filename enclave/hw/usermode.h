/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* usermode.h: the ring-3 guest as the host sees it: its pages, the way in (iretq), the ways out, its scrub. */
#ifndef AETHER_USERMODE_H
#define AETHER_USERMODE_H

#include <stdint.h>

#include "interrupts.h"

/* At boot, after paging_init: copies the guest program's text and rodata
 * into the arena and maps them (read/execute, read), maps its data and bss
 * (read/write) and the user stack, and makes the tables for the window.
 * Returns 0, or a negative value after logging. */
int usermode_init(uint64_t arena);

/* An exception taken in ring 3 (interrupt_dispatch): classified (a #PF in the
 * window is `oob`, in the user stack's guard `exhaustion`, anything else
 * `isolation`), logged, and the guest is left. */
_Noreturn void usermode_exception(const struct interrupt_frame *frame);

/* After a wake: zeroes the dirty pages of the guest's data, the user stack,
 * the gate stack and the IST stacks, then flushes the TLB. Returns the user
 * stack's bytes zeroed. */
uint64_t usermode_scrub(void);

/* enclave/hw/usermode.S: zeroes every register but rdi = arg, and irets to
 * ring 3 at rip with rsp, interrupts on. The caller has saved its context. */
_Noreturn void usermode_iret(uint64_t rip, uint64_t rsp, uint64_t arg);

#endif
