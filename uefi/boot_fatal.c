/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* boot_fatal.c: the firmware console and the fatal stop before ExitBootServices. */
#include "boot_fatal.h"

#include <stdarg.h>

#include "format.h"
#include "halt.h"
#include "log.h"

#define MESSAGE_MAX 200

static SIMPLE_TEXT_OUTPUT_INTERFACE *console;

void boot_console_init(SIMPLE_TEXT_OUTPUT_INTERFACE *out) {
        console = out;
}

void boot_console_write(const char *message) {
        CHAR16 wide[MESSAGE_MAX + 24];
        size_t i = 0;
        for (const char *p = "Aether Enclave: "; *p; p++)
                wide[i++] = (CHAR16)*p;
        for (const char *p = message; *p && i < MESSAGE_MAX + 20; p++)
                wide[i++] = (CHAR16)*p;
        wide[i++] = L'\r';
        wide[i++] = L'\n';
        wide[i] = 0;
        console->OutputString(console, wide);
}

void boot_fatal(unsigned exit_code, const char *fmt, ...) {
        char message[MESSAGE_MAX];
        va_list args;
        va_start(args, fmt);
        aether_vformat(message, sizeof(message), fmt, args);
        va_end(args);
        log_error(-1, "%s", message);
        boot_console_write(message);
        halt(exit_code, "boot failure");
}
