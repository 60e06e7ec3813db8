/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* layout.h: the enclave arena, the one block of physical memory the enclave owns after ExitBootServices. */
#ifndef AETHER_LAYOUT_H
#define AETHER_LAYOUT_H

#include "aether_guest_program.h"
#include "config.h"

/* Offsets from the arena base (4 KiB aligned, below 4 GiB, allocated by
 * efi_main as EfiLoaderData before ExitBootServices). Every stack has a
 * guard region below it that the page tables leave out, so running off it
 * faults. ARCHITECTURE.md, "Memory layout", draws this. */
#define ARENA_PAGE_TABLES 0x00000ul        /* pool for our own 4-level tables */
#define ARENA_PAGE_TABLE_PAGES 96ul
#define ARENA_STACK_GUARD_BYTES 0x4000ul   /* 16 KiB, not present, below every stack */
#define ARENA_HOST_STACK_GUARD (ARENA_PAGE_TABLES + ARENA_PAGE_TABLE_PAGES * 0x1000ul)
#define ARENA_HOST_STACK (ARENA_HOST_STACK_GUARD + ARENA_STACK_GUARD_BYTES) /* dormancy, commit, wake ISRs */
#define ARENA_HOST_STACK_BYTES 0x10000ul
#define ARENA_IST_STACK_COUNT 3            /* IST1 exceptions, IST2 #DF, IST3 NMI */
#define ARENA_IST_SLOT_BYTES (ARENA_STACK_GUARD_BYTES + IST_STACK_BYTES)
#define ARENA_IST_GUARD(i) (ARENA_HOST_STACK + ARENA_HOST_STACK_BYTES + (i) * ARENA_IST_SLOT_BYTES)
#define ARENA_IST_STACK(i) (ARENA_IST_GUARD(i) + ARENA_STACK_GUARD_BYTES)
#define IST_STACK_BYTES 0x2000ul
#define ARENA_GATE_STACK_GUARD ARENA_IST_GUARD(ARENA_IST_STACK_COUNT)
/* TSS.RSP0: the gate, and the wake and watchdog interrupts taken in ring 3. */
#define ARENA_GATE_STACK (ARENA_GATE_STACK_GUARD + ARENA_STACK_GUARD_BYTES)
#define ARENA_GATE_STACK_BYTES 0x4000ul
/* Physical backing of the guest's pages (user mappings, user_layout.h). */
#define ARENA_USER_STACK (ARENA_GATE_STACK + ARENA_GATE_STACK_BYTES)
#define ARENA_GUEST_PROGRAM (ARENA_USER_STACK + AETHER_CFG_CYCLE_STACK_BYTES)
#define ARENA_LINEAR_MEMORY \
        ((ARENA_GUEST_PROGRAM + AETHER_GUEST_PROGRAM_PAGES * 0x1000ul + 0xfffful) & ~0xfffful)
#define ARENA_BYTES (ARENA_LINEAR_MEMORY + AETHER_MEMORY_CAP_BYTES)

#endif
