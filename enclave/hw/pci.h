/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* pci.h: finding the uplink device and its memory BAR on any bus, through ECAM or configuration mechanism #1. */
#ifndef AETHER_PCI_H
#define AETHER_PCI_H

#include <stddef.h>
#include <stdint.h>

#include "platform.h"

struct pci_bar {
        uint64_t base;
        uint64_t size;
};

/* Looks for vendor:device depth-first from bus 0 through every PCI-to-PCI
 * bridge, then on every bus not reached that way (other host bridges),
 * through the platform's ECAM ranges (MCFG) or, without them, ports
 * 0xCF8/0xCFC. Checks that BAR `bar` is an assigned memory BAR of at least
 * min_size bytes inside the windows of every bridge above the device, and
 * enables memory decoding on the device and those bridges. Returns 0 (and
 * logs where it is), or -1 with what was wrong in error (NUL-terminated, cut
 * to fit). */
int pci_find_memory_bar(const struct aether_platform *platform, uint16_t vendor, uint16_t device, uint8_t bar,
                        uint64_t min_size, struct pci_bar *out, char *error, size_t len);

#endif
