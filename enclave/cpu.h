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
 * MMIO uncached, the two arena guard pages not present. Returns 0 or a
 * negative value after logging why. */
int cpu_install_page_tables(uint64_t arena, const struct aether_board *board, uint64_t uplink_base,
                            uint64_t uplink_size);

/* True when address lies in the guard page below the cycle stack. */
bool cpu_is_cycle_stack_guard(uint64_t arena, uint64_t address);

#endif
