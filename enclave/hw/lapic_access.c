/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* lapic_access.c: xAPIC and x2APIC register access behind one interface (no port, MSR or MMIO of its own: host-testable). */
#include "lapic_access.h"

#include "format.h"

int lapic_mode_from_msr(uint64_t apic_base_msr, enum lapic_mode *mode, uint64_t *base, char *error, size_t len) {
        if (!(apic_base_msr & APIC_BASE_ENABLE)) {
                aether_format(error, len, "IA32_APIC_BASE 0x%llx: the local APIC is disabled (EN clear)%s",
                              (unsigned long long)apic_base_msr,
                              apic_base_msr & APIC_BASE_X2APIC ? " with x2APIC set, an invalid state" : "");
                return -1;
        }
        *mode = apic_base_msr & APIC_BASE_X2APIC ? LAPIC_MODE_X2APIC : LAPIC_MODE_XAPIC;
        *base = apic_base_msr & APIC_BASE_ADDRESS_MASK;
        return 0;
}

static uint32_t x2apic_msr(enum lapic_register reg) {
        return X2APIC_MSR_BASE + (uint32_t)reg / 16;
}

uint32_t lapic_access_read(const struct lapic_access *a, enum lapic_register reg) {
        switch (a->mode) {
        case LAPIC_MODE_XAPIC:
                return a->bus->mmio_read(a->base + reg);
        case LAPIC_MODE_X2APIC:
                return (uint32_t)a->bus->msr_read(x2apic_msr(reg));
        }
        return 0;
}

void lapic_access_write(const struct lapic_access *a, enum lapic_register reg, uint32_t value) {
        switch (a->mode) {
        case LAPIC_MODE_XAPIC:
                a->bus->mmio_write(a->base + reg, value);
                return;
        case LAPIC_MODE_X2APIC:
                a->bus->msr_write(x2apic_msr(reg), value);
                return;
        }
}

uint32_t lapic_access_id(const struct lapic_access *a) {
        uint32_t id = lapic_access_read(a, LAPIC_ID);
        switch (a->mode) {
        case LAPIC_MODE_XAPIC:
                return id >> 24;
        case LAPIC_MODE_X2APIC:
                return id;
        }
        return id;
}

int lapic_access_ioapic_destination(const struct lapic_access *a, uint8_t *destination, char *error, size_t len) {
        uint32_t id = lapic_access_id(a);
        if (id > 0xff) {
                aether_format(error, len, "x2APIC ID %u does not fit the IOAPIC's 8-bit destination "
                              "(that needs interrupt remapping)", id);
                return -1;
        }
        *destination = (uint8_t)id;
        return 0;
}

void lapic_access_self_ipi(const struct lapic_access *a, uint8_t vector) {
        switch (a->mode) {
        case LAPIC_MODE_XAPIC:
                while (a->bus->mmio_read(a->base + LAPIC_ICR_LOW) & LAPIC_ICR_PENDING)
                        ;
                a->bus->mmio_write(a->base + LAPIC_ICR_HIGH, 0);
                a->bus->mmio_write(a->base + LAPIC_ICR_LOW, LAPIC_ICR_SELF | vector); /* fixed, edge */
                return;
        case LAPIC_MODE_X2APIC:
                a->bus->msr_write(X2APIC_MSR_SELF_IPI, vector);
                return;
        }
}
