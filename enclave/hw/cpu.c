/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* cpu.c: GDT with user segments and a TSS (IST stacks, RSP0), the IDT with its one user gate, and CPU hardening. */
#include "cpu.h"

#include <string.h>

#include "halt.h"
#include "hw.h"
#include "layout.h"
#include "log.h"

/* isr.S: one entry stub per vector we handle. */
extern const uint64_t isr_stub_table[IDT_VECTORS];

static uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
static struct tss64 tss __attribute__((aligned(16)));
static struct idt_gate idt[IDT_VECTORS] __attribute__((aligned(16)));
static bool smap_enabled;

static void set_tss_descriptor(uint64_t *slot, const struct tss64 *task) {
        uint64_t base = (uint64_t)(uintptr_t)task;
        uint64_t limit = sizeof(*task) - 1;
        slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) /* present, 64-bit TSS, DPL0 */
                  | (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
        slot[1] = base >> 32;
}

static uint8_t ist_for_vector(unsigned vector) {
        if (vector == VECTOR_DOUBLE_FAULT)
                return IST_DOUBLE_FAULT;
        if (vector == VECTOR_NMI)
                return IST_NMI;
        /* Every other exception may come from a guest whose stack is gone. */
        return vector < 32 ? IST_FAULT : IST_NONE;
}

void cpu_install_descriptor_tables(uint64_t arena) {
        gdt[0] = 0;
        gdt[GDT_SELECTOR_CODE64 / 8] = GDT_CODE64_DESCRIPTOR;
        gdt[GDT_SELECTOR_DATA / 8] = GDT_DATA_DESCRIPTOR;
        gdt[GDT_SELECTOR_USER_DATA / 8] = GDT_USER_DATA_DESCRIPTOR;
        gdt[GDT_SELECTOR_USER_CODE / 8] = GDT_USER_CODE64_DESCRIPTOR;
        memset(&tss, 0, sizeof(tss));
        /* Ring 3 -> ring 0 without IST (the gate, wakes, the watchdog) lands here. */
        tss.rsp[0] = arena + ARENA_GATE_STACK + ARENA_GATE_STACK_BYTES;
        for (unsigned i = 0; i < ARENA_IST_STACK_COUNT; i++)
                tss.ist[i] = arena + ARENA_IST_STACK(i) + IST_STACK_BYTES;
        tss.iopb_offset = sizeof(tss); /* no I/O permission bitmap: ring 3 has no port */
        set_tss_descriptor(&gdt[GDT_SELECTOR_TSS / 8], &tss);

        struct descriptor_pointer gdtr = {sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt};
        __asm__ volatile(
                "lgdt %0\n\t"
                "pushq %1\n\t"
                "leaq 1f(%%rip), %%rax\n\t"
                "pushq %%rax\n\t"
                "lretq\n"
                "1:\n\t"
                "ltr %w2"
                :
                : "m"(gdtr), "i"(GDT_SELECTOR_CODE64), "r"((uint16_t)GDT_SELECTOR_TSS)
                : "rax", "memory");
        cpu_load_kernel_segments();

        for (unsigned vector = 0; vector < IDT_VECTORS; vector++) {
                uint64_t handler = isr_stub_table[vector];
                if (!handler) {
                        memset(&idt[vector], 0, sizeof(idt[vector])); /* not present: #GP */
                        continue;
                }
                idt[vector] = (struct idt_gate){
                        .offset_low = (uint16_t)handler,
                        .selector = GDT_SELECTOR_CODE64,
                        .ist = ist_for_vector(vector),
                        /* Only the gate may be raised with `int` from ring 3;
                         * any other `int n` there is a #GP. */
                        .type_attr = vector == VECTOR_GATE ? IDT_GATE_INTERRUPT_USER : IDT_GATE_INTERRUPT,
                        .offset_mid = (uint16_t)(handler >> 16),
                        .offset_high = (uint32_t)(handler >> 32),
                };
        }
        struct descriptor_pointer idtr = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};
        __asm__ volatile("lidt %0" : : "m"(idtr));
}

void cpu_load_kernel_segments(void) {
        __asm__ volatile(
                "mov %0, %%ds\n\t"
                "mov %0, %%es\n\t"
                "mov %0, %%ss\n\t"
                "mov %1, %%fs\n\t"
                "mov %1, %%gs"
                :
                : "r"((uint64_t)GDT_SELECTOR_DATA), "r"((uint64_t)GDT_SELECTOR_NULL)
                : "memory");
}

/* CPUID feature bits (SDM vol. 2, CPUID). */
#define CPUID_EXT_EDX_NX (1u << 20)    /* leaf 0x80000001 */
#define CPUID_7_EBX_SMEP (1u << 7)
#define CPUID_7_EBX_SMAP (1u << 20)
#define CPUID_7_ECX_UMIP (1u << 2)
#define XCR0_X87_SSE 0x3ull

struct cpu_protections cpu_harden(void) {
        uint32_t regs[4];
        cpuid(0x80000000u, 0, regs);
        uint32_t max_extended = regs[0];
        cpuid(0x80000001u, 0, regs);
        if (max_extended < 0x80000001u || !(regs[3] & CPUID_EXT_EDX_NX))
                halt(AETHER_EXIT_BOOT_FAILURE, "the CPU has no NX bit, which W^X needs");
        write_msr(MSR_EFER, (read_msr(MSR_EFER) | EFER_NXE) & ~EFER_SCE);
        write_msr(MSR_SYSENTER_CS, 0); /* sysenter in ring 3: #GP */
        write_msr(MSR_FS_BASE, 0);
        write_msr(MSR_GS_BASE, 0);
        write_msr(MSR_KERNEL_GS_BASE, 0);
        __asm__ volatile("mov %0, %%dr7" : : "r"(0ull)); /* no breakpoint the firmware left */
        write_cr0(read_cr0() | CR0_WP);

        cpuid(0, 0, regs);
        uint32_t max_leaf = regs[0];
        uint32_t ebx7 = 0, ecx7 = 0;
        if (max_leaf >= 7) {
                cpuid(7, 0, regs);
                ebx7 = regs[1];
                ecx7 = regs[2];
        }
        struct cpu_protections on = {
                .smep = ebx7 & CPUID_7_EBX_SMEP,
                .smap = ebx7 & CPUID_7_EBX_SMAP,
                .umip = ecx7 & CPUID_7_ECX_UMIP,
        };
        uint64_t cr4 = read_cr4();
        if (cr4 & CR4_OSXSAVE) /* AVX and later state would outlive the scrub: #UD instead */
                __asm__ volatile("xsetbv" : : "c"(0u), "a"((uint32_t)XCR0_X87_SSE), "d"(0u));
        cr4 = (cr4 | CR4_TSD | CR4_OSXMMEXCPT) & ~(CR4_FSGSBASE | CR4_PKE);
        cr4 |= (on.smep ? CR4_SMEP : 0) | (on.smap ? CR4_SMAP : 0) | (on.umip ? CR4_UMIP : 0);
        write_cr4(cr4);
        smap_enabled = on.smap;
        log_line("cpu: NX, WP, TSD on; SMEP %s, SMAP %s, UMIP %s; syscall/sysenter off", on.smep ? "on" : "absent",
                 on.smap ? "on" : "absent", on.umip ? "on" : "absent");
        return on;
}

void cpu_user_access_begin(void) {
        if (smap_enabled)
                __asm__ volatile("stac" : : : "memory");
}

void cpu_user_access_end(void) {
        if (smap_enabled)
                __asm__ volatile("clac" : : : "memory");
}
