/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* pci.h: finding the uplink device and its memory BAR through configuration mechanism #1. */
#ifndef AETHER_PCI_H
#define AETHER_PCI_H

#include <stdint.h>

struct pci_bar {
        uint64_t base;
        uint64_t size;
};

/* Scans bus 0 for vendor:device, checks that BAR `bar` is a memory BAR of at
 * least min_size bytes, enables memory decoding. Returns 0, or a negative
 * value after logging what was wrong. */
int pci_find_memory_bar(uint16_t vendor, uint16_t device, uint8_t bar, uint64_t min_size, struct pci_bar *out);

#endif
