/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* acpi.h: the ACPI tables the enclave reads (RSDP, XSDT or RSDT, MADT, MCFG, FADT, HPET): layouts and a pure parser. */
#ifndef AETHER_ACPI_H
#define AETHER_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- layouts (ACPI 6.4, chapter 5) --------------------------------------------- */

struct __attribute__((packed)) acpi_rsdp {
        char signature[8];        /* "RSD PTR " */
        uint8_t checksum;         /* over the first 20 bytes */
        char oem_id[6];
        uint8_t revision;         /* 0: ACPI 1.0 (RSDT only); 2: ACPI 2.0+ (XSDT) */
        uint32_t rsdt_address;
        uint32_t length;          /* revision 2+: of the whole structure */
        uint64_t xsdt_address;
        uint8_t extended_checksum; /* over `length` bytes */
        uint8_t reserved[3];
};
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP is 36 bytes (ACPI 5.2.5.3)");
#define ACPI_RSDP_V1_LENGTH 20

struct __attribute__((packed)) acpi_header {
        char signature[4];
        uint32_t length;          /* of the whole table, header included */
        uint8_t revision;
        uint8_t checksum;         /* the table's bytes sum to 0 mod 256 */
        char oem_id[6];
        char oem_table_id[8];
        uint32_t oem_revision;
        uint32_t creator_id;
        uint32_t creator_revision;
};
_Static_assert(sizeof(struct acpi_header) == 36, "system description table header is 36 bytes (ACPI 5.2.6)");

/* Generic address structure. */
struct __attribute__((packed)) acpi_gas {
        uint8_t space_id;         /* enum acpi_address_space */
        uint8_t bit_width;
        uint8_t bit_offset;
        uint8_t access_size;
        uint64_t address;
};
_Static_assert(sizeof(struct acpi_gas) == 12, "generic address structure is 12 bytes (ACPI 5.2.3.2)");

enum acpi_address_space {
        ACPI_SPACE_MEMORY = 0,
        ACPI_SPACE_IO = 1,
};

/* MADT ("APIC"): the header, then variable-length entries. */
struct __attribute__((packed)) acpi_madt {
        struct acpi_header header;
        uint32_t lapic_address;
        uint32_t flags;           /* bit 0: PC-AT dual 8259s present */
};
_Static_assert(sizeof(struct acpi_madt) == 44, "MADT fixed part is 44 bytes (ACPI 5.2.12)");

struct __attribute__((packed)) acpi_madt_entry {
        uint8_t type;             /* enum acpi_madt_type */
        uint8_t length;
};
_Static_assert(sizeof(struct acpi_madt_entry) == 2, "MADT entry header is 2 bytes");

enum acpi_madt_type {
        ACPI_MADT_LAPIC = 0,
        ACPI_MADT_IOAPIC = 1,
        ACPI_MADT_OVERRIDE = 2,
        ACPI_MADT_LAPIC_ADDRESS = 5,
        ACPI_MADT_X2APIC = 9,
};

struct __attribute__((packed)) acpi_madt_lapic {
        struct acpi_madt_entry entry;
        uint8_t processor_uid;
        uint8_t apic_id;
        uint32_t flags;           /* bit 0: enabled */
};
_Static_assert(sizeof(struct acpi_madt_lapic) == 8, "MADT processor local APIC entry is 8 bytes");

struct __attribute__((packed)) acpi_madt_ioapic {
        struct acpi_madt_entry entry;
        uint8_t id;
        uint8_t reserved;
        uint32_t address;
        uint32_t gsi_base;
};
_Static_assert(sizeof(struct acpi_madt_ioapic) == 12, "MADT I/O APIC entry is 12 bytes");

struct __attribute__((packed)) acpi_madt_override {
        struct acpi_madt_entry entry;
        uint8_t bus;              /* 0: ISA */
        uint8_t source_irq;
        uint32_t gsi;
        uint16_t flags;           /* MPS INTI flags: polarity bits 1:0, trigger bits 3:2 */
};
_Static_assert(sizeof(struct acpi_madt_override) == 10, "MADT interrupt source override entry is 10 bytes");

struct __attribute__((packed)) acpi_madt_lapic_address {
        struct acpi_madt_entry entry;
        uint16_t reserved;
        uint64_t address;
};
_Static_assert(sizeof(struct acpi_madt_lapic_address) == 12, "MADT local APIC address override entry is 12 bytes");

struct __attribute__((packed)) acpi_madt_x2apic {
        struct acpi_madt_entry entry;
        uint16_t reserved;
        uint32_t x2apic_id;
        uint32_t flags;           /* bit 0: enabled */
        uint32_t processor_uid;
};
_Static_assert(sizeof(struct acpi_madt_x2apic) == 16, "MADT processor local x2APIC entry is 16 bytes");

/* MPS INTI flags of an override. */
enum acpi_inti {
        ACPI_INTI_POLARITY_MASK = 0x3,
        ACPI_INTI_POLARITY_CONFORMS = 0x0,
        ACPI_INTI_POLARITY_HIGH = 0x1,
        ACPI_INTI_POLARITY_LOW = 0x3,
        ACPI_INTI_TRIGGER_MASK = 0xc,
        ACPI_INTI_TRIGGER_CONFORMS = 0x0,
        ACPI_INTI_TRIGGER_EDGE = 0x4,
        ACPI_INTI_TRIGGER_LEVEL = 0xc,
};

/* MCFG: the header, 8 reserved bytes, then one entry per ECAM range. */
struct __attribute__((packed)) acpi_mcfg {
        struct acpi_header header;
        uint64_t reserved;
};
_Static_assert(sizeof(struct acpi_mcfg) == 44, "MCFG fixed part is 44 bytes (PCI Firmware 3.2, 4.1.2)");

struct __attribute__((packed)) acpi_mcfg_entry {
        uint64_t base;            /* ECAM of bus 0 of the segment, whatever the start bus */
        uint16_t segment;
        uint8_t start_bus;
        uint8_t end_bus;
        uint32_t reserved;
};
_Static_assert(sizeof(struct acpi_mcfg_entry) == 16, "MCFG allocation entry is 16 bytes");

/* FADT ("FACP"), as far as the extended PM timer block. Older, shorter FADTs
 * end earlier; what they lack reads as zero. */
struct __attribute__((packed)) acpi_fadt {
        struct acpi_header header;
        uint32_t firmware_ctrl;
        uint32_t dsdt;
        uint8_t reserved0;
        uint8_t preferred_pm_profile;
        uint16_t sci_interrupt;
        uint32_t smi_command;
        uint8_t acpi_enable, acpi_disable, s4bios_request, pstate_control;
        uint32_t pm1a_event_block, pm1b_event_block, pm1a_control_block, pm1b_control_block;
        uint32_t pm2_control_block;
        uint32_t pm_timer_block;  /* I/O port of the PM timer; 0: none */
        uint32_t gpe0_block, gpe1_block;
        uint8_t pm1_event_length, pm1_control_length, pm2_control_length;
        uint8_t pm_timer_length;  /* 4 when there is a PM timer */
        uint8_t gpe0_length, gpe1_length, gpe1_base, cst_control;
        uint16_t c2_latency, c3_latency, flush_size, flush_stride;
        uint8_t duty_offset, duty_width, day_alarm, month_alarm, century;
        uint16_t iapc_boot_arch;
        uint8_t reserved1;
        uint32_t flags;           /* enum acpi_fadt_flag */
        struct acpi_gas reset_register;
        uint8_t reset_value;
        uint16_t arm_boot_arch;
        uint8_t minor_version;
        uint64_t x_firmware_ctrl;
        uint64_t x_dsdt;
        struct acpi_gas x_pm1a_event_block, x_pm1b_event_block, x_pm1a_control_block, x_pm1b_control_block;
        struct acpi_gas x_pm2_control_block;
        struct acpi_gas x_pm_timer_block;
};
_Static_assert(__builtin_offsetof(struct acpi_fadt, pm_timer_block) == 76, "FADT PM_TMR_BLK at 76");
_Static_assert(__builtin_offsetof(struct acpi_fadt, pm_timer_length) == 91, "FADT PM_TMR_LEN at 91");
_Static_assert(__builtin_offsetof(struct acpi_fadt, flags) == 112, "FADT Flags at 112");
_Static_assert(__builtin_offsetof(struct acpi_fadt, x_pm_timer_block) == 208, "FADT X_PM_TMR_BLK at 208");
_Static_assert(sizeof(struct acpi_fadt) == 220, "FADT read up to the end of X_PM_TMR_BLK");

enum acpi_fadt_flag {
        ACPI_FADT_TIMER_32BIT = 1u << 8,   /* TMR_VAL_EXT: the PM timer counts 32 bits, else 24 */
        ACPI_FADT_HW_REDUCED = 1u << 20,   /* HW_REDUCED_ACPI: no fixed hardware, no PM timer */
};
#define ACPI_PM_TIMER_HZ 3579545u

/* HPET description table. */
struct __attribute__((packed)) acpi_hpet {
        struct acpi_header header;
        uint32_t event_timer_block_id;
        struct acpi_gas base;     /* the 1 KiB register block; memory space */
        uint8_t number;
        uint16_t minimum_tick;
        uint8_t page_protection;
};
_Static_assert(sizeof(struct acpi_hpet) == 56, "HPET description table is 56 bytes (IA-PC HPET 1.0a, 3.2.4)");

/* ---- what the parser finds --------------------------------------------------------- */

#define ACPI_MAX_IOAPICS 16
#define ACPI_MAX_OVERRIDES 16        /* one per ISA IRQ */
#define ACPI_MAX_ECAM 4              /* segment-0 ranges kept */
#define ACPI_TABLE_MAX_BYTES 0x100000 /* a longer table is taken for garbage */
#define ACPI_ISA_IRQS 16

struct acpi_ioapic {
        uint8_t id;
        uint64_t address;
        uint32_t gsi_base;
};

/* An ISA IRQ that is not identity-mapped, or not edge/active-high. "Conforms"
 * is resolved to the ISA default, edge and active high. */
struct acpi_override {
        uint8_t irq;
        uint32_t gsi;
        bool level_triggered;
        bool active_low;
};

struct acpi_ecam {
        uint64_t base;
        uint8_t start_bus;
        uint8_t end_bus;
};

struct acpi_info {
        uint64_t rsdp_address;
        uint8_t rsdp_revision;
        bool xsdt;                   /* the root table was the XSDT (else the RSDT) */
        uint64_t root_address;
        uint32_t table_count;        /* entries of the root table */

        bool has_madt;
        uint64_t lapic_address;      /* MADT, or its local APIC address override */
        bool pcat_compat;            /* dual 8259s present */
        uint32_t cpu_count;          /* enabled local APIC and x2APIC entries */
        struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
        uint32_t ioapic_count;
        struct acpi_override overrides[ACPI_MAX_OVERRIDES];
        uint32_t override_count;

        bool has_mcfg;
        struct acpi_ecam ecam[ACPI_MAX_ECAM]; /* segment 0 only: the one configuration ports reach */
        uint32_t ecam_count;

        bool has_fadt;
        uint16_t pm_timer_port;      /* 0: no PM timer */
        uint8_t pm_timer_bits;       /* 24 or 32 */

        uint64_t hpet_address;       /* 0: no HPET (the first block when there are several) */
};

/* Reads len bytes of physical memory at address into buf; false when it
 * cannot (the address is not memory the reader knows). */
typedef bool (*acpi_read_fn)(void *ctx, uint64_t address, void *buf, size_t len);

/* Follows the RSDP at rsdp_address to the XSDT (revision 2 and later, when it
 * has one) or the RSDT, and parses the MADT, MCFG, FADT and HPET tables it
 * lists; other tables are skipped. Every table parsed must have its
 * signature, a sane length and a zero checksum. Returns 0 and fills *out, or
 * -1 with a message naming the table, its address and the problem in error
 * (NUL-terminated, cut to fit). */
int acpi_parse(uint64_t rsdp_address, acpi_read_fn read, void *ctx, struct acpi_info *out, char *error,
               size_t error_len);

/* The GSI, trigger and polarity of ISA IRQ irq (0..15): its override, or the
 * identity mapping, edge, active high. */
struct acpi_override acpi_isa_irq(const struct acpi_info *info, uint8_t irq);

#endif
