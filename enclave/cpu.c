/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* cpu.c: GDT with a TSS for the interrupt stack table, the IDT, and identity page tables with guard pages. */
#include "cpu.h"

#include <string.h>

#include "hw.h"
#include "layout.h"
#include "log.h"

/* isr.S: one entry stub per vector we handle. */
extern const uint64_t isr_stub_table[IDT_VECTORS];

static uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
static struct tss64 tss __attribute__((aligned(16)));
static struct idt_gate idt[IDT_VECTORS] __attribute__((aligned(16)));

static void set_tss_descriptor(uint64_t *slot, const struct tss64 *task) {
        uint64_t base = (uint64_t)(uintptr_t)task;
        uint64_t limit = sizeof(*task) - 1;
        slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) /* present, 64-bit TSS */
                  | (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
        slot[1] = base >> 32;
}

static uint8_t ist_for_vector(unsigned vector) {
        if (vector == VECTOR_DOUBLE_FAULT)
                return IST_DOUBLE_FAULT;
        if (vector == VECTOR_NMI)
                return IST_NMI;
        /* Every other exception may come from a guest that ran off its stack. */
        return vector < 32 ? IST_FAULT : IST_NONE;
}

void cpu_install_descriptor_tables(uint64_t arena) {
        gdt[0] = 0;
        gdt[GDT_SELECTOR_CODE64 / 8] = GDT_CODE64_DESCRIPTOR;
        gdt[GDT_SELECTOR_DATA / 8] = GDT_DATA_DESCRIPTOR;
        memset(&tss, 0, sizeof(tss));
        for (unsigned i = 0; i < ARENA_IST_STACK_COUNT; i++)
                tss.ist[i] = arena + ARENA_IST_STACKS + (i + 1) * IST_STACK_BYTES;
        tss.iopb_offset = sizeof(tss); /* no I/O permission bitmap */
        set_tss_descriptor(&gdt[GDT_SELECTOR_TSS / 8], &tss);

        struct descriptor_pointer gdtr = {sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt};
        __asm__ volatile(
                "lgdt %0\n\t"
                "mov %1, %%ds\n\t"
                "mov %1, %%es\n\t"
                "mov %1, %%ss\n\t"
                "mov %1, %%fs\n\t"
                "mov %1, %%gs\n\t"
                "pushq %2\n\t"
                "leaq 1f(%%rip), %%rax\n\t"
                "pushq %%rax\n\t"
                "lretq\n"
                "1:\n\t"
                "ltr %w3"
                :
                : "m"(gdtr), "r"((uint64_t)GDT_SELECTOR_DATA), "i"(GDT_SELECTOR_CODE64),
                  "r"((uint16_t)GDT_SELECTOR_TSS)
                : "rax", "memory");

        for (unsigned vector = 0; vector < IDT_VECTORS; vector++) {
                uint64_t handler = isr_stub_table[vector];
                if (!handler) {
                        memset(&idt[vector], 0, sizeof(idt[vector])); /* not present: #GP */
                        continue;
                }
                idt[vector] = (struct idt_gate){
                        .offset_low = (uint16_t)handler,
                        .selector = GDT_SELECTOR_CODE64,
                        .ist = ist_for_vector(vector),
                        .type_attr = IDT_GATE_INTERRUPT,
                        .offset_mid = (uint16_t)(handler >> 16),
                        .offset_high = (uint32_t)(handler >> 32),
                };
        }
        struct descriptor_pointer idtr = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};
        __asm__ volatile("lidt %0" : : "m"(idtr));
}

/* ---- page tables ---------------------------------------------------------- */

struct page_pool {
        uint64_t base;
        unsigned used;
};

static uint64_t *pool_take(struct page_pool *pool) {
        if (pool->used == ARENA_PAGE_TABLE_PAGES)
                return NULL;
        uint64_t *table = (uint64_t *)(uintptr_t)(pool->base + pool->used++ * PAGE_SIZE_4K);
        memset(table, 0, PAGE_SIZE_4K);
        return table;
}

/* The next-level table behind entry, created on first use. */
static uint64_t *next_table(struct page_pool *pool, uint64_t *entry) {
        if (*entry & PAGE_PRESENT)
                return (uint64_t *)(uintptr_t)(*entry & PAGE_ADDRESS_MASK);
        uint64_t *table = pool_take(pool);
        if (table)
                *entry = (uint64_t)(uintptr_t)table | PAGE_PRESENT | PAGE_WRITABLE;
        return table;
}

static uint64_t *pd_entry(struct page_pool *pool, uint64_t *pml4, uint64_t address) {
        uint64_t *pdpt = next_table(pool, &pml4[(address >> 39) & 511]);
        uint64_t *pd = pdpt ? next_table(pool, &pdpt[(address >> 30) & 511]) : NULL;
        return pd ? &pd[(address >> 21) & 511] : NULL;
}

static int map_2m(struct page_pool *pool, uint64_t *pml4, uint64_t address, uint64_t flags) {
        uint64_t *entry = pd_entry(pool, pml4, address);
        if (!entry)
                return log_error(-1, "page-table pool exhausted mapping 0x%llx", (unsigned long long)address);
        *entry = (address & ~(PAGE_SIZE_2M - 1)) | PAGE_PRESENT | PAGE_WRITABLE | PAGE_LARGE | flags;
        return 0;
}

static int map_uncached(struct page_pool *pool, uint64_t *pml4, uint64_t base, uint64_t size) {
        for (uint64_t a = base & ~(PAGE_SIZE_2M - 1); a < base + size; a += PAGE_SIZE_2M)
                if (map_2m(pool, pml4, a, PAGE_CACHE_DISABLE | PAGE_WRITE_THROUGH) < 0)
                        return -1;
        return 0;
}

/* The page tables' root, kept for the dirty-page walk. */
static uint64_t *page_root;

/* Splits the 2 MiB page holding address into 4 KiB pages (once); returns the
 * 4 KiB entry of address, or NULL after logging. */
static uint64_t *split_4k(struct page_pool *pool, uint64_t *pml4, uint64_t address) {
        uint64_t *entry = pd_entry(pool, pml4, address);
        if (!entry) {
                log_error(-1, "page-table pool exhausted at 0x%llx", (unsigned long long)address);
                return NULL;
        }
        if (*entry & PAGE_LARGE) {
                uint64_t flags = *entry & (PAGE_CACHE_DISABLE | PAGE_WRITE_THROUGH);
                uint64_t start = *entry & ~(PAGE_SIZE_2M - 1) & PAGE_ADDRESS_MASK;
                uint64_t *pt = pool_take(pool);
                if (!pt) {
                        log_error(-1, "page-table pool exhausted splitting 0x%llx", (unsigned long long)start);
                        return NULL;
                }
                for (unsigned i = 0; i < PAGE_TABLE_ENTRIES; i++)
                        pt[i] = (start + i * PAGE_SIZE_4K) | PAGE_PRESENT | PAGE_WRITABLE | flags;
                *entry = (uint64_t)(uintptr_t)pt | PAGE_PRESENT | PAGE_WRITABLE;
        }
        uint64_t *pt = (uint64_t *)(uintptr_t)(*entry & PAGE_ADDRESS_MASK);
        return &pt[(address >> 12) & 511];
}

/* The 4 KiB entry of an address in the split arena (after the tables are in). */
static uint64_t *pte_4k(uint64_t address) {
        uint64_t *pdpt = (uint64_t *)(uintptr_t)(page_root[(address >> 39) & 511] & PAGE_ADDRESS_MASK);
        uint64_t *pd = (uint64_t *)(uintptr_t)(pdpt[(address >> 30) & 511] & PAGE_ADDRESS_MASK);
        uint64_t *pt = (uint64_t *)(uintptr_t)(pd[(address >> 21) & 511] & PAGE_ADDRESS_MASK);
        return &pt[(address >> 12) & 511];
}

uint64_t cpu_zero_dirty_pages(uint64_t base, uint64_t bytes) {
        uint64_t zeroed = 0;
        for (uint64_t page = base; page < base + bytes; page += PAGE_SIZE_4K) {
                uint64_t *pte = pte_4k(page);
                if (!(*pte & PAGE_DIRTY))
                        continue;
                memset((void *)(uintptr_t)page, 0, PAGE_SIZE_4K); /* first: the zeroing writes too */
                *pte &= ~(PAGE_DIRTY | PAGE_ACCESSED);
                zeroed += PAGE_SIZE_4K;
        }
        if (zeroed)
                write_cr3(read_cr3()); /* drop TLB entries that still carry D = 1 */
        return zeroed;
}

int cpu_install_page_tables(uint64_t arena, const struct aether_board *board, uint64_t uplink_base,
                            uint64_t uplink_size) {
        struct page_pool pool = {arena + ARENA_PAGE_TABLES, 0};
        uint64_t *pml4 = pool_take(&pool);

        for (uint64_t a = 0; a < (4ull << 30); a += PAGE_SIZE_2M)
                if (map_2m(&pool, pml4, a, 0) < 0)
                        return -1;
        if (map_uncached(&pool, pml4, board->lapic_base, AETHER_BOARD_LAPIC_SIZE) < 0 ||
            map_uncached(&pool, pml4, board->ioapic_base, AETHER_BOARD_IOAPIC_SIZE) < 0 ||
            map_uncached(&pool, pml4, uplink_base, uplink_size) < 0)
                return -1;
        if (board->has_sensors &&
            (map_uncached(&pool, pml4, board->sensor_pressure_addr, AETHER_BOARD_SENSOR_SIZE) < 0 ||
             map_uncached(&pool, pml4, board->sensor_dose_addr, AETHER_BOARD_SENSOR_SIZE) < 0))
                return -1;
        for (uint64_t page = arena & ~(PAGE_SIZE_2M - 1); page < arena + ARENA_BYTES; page += PAGE_SIZE_2M)
                if (!split_4k(&pool, pml4, page))
                        return -1;
        *split_4k(&pool, pml4, arena + ARENA_HOST_STACK_GUARD) = 0;
        *split_4k(&pool, pml4, arena + ARENA_CYCLE_STACK_GUARD) = 0;

        page_root = pml4;
        write_cr3((uint64_t)(uintptr_t)pml4);
        log_line("page tables: %u of %u pool pages, guard pages at 0x%llx and 0x%llx", pool.used,
                 ARENA_PAGE_TABLE_PAGES, (unsigned long long)(arena + ARENA_HOST_STACK_GUARD),
                 (unsigned long long)(arena + ARENA_CYCLE_STACK_GUARD));
        return 0;
}

bool cpu_is_cycle_stack_guard(uint64_t arena, uint64_t address) {
        return address - (arena + ARENA_CYCLE_STACK_GUARD) < PAGE_SIZE_4K;
}
