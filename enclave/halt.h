/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* halt.h: the one way the enclave stops: exit codes and the noreturn halt path. */
#ifndef AETHER_HALT_H
#define AETHER_HALT_H

#include "board.h"

/* Values written to QEMU's isa-debug-exit port; QEMU exits with
 * (value << 1) | 1. ARCHITECTURE.md, "Exit codes", lists them. */
enum aether_exit_code {
        AETHER_EXIT_SUCCESS = 0x10,       /* QEMU 33: the run is over, all committed */
        AETHER_EXIT_PANIC = 0x11,         /* QEMU 35: a host invariant broke */
        AETHER_EXIT_BOOT_FAILURE = 0x12,  /* QEMU 37: the board, uplink or firmware failed at boot */
        AETHER_EXIT_DEVICE_KEY = 0x13,    /* QEMU 39: the board's key source gave no device key */
        AETHER_EXIT_BOOT_EPOCH = 0x14,    /* QEMU 41: the boot epoch could not be advanced */
        AETHER_EXIT_CPU_EXCEPTION = 0x20, /* QEMU 65 + 2 * vector: a CPU exception in host code */
};

/* Where to send the exit code; without it the halt is a plain cli; hlt. */
void halt_init(const struct aether_board *board);

/* Logs the reason, marks the uplink halted, writes the exit code and stops
 * the CPU for good. A fault while halting skips straight to the final hlt. */
_Noreturn void halt(unsigned exit_code, const char *reason);

/* Registered by enclave_main: marks the uplink region halted on the way out. */
void halt_set_uplink_hook(void (*mark_halted)(void));

#endif
