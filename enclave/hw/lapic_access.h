/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* lapic_access.h: the local APIC's registers in either mode, xAPIC (MMIO) or x2APIC (MSRs), over accessors the caller gives. */
#ifndef AETHER_LAPIC_ACCESS_H
#define AETHER_LAPIC_ACCESS_H

#include <stddef.h>
#include <stdint.h>

#include "hw.h"

/* IA32_APIC_BASE (SDM vol. 3, 11.4.4). */
#define MSR_APIC_BASE 0x1b
enum apic_base_bit {
        APIC_BASE_BSP = 1ull << 8,     /* this is the bootstrap processor */
        APIC_BASE_X2APIC = 1ull << 10, /* EXTD: x2APIC mode, registers are MSRs */
        APIC_BASE_ENABLE = 1ull << 11, /* EN: the LAPIC is globally enabled */
};
#define APIC_BASE_ADDRESS_MASK 0x000ffffffffff000ull

/* x2APIC: register r of the xAPIC page is MSR 0x800 + r / 16 (SDM 11.12.1.2);
 * self IPIs have an MSR of their own. */
#define X2APIC_MSR_BASE 0x800u
#define X2APIC_MSR_SELF_IPI 0x83fu

enum lapic_mode {
        LAPIC_MODE_XAPIC,  /* MMIO at the base IA32_APIC_BASE gives */
        LAPIC_MODE_X2APIC, /* MSRs; the MMIO page is not decoded */
};

/* The primitive accesses: the image passes the CPU's, the unit test fakes. */
struct lapic_bus {
        uint32_t (*mmio_read)(uint64_t address);
        void (*mmio_write)(uint64_t address, uint32_t value);
        uint64_t (*msr_read)(uint32_t msr);
        void (*msr_write)(uint32_t msr, uint64_t value);
};

struct lapic_access {
        enum lapic_mode mode;
        uint64_t base; /* xAPIC only */
        const struct lapic_bus *bus;
};

/* The mode and MMIO base IA32_APIC_BASE gives. Returns 0, or -1 with a
 * message (the LAPIC globally disabled, or x2APIC without EN, which the SDM
 * calls invalid) in error. */
int lapic_mode_from_msr(uint64_t apic_base_msr, enum lapic_mode *mode, uint64_t *base, char *error, size_t len);

/* Any register but the ICR (see lapic_access_self_ipi). In x2APIC mode the
 * EOI register takes only 0, which is what the enclave writes. */
uint32_t lapic_access_read(const struct lapic_access *a, enum lapic_register reg);
void lapic_access_write(const struct lapic_access *a, enum lapic_register reg, uint32_t value);

/* This CPU's APIC ID: 8 bits in xAPIC mode, 32 in x2APIC mode. */
uint32_t lapic_access_id(const struct lapic_access *a);

/* The IOAPIC's physical destination for this CPU (redirection entry bits
 * 63:56). Returns 0, or -1 with a message when the APIC ID needs more than 8
 * bits (x2APIC IDs above 255 need interrupt remapping, which the enclave does
 * not set up). */
int lapic_access_ioapic_destination(const struct lapic_access *a, uint8_t *destination, char *error, size_t len);

/* A fixed, edge interrupt on vector to this CPU. */
void lapic_access_self_ipi(const struct lapic_access *a, uint8_t vector);

#endif
