/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* apic.h: the local APIC (xAPIC or x2APIC: EOI, task priority, calibrated watchdog timer, self-IPI) and every IOAPIC. */
#ifndef AETHER_APIC_H
#define AETHER_APIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform.h"

/* How long the LAPIC timer and the TSC are measured against the reference. */
#define APIC_CALIBRATION_MS 10

/* The pin count of the IOAPIC at base, from its version register: the
 * platform resolution's hardware callback (ctx unused). */
uint32_t ioapic_pin_count(void *ctx, uint64_t base);

/* Takes the platform (kept: it must outlive the enclave) and the LAPIC's mode,
 * and this CPU's IOAPIC destination. Called before ExitBootServices, so that
 * a failure still reaches the firmware console. Returns 0, or -1 with a
 * message in error (an APIC ID the IOAPIC cannot address). */
int apic_setup(const struct aether_platform *platform, char *error, size_t len);

/* Masks the legacy 8259s, enables the local APIC with our spurious vector,
 * masks LINT0/LINT1/timer/error and every pin of every IOAPIC. */
void apic_init(void);

/* What the calibration found and what the watchdog uses. */
struct apic_rates {
        enum aether_timer_reference reference;
        uint64_t reference_hz;  /* 0: no reference */
        uint64_t measured_hz;   /* the LAPIC timer at divide-by-1; 0: not measured */
        uint64_t tsc_hz;        /* 0: not measured */
        uint64_t lapic_timer_hz; /* the watchdog's rate: the board's lapic-timer-hz if given, else measured */
};

/* Measures the LAPIC timer and the TSC against the platform's reference clock
 * for APIC_CALIBRATION_MS, with interrupts off, and sets the watchdog's rate.
 * Returns 0, or -1 after logging (a reference or a timer that does not count). */
int apic_calibrate(struct apic_rates *rates);

/* Routes a GSI, on whichever IOAPIC serves it, to vector on this CPU, unmasked. */
void ioapic_route(uint32_t gsi, uint8_t vector, bool level_triggered, bool active_low);

void lapic_eoi(void);

/* Blocks (true) or admits (false) the wake vectors' priority class. */
void lapic_block_wakes(bool block);

/* One-shot timer on VECTOR_WATCHDOG after `microseconds`; 0 disarms. */
void lapic_watchdog_arm(uint32_t microseconds);

/* A fixed interrupt on vector, sent to this CPU through the LAPIC. */
void lapic_self_interrupt(uint8_t vector);

#endif
