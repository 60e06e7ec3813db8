/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* platform.h: the machine the enclave runs on, resolved at boot from ACPI, the board and IA32_APIC_BASE (pure). */
#ifndef AETHER_PLATFORM_H
#define AETHER_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "acpi.h"
#include "board.h"

struct aether_platform_ioapic {
        uint64_t base;
        uint32_t gsi_base;
        uint32_t pins;           /* from the IOAPIC's version register */
};

/* The reference clock the LAPIC timer and the TSC are measured against. */
enum aether_timer_reference {
        AETHER_TIMER_REFERENCE_NONE = 0,     /* none: the board's lapic-timer-hz is used as given */
        AETHER_TIMER_REFERENCE_PM_TIMER = 1, /* the ACPI PM timer, 3.579545 MHz, at an I/O port */
        AETHER_TIMER_REFERENCE_HPET = 2,     /* the HPET's main counter */
};

struct aether_platform {
        bool acpi;               /* interrupt controllers from the MADT (else from the board alone) */
        uint64_t lapic_base;     /* xAPIC MMIO base (unused in x2APIC mode) */
        bool x2apic;             /* the firmware left the LAPIC in x2APIC mode */
        struct aether_platform_ioapic ioapics[ACPI_MAX_IOAPICS];
        uint32_t ioapic_count;
        enum aether_timer_reference reference;
        uint16_t pm_timer_port;
        uint8_t pm_timer_bits;   /* 24 or 32 */
        uint64_t hpet_base;
        uint32_t lapic_timer_hz; /* the board's override; 0: use the measured rate */
        struct acpi_ecam ecam[ACPI_MAX_ECAM]; /* segment 0; none: configuration ports only */
        uint32_t ecam_count;
};

/* What the boot reads from the hardware for the resolution. */
struct aether_platform_hardware {
        uint64_t apic_base_msr;  /* IA32_APIC_BASE */
        /* The pin count of the IOAPIC at base (its version register). */
        uint32_t (*ioapic_pins)(void *ctx, uint64_t base);
        void *ctx;
};

/* Resolves the platform from acpi (NULL when the firmware has no ACPI
 * tables), the board and the hardware, and fills in the GSI, trigger and
 * polarity of every `irq` wake in board (an ISA IRQ's override, else the
 * identity mapping, edge, active high). Checks that:
 *   - IA32_APIC_BASE has the LAPIC enabled, and in xAPIC mode at ACPI's address;
 *   - a board `lapic` agrees with ACPI, and a board `ioapic` with ACPI's IOAPIC
 *     at GSI base 0 (address, and the pins its version register reports);
 *   - without a MADT, the board gives both;
 *   - the IOAPICs' GSI ranges do not overlap, and every wake's GSI is on one,
 *     with no two wakes on one GSI;
 *   - there is a reference clock, or the board gives lapic-timer-hz.
 * Returns 0, or -1 with a message naming both values of a mismatch in error
 * (NUL-terminated, cut to fit). */
int aether_platform_resolve(struct aether_board *board, const struct acpi_info *acpi,
                            const struct aether_platform_hardware *hardware, struct aether_platform *out, char *error,
                            size_t error_len);

/* The IOAPIC serving gsi and its pin there; NULL when none does. */
const struct aether_platform_ioapic *aether_platform_ioapic_of(const struct aether_platform *platform, uint32_t gsi,
                                                               uint32_t *pin);

/* "none", "ACPI PM timer" or "HPET". */
const char *aether_timer_reference_name(enum aether_timer_reference reference);

#endif
