/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* boot_fatal.h: the firmware console and the fatal stop before ExitBootServices (log, console, exit code). */
#ifndef AETHER_BOOT_FATAL_H
#define AETHER_BOOT_FATAL_H

#include <efi.h>

/* The firmware console every later call writes to (efi_main's first step). */
void boot_console_init(SIMPLE_TEXT_OUTPUT_INTERFACE *console);

/* One line on the firmware console, where a person looks before
 * ExitBootServices: the screen of a real board (OVMF mirrors it to COM1). */
void boot_console_write(const char *message);

/* A fatal error before ExitBootServices: the message goes to the log and the
 * firmware console (where it stays on the screen), then the enclave halts
 * with exit_code (enclave/halt.h: 0x12, 0x13 or 0x14). Nothing has been
 * committed: the uplink is not initialised before ExitBootServices. */
_Noreturn void boot_fatal(unsigned exit_code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
