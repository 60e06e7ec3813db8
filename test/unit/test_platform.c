/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* test_platform.c: ACPI, the board and IA32_APIC_BASE reconciled: agreement, every mismatch message, IRQ translation. */
#include "platform.h"
#include "acpi_memory.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lapic_access.h"

/* IA32_APIC_BASE as OVMF leaves it: xAPIC at 0xfee00000, enabled, this CPU the BSP. */
#define APIC_BASE_XAPIC (0xfee00000ull | APIC_BASE_ENABLE | APIC_BASE_BSP)

static struct acpi_info fixture_info(const char *name) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", AETHER_ACPI_FIXTURES, name);
        FILE *f = fopen(path, "rb");
        static uint8_t data[4096];
        size_t size = f ? fread(data, 1, sizeof data, f) : 0;
        if (f)
                fclose(f);
        struct acpi_memory m;
        struct acpi_info info;
        char error[200];
        if (!acpi_memory_load(&m, data, size) || acpi_parse(m.rsdp, acpi_memory_read, &m, &info, error, sizeof error)) {
                fprintf(stderr, "FAIL: fixture %s\n", path);
                exit(1);
        }
        return info;
}

static uint32_t pins_24(void *ctx, uint64_t base) {
        (void)ctx;
        (void)base;
        return 24;
}
static uint32_t pins_from_ctx(void *ctx, uint64_t base) {
        (void)base;
        return *(uint32_t *)ctx;
}

static struct aether_board board_from(const char *text) {
        struct aether_board b;
        struct aether_board_error err;
        if (aether_board_parse(text, strlen(text), &b, &err)) {
                char message[200];
                aether_board_error_format(&err, message, sizeof message);
                fprintf(stderr, "FAIL: board: %s\n%s", message, text);
                exit(1);
        }
        return b;
}

#define HEAD "aether-board 1\nname t\nlog debugcon 0x402\nuplink pci 0x1af4 0x1110 bar 2 min-size 0x1000\n"

static int resolve(struct aether_board *b, const struct acpi_info *acpi, uint64_t msr, struct aether_platform *out,
                   char *error, size_t len) {
        struct aether_platform_hardware hw = {msr, pins_24, NULL};
        return aether_platform_resolve(b, acpi, &hw, out, error, len);
}

static void expect_error(const char *board_text, const struct acpi_info *acpi, uint64_t msr, const char *message) {
        struct aether_board b = board_from(board_text);
        struct aether_platform p;
        char error[200];
        CHECK_MSG(resolve(&b, acpi, msr, &p, error, sizeof error) < 0, "resolved, expected '%s'", message);
        CHECK_MSG(strcmp(error, message) == 0, "error '%s', expected '%s'", error, message);
}

/* The stock board on QEMU's q35 tables: everything agrees. */
static void test_stock_board(void) {
        FILE *f = fopen(AETHER_BOARDS_DIR "/qemu-q35.board", "rb");
        static char text[8192];
        size_t len = f ? fread(text, 1, sizeof text - 1, f) : 0;
        if (f)
                fclose(f);
        text[len] = '\0';
        struct aether_board b = board_from(text);
        CHECK(b.wakes[0].input == AETHER_BOARD_INPUT_ISA_IRQ && b.wakes[0].irq == 4 && b.lapic_timer_hz == 0);
        struct acpi_info acpi = fixture_info("q35-smp4-256M.acpi");
        struct aether_platform p;
        char error[200];
        CHECK_MSG(resolve(&b, &acpi, APIC_BASE_XAPIC, &p, error, sizeof error) == 0, "%s", error);
        CHECK(p.acpi && !p.x2apic && p.lapic_base == 0xfee00000);
        CHECK(p.ioapic_count == 1 && p.ioapics[0].base == 0xfec00000 && p.ioapics[0].pins == 24);
        CHECK(b.wakes[0].gsi == 4 && !b.wakes[0].level_triggered && !b.wakes[0].active_low);
        CHECK(b.wakes[1].gsi == 3);
        CHECK(p.reference == AETHER_TIMER_REFERENCE_HPET && p.hpet_base == 0xfed00000 && p.lapic_timer_hz == 0);
        CHECK(p.ecam_count == 1 && p.ecam[0].base == 0xb0000000);
        uint32_t pin;
        CHECK(aether_platform_ioapic_of(&p, 23, &pin) == &p.ioapics[0] && pin == 23);
        CHECK(aether_platform_ioapic_of(&p, 24, &pin) == NULL);
}

/* IRQs go through the overrides; GSI lines keep the board's trigger and polarity. */
static void test_translation(void) {
        struct acpi_info acpi = fixture_info("pc-smp4-256M.acpi");
        struct aether_board b = board_from(HEAD "sensor pressure mmio 0xfd000000\nsensor dose mmio 0xfd000004\n"
                                                "wake 0x20 line irq 9\nwake 0x21 uart 0x3f8 irq 0\n");
        struct aether_platform p;
        char error[200];
        CHECK_MSG(resolve(&b, &acpi, APIC_BASE_XAPIC, &p, error, sizeof error) == 0, "%s", error);
        CHECK(b.wakes[0].gsi == 9 && b.wakes[0].level_triggered && !b.wakes[0].active_low);
        CHECK(b.wakes[1].gsi == 2 && !b.wakes[1].level_triggered); /* the PIT's override */
        CHECK(p.ecam_count == 0);

        b = board_from(HEAD "sensor pressure mmio 0xfd000000\nsensor dose mmio 0xfd000004\n"
                            "wake 0x20 line gsi 16 level low\n");
        CHECK(resolve(&b, &acpi, APIC_BASE_XAPIC, &p, error, sizeof error) == 0);
        CHECK(b.wakes[0].gsi == 16 && b.wakes[0].level_triggered && b.wakes[0].active_low);

        /* The PM timer when there is no HPET. */
        acpi.hpet_address = 0;
        CHECK(resolve(&b, &acpi, APIC_BASE_XAPIC, &p, error, sizeof error) == 0);
        CHECK(p.reference == AETHER_TIMER_REFERENCE_PM_TIMER && p.pm_timer_port == 0xb008 && p.pm_timer_bits == 24);
        CHECK(strcmp(aether_timer_reference_name(p.reference), "ACPI PM timer") == 0);
}

static void test_mismatches(void) {
        struct acpi_info acpi = fixture_info("q35-smp4-256M.acpi");
        expect_error(HEAD "lapic 0xfee01000\nwake 0x20 uart 0x3f8 irq 4\n", &acpi, APIC_BASE_XAPIC,
                     "board lapic 0xfee01000 disagrees with ACPI's local APIC address 0xfee00000");
        expect_error(HEAD "ioapic 0xfec01000 24\nwake 0x20 uart 0x3f8 irq 4\n", &acpi, APIC_BASE_XAPIC,
                     "board ioapic 0xfec01000 disagrees with ACPI's IOAPIC at GSI base 0, at 0xfec00000");
        expect_error(HEAD "ioapic 0xfec00000 16\nwake 0x20 uart 0x3f8 irq 4\n", &acpi, APIC_BASE_XAPIC,
                     "board ioapic 0xfec00000 has 16 pins, the IOAPIC reports 24");
        expect_error(HEAD "wake 0x20 uart 0x3f8 irq 4\n", &acpi, 0xfed00900,
                     "IA32_APIC_BASE puts the local APIC at 0xfed00000, ACPI at 0xfee00000");
        expect_error(HEAD "wake 0x20 uart 0x3f8 irq 4\n", &acpi, 0xfee00100,
                     "IA32_APIC_BASE 0xfee00100: the local APIC is disabled (EN clear)");
        expect_error(HEAD "wake 0x20 uart 0x3f8 gsi 24\n", &acpi, APIC_BASE_XAPIC,
                     "wake 0x20: GSI 24 is on no IOAPIC (1 IOAPICs, the first serving GSIs 0-23)");
        expect_error(HEAD "wake 0x20 uart 0x3f8 irq 0\nwake 0x21 uart 0x2f8 gsi 2\n", &acpi, APIC_BASE_XAPIC,
                     "wakes 0x20 and 0x21 are both on GSI 2");

        struct acpi_info no_timer = acpi;
        no_timer.hpet_address = 0;
        no_timer.pm_timer_port = 0;
        expect_error(HEAD "wake 0x20 uart 0x3f8 irq 4\n", &no_timer, APIC_BASE_XAPIC,
                     "no HPET or ACPI PM timer to measure the LAPIC timer against, and the board gives no "
                     "lapic-timer-hz");
        struct aether_board b = board_from(HEAD "lapic-timer-hz 25000000\nwake 0x20 uart 0x3f8 irq 4\n");
        struct aether_platform p;
        char error[200];
        CHECK(resolve(&b, &no_timer, APIC_BASE_XAPIC, &p, error, sizeof error) == 0);
        CHECK(p.reference == AETHER_TIMER_REFERENCE_NONE && p.lapic_timer_hz == 25000000);

        struct acpi_info two = acpi;
        two.ioapics[1] = (struct acpi_ioapic){1, 0xfec01000, 20};
        two.ioapic_count = 2;
        expect_error(HEAD "wake 0x20 uart 0x3f8 irq 4\n", &two, APIC_BASE_XAPIC,
                     "the IOAPICs at 0xfec00000 (GSIs 0-23) and 0xfec01000 (GSIs 20-43) overlap");
        two.ioapics[1].gsi_base = 24;
        b = board_from(HEAD "wake 0x20 uart 0x3f8 gsi 40\n");
        CHECK(resolve(&b, &two, APIC_BASE_XAPIC, &p, error, sizeof error) == 0);
        uint32_t pin;
        CHECK(aether_platform_ioapic_of(&p, 40, &pin) == &p.ioapics[1] && pin == 16);

        uint32_t broken = 0;
        struct aether_platform_hardware hw = {APIC_BASE_XAPIC, pins_from_ctx, &broken};
        b = board_from(HEAD "wake 0x20 uart 0x3f8 irq 4\n");
        CHECK(aether_platform_resolve(&b, &acpi, &hw, &p, error, sizeof error) < 0);
        CHECK(strcmp(error, "the IOAPIC at 0xfec00000 reports 0 pins (want 1..240)") == 0);
}

/* x2APIC mode: no MMIO base to compare. */
static void test_x2apic(void) {
        struct acpi_info acpi = fixture_info("q35-smp4-256M.acpi");
        struct aether_board b = board_from(HEAD "wake 0x20 uart 0x3f8 irq 4\n");
        struct aether_platform p;
        char error[200];
        CHECK(resolve(&b, &acpi, 0xfee00d00, &p, error, sizeof error) == 0);
        CHECK(p.x2apic);
}

/* Without ACPI the board is all there is: it must name both controllers and
 * a timer rate; ISA IRQs map to the same GSI, edge, active high. */
static void test_without_acpi(void) {
        expect_error(HEAD "wake 0x20 uart 0x3f8 irq 4\n", NULL, APIC_BASE_XAPIC,
                     "no ACPI MADT, and the board has no lapic line");
        expect_error(HEAD "lapic 0xfee00000\nwake 0x20 uart 0x3f8 irq 4\n", NULL, APIC_BASE_XAPIC,
                     "no ACPI MADT, and the board has no ioapic line");
        expect_error(HEAD "lapic 0xfee00000\nioapic 0xfec00000 24\nwake 0x20 uart 0x3f8 irq 4\n", NULL,
                     APIC_BASE_XAPIC,
                     "no HPET or ACPI PM timer to measure the LAPIC timer against, and the board gives no "
                     "lapic-timer-hz");
        expect_error(HEAD "lapic 0xfee01000\nioapic 0xfec00000 24\nwake 0x20 uart 0x3f8 irq 4\n", NULL,
                     APIC_BASE_XAPIC, "IA32_APIC_BASE puts the local APIC at 0xfee00000, the board at 0xfee01000");
        struct aether_board b = board_from(HEAD "lapic 0xfee00000\nioapic 0xfec00000 24\nlapic-timer-hz 1000\n"
                                                "wake 0x20 uart 0x3f8 irq 4\n");
        struct aether_platform p;
        char error[200];
        CHECK_MSG(resolve(&b, NULL, APIC_BASE_XAPIC, &p, error, sizeof error) == 0, "%s", error);
        CHECK(!p.acpi && p.ioapic_count == 1 && p.ioapics[0].base == 0xfec00000 && p.ecam_count == 0);
        CHECK(b.wakes[0].gsi == 4 && !b.wakes[0].level_triggered && !b.wakes[0].active_low);
}

int main(void) {
        test_stock_board();
        test_translation();
        test_mismatches();
        test_x2apic();
        test_without_acpi();
        return check_summary("test_platform");
}
