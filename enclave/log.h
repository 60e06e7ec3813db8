/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* log.h: the one line-oriented log channel after ExitBootServices (debugcon or a UART). */
#ifndef AETHER_LOG_H
#define AETHER_LOG_H

#include <stdint.h>

#include "board.h"

/* Selects the channel the board names. Until then, lines are dropped. */
void log_init(const struct aether_board *board);

/* Writes one line: "[AETHER] " + text + "\n". */
void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Logs "[AETHER] error: ..." and returns status, so that logging and
 * returning a failure is one statement: `return log_error(-1, "...")`. */
int log_error(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
