/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* host_platform.c: cycle.c's platform in a host process: the guest on a stack of its own, longjmp for its exits. */
#include "host_platform.h"

#include <stdbool.h>
#include <string.h>

#include "cycle.h"
#include "guest.h"
#include "unwind.h"

static uint8_t *memory;
static uint8_t *stack_top;
static aether_jmp_buf host_context;

void aether_host_platform_init(uint8_t *memory_base, size_t memory_bytes, uint8_t *stack, size_t stack_bytes) {
        (void)memory_bytes; /* the cap; cycle.c never grows past it */
        memory = memory_base;
        stack_top = stack + stack_bytes;
}

static void enter_guest(void *window) {
        aether_guest_main(window);
}

aether_fault_t aether_platform_run_guest(uint32_t initial_pages) {
        (void)initial_pages; /* all of the memory is there, and zero between wakes */
        int left = aether_setjmp(&host_context);
        if (left == 0)
                aether_call_on_stack(enter_guest, memory, stack_top); /* leaves only through the gate */
        return (aether_fault_t)(left - 1);
}

void aether_platform_leave_guest(aether_fault_t fault) {
        aether_longjmp(&host_context, (int)fault + 1);
}

void aether_platform_grow_memory(uint32_t old_pages, uint32_t new_pages) {
        (void)old_pages, (void)new_pages;
}

const uint8_t *aether_platform_open_guest_memory(void) {
        return memory;
}

void aether_platform_close_guest_memory(void) {
}

void aether_platform_zero_memory(uint32_t bytes) {
        memset(memory, 0, bytes);
}
