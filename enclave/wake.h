/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* wake.h: the wake sources (UART frames, sensor registers, bench injection) and the queue the ISRs fill. */
#ifndef AETHER_WAKE_H
#define AETHER_WAKE_H

#include <stdbool.h>
#include <stdint.h>

#include "board.h"
#include "cycle.h"

/* Programs each board wake line (UART receiver, IOAPIC route). Returns 0, or
 * a negative value after logging which line has no device. */
int wake_init(const struct aether_board *board);

/* Called by the ISR of a wake vector: drains that line's UART into its frame
 * parser (or reads the sensor registers, or takes an injected wake) and
 * queues the complete wakes. */
void wake_service(uint8_t vector, uint64_t entry_tsc);

/* Queues a wake on vector with these values and raises the vector through
 * the LAPIC, as the line would: the stock bench mode's injection. */
void wake_inject(uint8_t vector, uint32_t pressure_bits, int32_t dose);

/* Takes the oldest queued wake. Call with interrupts off. */
bool wake_take(struct aether_wake *out);

/* True once a shutdown frame arrived. */
bool wake_shutdown_requested(void);

/* This boot's losses so far: wakes dropped because the queue (the board's
 * wake-queue) was full, and frames the parser rejected. */
uint64_t wake_dropped_count(void);
uint64_t wake_frame_error_count(void);

#endif
