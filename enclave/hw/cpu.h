/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* cpu.h: our own GDT, TSS and IDT, the control registers that contain ring 3, and the SMAP window. */
#ifndef AETHER_CPU_H
#define AETHER_CPU_H

#include <stdbool.h>
#include <stdint.h>

/* Loads the GDT (kernel and user segments, the TSS with the IST stacks and
 * RSP0 = the gate stack, all in the arena) and the IDT. */
void cpu_install_descriptor_tables(uint64_t arena);

/* What cpu_harden found and turned on. */
struct cpu_protections {
        bool smep, smap, umip;
};

/* Sets EFER.NXE (halts if the CPU has no NX: W^X needs it), clears
 * EFER.SCE and SYSENTER_CS (no fast system calls), sets CR0.WP and CR4.TSD,
 * OSXMMEXCPT, SMEP, SMAP and UMIP where CPUID reports them, clears FSGSBASE
 * and PKE, limits XCR0 to x87 and SSE, clears DR7 and the FS/GS bases.
 * Call before paging_init (which sets the NX bit in entries). */
struct cpu_protections cpu_harden(void);

/* Opens (stac) and closes (clac) ring 0's access to user pages, when SMAP is
 * on; the window holds one checked copy and nothing else. */
void cpu_user_access_begin(void);
void cpu_user_access_end(void);

/* Reloads ds, es and ss with the kernel data segment and fs, gs with null,
 * whatever ring 3 left in them. */
void cpu_load_kernel_segments(void);

#endif
