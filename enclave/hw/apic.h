/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* apic.h: the local APIC (EOI, task priority, watchdog timer, self-IPI) and IOAPIC routing. */
#ifndef AETHER_APIC_H
#define AETHER_APIC_H

#include <stdbool.h>
#include <stdint.h>

#include "board.h"

/* Masks the legacy 8259s, enables the local APIC with our spurious vector,
 * masks LINT0/LINT1/timer/error and every IOAPIC pin. */
void apic_init(const struct aether_board *board);

/* Routes an IOAPIC pin to vector on this CPU, unmasked. */
void ioapic_route(uint32_t gsi, uint8_t vector, bool level_triggered, bool active_low);

void lapic_eoi(void);

/* Blocks (true) or admits (false) the wake vectors' priority class. */
void lapic_block_wakes(bool block);

/* One-shot timer on VECTOR_WATCHDOG after `microseconds`; 0 disarms. */
void lapic_watchdog_arm(uint32_t microseconds);

/* A fixed interrupt on vector, sent to this CPU through the LAPIC. */
void lapic_self_interrupt(uint8_t vector);

#endif
