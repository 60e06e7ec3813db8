/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* platform.c: ACPI, the board and IA32_APIC_BASE reconciled into the platform the enclave drives (pure). */
#include "platform.h"

#include <stdarg.h>

#include "format.h"
#include "lapic_access.h"

struct resolve {
        char *error;
        size_t error_len;
};

static int fail(struct resolve *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct resolve *r, const char *fmt, ...) {
        va_list args;
        va_start(args, fmt);
        aether_vformat(r->error, r->error_len, fmt, args);
        va_end(args);
        return -1;
}

/* The LAPIC: IA32_APIC_BASE, ACPI and the board must name one address. */
static int resolve_lapic(struct resolve *r, const struct aether_board *board, const struct acpi_info *madt,
                         uint64_t apic_base_msr, struct aether_platform *out) {
        enum lapic_mode mode;
        uint64_t msr_base;
        if (lapic_mode_from_msr(apic_base_msr, &mode, &msr_base, r->error, r->error_len))
                return -1;
        out->x2apic = mode == LAPIC_MODE_X2APIC;
        if (madt && board->has_lapic && board->lapic_base != madt->lapic_address)
                return fail(r, "board lapic 0x%llx disagrees with ACPI's local APIC address 0x%llx",
                            (unsigned long long)board->lapic_base, (unsigned long long)madt->lapic_address);
        if (!madt && !board->has_lapic)
                return fail(r, "no ACPI MADT, and the board has no lapic line");
        out->lapic_base = madt ? madt->lapic_address : board->lapic_base;
        if (!out->x2apic && msr_base != out->lapic_base)
                return fail(r, "IA32_APIC_BASE puts the local APIC at 0x%llx, %s at 0x%llx",
                            (unsigned long long)msr_base, madt ? "ACPI" : "the board", (unsigned long long)out->lapic_base);
        return 0;
}

/* The IOAPICs: ACPI's (a board `ioapic` must be the one at GSI base 0), or
 * the board's alone. Pin counts come from the hardware. */
static int resolve_ioapics(struct resolve *r, const struct aether_board *board, const struct acpi_info *madt,
                           const struct aether_platform_hardware *hw, struct aether_platform *out) {
        if (!madt && !board->has_ioapic)
                return fail(r, "no ACPI MADT, and the board has no ioapic line");
        if (madt && !madt->ioapic_count)
                return fail(r, "the ACPI MADT lists no IOAPIC");
        out->ioapic_count = madt ? madt->ioapic_count : 1;
        for (uint32_t i = 0; i < out->ioapic_count; i++) {
                uint64_t base = madt ? madt->ioapics[i].address : board->ioapic_base;
                out->ioapics[i] = (struct aether_platform_ioapic){base, madt ? madt->ioapics[i].gsi_base : 0,
                                                                  hw->ioapic_pins(hw->ctx, base)};
                if (out->ioapics[i].pins == 0 || out->ioapics[i].pins > AETHER_BOARD_IOAPIC_MAX_PINS)
                        return fail(r, "the IOAPIC at 0x%llx reports %u pins (want 1..%u)", (unsigned long long)base,
                                    out->ioapics[i].pins, AETHER_BOARD_IOAPIC_MAX_PINS);
        }
        for (uint32_t i = 0; i < out->ioapic_count; i++)
                for (uint32_t j = i + 1; j < out->ioapic_count; j++) {
                        const struct aether_platform_ioapic *a = &out->ioapics[i], *b = &out->ioapics[j];
                        if ((uint64_t)a->gsi_base < (uint64_t)b->gsi_base + b->pins &&
                            (uint64_t)b->gsi_base < (uint64_t)a->gsi_base + a->pins)
                                return fail(r, "the IOAPICs at 0x%llx (GSIs %u-%u) and 0x%llx (GSIs %u-%u) overlap",
                                            (unsigned long long)a->base, a->gsi_base, a->gsi_base + a->pins - 1,
                                            (unsigned long long)b->base, b->gsi_base, b->gsi_base + b->pins - 1);
                }
        if (!board->has_ioapic)
                return 0;
        uint32_t pin;
        const struct aether_platform_ioapic *first = aether_platform_ioapic_of(out, 0, &pin);
        if (!first)
                return fail(r, "board ioapic 0x%llx: ACPI has no IOAPIC at GSI base 0",
                            (unsigned long long)board->ioapic_base);
        if (first->base != board->ioapic_base)
                return fail(r, "board ioapic 0x%llx disagrees with ACPI's IOAPIC at GSI base 0, at 0x%llx",
                            (unsigned long long)board->ioapic_base, (unsigned long long)first->base);
        if (first->pins != board->ioapic_pins)
                return fail(r, "board ioapic 0x%llx has %u pins, the IOAPIC reports %u",
                            (unsigned long long)board->ioapic_base, board->ioapic_pins, first->pins);
        return 0;
}

/* Every wake on a GSI an IOAPIC serves, each its own; `irq` wakes translated. */
static int resolve_wakes(struct resolve *r, struct aether_board *board, const struct acpi_info *madt,
                         const struct aether_platform *out) {
        static const struct acpi_info no_overrides;
        for (uint32_t i = 0; i < board->wake_count; i++) {
                struct aether_board_wake *wake = &board->wakes[i];
                switch (wake->input) {
                case AETHER_BOARD_INPUT_GSI:
                        break;
                case AETHER_BOARD_INPUT_ISA_IRQ: {
                        struct acpi_override isa = acpi_isa_irq(madt ? madt : &no_overrides, wake->irq);
                        wake->gsi = isa.gsi;
                        wake->level_triggered = isa.level_triggered;
                        wake->active_low = isa.active_low;
                        break;
                }
                }
                uint32_t pin;
                if (!aether_platform_ioapic_of(out, wake->gsi, &pin))
                        return fail(r, "wake 0x%x: GSI %u is on no IOAPIC (%u IOAPICs, the first serving GSIs %u-%u)",
                                    wake->vector, wake->gsi, out->ioapic_count, out->ioapics[0].gsi_base,
                                    out->ioapics[0].gsi_base + out->ioapics[0].pins - 1);
                for (uint32_t j = 0; j < i; j++)
                        if (board->wakes[j].gsi == wake->gsi)
                                return fail(r, "wakes 0x%x and 0x%x are both on GSI %u", board->wakes[j].vector,
                                            wake->vector, wake->gsi);
        }
        return 0;
}

/* The HPET when there is one (finer, and 64 bits), else the PM timer. */
static int resolve_timer(struct resolve *r, const struct aether_board *board, const struct acpi_info *acpi,
                         struct aether_platform *out) {
        out->lapic_timer_hz = board->lapic_timer_hz;
        if (acpi && acpi->hpet_address) {
                out->reference = AETHER_TIMER_REFERENCE_HPET;
                out->hpet_base = acpi->hpet_address;
        } else if (acpi && acpi->pm_timer_port) {
                out->reference = AETHER_TIMER_REFERENCE_PM_TIMER;
                out->pm_timer_port = acpi->pm_timer_port;
                out->pm_timer_bits = acpi->pm_timer_bits;
        } else if (!board->lapic_timer_hz) {
                return fail(r, "no HPET or ACPI PM timer to measure the LAPIC timer against, and the board "
                               "gives no lapic-timer-hz");
        }
        return 0;
}

int aether_platform_resolve(struct aether_board *board, const struct acpi_info *acpi,
                            const struct aether_platform_hardware *hardware, struct aether_platform *out, char *error,
                            size_t error_len) {
        struct resolve r = {error, error_len};
        *out = (struct aether_platform){0};
        if (error_len)
                error[0] = '\0';
        const struct acpi_info *madt = acpi && acpi->has_madt ? acpi : NULL;
        out->acpi = madt != NULL;
        if (resolve_lapic(&r, board, madt, hardware->apic_base_msr, out) ||
            resolve_ioapics(&r, board, madt, hardware, out) || resolve_wakes(&r, board, madt, out) ||
            resolve_timer(&r, board, acpi, out))
                return -1;
        if (acpi) {
                for (uint32_t i = 0; i < acpi->ecam_count; i++)
                        out->ecam[i] = acpi->ecam[i];
                out->ecam_count = acpi->ecam_count;
        }
        return 0;
}

const struct aether_platform_ioapic *aether_platform_ioapic_of(const struct aether_platform *platform, uint32_t gsi,
                                                               uint32_t *pin) {
        for (uint32_t i = 0; i < platform->ioapic_count; i++) {
                const struct aether_platform_ioapic *ioapic = &platform->ioapics[i];
                if (gsi >= ioapic->gsi_base && gsi - ioapic->gsi_base < ioapic->pins) {
                        *pin = gsi - ioapic->gsi_base;
                        return ioapic;
                }
        }
        return NULL;
}

const char *aether_timer_reference_name(enum aether_timer_reference reference) {
        switch (reference) {
        case AETHER_TIMER_REFERENCE_NONE:
                return "none";
        case AETHER_TIMER_REFERENCE_PM_TIMER:
                return "ACPI PM timer";
        case AETHER_TIMER_REFERENCE_HPET:
                return "HPET";
        }
        return "unknown";
}
