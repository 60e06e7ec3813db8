/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* fuzz_acpi.c: libFuzzer harness: ACPI memory images (dump_acpi.py's format) through the parser and the platform resolver. */
#include "acpi.h"
#include "acpi_memory.h"
#include "platform.h"

#include <stdlib.h>
#include <string.h>

#include "require.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The stock board's interrupt lines, as ISA IRQs and as a GSI. */
static const char board_text[] = "aether-board 1\nname fuzz\nlog debugcon 0x402\n"
                                 "uplink pci 0x1af4 0x1110 bar 2 min-size 0x1000\n"
                                 "sensor pressure mmio 0xfd000000\nsensor dose mmio 0xfd000004\n"
                                 "wake 0x20 uart 0x3f8 irq 4\nwake 0x21 line gsi 9 level low\n";

static uint32_t fuzz_pins(void *ctx, uint64_t base) {
        return (uint32_t)((base >> 12) ^ *(const uint8_t *)ctx) % 64;
}

static void check_accepted(const struct acpi_info *info) {
        REQUIRE(info->ioapic_count <= ACPI_MAX_IOAPICS);
        REQUIRE(info->override_count <= ACPI_MAX_OVERRIDES);
        REQUIRE(info->ecam_count <= ACPI_MAX_ECAM);
        REQUIRE(!info->has_madt || info->lapic_address != 0);
        REQUIRE(info->ioapic_count == 0 || info->has_madt);
        for (uint32_t i = 0; i < info->ioapic_count; i++)
                REQUIRE(info->ioapics[i].address != 0);
        for (uint32_t i = 0; i < info->override_count; i++) {
                REQUIRE(info->overrides[i].irq < ACPI_ISA_IRQS);
                for (uint32_t j = 0; j < i; j++)
                        REQUIRE(info->overrides[j].irq != info->overrides[i].irq);
                struct acpi_override o = acpi_isa_irq(info, info->overrides[i].irq);
                REQUIRE(o.gsi == info->overrides[i].gsi);
        }
        for (uint32_t i = 0; i < info->ecam_count; i++)
                REQUIRE(info->ecam[i].start_bus <= info->ecam[i].end_bus && info->ecam[i].base &&
                        !(info->ecam[i].base & 0xfffff));
        REQUIRE(info->pm_timer_port == 0 || info->pm_timer_bits == 24 || info->pm_timer_bits == 32);
        REQUIRE(info->pm_timer_port <= 0xfffc);
        REQUIRE((info->hpet_address & 0x3ff) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        uint8_t *copy = malloc(size ? size : 1);
        memcpy(copy, data, size);
        struct acpi_memory m;
        if (!acpi_memory_load(&m, copy, size)) {
                free(copy);
                return 0;
        }
        struct acpi_info info;
        char error[160];
        memset(error, 'x', sizeof error);
        if (acpi_parse(m.rsdp, acpi_memory_read, &m, &info, error, sizeof error) != 0) {
                REQUIRE(memchr(error, '\0', sizeof error) != NULL && error[0] != '\0');
                free(copy);
                return 0;
        }
        REQUIRE(error[0] == '\0');
        check_accepted(&info);

        /* Whatever the tables say, the resolver either explains itself or puts
         * every wake on a GSI that one of the IOAPICs serves. */
        struct aether_board board;
        struct aether_board_error board_error;
        REQUIRE(aether_board_parse(board_text, sizeof board_text - 1, &board, &board_error) == 0);
        uint8_t salt = size ? data[size - 1] : 0;
        struct aether_platform_hardware hw = {info.lapic_address | 0x900, fuzz_pins, &salt};
        struct aether_platform platform;
        if (aether_platform_resolve(&board, &info, &hw, &platform, error, sizeof error) == 0) {
                REQUIRE(platform.ioapic_count >= 1);
                for (uint32_t i = 0; i < board.wake_count; i++) {
                        uint32_t pin;
                        const struct aether_platform_ioapic *ioapic =
                                aether_platform_ioapic_of(&platform, board.wakes[i].gsi, &pin);
                        REQUIRE(ioapic != NULL && pin < ioapic->pins);
                        for (uint32_t j = 0; j < i; j++)
                                REQUIRE(board.wakes[j].gsi != board.wakes[i].gsi);
                }
                REQUIRE(platform.reference != AETHER_TIMER_REFERENCE_NONE);
        } else {
                REQUIRE(memchr(error, '\0', sizeof error) != NULL && error[0] != '\0');
        }
        free(copy);
        return 0;
}
