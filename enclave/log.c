/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* log.c: formats lines and writes them to the board's log port. */
#include "log.h"

#include <stdarg.h>
#include <stdbool.h>

#include "format.h"
#include "hw.h"

#define LOG_LINE_MAX 240

static bool log_ready;
static enum aether_board_log_kind log_kind;
static uint16_t log_port;

void log_init(const struct aether_board *board) {
        log_kind = board->log.kind;
        log_port = board->log.port;
        log_ready = true;
}

static void log_byte(char c) {
        if (log_kind == AETHER_BOARD_LOG_UART)
                while (!(inb((uint16_t)(log_port + UART_LSR)) & UART_LSR_THR_EMPTY))
                        ;
        outb(log_port, (uint8_t)c);
}

static void log_write(const char *prefix, const char *fmt, va_list args) {
        if (!log_ready)
                return;
        char line[LOG_LINE_MAX];
        aether_vformat(line, sizeof(line), fmt, args);
        for (const char *p = "[AETHER] "; *p; p++)
                log_byte(*p);
        for (const char *p = prefix; *p; p++)
                log_byte(*p);
        for (const char *p = line; *p; p++)
                log_byte(*p);
        log_byte('\n');
}

void log_line(const char *fmt, ...) {
        va_list args;
        va_start(args, fmt);
        log_write("", fmt, args);
        va_end(args);
}

int log_error(int status, const char *fmt, ...) {
        va_list args;
        va_start(args, fmt);
        log_write("error: ", fmt, args);
        va_end(args);
        return status;
}
