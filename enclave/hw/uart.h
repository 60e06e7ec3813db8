/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* uart.h: a 16550 as a wake line (receive interrupts on, bytes drained by the ISR) or as the log's transmitter. */
#ifndef AETHER_UART_H
#define AETHER_UART_H

#include <stdbool.h>
#include <stdint.h>

/* Checks that a 16550 answers at port (its scratch register holds a value),
 * then sets 115200 8N1, FIFO with a 1-byte trigger, receive interrupt on,
 * OUT2 so the line reaches the interrupt controller; stale bytes drained.
 * Returns false when no UART answers. */
bool uart_init_receiver(uint16_t port);

/* The log channel a board picks with `log uart`: checks that a 16550 answers
 * at port, then 115200 8N1 with the FIFO on and no interrupt (log.c waits for
 * the transmitter). Returns false when no UART answers. */
bool uart_init_transmitter(uint16_t port);

/* The most bytes one drain takes: a full 16550 FIFO, with room to spare. A
 * port that never runs dry is not a UART. */
#define UART_DRAIN_MAX 64

/* Reads one received byte into *byte; false when the FIFO is empty. */
bool uart_receive(uint16_t port, uint8_t *byte);

#endif
