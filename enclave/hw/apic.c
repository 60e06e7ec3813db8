/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* apic.c: the local APIC in either mode, every IOAPIC, and the watchdog timer calibrated against the HPET or PM timer. */
#include "apic.h"

#include "clock.h"
#include "hw.h"
#include "lapic_access.h"
#include "log.h"

/* The LAPIC timer counts down from this at divide-by-1 while it is measured. */
#define CALIBRATION_COUNT 0xffffffffu
/* A reference that has not moved after this many reads is broken. */
#define CALIBRATION_MAX_READS 100000000u
/* A sample is tight when its two reference reads lie within 10 us; the
 * narrowest of this many is taken when none is. */
#define CALIBRATION_TIGHT_PER_SECOND 100000u
#define CALIBRATION_TRIES 64u

static const struct aether_platform *platform;
static struct lapic_access lapic;
static uint8_t ioapic_destination;
static uint64_t lapic_timer_hz;

static const struct lapic_bus cpu_bus = {mmio_read32, mmio_write32, read_msr, write_msr};

static uint32_t lapic_read(enum lapic_register reg) {
        return lapic_access_read(&lapic, reg);
}
static void lapic_write(enum lapic_register reg, uint32_t value) {
        lapic_access_write(&lapic, reg, value);
}
static uint32_t ioapic_read(uint64_t base, uint32_t reg) {
        mmio_write32(base + IOAPIC_REGSEL, reg);
        return mmio_read32(base + IOAPIC_WINDOW);
}
static void ioapic_write(uint64_t base, uint32_t reg, uint32_t value) {
        mmio_write32(base + IOAPIC_REGSEL, reg);
        mmio_write32(base + IOAPIC_WINDOW, value);
}

uint32_t ioapic_pin_count(void *ctx, uint64_t base) {
        (void)ctx;
        return ((ioapic_read(base, IOAPIC_VERSION_REGISTER) >> IOAPIC_MAX_REDIRECTION_SHIFT) & 0xff) + 1;
}

int apic_setup(const struct aether_platform *p, char *error, size_t len) {
        platform = p;
        lapic = (struct lapic_access){p->x2apic ? LAPIC_MODE_X2APIC : LAPIC_MODE_XAPIC, p->lapic_base, &cpu_bus};
        return lapic_access_ioapic_destination(&lapic, &ioapic_destination, error, len);
}

void apic_init(void) {
        outb(0x21, 0xff); /* 8259 master: all masked */
        outb(0xa1, 0xff); /* 8259 slave: all masked */

        lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | VECTOR_SPURIOUS);
        lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | VECTOR_WATCHDOG);
        lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED);
        lapic_write(LAPIC_LVT_LINT1, LAPIC_LVT_MASKED);
        lapic_write(LAPIC_LVT_ERROR, LAPIC_LVT_MASKED);
        lapic_write(LAPIC_TPR, 0);
        for (uint32_t i = 0; i < platform->ioapic_count; i++)
                for (uint32_t pin = 0; pin < platform->ioapics[i].pins; pin++) {
                        ioapic_write(platform->ioapics[i].base, IOAPIC_REDIRECTION(pin), IOAPIC_MASKED);
                        ioapic_write(platform->ioapics[i].base, IOAPIC_REDIRECTION(pin) + 1, 0);
                }
        lapic_eoi();
}

/* The TSC and the LAPIC timer read between two reads of the reference: the
 * sample's time is their midpoint, uncertain by half their distance (width). */
struct calibration_sample {
        uint64_t reference, width, tsc;
        uint32_t count;
};

static struct calibration_sample sample(struct reference_clock *clock) {
        uint64_t before = reference_clock_read(clock);
        uint64_t tsc = read_tsc();
        uint32_t count = lapic_read(LAPIC_TIMER_CURRENT);
        uint64_t after = reference_clock_read(clock);
        return (struct calibration_sample){before + (after - before) / 2, after - before, tsc, count};
}

/* The first sample no wider than `tight`, else the narrowest of
 * CALIBRATION_TRIES: a read delayed (an emulator's vCPU descheduled, an SMI)
 * would skew the rates. */
static struct calibration_sample tight_sample(struct reference_clock *clock, uint64_t tight) {
        struct calibration_sample best = sample(clock);
        for (unsigned i = 1; i < CALIBRATION_TRIES && best.width > tight; i++) {
                struct calibration_sample next = sample(clock);
                if (next.width < best.width)
                        best = next;
        }
        return best;
}

int apic_calibrate(struct apic_rates *rates) {
        *rates = (struct apic_rates){.reference = platform->reference};
        if (platform->reference != AETHER_TIMER_REFERENCE_NONE) {
                struct reference_clock clock;
                if (reference_clock_open(&clock, platform) < 0)
                        return -1;
                rates->reference_hz = clock.hz;
                lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | VECTOR_WATCHDOG);
                lapic_write(LAPIC_TIMER_DIVIDE, 0xb); /* divide by 1 */
                lapic_write(LAPIC_TIMER_INITIAL, CALIBRATION_COUNT);
                uint64_t tight = clock.hz / CALIBRATION_TIGHT_PER_SECOND + 1;
                struct calibration_sample first = tight_sample(&clock, tight);
                uint64_t end = first.reference + clock.hz * APIC_CALIBRATION_MS / 1000;
                uint32_t reads = 0;
                while (reference_clock_read(&clock) < end)
                        if (++reads == CALIBRATION_MAX_READS)
                                return log_error(-1, "%s: the reference clock did not run %u ms in %u reads",
                                                 aether_timer_reference_name(clock.kind), APIC_CALIBRATION_MS, reads);
                struct calibration_sample last = tight_sample(&clock, tight);
                lapic_write(LAPIC_TIMER_INITIAL, 0);
                if (last.count >= first.count)
                        return log_error(-1, "the LAPIC timer did not count (%u, then %u)", first.count, last.count);
                uint64_t span = last.reference - first.reference;
                rates->measured_hz = (uint64_t)(first.count - last.count) * clock.hz / span;
                rates->tsc_hz = (last.tsc - first.tsc) * clock.hz / span;
        }
        rates->lapic_timer_hz = platform->lapic_timer_hz ? platform->lapic_timer_hz : rates->measured_hz;
        lapic_timer_hz = rates->lapic_timer_hz;
        return 0;
}

void ioapic_route(uint32_t gsi, uint8_t vector, bool level_triggered, bool active_low) {
        uint32_t pin;
        const struct aether_platform_ioapic *ioapic = aether_platform_ioapic_of(platform, gsi, &pin);
        if (!ioapic)
                return; /* aether_platform_resolve put every wake on an IOAPIC */
        uint32_t low = vector | (level_triggered ? IOAPIC_LEVEL : 0) | (active_low ? IOAPIC_ACTIVE_LOW : 0);
        ioapic_write(ioapic->base, IOAPIC_REDIRECTION(pin) + 1,
                     (uint32_t)ioapic_destination << (IOAPIC_DESTINATION_SHIFT - 32));
        ioapic_write(ioapic->base, IOAPIC_REDIRECTION(pin), low); /* fixed delivery, physical, unmasked */
}

void lapic_eoi(void) {
        lapic_write(LAPIC_EOI, 0);
}

void lapic_block_wakes(bool block) {
        lapic_write(LAPIC_TPR, block ? LAPIC_TPR_BLOCK_WAKES : 0);
}

void lapic_watchdog_arm(uint32_t microseconds) {
        lapic_write(LAPIC_TIMER_INITIAL, 0);
        if (!microseconds) {
                lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | VECTOR_WATCHDOG);
                return;
        }
        /* The smallest divider whose count fits 32 bits; the divide
         * configuration encodes 1, 2, 4, ... 128 as 0xb, 0x0, 0x1, 0x2,
         * 0x3, 0x8, 0x9, 0xa. */
        static const uint8_t divide_config[8] = {0xb, 0x0, 0x1, 0x2, 0x3, 0x8, 0x9, 0xa};
        uint64_t ticks = lapic_timer_hz * microseconds / 1000000;
        unsigned shift = 0;
        while ((ticks >> shift) > 0xffffffffull && shift < 7)
                shift++;
        uint64_t count = ticks >> shift;
        lapic_write(LAPIC_TIMER_DIVIDE, divide_config[shift]);
        lapic_write(LAPIC_LVT_TIMER, VECTOR_WATCHDOG); /* one-shot, unmasked */
        lapic_write(LAPIC_TIMER_INITIAL, count > 0xffffffffull ? 0xffffffffu : (count ? (uint32_t)count : 1));
}

void lapic_self_interrupt(uint8_t vector) {
        lapic_access_self_ipi(&lapic, vector);
}
