/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* paging.c: W^X identity tables for the host, user pages for the guest, and the dirty-page scrub. */
#include "paging.h"

#include <stdbool.h>
#include <string.h>

#include "hw.h"
#include "layout.h"
#include "log.h"
#include "user_layout.h"

/* The image's own bounds (enclave/image.lds), each on a page boundary. */
extern const char ImageBase[], _text[], _etext[], _data[], _image_end[];

/* Rights kept when a 2 MiB page is split into 4 KiB pages. */
#define PAGE_INHERITED (PAGE_PRESENT | PAGE_WRITABLE | PAGE_USER | PAGE_WRITE_THROUGH | PAGE_CACHE_DISABLE | \
                        PAGE_NO_EXECUTE)

static uint64_t *pml4;
static uint64_t pool_base;
static unsigned pool_used;

static uint64_t *table_of(uint64_t entry) {
        return (uint64_t *)(uintptr_t)(entry & PAGE_ADDRESS_MASK);
}

static bool is_user(uint64_t va) {
        return va >= USER_VA_BASE && va < USER_VA_LIMIT;
}

static uint64_t *pool_take(void) {
        if (pool_used == ARENA_PAGE_TABLE_PAGES)
                return NULL;
        uint64_t *table = (uint64_t *)(uintptr_t)(pool_base + pool_used++ * PAGE_SIZE_4K);
        memset(table, 0, PAGE_SIZE_4K);
        return table;
}

/* The next-level table behind entry; made when create is set. Tables for the
 * guest's range carry the user bit, the host's never do. */
static uint64_t *next_table(uint64_t *entry, uint64_t va, bool create) {
        if (*entry & PAGE_PRESENT)
                return table_of(*entry);
        if (!create)
                return NULL;
        uint64_t *table = pool_take();
        if (table)
                *entry = (uint64_t)(uintptr_t)table | PAGE_PRESENT | PAGE_WRITABLE | (is_user(va) ? PAGE_USER : 0);
        return table;
}

static uint64_t *pd_entry(uint64_t va, bool create) {
        uint64_t *pdpt = next_table(&pml4[(va >> 39) & 511], va, create);
        uint64_t *pd = pdpt ? next_table(&pdpt[(va >> 30) & 511], va, create) : NULL;
        return pd ? &pd[(va >> 21) & 511] : NULL;
}

/* The 4 KiB entry of va, splitting a 2 MiB page (keeping its rights) or
 * making an empty table when create is set; NULL when absent or the pool
 * is exhausted. */
static uint64_t *pte(uint64_t va, bool create) {
        uint64_t *pde = pd_entry(va, create);
        if (!pde)
                return NULL;
        if (*pde & PAGE_LARGE) {
                if (!create)
                        return NULL;
                uint64_t *pt = pool_take();
                if (!pt)
                        return NULL;
                uint64_t start = *pde & PAGE_ADDRESS_MASK & ~(PAGE_SIZE_2M - 1);
                for (unsigned i = 0; i < PAGE_TABLE_ENTRIES; i++)
                        pt[i] = (start + i * PAGE_SIZE_4K) | (*pde & PAGE_INHERITED);
                *pde = (uint64_t)(uintptr_t)pt | PAGE_PRESENT | PAGE_WRITABLE;
        }
        uint64_t *pt = next_table(pde, va, create);
        return pt ? &pt[(va >> 12) & 511] : NULL;
}

static int pool_exhausted(uint64_t va) {
        return log_error(-1, "page-table pool (%lu pages) exhausted at 0x%llx", ARENA_PAGE_TABLE_PAGES,
                         (unsigned long long)va);
}

static int map_2m(uint64_t va, uint64_t flags) {
        if (va >> 39 == USER_PML4_SLOT)
                return log_error(-1, "host memory at 0x%llx lies in the guest's PML4 slot %u", (unsigned long long)va,
                                 USER_PML4_SLOT);
        uint64_t *entry = pd_entry(va, true);
        if (!entry)
                return pool_exhausted(va);
        *entry = (va & ~(PAGE_SIZE_2M - 1)) | PAGE_PRESENT | PAGE_WRITABLE | PAGE_LARGE | PAGE_NO_EXECUTE | flags;
        return 0;
}

static int map_uncached(uint64_t base, uint64_t size) {
        for (uint64_t a = base & ~(PAGE_SIZE_2M - 1); a < base + size; a += PAGE_SIZE_2M)
                if (map_2m(a, PAGE_CACHE_DISABLE | PAGE_WRITE_THROUGH) < 0)
                        return -1;
        return 0;
}

/* Sets the rights of the identity pages [start, end): clears every right in
 * `clear` and adds `set`. A NULL entry (absent, or pool exhausted) fails. */
static int set_rights(uint64_t start, uint64_t end, uint64_t clear, uint64_t set) {
        for (uint64_t page = start & ~(PAGE_SIZE_4K - 1); page < end; page += PAGE_SIZE_4K) {
                uint64_t *entry = pte(page, true);
                if (!entry)
                        return pool_exhausted(page);
                *entry = (*entry & ~clear) | set;
        }
        return 0;
}

static int map_image(void) {
        uint64_t base = (uint64_t)(uintptr_t)ImageBase, text = (uint64_t)(uintptr_t)_text,
                 etext = (uint64_t)(uintptr_t)_etext, data = (uint64_t)(uintptr_t)_data,
                 end = (uint64_t)(uintptr_t)_image_end;
        if ((base | text | data) & (PAGE_SIZE_4K - 1))
                return log_error(-1, "image sections not page aligned (base 0x%llx text 0x%llx data 0x%llx)",
                                 (unsigned long long)base, (unsigned long long)text, (unsigned long long)data);
        /* headers, text, then .reloc and .rodata read-only; .data, bss and the rest stay writable */
        if (set_rights(base, data, PAGE_WRITABLE, 0) < 0 || set_rights(text, etext, PAGE_NO_EXECUTE, 0) < 0 ||
            set_rights(data, end, 0, 0) < 0)
                return -1;
        log_line("image 0x%llx: text 0x%llx-0x%llx read/execute, rodata to 0x%llx read-only, data to 0x%llx",
                 (unsigned long long)base, (unsigned long long)text, (unsigned long long)etext,
                 (unsigned long long)data, (unsigned long long)end);
        return 0;
}

static int map_arena(uint64_t arena) {
        if (set_rights(arena, arena + ARENA_BYTES, 0, 0) < 0)
                return -1;
        const uint64_t guards[] = {
                ARENA_HOST_STACK_GUARD, ARENA_IST_GUARD(0), ARENA_IST_GUARD(1), ARENA_IST_GUARD(2),
                ARENA_GATE_STACK_GUARD,
        };
        _Static_assert(ARENA_IST_STACK_COUNT == 3, "a guard below every IST stack");
        for (unsigned g = 0; g < sizeof(guards) / sizeof(guards[0]); g++)
                if (set_rights(arena + guards[g], arena + guards[g] + ARENA_STACK_GUARD_BYTES, PAGE_PRESENT, 0) < 0)
                        return -1;
        return 0;
}

/* The MMIO the host drives, learnt from ACPI (or the board): the LAPIC in
 * xAPIC mode, every IOAPIC, and the HPET when it is the timer reference. */
static int map_platform(const struct aether_platform *platform) {
        if (!platform->x2apic && map_uncached(platform->lapic_base, AETHER_BOARD_LAPIC_SIZE) < 0)
                return -1;
        for (uint32_t i = 0; i < platform->ioapic_count; i++)
                if (map_uncached(platform->ioapics[i].base, AETHER_BOARD_IOAPIC_SIZE) < 0)
                        return -1;
        if (platform->reference == AETHER_TIMER_REFERENCE_HPET &&
            map_uncached(platform->hpet_base, HPET_REGION_SIZE) < 0)
                return -1;
        return 0;
}

int paging_init(uint64_t arena, const struct aether_platform *platform, const struct aether_board *board,
                uint64_t uplink_base, uint64_t uplink_size) {
        pool_base = arena + ARENA_PAGE_TABLES;
        pool_used = 0;
        pml4 = pool_take();
        for (uint64_t a = 0; a < (4ull << 30); a += PAGE_SIZE_2M)
                if (map_2m(a, 0) < 0)
                        return -1;
        if (map_platform(platform) < 0 || map_uncached(uplink_base, uplink_size) < 0)
                return -1;
        if (board->has_sensors && (map_uncached(board->sensor_pressure_addr, AETHER_BOARD_SENSOR_SIZE) < 0 ||
                                   map_uncached(board->sensor_dose_addr, AETHER_BOARD_SENSOR_SIZE) < 0))
                return -1;
        if (map_image() < 0 || map_arena(arena) < 0)
                return -1;
        if (!next_table(&pml4[USER_PML4_SLOT], USER_VA_BASE, true))
                return pool_exhausted(USER_VA_BASE);
        write_cr3((uint64_t)(uintptr_t)pml4);
        log_line("page tables: %u of %lu pool pages; stack guards absent", pool_used, ARENA_PAGE_TABLE_PAGES);
        return 0;
}

int paging_reserve_user(uint64_t va, uint64_t bytes) {
        for (uint64_t page = va; page < va + bytes; page += PAGE_SIZE_4K)
                if (!pte(page, true))
                        return pool_exhausted(page);
        return 0;
}

struct user_mapping {
        uint64_t next_pa, flags;
};

static void map_entry(uint64_t *entry, void *ctx) {
        struct user_mapping *m = ctx;
        *entry = (m->next_pa & PAGE_ADDRESS_MASK) | m->flags;
        m->next_pa += PAGE_SIZE_4K;
}

/* Calls visit(entry) for the 4 KiB entry of every page of [va, va + bytes)
 * that has one, walking each page table once. */
static void for_each_pte(uint64_t va, uint64_t bytes, void (*visit)(uint64_t *entry, void *ctx), void *ctx) {
        uint64_t page = va, end = va + bytes;
        while (page < end) {
                uint64_t table_end = (page | (PAGE_SIZE_2M - 1)) + 1; /* the next page table's first page */
                uint64_t *entry = pte(page, false);
                for (; page < end && page < table_end; page += PAGE_SIZE_4K)
                        if (entry)
                                visit(entry++, ctx);
        }
}

int paging_map_user(uint64_t va, uint64_t pa, uint64_t bytes, enum user_page_rights rights) {
        uint64_t flags = PAGE_PRESENT | PAGE_USER;
        /* No default: every right is spelt out. */
        switch (rights) {
        case USER_PAGE_READ_EXECUTE:
                break;
        case USER_PAGE_READ:
                flags |= PAGE_NO_EXECUTE;
                break;
        case USER_PAGE_READ_WRITE:
                flags |= PAGE_WRITABLE | PAGE_NO_EXECUTE;
                break;
        }
        struct user_mapping mapping = {pa, flags};
        if (!is_user(va) || !is_user(va + bytes - 1))
                return log_error(-1, "0x%llx is not a user address", (unsigned long long)va);
        for_each_pte(va, bytes, map_entry, &mapping);
        if (mapping.next_pa != pa + bytes)
                return log_error(-1, "user pages at 0x%llx are not in a reserved range", (unsigned long long)va);
        return 0;
}

static void clear_entry(uint64_t *entry, void *ctx) {
        (void)ctx;
        *entry = 0;
}

void paging_unmap_user(uint64_t va, uint64_t bytes) {
        for_each_pte(va, bytes, clear_entry, NULL);
}

static void zero_if_dirty(uint64_t *entry, void *zeroed) {
        if ((*entry & (PAGE_PRESENT | PAGE_DIRTY)) != (PAGE_PRESENT | PAGE_DIRTY))
                return;
        memset(table_of(*entry), 0, PAGE_SIZE_4K); /* first: the zeroing writes too */
        *entry &= ~(PAGE_DIRTY | PAGE_ACCESSED);
        *(uint64_t *)zeroed += PAGE_SIZE_4K;
}

uint64_t paging_zero_dirty(uint64_t va, uint64_t bytes) {
        uint64_t zeroed = 0;
        for_each_pte(va, bytes, zero_if_dirty, &zeroed);
        return zeroed;
}

void paging_flush(void) {
        write_cr3(read_cr3());
}
