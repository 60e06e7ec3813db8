/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* paging.h: our own 4-level page tables: W^X identity map for the host, and the guest's user pages. */
#ifndef AETHER_PAGING_H
#define AETHER_PAGING_H

#include <stdint.h>

#include "board.h"
#include "platform.h"

/* Builds the tables in the arena's pool and loads CR3:
 *   - 0-4 GiB identity-mapped, supervisor, writable, no-execute (2 MiB pages);
 *   - the image in 4 KiB pages: text read-only and executable, everything
 *     else no-execute, headers and rodata read-only;
 *   - the arena in 4 KiB pages (dirty tracking), its guard regions absent;
 *   - the LAPIC (xAPIC mode), every IOAPIC, the HPET when it is the timer
 *     reference, the uplink and the sensors uncached, no-execute;
 *   - PML4 slot 255 (the guest's, user_layout.h) with its tables made but
 *     every page absent.
 * Returns 0, or a negative value after logging why. */
int paging_init(uint64_t arena, const struct aether_platform *platform, const struct aether_board *board,
                uint64_t uplink_base, uint64_t uplink_size);

/* Rights of a user page. */
enum user_page_rights {
        USER_PAGE_READ_EXECUTE,
        USER_PAGE_READ,
        USER_PAGE_READ_WRITE,
};

/* Makes the tables for user pages [va, va + bytes) (at boot), every page
 * absent. Returns 0, or -1 after logging. */
int paging_reserve_user(uint64_t va, uint64_t bytes);

/* Maps the user pages [va, va + bytes) (4 KiB aligned, in a reserved range) to
 * the physical pages from pa on, with exactly these rights. Returns 0, or -1
 * after logging when a page is outside every reserved range. */
int paging_map_user(uint64_t va, uint64_t pa, uint64_t bytes, enum user_page_rights rights);

/* Makes user pages [va, va + bytes) absent; the caller flushes (CR3) before
 * the guest runs again. */
void paging_unmap_user(uint64_t va, uint64_t bytes);

/* Zeroes every page of [va, va + bytes) whose entry has the dirty bit, through
 * the identity alias of its physical page, then clears the bit. Pages that
 * are absent or never written are not touched. Does not flush: the caller
 * reloads CR3 (paging_flush) before the pages are used again. Returns the
 * bytes zeroed. Must not be given the page its caller's frame lives in. */
uint64_t paging_zero_dirty(uint64_t va, uint64_t bytes);

/* Drops every TLB entry (reloads CR3). */
void paging_flush(void);

#endif
