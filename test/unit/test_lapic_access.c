/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* test_lapic_access.c: the LAPIC register interface, x2APIC half included (QEMU's TCG has no x2APIC), on a fake bus. */
#include "lapic_access.h"
#include "check.h"

#include <string.h>

/* The fake LAPIC: every access is logged; MSR reads answer from msr_value. */
enum access_kind { MMIO_READ, MMIO_WRITE, MSR_READ, MSR_WRITE };
static struct access {
        enum access_kind kind;
        uint64_t where;
        uint64_t value;
} log_[16];
static unsigned log_count;
static uint64_t msr_value, mmio_value;

static void record(enum access_kind kind, uint64_t where, uint64_t value) {
        if (log_count < sizeof log_ / sizeof log_[0])
                log_[log_count] = (struct access){kind, where, value};
        log_count++;
}
static uint32_t fake_mmio_read(uint64_t address) {
        record(MMIO_READ, address, 0);
        return (uint32_t)mmio_value;
}
static void fake_mmio_write(uint64_t address, uint32_t value) {
        record(MMIO_WRITE, address, value);
}
static uint64_t fake_msr_read(uint32_t msr) {
        record(MSR_READ, msr, 0);
        return msr_value;
}
static void fake_msr_write(uint32_t msr, uint64_t value) {
        record(MSR_WRITE, msr, value);
}
static const struct lapic_bus fake_bus = {fake_mmio_read, fake_mmio_write, fake_msr_read, fake_msr_write};

static void reset(void) {
        memset(log_, 0, sizeof log_);
        log_count = 0;
}

static void check_one(enum access_kind kind, uint64_t where, uint64_t value) {
        CHECK_MSG(log_count == 1 && log_[0].kind == kind && log_[0].where == where && log_[0].value == value,
                  "%u accesses, first kind %d at 0x%llx value 0x%llx; want kind %d at 0x%llx value 0x%llx", log_count,
                  log_[0].kind, (unsigned long long)log_[0].where, (unsigned long long)log_[0].value, kind,
                  (unsigned long long)where, (unsigned long long)value);
        reset();
}

static void test_mode_from_msr(void) {
        enum lapic_mode mode;
        uint64_t base;
        char error[160];
        CHECK(lapic_mode_from_msr(0xfee00900, &mode, &base, error, sizeof error) == 0); /* EN, BSP */
        CHECK(mode == LAPIC_MODE_XAPIC && base == 0xfee00000);
        CHECK(lapic_mode_from_msr(0xfee00d00, &mode, &base, error, sizeof error) == 0); /* EN, EXTD, BSP */
        CHECK(mode == LAPIC_MODE_X2APIC);
        CHECK(lapic_mode_from_msr(0x1234567000ull | APIC_BASE_ENABLE, &mode, &base, error, sizeof error) == 0);
        CHECK(base == 0x1234567000ull);
        CHECK(lapic_mode_from_msr(0xfee00100, &mode, &base, error, sizeof error) < 0);
        CHECK(strcmp(error, "IA32_APIC_BASE 0xfee00100: the local APIC is disabled (EN clear)") == 0);
        CHECK(lapic_mode_from_msr(0xfee00500, &mode, &base, error, sizeof error) < 0);
        CHECK(strstr(error, "with x2APIC set, an invalid state") != NULL);
}

/* x2APIC: each register is MSR 0x800 + offset / 16, no MMIO at all. */
static void test_x2apic(void) {
        struct lapic_access a = {LAPIC_MODE_X2APIC, 0xfee00000, &fake_bus};
        static const struct {
                enum lapic_register reg;
                uint32_t msr;
        } map[] = {
                {LAPIC_ID, 0x802},          {LAPIC_TPR, 0x808},         {LAPIC_EOI, 0x80b},
                {LAPIC_SVR, 0x80f},         {LAPIC_LVT_TIMER, 0x832},   {LAPIC_LVT_LINT0, 0x835},
                {LAPIC_LVT_LINT1, 0x836},   {LAPIC_LVT_ERROR, 0x837},   {LAPIC_TIMER_INITIAL, 0x838},
                {LAPIC_TIMER_CURRENT, 0x839}, {LAPIC_TIMER_DIVIDE, 0x83e},
        };
        reset();
        for (unsigned i = 0; i < sizeof map / sizeof map[0]; i++) {
                lapic_access_write(&a, map[i].reg, 0x1ff);
                check_one(MSR_WRITE, map[i].msr, 0x1ff);
                msr_value = 0xffffffff00000000ull | (0x100u + i);
                CHECK(lapic_access_read(&a, map[i].reg) == 0x100u + i); /* the upper half is not the register's */
                check_one(MSR_READ, map[i].msr, 0);
        }
        lapic_access_write(&a, LAPIC_EOI, 0);
        check_one(MSR_WRITE, 0x80b, 0); /* a non-zero EOI write is a #GP in x2APIC mode */

        msr_value = 0x12345; /* the x2APIC ID register holds all 32 bits */
        CHECK(lapic_access_id(&a) == 0x12345);
        check_one(MSR_READ, 0x802, 0);

        lapic_access_self_ipi(&a, 0x20);
        check_one(MSR_WRITE, X2APIC_MSR_SELF_IPI, 0x20);

        uint8_t destination = 0;
        char error[160];
        msr_value = 7;
        CHECK(lapic_access_ioapic_destination(&a, &destination, error, sizeof error) == 0 && destination == 7);
        reset();
        msr_value = 0x100;
        CHECK(lapic_access_ioapic_destination(&a, &destination, error, sizeof error) < 0);
        CHECK(strcmp(error, "x2APIC ID 256 does not fit the IOAPIC's 8-bit destination (that needs interrupt "
                            "remapping)") == 0);
        reset();
}

/* xAPIC: MMIO at the base, the ID in bits 31:24, the ICR's pending bit waited on. */
static void test_xapic(void) {
        struct lapic_access a = {LAPIC_MODE_XAPIC, 0xfee00000, &fake_bus};
        reset();
        lapic_access_write(&a, LAPIC_TPR, 0x20);
        check_one(MMIO_WRITE, 0xfee00080, 0x20);
        mmio_value = 0x03000000;
        CHECK(lapic_access_id(&a) == 3);
        check_one(MMIO_READ, 0xfee00020, 0);
        mmio_value = 0;
        lapic_access_self_ipi(&a, 0x21);
        CHECK(log_count == 3);
        CHECK(log_[0].kind == MMIO_READ && log_[0].where == 0xfee00300);
        CHECK(log_[1].kind == MMIO_WRITE && log_[1].where == 0xfee00310 && log_[1].value == 0);
        CHECK(log_[2].kind == MMIO_WRITE && log_[2].where == 0xfee00300 && log_[2].value == (LAPIC_ICR_SELF | 0x21));
        reset();
}

int main(void) {
        test_mode_from_msr();
        test_x2apic();
        test_xapic();
        return check_summary("test_lapic_access");
}
