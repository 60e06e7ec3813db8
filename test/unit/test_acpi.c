/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* test_acpi.c: the ACPI parser on QEMU's q35 and pc tables (test/fixtures/acpi) and on hand-made broken ones. */
#include "acpi.h"
#include "acpi_memory.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t *load_fixture(const char *name, struct acpi_memory *m) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", AETHER_ACPI_FIXTURES, name);
        FILE *f = fopen(path, "rb");
        if (!f) {
                fprintf(stderr, "FAIL: cannot open %s\n", path);
                exit(1);
        }
        static uint8_t buffers[4][4096];
        static int next;
        uint8_t *data = buffers[next++ % 4];
        size_t size = fread(data, 1, sizeof buffers[0], f);
        fclose(f);
        if (size == sizeof buffers[0] || !acpi_memory_load(m, data, size)) {
                fprintf(stderr, "FAIL: %s is not a fixture of under 4 KiB\n", path);
                exit(1);
        }
        return data;
}

static int parse(struct acpi_memory *m, struct acpi_info *info, char *error, size_t len) {
        return acpi_parse(m->rsdp, acpi_memory_read, m, info, error, len);
}

static void fix_checksum(uint8_t *bytes, size_t len, size_t checksum_offset) {
        uint8_t sum = 0;
        bytes[checksum_offset] = 0;
        for (size_t i = 0; i < len; i++)
                sum = (uint8_t)(sum + bytes[i]);
        bytes[checksum_offset] = (uint8_t)-sum;
}

/* What both machines share: the LAPIC, one IOAPIC, 4 CPUs, the PIT on GSI 2,
 * the PCI link IRQs level-triggered, and an HPET. */
static void check_common(const struct acpi_info *info) {
        CHECK(info->rsdp_revision == 2 && info->xsdt);
        CHECK(info->has_madt && info->has_fadt);
        CHECK(info->lapic_address == 0xfee00000);
        CHECK(info->pcat_compat);
        CHECK(info->cpu_count == 4);
        CHECK(info->ioapic_count == 1);
        CHECK(info->ioapics[0].address == 0xfec00000 && info->ioapics[0].gsi_base == 0 && info->ioapics[0].id == 0);
        CHECK(info->override_count == 5);
        struct acpi_override pit = acpi_isa_irq(info, 0);
        CHECK(pit.gsi == 2 && !pit.level_triggered && !pit.active_low);
        struct acpi_override sci = acpi_isa_irq(info, 9);
        CHECK(sci.gsi == 9 && sci.level_triggered && !sci.active_low);
        struct acpi_override com1 = acpi_isa_irq(info, 4);
        CHECK(com1.gsi == 4 && !com1.level_triggered && !com1.active_low);
        CHECK(info->pm_timer_bits == 24);
        CHECK(info->hpet_address == 0xfed00000);
}

static void test_q35(void) {
        struct acpi_memory m;
        load_fixture("q35-smp4-256M.acpi", &m);
        struct acpi_info info;
        char error[200];
        CHECK_MSG(parse(&m, &info, error, sizeof error) == 0, "%s", error);
        CHECK(error[0] == '\0');
        check_common(&info);
        CHECK(info.table_count == 5); /* FACP APIC HPET MCFG WAET */
        CHECK(info.has_mcfg && info.ecam_count == 1);
        CHECK(info.ecam[0].base == 0xb0000000 && info.ecam[0].start_bus == 0 && info.ecam[0].end_bus == 255);
        CHECK(info.pm_timer_port == 0x608); /* X_PM_TMR_BLK, an I/O port */
}

static void test_pc(void) {
        struct acpi_memory m;
        load_fixture("pc-smp4-256M.acpi", &m);
        struct acpi_info info;
        char error[200];
        CHECK_MSG(parse(&m, &info, error, sizeof error) == 0, "%s", error);
        check_common(&info);
        CHECK(info.table_count == 4);          /* FACP APIC HPET WAET */
        CHECK(!info.has_mcfg && info.ecam_count == 0); /* i440fx: configuration ports only */
        CHECK(info.pm_timer_port == 0xb008);   /* a revision 1 FADT: PM_TMR_BLK alone */
}

/* An ACPI 1.0 RSDP: the same tables through the RSDT, 4-byte entries. */
static void test_rsdt(void) {
        struct acpi_memory m;
        load_fixture("q35-smp4-256M.acpi", &m);
        uint8_t *rsdp = acpi_memory_at(&m, m.rsdp, 20);
        rsdp[15] = 0;
        fix_checksum(rsdp, 20, 8);
        struct acpi_info info;
        char error[200];
        CHECK_MSG(parse(&m, &info, error, sizeof error) == 0, "%s", error);
        CHECK(info.rsdp_revision == 0 && !info.xsdt);
        CHECK(info.root_address == acpi_memory_le(rsdp + 16, 4));
        CHECK(info.table_count == 5 && info.ecam_count == 1 && info.ioapic_count == 1 && info.override_count == 5);
}

/* Each broken fixture fails with a message naming what broke. */
static void expect_error(struct acpi_memory *m, const char *needle) {
        struct acpi_info info;
        char error[200];
        CHECK_MSG(parse(m, &info, error, sizeof error) < 0, "parsed, expected '%s'", needle);
        CHECK_MSG(strstr(error, needle) != NULL, "error '%s' lacks '%s'", error, needle);
}

static uint8_t *table(struct acpi_memory *m, const char *signature) {
        for (size_t i = 0; i < m->count; i++)
                if (memcmp(m->blocks[i].bytes, signature, 4) == 0)
                        return m->blocks[i].bytes;
        fprintf(stderr, "FAIL: no %s table in the fixture\n", signature);
        exit(1);
}

static uint64_t address_of(struct acpi_memory *m, const uint8_t *bytes) {
        for (size_t i = 0; i < m->count; i++)
                if (m->blocks[i].bytes == bytes)
                        return m->blocks[i].address;
        return 0;
}

static void test_broken_fixtures(void) {
        struct acpi_memory m;
        char needle[80];

        load_fixture("q35-smp4-256M.acpi", &m);
        uint8_t *madt = table(&m, "APIC");
        madt[40] ^= 1; /* flags */
        snprintf(needle, sizeof needle, "ACPI APIC at 0x%llx: bad checksum", (unsigned long long)address_of(&m, madt));
        expect_error(&m, needle);

        load_fixture("q35-smp4-256M.acpi", &m);
        acpi_memory_at(&m, m.rsdp, 1)[0] = 'X';
        expect_error(&m, "no 'RSD PTR ' signature");

        load_fixture("q35-smp4-256M.acpi", &m);
        m.rsdp += 0x100000;
        expect_error(&m, "cannot be read");

        load_fixture("q35-smp4-256M.acpi", &m);
        uint8_t *rsdp = acpi_memory_at(&m, m.rsdp, 36);
        rsdp[32] ^= 0xff; /* the extended checksum */
        expect_error(&m, "bad extended checksum");

        /* An IOAPIC entry cut short (length 2) must not be read past. */
        load_fixture("pc-smp4-256M.acpi", &m);
        madt = table(&m, "APIC");
        uint32_t length = (uint32_t)acpi_memory_le(madt + 4, 4);
        for (uint32_t offset = 44; offset < length; offset += madt[offset + 1])
                if (madt[offset] == ACPI_MADT_IOAPIC) {
                        madt[offset + 1] = 2;
                        break;
                }
        fix_checksum(madt, length, 9);
        expect_error(&m, "entry of type 1 at offset");

        /* A zero-length entry would loop forever. */
        load_fixture("pc-smp4-256M.acpi", &m);
        madt = table(&m, "APIC");
        madt[44 + 1] = 0;
        fix_checksum(madt, length, 9);
        expect_error(&m, "has length 0");

        /* The XSDT cannot be one and a half entries long. */
        load_fixture("pc-smp4-256M.acpi", &m);
        uint8_t *xsdt = table(&m, "XSDT");
        xsdt[4] = (uint8_t)(xsdt[4] - 4);
        fix_checksum(xsdt, acpi_memory_le(xsdt + 4, 4), 9);
        expect_error(&m, "is not 36 + 8 n");
}

/* A MADT of our own: the fixed part, then `entries`. */
static void madt_case(const uint8_t *entries, size_t entries_len, const char *needle, struct acpi_info *info) {
        static uint8_t image[1024];
        memset(image, 0, sizeof image);
        uint8_t *rsdp = image, *xsdt = image + 64, *madt = image + 128;
        memcpy(rsdp, "RSD PTR ", 8);
        rsdp[15] = 2;
        rsdp[20] = 36;
        uint64_t xsdt_address = 0x10000 + 64, madt_address = 0x10000 + 128;
        memcpy(rsdp + 24, &xsdt_address, 8);
        fix_checksum(rsdp, 20, 8);
        fix_checksum(rsdp, 36, 32);
        memcpy(xsdt, "XSDT", 4);
        xsdt[4] = 44;
        memcpy(xsdt + 36, &madt_address, 8);
        fix_checksum(xsdt, 44, 9);
        uint32_t length = (uint32_t)(44 + entries_len);
        memcpy(madt, "APIC", 4);
        memcpy(madt + 4, &length, 4);
        uint32_t lapic = 0xfee00000;
        memcpy(madt + 36, &lapic, 4);
        memcpy(madt + 44, entries, entries_len);
        fix_checksum(madt, length, 9);
        struct acpi_memory m = {.rsdp = 0x10000, .count = 1};
        m.blocks[0].address = 0x10000;
        m.blocks[0].bytes = image;
        m.blocks[0].length = sizeof image;
        char error[200];
        int result = parse(&m, info, error, sizeof error);
        if (needle) {
                CHECK_MSG(result < 0 && strstr(error, needle), "error '%s', expected '%s'", error, needle);
        } else {
                CHECK_MSG(result == 0, "%s", error);
        }
}

static void test_madt_entries(void) {
        struct acpi_info info;
        /* A local APIC address override, an x2APIC CPU, an override to level, active low. */
        static const uint8_t good[] = {
                5, 12, 0, 0, 0x00, 0x10, 0xe0, 0xfe, 0, 0, 0, 0,            /* LAPIC at 0xfee01000 */
                9, 16, 0, 0, 0x00, 0x01, 0, 0, 1, 0, 0, 0, 7, 0, 0, 0,       /* x2APIC 256, enabled */
                0, 8, 1, 1, 0, 0, 0, 0,                                       /* LAPIC 1, disabled */
                1, 12, 2, 0, 0x00, 0x10, 0xc0, 0xfe, 24, 0, 0, 0,            /* IOAPIC 2 at 0xfec01000, GSI 24 */
                2, 10, 0, 4, 30, 0, 0, 0, 0x0f, 0,                            /* IRQ 4 -> GSI 30, level, low */
                4, 6, 0xff, 0, 0, 1,                                          /* a LAPIC NMI: skipped */
        };
        madt_case(good, sizeof good, NULL, &info);
        CHECK(info.lapic_address == 0xfee01000);
        CHECK(info.cpu_count == 1);
        CHECK(info.ioapic_count == 1 && info.ioapics[0].address == 0xfec01000 && info.ioapics[0].gsi_base == 24);
        struct acpi_override com1 = acpi_isa_irq(&info, 4);
        CHECK(com1.gsi == 30 && com1.level_triggered && com1.active_low);
        CHECK(!info.has_fadt && info.pm_timer_port == 0 && info.hpet_address == 0 && !info.has_mcfg);

        static const uint8_t reserved_polarity[] = {2, 10, 0, 4, 4, 0, 0, 0, 0x02, 0};
        madt_case(reserved_polarity, sizeof reserved_polarity, "IRQ 4 has the reserved polarity 2", &info);
        static const uint8_t reserved_trigger[] = {2, 10, 0, 4, 4, 0, 0, 0, 0x08, 0};
        madt_case(reserved_trigger, sizeof reserved_trigger, "IRQ 4 has the reserved trigger mode 2", &info);
        static const uint8_t not_isa[] = {2, 10, 1, 4, 4, 0, 0, 0, 0, 0};
        madt_case(not_isa, sizeof not_isa, "names bus 1, not ISA", &info);
        static const uint8_t irq_16[] = {2, 10, 0, 16, 16, 0, 0, 0, 0, 0};
        madt_case(irq_16, sizeof irq_16, "IRQ 16, not an ISA IRQ", &info);
        static const uint8_t twice[] = {2, 10, 0, 4, 4, 0, 0, 0, 0, 0, 2, 10, 0, 4, 5, 0, 0, 0, 0, 0};
        madt_case(twice, sizeof twice, "two overrides of IRQ 4 (to GSI 4 and 5)", &info);
        static const uint8_t ioapic_zero[] = {1, 12, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        madt_case(ioapic_zero, sizeof ioapic_zero, "IOAPIC 3 at address 0", &info);
        static const uint8_t stray[] = {0, 8, 0, 0, 1, 0, 0, 0, 0};
        madt_case(stray, sizeof stray, "1 stray bytes at the end", &info);
        static const uint8_t past_end[] = {1, 13, 0, 0, 0, 0, 0xc0, 0xfe, 0, 0, 0, 0};
        madt_case(past_end, sizeof past_end, "entry of type 1 at offset 44 has length 13", &info);

        uint8_t many[12 * (ACPI_MAX_IOAPICS + 1)];
        for (unsigned i = 0; i <= ACPI_MAX_IOAPICS; i++) {
                uint8_t entry[12] = {1, 12, (uint8_t)i, 0, 0, (uint8_t)(i << 4), 0xc0, 0xfe, (uint8_t)(24 * i), 0, 0, 0};
                memcpy(many + 12 * i, entry, sizeof entry);
        }
        madt_case(many, sizeof many, "more than 16 IOAPICs", &info);
}

int main(void) {
        test_q35();
        test_pc();
        test_rsdt();
        test_broken_fixtures();
        test_madt_entries();
        return check_summary("test_acpi");
}
