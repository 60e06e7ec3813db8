/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* clock.c: the HPET and the ACPI PM timer as a reference count for calibrating the LAPIC timer and the TSC. */
#include "clock.h"

#include "hw.h"
#include "log.h"

#define FEMTOSECONDS_PER_SECOND 1000000000000000ull

static uint64_t raw(const struct reference_clock *clock) {
        switch (clock->kind) {
        case AETHER_TIMER_REFERENCE_NONE:
                return 0;
        case AETHER_TIMER_REFERENCE_PM_TIMER:
                return inl(clock->port) & clock->mask;
        case AETHER_TIMER_REFERENCE_HPET:
                return mmio_read64(clock->hpet + HPET_MAIN_COUNTER) & clock->mask;
        }
        return 0;
}

int reference_clock_open(struct reference_clock *clock, const struct aether_platform *platform) {
        *clock = (struct reference_clock){.kind = platform->reference};
        switch (platform->reference) {
        case AETHER_TIMER_REFERENCE_NONE:
                return log_error(-1, "no reference clock to open");
        case AETHER_TIMER_REFERENCE_PM_TIMER:
                clock->hz = ACPI_PM_TIMER_HZ;
                clock->mask = (1ull << platform->pm_timer_bits) - 1;
                clock->port = platform->pm_timer_port;
                break;
        case AETHER_TIMER_REFERENCE_HPET: {
                clock->hpet = platform->hpet_base;
                uint64_t capabilities = mmio_read64(clock->hpet + HPET_CAPABILITIES);
                uint64_t period = capabilities >> HPET_PERIOD_SHIFT;
                if (period == 0 || period > HPET_PERIOD_MAX_FS)
                        return log_error(-1, "HPET at 0x%llx: counter period %llu fs, outside 1..%llu",
                                         (unsigned long long)clock->hpet, (unsigned long long)period,
                                         (unsigned long long)HPET_PERIOD_MAX_FS);
                clock->hz = FEMTOSECONDS_PER_SECOND / period;
                clock->mask = capabilities & HPET_COUNTER_64BIT ? ~0ull : 0xffffffffull;
                uint64_t configuration = mmio_read64(clock->hpet + HPET_CONFIGURATION);
                if (!(configuration & HPET_ENABLE))
                        mmio_write64(clock->hpet + HPET_CONFIGURATION, configuration | HPET_ENABLE);
                break;
        }
        }
        clock->last = raw(clock);
        return 0;
}

uint64_t reference_clock_read(struct reference_clock *clock) {
        uint64_t now = raw(clock);
        clock->count += (now - clock->last) & clock->mask;
        clock->last = now;
        return clock->count;
}
