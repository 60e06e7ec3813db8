/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* host_window.c: linear memory for host builds of generated code, in a PROT_NONE window at AETHER_GUEST_WINDOW. */
#include "host_window.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "config.h"
#include "user_layout.h"
#include "window.h"

/* Generated code addresses linear memory from the constant AETHER_GUEST_WINDOW,
 * as the image's does from USER_WINDOW_BASE (guest/wasm2c_rewrite.h). */
#if !AETHER_GUEST_WINDOW
#error "host builds that use this window set AETHER_GUEST_WINDOW to its address"
#endif
static uint8_t *const window = (uint8_t *)(uintptr_t)AETHER_GUEST_WINDOW;

uint8_t *host_window_reserve(void) {
        void *mapped = mmap(window, USER_WINDOW_BYTES, PROT_NONE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
        if (mapped != window) {
                perror("mmap of the linear-memory window at AETHER_GUEST_WINDOW");
                exit(1);
        }
        return window;
}

void host_window_map(uint32_t from, uint32_t to) {
        if (mprotect(window + (size_t)from * AETHER_WASM_PAGE_BYTES, (size_t)(to - from) * AETHER_WASM_PAGE_BYTES,
                     PROT_READ | PROT_WRITE) != 0) {
                perror("mprotect of linear memory");
                exit(1);
        }
}
