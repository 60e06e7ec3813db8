/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* guest_image.h: the ring-3 guest program as the image carries it: loadable segments with their rights. */
#ifndef AETHER_GUEST_IMAGE_H
#define AETHER_GUEST_IMAGE_H

#include <stdint.h>

/* Rights of a segment, as its ELF program header gives them. The build
 * (aether-guest-pack) refuses a segment that is both writable and executable. */
enum aether_guest_right {
        AETHER_GUEST_EXECUTE = 1,
        AETHER_GUEST_WRITE = 2,
        AETHER_GUEST_READ = 4,
};

/* One loadable segment: file_bytes from blob_offset in the blob, then zeros
 * up to mem_bytes; vaddr is page aligned and lies in the guest program's
 * range [USER_VA_BASE, USER_VA_BASE + AETHER_GUEST_PROGRAM_MAX). */
struct aether_guest_segment {
        uint64_t vaddr;
        uint64_t file_bytes;
        uint64_t mem_bytes;
        uint64_t blob_offset;
        uint32_t rights;
};

/* The largest guest program: text, rodata, data and bss together. */
#define AETHER_GUEST_PROGRAM_MAX 0x4000000ull /* 64 MiB */

#endif
