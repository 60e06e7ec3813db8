/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* layout.h: the enclave arena, the one block of memory the enclave owns after ExitBootServices. */
#ifndef AETHER_LAYOUT_H
#define AETHER_LAYOUT_H

#include "config.h"

/* Offsets from the arena base (4 KiB aligned, below 4 GiB, allocated by
 * efi_main as EfiLoaderData before ExitBootServices). Guard pages are left
 * out of the page tables, so touching one faults. ARCHITECTURE.md, "Memory
 * layout", draws this. */
#define ARENA_PAGE_TABLES 0x00000ul        /* pool for our own 4-level tables */
#define ARENA_PAGE_TABLE_PAGES 32
#define ARENA_HOST_STACK_GUARD 0x20000ul   /* not present */
#define ARENA_HOST_STACK 0x21000ul         /* dormancy loop and wake ISRs */
#define ARENA_HOST_STACK_BYTES 0x10000ul
#define ARENA_IST_STACKS 0x31000ul         /* IST1..IST3, IST_STACK_BYTES each */
#define ARENA_IST_STACK_COUNT 3
#define ARENA_CYCLE_STACK_GUARD 0x37000ul  /* not present: an overrun is `exhaustion` */
#define ARENA_CYCLE_STACK 0x38000ul        /* the guest runs here */
#define ARENA_LINEAR_MEMORY \
        ((ARENA_CYCLE_STACK + AETHER_CFG_CYCLE_STACK_BYTES + 0xfffful) & ~0xfffful)
#define ARENA_TABLE_ENTRY_BYTES 32ul   /* room for a wasm_rt_funcref_t (24 bytes) */
#define ARENA_FUNCREF_TABLE (ARENA_LINEAR_MEMORY + AETHER_MEMORY_CAP_BYTES)
#define ARENA_EXTERNREF_TABLE (ARENA_FUNCREF_TABLE + AETHER_CFG_TABLE_CAP * ARENA_TABLE_ENTRY_BYTES)
#define ARENA_BYTES (ARENA_EXTERNREF_TABLE + AETHER_CFG_TABLE_CAP * ARENA_TABLE_ENTRY_BYTES)

_Static_assert(ARENA_HOST_STACK + ARENA_HOST_STACK_BYTES == ARENA_IST_STACKS, "IST stacks follow the host stack");
_Static_assert(ARENA_IST_STACKS + ARENA_IST_STACK_COUNT * 0x2000ul == ARENA_CYCLE_STACK_GUARD,
               "the cycle-stack guard follows the IST stacks");
_Static_assert(ARENA_CYCLE_STACK_GUARD + 0x1000ul == ARENA_CYCLE_STACK, "the guard sits right below the cycle stack");

#endif
