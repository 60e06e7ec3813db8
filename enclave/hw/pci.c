/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* pci.c: bus-0 scan and BAR sizing for the uplink device. */
#include "pci.h"

#include <stdbool.h>

#include "hw.h"
#include "log.h"

static uint32_t config_address(uint8_t slot, uint8_t function, uint8_t offset) {
        return 0x80000000u | ((uint32_t)slot << 11) | ((uint32_t)function << 8) | (offset & 0xfc);
}
static uint32_t config_read(uint8_t slot, uint8_t function, uint8_t offset) {
        outl(PCI_CONFIG_ADDRESS, config_address(slot, function, offset));
        return inl(PCI_CONFIG_DATA);
}
static void config_write(uint8_t slot, uint8_t function, uint8_t offset, uint32_t value) {
        outl(PCI_CONFIG_ADDRESS, config_address(slot, function, offset));
        outl(PCI_CONFIG_DATA, value);
}

/* Size of a BAR: write all ones with decoding off, read the mask back, restore. */
static uint64_t bar_size(uint8_t slot, uint8_t function, uint8_t offset, bool is64) {
        uint32_t command = config_read(slot, function, PCI_COMMAND);
        config_write(slot, function, PCI_COMMAND, command & ~PCI_COMMAND_MEMORY);
        uint32_t low = config_read(slot, function, offset);
        uint32_t high = is64 ? config_read(slot, function, offset + 4) : 0;
        config_write(slot, function, offset, 0xffffffffu);
        if (is64)
                config_write(slot, function, offset + 4, 0xffffffffu);
        uint64_t mask = config_read(slot, function, offset) & ~0xfull;
        mask |= is64 ? (uint64_t)config_read(slot, function, offset + 4) << 32 : 0xffffffff00000000ull;
        config_write(slot, function, offset, low);
        if (is64)
                config_write(slot, function, offset + 4, high);
        config_write(slot, function, PCI_COMMAND, command);
        return ~mask + 1;
}

int pci_find_memory_bar(uint16_t vendor, uint16_t device, uint8_t bar, uint64_t min_size, struct pci_bar *out) {
        uint32_t wanted = ((uint32_t)device << 16) | vendor;
        for (uint8_t slot = 0; slot < 32; slot++) {
                for (uint8_t function = 0; function < 8; function++) {
                        if (config_read(slot, function, PCI_VENDOR_DEVICE) != wanted)
                                continue;
                        uint8_t offset = (uint8_t)(PCI_BAR0 + 4 * bar);
                        uint32_t low = config_read(slot, function, offset);
                        if (low & PCI_BAR_IO)
                                return log_error(-1, "uplink %04x:%04x BAR%u is an I/O BAR", vendor, device, bar);
                        bool is64 = (low & 0x6) == PCI_BAR_TYPE_64;
                        uint64_t base = low & ~0xfull;
                        if (is64)
                                base |= (uint64_t)config_read(slot, function, offset + 4) << 32;
                        uint64_t size = bar_size(slot, function, offset, is64);
                        if (!base)
                                return log_error(-1, "uplink %04x:%04x BAR%u is not assigned", vendor, device, bar);
                        if (size < min_size)
                                return log_error(-1, "uplink %04x:%04x BAR%u is 0x%llx bytes, below 0x%llx", vendor,
                                                 device, bar, (unsigned long long)size,
                                                 (unsigned long long)min_size);
                        config_write(slot, function, PCI_COMMAND,
                                     config_read(slot, function, PCI_COMMAND) | PCI_COMMAND_MEMORY);
                        *out = (struct pci_bar){base, size};
                        log_line("uplink: PCI %04x:%04x at 00:%02x.%u BAR%u = 0x%llx (0x%llx bytes)", vendor, device,
                                 slot, function, bar, (unsigned long long)base, (unsigned long long)size);
                        return 0;
                }
        }
        return log_error(-1, "uplink device %04x:%04x not found on PCI bus 0", vendor, device);
}
