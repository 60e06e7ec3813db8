/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* pci.c: a depth-first walk of every PCI bus (ECAM or configuration ports), behind bridges, for the uplink's BAR. */
#include "pci.h"

#include <stdarg.h>
#include <stdbool.h>

#include "format.h"
#include "hw.h"
#include "log.h"

#define PCI_BUSES 256
#define PCI_SLOTS 32
#define PCI_FUNCTIONS 8
#define PCI_MAX_BRIDGE_DEPTH 16

struct pci_function {
        uint8_t bus, slot, function;
};

/* The ECAM ranges configuration space is reached through; none: the ports. */
static const struct aether_platform *platform;
static char *error_text;
static size_t error_len;

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...) {
        va_list args;
        va_start(args, fmt);
        aether_vformat(error_text, error_len, fmt, args);
        va_end(args);
        return -1;
}

/* The ECAM address of a register; false when no range decodes the bus. */
static bool ecam_address(struct pci_function f, uint8_t offset, uint64_t *address) {
        for (uint32_t i = 0; i < platform->ecam_count; i++) {
                const struct acpi_ecam *e = &platform->ecam[i];
                if (f.bus < e->start_bus || f.bus > e->end_bus)
                        continue;
                *address = e->base + ((uint64_t)f.bus << PCI_ECAM_BUS_SHIFT) + ((uint64_t)f.slot << PCI_ECAM_SLOT_SHIFT) +
                           ((uint64_t)f.function << PCI_ECAM_FUNCTION_SHIFT) + offset;
                return true;
        }
        return false;
}

static uint32_t port_address(struct pci_function f, uint8_t offset) {
        return 0x80000000u | ((uint32_t)f.bus << 16) | ((uint32_t)f.slot << 11) | ((uint32_t)f.function << 8) |
               (offset & 0xfc);
}

static uint32_t config_read(struct pci_function f, uint8_t offset) {
        if (platform->ecam_count) {
                uint64_t address;
                return ecam_address(f, offset, &address) ? mmio_read32(address) : 0xffffffffu;
        }
        outl(PCI_CONFIG_ADDRESS, port_address(f, offset));
        return inl(PCI_CONFIG_DATA);
}

static void config_write(struct pci_function f, uint8_t offset, uint32_t value) {
        if (platform->ecam_count) {
                uint64_t address;
                if (ecam_address(f, offset, &address))
                        mmio_write32(address, value);
                return;
        }
        outl(PCI_CONFIG_ADDRESS, port_address(f, offset));
        outl(PCI_CONFIG_DATA, value);
}

struct search {
        uint32_t wanted;                                  /* device << 16 | vendor */
        struct pci_function bridges[PCI_MAX_BRIDGE_DEPTH]; /* from the root bus down to the current one */
        unsigned depth;
        uint8_t visited[PCI_BUSES / 8];
        unsigned buses, functions;                        /* scanned, for the message */
        struct pci_function found;
};

static bool visited(const struct search *s, uint8_t bus) {
        return s->visited[bus / 8] & (1u << (bus % 8));
}

/* Scans bus and, depth-first, the buses behind its bridges. A bridge whose
 * secondary bus is not above its own (unnumbered, or a loop) is not followed. */
static bool scan_bus(struct search *s, uint8_t bus) {
        s->visited[bus / 8] |= (uint8_t)(1u << (bus % 8));
        s->buses++;
        for (uint8_t slot = 0; slot < PCI_SLOTS; slot++) {
                unsigned functions = 1;
                for (uint8_t function = 0; function < functions; function++) {
                        struct pci_function f = {bus, slot, function};
                        uint32_t id = config_read(f, PCI_VENDOR_DEVICE);
                        if ((id & 0xffff) == PCI_VENDOR_NONE)
                                continue;
                        s->functions++;
                        uint8_t header = (uint8_t)(config_read(f, PCI_HEADER_TYPE) >> 16);
                        if (function == 0 && (header & PCI_HEADER_MULTIFUNCTION))
                                functions = PCI_FUNCTIONS;
                        if (id == s->wanted) {
                                s->found = f;
                                return true;
                        }
                        if ((header & PCI_HEADER_TYPE_MASK) != PCI_HEADER_BRIDGE || s->depth == PCI_MAX_BRIDGE_DEPTH)
                                continue;
                        uint8_t secondary = (uint8_t)(config_read(f, PCI_BRIDGE_BUSES) >> 8);
                        if (secondary <= bus || visited(s, secondary))
                                continue;
                        s->bridges[s->depth++] = f;
                        if (scan_bus(s, secondary))
                                return true;
                        s->depth--;
                }
        }
        return false;
}

/* Bus 0 and what hangs off it first, then any bus left (another root). */
static bool search(struct search *s) {
        if (scan_bus(s, 0))
                return true;
        for (unsigned bus = 1; bus < PCI_BUSES; bus++) {
                uint64_t address;
                if (visited(s, (uint8_t)bus) ||
                    (platform->ecam_count && !ecam_address((struct pci_function){(uint8_t)bus, 0, 0}, 0, &address)))
                        continue;
                s->depth = 0;
                if (scan_bus(s, (uint8_t)bus))
                        return true;
        }
        return false;
}

/* Size of a BAR: write all ones with decoding off, read the mask back, restore. */
static uint64_t bar_size(struct pci_function f, uint8_t offset, bool is64) {
        uint32_t command = config_read(f, PCI_COMMAND);
        config_write(f, PCI_COMMAND, command & ~PCI_COMMAND_MEMORY);
        uint32_t low = config_read(f, offset);
        uint32_t high = is64 ? config_read(f, offset + 4) : 0;
        config_write(f, offset, 0xffffffffu);
        if (is64)
                config_write(f, offset + 4, 0xffffffffu);
        uint64_t mask = config_read(f, offset) & ~0xfull;
        mask |= is64 ? (uint64_t)config_read(f, offset + 4) << 32 : 0xffffffff00000000ull;
        config_write(f, offset, low);
        if (is64)
                config_write(f, offset + 4, high);
        config_write(f, PCI_COMMAND, command);
        return ~mask + 1;
}

struct window {
        uint64_t first, last; /* first > last: closed */
};

/* A bridge's memory window, or its prefetchable one (64-bit when it says so). */
static struct window bridge_window(struct pci_function bridge, uint8_t offset) {
        uint32_t value = config_read(bridge, offset);
        struct window w = {(uint64_t)(value & 0xfff0) << 16, (value & 0xfff00000u) | 0xfffffull};
        if (offset == PCI_BRIDGE_PREFETCH && (value & 0xf) == PCI_WINDOW_64BIT) {
                w.first |= (uint64_t)config_read(bridge, PCI_BRIDGE_PREFETCH_BASE_HI) << 32;
                w.last |= (uint64_t)config_read(bridge, PCI_BRIDGE_PREFETCH_LIMIT_HI) << 32;
        }
        return w;
}

static bool window_holds(struct window w, const struct pci_bar *bar) {
        return w.first <= w.last && bar->base >= w.first && bar->base + (bar->size - 1) <= w.last;
}

/* Every bridge above the device must forward the BAR; each gets memory decoding on. */
static int open_bridges(const struct search *s, const struct pci_bar *bar, uint8_t index) {
        for (unsigned i = 0; i < s->depth; i++) {
                struct pci_function b = s->bridges[i];
                struct window memory = bridge_window(b, PCI_BRIDGE_MEMORY);
                struct window prefetch = bridge_window(b, PCI_BRIDGE_PREFETCH);
                if (!window_holds(memory, bar) && !window_holds(prefetch, bar))
                        return fail("uplink BAR%u 0x%llx lies outside the windows of bridge %02x:%02x.%u "
                                    "(memory 0x%llx-0x%llx, prefetchable 0x%llx-0x%llx)", index,
                                         (unsigned long long)bar->base, b.bus, b.slot, b.function,
                                         (unsigned long long)memory.first, (unsigned long long)memory.last,
                                         (unsigned long long)prefetch.first, (unsigned long long)prefetch.last);
                config_write(b, PCI_COMMAND, config_read(b, PCI_COMMAND) | PCI_COMMAND_MEMORY);
        }
        return 0;
}

static const char *method(void) {
        return platform->ecam_count ? "ECAM" : "configuration ports";
}

int pci_find_memory_bar(const struct aether_platform *p, uint16_t vendor, uint16_t device, uint8_t index,
                        uint64_t min_size, struct pci_bar *out, char *error, size_t len) {
        platform = p;
        error_text = error;
        error_len = len;
        struct search s = {.wanted = ((uint32_t)device << 16) | vendor};
        if (!search(&s))
                return fail("uplink device %04x:%04x not found on any PCI bus (%u functions on %u buses, through %s)",
                            vendor, device, s.functions, s.buses, method());
        struct pci_function f = s.found;
        uint8_t offset = (uint8_t)(PCI_BAR0 + 4 * index);
        uint32_t low = config_read(f, offset);
        if (low & PCI_BAR_IO)
                return fail("uplink %04x:%04x BAR%u is an I/O BAR", vendor, device, index);
        bool is64 = (low & 0x6) == PCI_BAR_TYPE_64;
        struct pci_bar bar = {low & ~0xfull, bar_size(f, offset, is64)};
        if (is64)
                bar.base |= (uint64_t)config_read(f, offset + 4) << 32;
        if (!bar.base)
                return fail("uplink %04x:%04x BAR%u is not assigned", vendor, device, index);
        if (bar.size < min_size)
                return fail("uplink %04x:%04x BAR%u is 0x%llx bytes, below 0x%llx", vendor, device, index,
                            (unsigned long long)bar.size, (unsigned long long)min_size);
        if (open_bridges(&s, &bar, index) < 0)
                return -1;
        config_write(f, PCI_COMMAND, config_read(f, PCI_COMMAND) | PCI_COMMAND_MEMORY);
        char behind[PCI_MAX_BRIDGE_DEPTH * 16] = "";
        size_t used = 0;
        for (unsigned i = s.depth; i-- > 0 && used < sizeof(behind);)
                used += aether_format(behind + used, sizeof(behind) - used, " behind %02x:%02x.%u", s.bridges[i].bus,
                                      s.bridges[i].slot, s.bridges[i].function);
        *out = bar;
        log_line("uplink: PCI %04x:%04x at %02x:%02x.%u%s (through %s); BAR%u = 0x%llx (0x%llx bytes)", vendor,
                 device, f.bus, f.slot, f.function, behind, method(), index, (unsigned long long)bar.base,
                 (unsigned long long)bar.size);
        return 0;
}
