/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* apic.c: local APIC and IOAPIC programming for the two wake lines and the watchdog. */
#include "apic.h"

#include "hw.h"

static uint64_t lapic_base;
static uint64_t ioapic_base;
static uint32_t ioapic_pins;
static uint64_t lapic_timer_hz;

static uint32_t lapic_read(enum lapic_register reg) {
        return mmio_read32(lapic_base + reg);
}
static void lapic_write(enum lapic_register reg, uint32_t value) {
        mmio_write32(lapic_base + reg, value);
}
static void ioapic_write(uint32_t reg, uint32_t value) {
        mmio_write32(ioapic_base + IOAPIC_REGSEL, reg);
        mmio_write32(ioapic_base + IOAPIC_WINDOW, value);
}

void apic_init(const struct aether_board *board) {
        lapic_base = board->lapic_base;
        ioapic_base = board->ioapic_base;
        ioapic_pins = board->ioapic_pins;
        lapic_timer_hz = board->lapic_timer_hz;

        outb(0x21, 0xff); /* 8259 master: all masked */
        outb(0xa1, 0xff); /* 8259 slave: all masked */

        lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | VECTOR_SPURIOUS);
        lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | VECTOR_WATCHDOG);
        lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED);
        lapic_write(LAPIC_LVT_LINT1, LAPIC_LVT_MASKED);
        lapic_write(LAPIC_LVT_ERROR, LAPIC_LVT_MASKED);
        lapic_write(LAPIC_TPR, 0);
        for (uint32_t pin = 0; pin < ioapic_pins; pin++) {
                ioapic_write(IOAPIC_REDIRECTION(pin), IOAPIC_MASKED);
                ioapic_write(IOAPIC_REDIRECTION(pin) + 1, 0);
        }
        lapic_eoi();
}

void ioapic_route(uint32_t gsi, uint8_t vector, bool level_triggered, bool active_low) {
        uint32_t apic_id = lapic_read(LAPIC_ID) >> 24;
        uint32_t low = vector | (level_triggered ? IOAPIC_LEVEL : 0) | (active_low ? IOAPIC_ACTIVE_LOW : 0);
        ioapic_write(IOAPIC_REDIRECTION(gsi) + 1, apic_id << (IOAPIC_DESTINATION_SHIFT - 32));
        ioapic_write(IOAPIC_REDIRECTION(gsi), low); /* fixed delivery, physical, unmasked */
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
        while (lapic_read(LAPIC_ICR_LOW) & LAPIC_ICR_PENDING)
                ;
        lapic_write(LAPIC_ICR_HIGH, 0);
        lapic_write(LAPIC_ICR_LOW, LAPIC_ICR_SELF | vector); /* fixed, edge */
}
