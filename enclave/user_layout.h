/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* user_layout.h: the guest's virtual address space: its program, its user stack and the linear-memory window. */
#ifndef AETHER_USER_LAYOUT_H
#define AETHER_USER_LAYOUT_H

#include "config.h"

/* Every user page lies in [USER_VA_BASE, USER_VA_LIMIT), inside PML4 slot 255
 * (the last of the lower half, far above any physical address a board puts
 * MMIO at: paging_init refuses a collision); nothing of the host is
 * user-accessible. ARCHITECTURE.md, "Virtual memory", draws it. */
#define USER_PML4_SLOT 255
#define USER_VA_BASE 0x00007f8000000000ull       /* the guest program (guest/guest.lds links it here) */
#define USER_STACK_TOP 0x00007f8040000000ull     /* the user stack grows down from here */
#define USER_STACK_BYTES ((unsigned long long)AETHER_CFG_CYCLE_STACK_BYTES)
#define USER_STACK_BASE (USER_STACK_TOP - USER_STACK_BYTES)
/* Never mapped: a #PF here from ring 3 is the guest running off its stack
 * (`exhaustion`). Far larger than any probe step (-fstack-clash-protection
 * touches every page of a large frame in order). */
#define USER_STACK_GUARD_BYTES 0x1000000ull      /* 16 MiB */
#define USER_WINDOW_BASE 0x00007f8100000000ull   /* linear memory: only [0, memory.size) present */
/* wasm2c forms every address as base + u32 index + u32 offset (+ access
 * size): 8 GiB and change. The window reserves 16 GiB, none of it mapped
 * beyond memory.size, so every such address lands in it. */
#define USER_WINDOW_BYTES 0x400000000ull
#define USER_VA_LIMIT (USER_WINDOW_BASE + USER_WINDOW_BYTES)

_Static_assert(USER_VA_BASE >> 39 == USER_PML4_SLOT && (USER_VA_LIMIT - 1) >> 39 == USER_PML4_SLOT,
               "the guest's range lies in its PML4 slot");
_Static_assert(USER_VA_BASE + 0x4000000ull <= USER_STACK_BASE - USER_STACK_GUARD_BYTES,
               "the guard below the user stack clears the 64 MiB guest program");
_Static_assert(USER_STACK_TOP <= USER_WINDOW_BASE, "the window lies above the user stack");

#endif
