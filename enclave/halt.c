/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* halt.c: the single noreturn halt path, guarded against recursion. */
#include "halt.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>

#include "hw.h"
#include "log.h"

static bool halt_has_exit;
static uint16_t halt_exit_port;
static void (*halt_mark_uplink)(void);
static volatile bool halting;

void halt_init(const struct aether_board *board) {
        halt_has_exit = board->has_exit;
        halt_exit_port = board->exit_port;
}

void halt_set_uplink_hook(void (*mark_halted)(void)) {
        halt_mark_uplink = mark_halted;
}

_Noreturn static void halt_forever(void) {
        for (;;)
                __asm__ volatile("cli; hlt");
}

void halt(unsigned exit_code, const char *reason) {
        cpu_disable_interrupts();
        if (halting)
                halt_forever(); /* a fault inside the halt path: do nothing more */
        halting = true;

        log_line("halt: %s (exit code 0x%x)", reason, exit_code);
        if (halt_mark_uplink)
                halt_mark_uplink();
        if (halt_has_exit)
                outb(halt_exit_port, (uint8_t)exit_code);
        halt_forever();
}

/* The compat headers' panics end here. */
void abort(void) {
        halt(AETHER_EXIT_PANIC, "abort()");
}

void aether_assert_failed(const char *expr, const char *file, int line) {
        log_line("assertion failed: %s at %s:%d", expr, file, line);
        halt(AETHER_EXIT_PANIC, "assertion failed");
}
