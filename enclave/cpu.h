/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* cpu.h: our own GDT, TSS, IDT and page tables, installed after ExitBootServices. */
#ifndef AETHER_CPU_H
#define AETHER_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "board.h"

/* Loads the GDT and TSS (with IST stacks in the arena) and the IDT. */
void cpu_install_descriptor_tables(uint64_t arena);

/* Builds identity page tables in the arena: 0-4 GiB plus the uplink window,
 * MMIO uncached, the whole arena in 4 KiB pages (for dirty tracking) with its
 * two guard pages not present. Returns 0 or a negative value after logging
 * why. */
int cpu_install_page_tables(uint64_t arena, const struct aether_board *board, uint64_t uplink_base,
                            uint64_t uplink_size);

/* Zeroes every page of [base, base + bytes) (4 KiB aligned, inside the arena)
 * that was written since its last zeroing, as the page tables' dirty bits
 * tell, then clears those bits and flushes the TLB. Pages never written are
 * zero already and are not touched. Returns the bytes zeroed. Must not be
 * given the page its caller's stack frame lives in. */
uint64_t cpu_zero_dirty_pages(uint64_t base, uint64_t bytes);

/* True when address lies in the guard page below the cycle stack. */
bool cpu_is_cycle_stack_guard(uint64_t arena, uint64_t address);

#endif
