/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* usermode.c: the guest program in ring 3: its pages, entry and exits, faults, and the platform hooks of cycle.c. */
#include "usermode.h"

#include <stdbool.h>
#include <string.h>

#include "aether_guest_program.h"
#include "cpu.h"
#include "cycle.h"
#include "halt.h"
#include "hw.h"
#include "layout.h"
#include "log.h"
#include "paging.h"
#include "unwind.h"
#include "user_layout.h"

static uint64_t arena;
static aether_jmp_buf host_context;
static bool guest_running;

/* The physical page behind a user address of the guest program. */
static uint64_t program_frame(uint64_t va) {
        return arena + ARENA_GUEST_PROGRAM + (va - USER_VA_BASE);
}

static void *program_alias(uint64_t va) {
        return (void *)(uintptr_t)program_frame(va);
}

static enum user_page_rights rights_of(uint32_t rights) {
        if (rights & AETHER_GUEST_WRITE)
                return USER_PAGE_READ_WRITE;
        return rights & AETHER_GUEST_EXECUTE ? USER_PAGE_READ_EXECUTE : USER_PAGE_READ;
}

static int map_range(uint64_t va, uint64_t pa, uint64_t bytes, enum user_page_rights rights) {
        return paging_reserve_user(va, bytes) < 0 ? -1 : paging_map_user(va, pa, bytes, rights);
}

int usermode_init(uint64_t arena_base) {
        arena = arena_base;
        for (unsigned i = 0; i < AETHER_GUEST_SEGMENT_COUNT; i++) {
                const struct aether_guest_segment *s = &aether_guest_segments[i];
                uint64_t bytes = (s->mem_bytes + PAGE_SIZE_4K - 1) & ~(PAGE_SIZE_4K - 1);
                /* Text and rodata are copied once; data is reloaded before each wake. */
                if (!(s->rights & AETHER_GUEST_WRITE))
                        memcpy(program_alias(s->vaddr), aether_guest_blob + s->blob_offset, s->file_bytes);
                if (map_range(s->vaddr, program_frame(s->vaddr), bytes, rights_of(s->rights)) < 0)
                        return -1;
        }
        if (map_range(USER_STACK_BASE, arena + ARENA_USER_STACK, USER_STACK_BYTES, USER_PAGE_READ_WRITE) < 0 ||
            paging_reserve_user(USER_WINDOW_BASE, AETHER_MEMORY_CAP_BYTES) < 0)
                return -1;
        paging_flush();
        log_line("guest program: %llu pages at 0x%llx, entry 0x%llx; user stack %llu bytes below 0x%llx; "
                 "window 0x%llx",
                 (unsigned long long)AETHER_GUEST_PROGRAM_PAGES, (unsigned long long)USER_VA_BASE,
                 (unsigned long long)AETHER_GUEST_ENTRY, (unsigned long long)USER_STACK_BYTES,
                 (unsigned long long)USER_STACK_TOP, (unsigned long long)USER_WINDOW_BASE);
        return 0;
}

/* ---- the platform of cycle.c ---------------------------------------------------- */

/* Linear memory pages present at the window now: the module's initial pages
 * stay present between wakes (zero, as the scrub leaves them); grown ones are
 * made absent again after each wake. */
static uint32_t window_pages, initial_window_pages;

static void map_window(uint32_t pages) {
        uint64_t from = (uint64_t)window_pages * AETHER_WASM_PAGE_BYTES, to = (uint64_t)pages * AETHER_WASM_PAGE_BYTES;
        if (pages > window_pages &&
            paging_map_user(USER_WINDOW_BASE + from, arena + ARENA_LINEAR_MEMORY + from, to - from,
                            USER_PAGE_READ_WRITE) < 0)
                halt(AETHER_EXIT_PANIC, "linear memory past its reserved tables");
        window_pages = pages;
}

aether_fault_t aether_platform_run_guest(uint32_t initial_pages) {
        /* A fresh instance: the data segments as linked (bss is zero: the
         * scrub left it so), and the module's initial memory, zero. */
        for (unsigned i = 0; i < AETHER_GUEST_SEGMENT_COUNT; i++) {
                const struct aether_guest_segment *s = &aether_guest_segments[i];
                if (s->rights & AETHER_GUEST_WRITE)
                        memcpy(program_alias(s->vaddr), aether_guest_blob + s->blob_offset, s->file_bytes);
        }
        initial_window_pages = initial_pages;
        map_window(initial_pages);
        aether_scrub_registers(); /* the guest starts from a clean x87/SSE state */
        int left = aether_setjmp(&host_context);
        if (left == 0) {
                guest_running = true;
                usermode_iret(AETHER_GUEST_ENTRY, USER_STACK_TOP, USER_WINDOW_BASE);
        }
        guest_running = false;
        cpu_load_kernel_segments();
        return (aether_fault_t)(left - 1);
}

void aether_platform_leave_guest(aether_fault_t fault) {
        if (!guest_running)
                halt(AETHER_EXIT_PANIC, "a guest exit with no guest running");
        aether_longjmp(&host_context, (int)fault + 1);
}

void aether_platform_grow_memory(uint32_t old_pages, uint32_t new_pages) {
        (void)old_pages;
        map_window(new_pages);
}

const uint8_t *aether_platform_open_guest_memory(void) {
        cpu_user_access_begin();
        return (const uint8_t *)(uintptr_t)USER_WINDOW_BASE;
}

void aether_platform_close_guest_memory(void) {
        cpu_user_access_end();
}

void aether_platform_zero_memory(uint32_t bytes) {
        paging_zero_dirty(USER_WINDOW_BASE, bytes);
        uint64_t keep = (uint64_t)initial_window_pages * AETHER_WASM_PAGE_BYTES;
        if (bytes > keep)
                paging_unmap_user(USER_WINDOW_BASE + keep, bytes - keep); /* flushed by usermode_scrub */
        window_pages = initial_window_pages;
}

/* ---- faults from ring 3 ---------------------------------------------------------- */

#define PF_INSTRUCTION_FETCH (1u << 4)

static aether_fault_t classify(const struct interrupt_frame *frame, uint64_t cr2) {
        if (frame->vector != VECTOR_PAGE_FAULT || (frame->error_code & PF_INSTRUCTION_FETCH))
                return AETHER_FAULT_ISOLATION;
        if (cr2 - USER_WINDOW_BASE < USER_WINDOW_BYTES)
                return AETHER_FAULT_OOB;
        if (cr2 - (USER_STACK_BASE - USER_STACK_GUARD_BYTES) < USER_STACK_GUARD_BYTES)
                return AETHER_FAULT_EXHAUSTION;
        return AETHER_FAULT_ISOLATION;
}

/* The log names the vector and the guest's own rip and rsp; for a #PF, the
 * address and the error code's flag bits. No other error code is logged: a
 * selector error code can carry bits an emulator read from wherever the
 * guest pointed (QEMU 7.2 pops a ring-3 lretq's selector with supervisor
 * rights), and the log must never carry host memory. */
void usermode_exception(const struct interrupt_frame *frame) {
        uint64_t cr2 = frame->vector == VECTOR_PAGE_FAULT ? read_cr2() : 0;
        aether_fault_t fault = classify(frame, cr2);
        if (frame->vector == VECTOR_PAGE_FAULT)
                log_line("guest %s: #PF in ring 3 at rip=0x%llx cr2=0x%llx flags=0x%llx rsp=0x%llx",
                         aether_fault_name(fault), (unsigned long long)frame->rip, (unsigned long long)cr2,
                         (unsigned long long)(frame->error_code & 0xff), (unsigned long long)frame->rsp);
        else
                log_line("guest %s: vector %llu in ring 3 at rip=0x%llx rsp=0x%llx", aether_fault_name(fault),
                         (unsigned long long)frame->vector, (unsigned long long)frame->rip,
                         (unsigned long long)frame->rsp);
        aether_platform_leave_guest(fault);
}

uint64_t usermode_scrub(void) {
        for (unsigned i = 0; i < AETHER_GUEST_SEGMENT_COUNT; i++) {
                const struct aether_guest_segment *s = &aether_guest_segments[i];
                if (s->rights & AETHER_GUEST_WRITE)
                        paging_zero_dirty(s->vaddr, s->mem_bytes);
        }
        uint64_t stack_bytes = paging_zero_dirty(USER_STACK_BASE, USER_STACK_BYTES);
        paging_zero_dirty(arena + ARENA_GATE_STACK, ARENA_GATE_STACK_BYTES);
        for (unsigned i = 0; i < ARENA_IST_STACK_COUNT; i++)
                paging_zero_dirty(arena + ARENA_IST_STACK(i), IST_STACK_BYTES);
        paging_flush();
        return stack_bytes;
}
