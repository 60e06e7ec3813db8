/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* acpi.c: RSDP, XSDT/RSDT, MADT, MCFG, FADT and HPET parsing through a physical-memory reader (pure, no allocation). */
#include "acpi.h"

#include <stdarg.h>

#include "format.h"

struct parse {
        acpi_read_fn read;
        void *ctx;
        struct acpi_info *out;
        char *error;
        size_t error_len;
};

static int fail(struct parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct parse *p, const char *fmt, ...) {
        va_list args;
        va_start(args, fmt);
        aether_vformat(p->error, p->error_len, fmt, args);
        va_end(args);
        return -1;
}

static bool same4(const char *a, const char *b) {
        return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3];
}

/* A signature as text for messages: four bytes, the unprintable ones as '?'. */
struct signature_text {
        char text[5];
};

static struct signature_text signature_text(const char *signature) {
        struct signature_text s;
        for (int i = 0; i < 4; i++) {
                char c = signature[i];
                s.text[i] = c >= 0x20 && c < 0x7f ? c : '?';
        }
        s.text[4] = '\0';
        return s;
}

static int read_or_fail(struct parse *p, uint64_t address, void *buf, size_t len, const char *what) {
        if (!p->read(p->ctx, address, buf, len))
                return fail(p, "%s at 0x%llx: %llu bytes cannot be read", what, (unsigned long long)address,
                            (unsigned long long)len);
        return 0;
}

/* The byte sum of len bytes at address, read a chunk at a time. */
static int byte_sum(struct parse *p, uint64_t address, uint32_t len, const char *what, uint8_t *sum) {
        uint8_t chunk[64];
        uint8_t total = 0;
        for (uint32_t done = 0; done < len;) {
                uint32_t n = len - done < sizeof(chunk) ? len - done : (uint32_t)sizeof(chunk);
                if (read_or_fail(p, address + done, chunk, n, what))
                        return -1;
                for (uint32_t i = 0; i < n; i++)
                        total = (uint8_t)(total + chunk[i]);
                done += n;
        }
        *sum = total;
        return 0;
}

/* Reads and checks the header of the table at address: its length (at least
 * min_length and the header, at most ACPI_TABLE_MAX_BYTES) and checksum. */
static int read_table(struct parse *p, uint64_t address, uint32_t min_length, struct acpi_header *header) {
        if (read_or_fail(p, address, header, sizeof(*header), "ACPI table"))
                return -1;
        struct signature_text name = signature_text(header->signature);
        if (header->length < min_length || header->length > ACPI_TABLE_MAX_BYTES)
                return fail(p, "ACPI %s at 0x%llx: length %u outside %u..%u", name.text,
                            (unsigned long long)address, header->length, min_length, ACPI_TABLE_MAX_BYTES);
        uint8_t sum;
        if (byte_sum(p, address, header->length, name.text, &sum))
                return -1;
        if (sum != 0)
                return fail(p, "ACPI %s at 0x%llx: bad checksum (bytes sum to 0x%02x, not 0)", name.text,
                            (unsigned long long)address, sum);
        return 0;
}

static int parse_rsdp(struct parse *p, uint64_t address) {
        struct acpi_rsdp rsdp = {0};
        if (read_or_fail(p, address, &rsdp, ACPI_RSDP_V1_LENGTH, "ACPI RSDP"))
                return -1;
        static const char signature[8] = {'R', 'S', 'D', ' ', 'P', 'T', 'R', ' '};
        for (int i = 0; i < 8; i++)
                if (rsdp.signature[i] != signature[i])
                        return fail(p, "ACPI RSDP at 0x%llx: no 'RSD PTR ' signature", (unsigned long long)address);
        uint8_t sum;
        if (byte_sum(p, address, ACPI_RSDP_V1_LENGTH, "ACPI RSDP", &sum))
                return -1;
        if (sum != 0)
                return fail(p, "ACPI RSDP at 0x%llx: bad checksum (bytes sum to 0x%02x, not 0)",
                            (unsigned long long)address, sum);
        p->out->rsdp_revision = rsdp.revision;
        if (rsdp.revision >= 2) {
                if (read_or_fail(p, address, &rsdp, sizeof(rsdp), "ACPI RSDP"))
                        return -1;
                if (rsdp.length < sizeof(rsdp) || rsdp.length > ACPI_TABLE_MAX_BYTES)
                        return fail(p, "ACPI RSDP at 0x%llx: revision %u with length %u", (unsigned long long)address,
                                    rsdp.revision, rsdp.length);
                if (byte_sum(p, address, rsdp.length, "ACPI RSDP", &sum))
                        return -1;
                if (sum != 0)
                        return fail(p, "ACPI RSDP at 0x%llx: bad extended checksum (bytes sum to 0x%02x, not 0)",
                                    (unsigned long long)address, sum);
        }
        p->out->xsdt = rsdp.revision >= 2 && rsdp.xsdt_address != 0;
        p->out->root_address = p->out->xsdt ? rsdp.xsdt_address : rsdp.rsdt_address;
        if (!p->out->root_address)
                return fail(p, "ACPI RSDP at 0x%llx: neither an XSDT nor an RSDT address", (unsigned long long)address);
        return 0;
}

/* An override's MPS INTI flags resolved against the ISA defaults. */
static int inti_flags(struct parse *p, uint8_t irq, uint16_t flags, struct acpi_override *o) {
        switch (flags & ACPI_INTI_POLARITY_MASK) {
        case ACPI_INTI_POLARITY_CONFORMS:
        case ACPI_INTI_POLARITY_HIGH:
                o->active_low = false;
                break;
        case ACPI_INTI_POLARITY_LOW:
                o->active_low = true;
                break;
        default:
                return fail(p, "ACPI APIC: override of IRQ %u has the reserved polarity 2", irq);
        }
        switch (flags & ACPI_INTI_TRIGGER_MASK) {
        case ACPI_INTI_TRIGGER_CONFORMS:
        case ACPI_INTI_TRIGGER_EDGE:
                o->level_triggered = false;
                break;
        case ACPI_INTI_TRIGGER_LEVEL:
                o->level_triggered = true;
                break;
        default:
                return fail(p, "ACPI APIC: override of IRQ %u has the reserved trigger mode 2", irq);
        }
        return 0;
}

static int madt_ioapic(struct parse *p, const struct acpi_madt_ioapic *e) {
        struct acpi_info *out = p->out;
        if (out->ioapic_count == ACPI_MAX_IOAPICS)
                return fail(p, "ACPI APIC: more than %u IOAPICs", ACPI_MAX_IOAPICS);
        if (!e->address)
                return fail(p, "ACPI APIC: IOAPIC %u at address 0", e->id);
        out->ioapics[out->ioapic_count++] = (struct acpi_ioapic){e->id, e->address, e->gsi_base};
        return 0;
}

static int madt_override(struct parse *p, const struct acpi_madt_override *e) {
        struct acpi_info *out = p->out;
        if (e->bus != 0)
                return fail(p, "ACPI APIC: override of IRQ %u names bus %u, not ISA (0)", e->source_irq, e->bus);
        if (e->source_irq >= ACPI_ISA_IRQS)
                return fail(p, "ACPI APIC: override of IRQ %u, not an ISA IRQ (0..15)", e->source_irq);
        for (uint32_t i = 0; i < out->override_count; i++)
                if (out->overrides[i].irq == e->source_irq)
                        return fail(p, "ACPI APIC: two overrides of IRQ %u (to GSI %u and %u)", e->source_irq,
                                    out->overrides[i].gsi, e->gsi);
        struct acpi_override o = {.irq = e->source_irq, .gsi = e->gsi};
        if (inti_flags(p, e->source_irq, e->flags, &o))
                return -1;
        out->overrides[out->override_count++] = o; /* at most one per ISA IRQ: never more than the array */
        return 0;
}

/* The size each known entry type needs; 0 for types the enclave skips. */
static size_t madt_entry_size(uint8_t type) {
        switch (type) {
        case ACPI_MADT_LAPIC:
                return sizeof(struct acpi_madt_lapic);
        case ACPI_MADT_IOAPIC:
                return sizeof(struct acpi_madt_ioapic);
        case ACPI_MADT_OVERRIDE:
                return sizeof(struct acpi_madt_override);
        case ACPI_MADT_LAPIC_ADDRESS:
                return sizeof(struct acpi_madt_lapic_address);
        case ACPI_MADT_X2APIC:
                return sizeof(struct acpi_madt_x2apic);
        }
        return 0;
}

static int parse_madt(struct parse *p, uint64_t address, uint32_t length) {
        struct acpi_madt madt;
        if (read_or_fail(p, address, &madt, sizeof(madt), "ACPI APIC"))
                return -1;
        struct acpi_info *out = p->out;
        out->has_madt = true;
        out->lapic_address = madt.lapic_address;
        out->pcat_compat = madt.flags & 1;
        for (uint32_t offset = sizeof(madt); offset < length;) {
                union {
                        struct acpi_madt_entry entry;
                        struct acpi_madt_lapic lapic;
                        struct acpi_madt_ioapic ioapic;
                        struct acpi_madt_override override;
                        struct acpi_madt_lapic_address lapic_address;
                        struct acpi_madt_x2apic x2apic;
                } e;
                if (length - offset < sizeof(e.entry))
                        return fail(p, "ACPI APIC: %u stray bytes at the end", length - offset);
                if (read_or_fail(p, address + offset, &e.entry, sizeof(e.entry), "ACPI APIC entry"))
                        return -1;
                size_t need = madt_entry_size(e.entry.type);
                if (e.entry.length < sizeof(e.entry) || e.entry.length < need || e.entry.length > length - offset)
                        return fail(p, "ACPI APIC: entry of type %u at offset %u has length %u", e.entry.type,
                                    offset, e.entry.length);
                if (need && read_or_fail(p, address + offset, &e, need, "ACPI APIC entry"))
                        return -1;
                int result = 0;
                switch ((enum acpi_madt_type)e.entry.type) {
                case ACPI_MADT_LAPIC:
                        out->cpu_count += e.lapic.flags & 1;
                        break;
                case ACPI_MADT_X2APIC:
                        out->cpu_count += e.x2apic.flags & 1;
                        break;
                case ACPI_MADT_IOAPIC:
                        result = madt_ioapic(p, &e.ioapic);
                        break;
                case ACPI_MADT_OVERRIDE:
                        result = madt_override(p, &e.override);
                        break;
                case ACPI_MADT_LAPIC_ADDRESS:
                        out->lapic_address = e.lapic_address.address;
                        break;
                }
                if (result)
                        return -1;
                offset += e.entry.length;
        }
        if (!out->lapic_address)
                return fail(p, "ACPI APIC at 0x%llx: local APIC address 0", (unsigned long long)address);
        return 0;
}

static int parse_mcfg(struct parse *p, uint64_t address, uint32_t length) {
        struct acpi_info *out = p->out;
        out->has_mcfg = true;
        if ((length - sizeof(struct acpi_mcfg)) % sizeof(struct acpi_mcfg_entry))
                return fail(p, "ACPI MCFG at 0x%llx: length %u is not 44 + 16 n", (unsigned long long)address, length);
        for (uint32_t offset = sizeof(struct acpi_mcfg); offset < length; offset += sizeof(struct acpi_mcfg_entry)) {
                struct acpi_mcfg_entry e;
                if (read_or_fail(p, address + offset, &e, sizeof(e), "ACPI MCFG entry"))
                        return -1;
                if (e.segment != 0)
                        continue;
                if (e.start_bus > e.end_bus || !e.base || (e.base & 0xfffff))
                        return fail(p, "ACPI MCFG: ECAM 0x%llx for buses %u-%u", (unsigned long long)e.base,
                                    e.start_bus, e.end_bus);
                if (out->ecam_count == ACPI_MAX_ECAM)
                        return fail(p, "ACPI MCFG: more than %u ECAM ranges on segment 0", ACPI_MAX_ECAM);
                out->ecam[out->ecam_count++] = (struct acpi_ecam){e.base, e.start_bus, e.end_bus};
        }
        return 0;
}

static int parse_fadt(struct parse *p, uint64_t address, uint32_t length) {
        struct acpi_fadt fadt = {0};
        uint32_t n = length < sizeof(fadt) ? length : (uint32_t)sizeof(fadt);
        if (read_or_fail(p, address, &fadt, n, "ACPI FACP"))
                return -1;
        struct acpi_info *out = p->out;
        out->has_fadt = true;
        if (fadt.flags & ACPI_FADT_HW_REDUCED)
                return 0;
        /* The extended block wins when it is an I/O port; an MMIO PM timer is
         * not used, and then only the legacy port counts. */
        uint64_t port = fadt.x_pm_timer_block.space_id == ACPI_SPACE_IO && fadt.x_pm_timer_block.address
                                ? fadt.x_pm_timer_block.address
                                : fadt.pm_timer_block;
        if (!port)
                return 0;
        if (port > 0xfffc || fadt.pm_timer_length != 4)
                return fail(p, "ACPI FACP: PM timer at port 0x%llx with length %u (want a port below 0xfffd, length 4)",
                            (unsigned long long)port, fadt.pm_timer_length);
        out->pm_timer_port = (uint16_t)port;
        out->pm_timer_bits = fadt.flags & ACPI_FADT_TIMER_32BIT ? 32 : 24;
        return 0;
}

static int parse_hpet(struct parse *p, uint64_t address, uint32_t length) {
        (void)length; /* the fixed layout is all there is */
        struct acpi_hpet hpet;
        if (read_or_fail(p, address, &hpet, sizeof(hpet), "ACPI HPET"))
                return -1;
        if (p->out->hpet_address)
                return 0; /* the first block serves */
        if (hpet.base.space_id != ACPI_SPACE_MEMORY || !hpet.base.address || (hpet.base.address & 0x3ff))
                return fail(p, "ACPI HPET: register block 0x%llx in address space %u (want memory, 1 KiB aligned)",
                            (unsigned long long)hpet.base.address, hpet.base.space_id);
        p->out->hpet_address = hpet.base.address;
        return 0;
}

/* The tables the enclave reads, each at most once (HPET: the first). */
static int parse_table(struct parse *p, uint64_t address) {
        struct acpi_header header;
        if (read_or_fail(p, address, &header, sizeof(header), "ACPI table"))
                return -1;
        struct acpi_info *out = p->out;
        struct {
                const char *signature;
                uint32_t min_length;
                bool seen;
                int (*parse)(struct parse *p, uint64_t address, uint32_t length);
        } const known[] = {
                {"APIC", sizeof(struct acpi_madt), out->has_madt, parse_madt},
                {"MCFG", sizeof(struct acpi_mcfg), out->has_mcfg, parse_mcfg},
                {"FACP", sizeof(struct acpi_header) + 8, out->has_fadt, parse_fadt},
                {"HPET", sizeof(struct acpi_hpet), false, parse_hpet},
        };
        for (unsigned k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
                if (!same4(header.signature, known[k].signature))
                        continue;
                if (known[k].seen)
                        return fail(p, "ACPI %s at 0x%llx: a second %s table", known[k].signature,
                                    (unsigned long long)address, known[k].signature);
                if (read_table(p, address, known[k].min_length, &header))
                        return -1;
                return known[k].parse(p, address, header.length);
        }
        return 0;
}

int acpi_parse(uint64_t rsdp_address, acpi_read_fn read, void *ctx, struct acpi_info *out, char *error,
               size_t error_len) {
        struct parse p = {read, ctx, out, error, error_len};
        *out = (struct acpi_info){.rsdp_address = rsdp_address};
        if (error_len)
                error[0] = '\0';
        if (parse_rsdp(&p, rsdp_address))
                return -1;
        struct acpi_header root;
        const char *root_name = out->xsdt ? "XSDT" : "RSDT";
        if (read_table(&p, out->root_address, sizeof(root), &root))
                return -1;
        if (!same4(root.signature, root_name))
                return fail(&p, "ACPI %s at 0x%llx: signature '%s'", root_name, (unsigned long long)out->root_address,
                            signature_text(root.signature).text);
        uint32_t entry_size = out->xsdt ? 8 : 4;
        if ((root.length - sizeof(root)) % entry_size)
                return fail(&p, "ACPI %s at 0x%llx: length %u is not 36 + %u n", root_name,
                            (unsigned long long)out->root_address, root.length, entry_size);
        out->table_count = (root.length - (uint32_t)sizeof(root)) / entry_size;
        for (uint32_t i = 0; i < out->table_count; i++) {
                uint64_t table = 0; /* little-endian: a 4-byte entry fills the low half */
                if (read_or_fail(&p, out->root_address + sizeof(root) + (uint64_t)i * entry_size, &table, entry_size,
                                 root_name))
                        return -1;
                if (table && parse_table(&p, table))
                        return -1;
        }
        return 0;
}

struct acpi_override acpi_isa_irq(const struct acpi_info *info, uint8_t irq) {
        for (uint32_t i = 0; i < info->override_count; i++)
                if (info->overrides[i].irq == irq)
                        return info->overrides[i];
        return (struct acpi_override){.irq = irq, .gsi = irq};
}
