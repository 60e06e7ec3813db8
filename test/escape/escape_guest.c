/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* escape_guest.c: a ring-3 guest program that tries one way out of its isolation per wake (boot.escape_guest). */

/*
 * Built with -DAETHER_TEST_GUEST in place of the payload's generated code, it
 * stands in for generated code gone wrong. test/escape/escape_case.py boots
 * it, computes host addresses from outside (QMP and the guest RAM file) once
 * the enclave is dormant, and sends one attempt per wake:
 *
 *   dose bits 0-7   the attempt (0: the healthy wake)
 *   dose bits 8-13  a shift: the target address is pressure bits << shift
 *                   (the uplink BAR lies above 4 GiB)
 *
 * Every wake first checks that it starts fresh, and leaves with EXIT
 * STALE_STATUS | <failed checks> if not: its data and bss as linked, its
 * whole window and the user stack below its frame zero. Then it dirties all
 * three, so the next wake checks that this one was scrubbed, whatever its
 * outcome. An attempt then commits uplink words (attempt, low 32 bits of
 * its target), which the record keeps even when the wake faults: the driver
 * checks that each fault came from the attempt it sent. An attempt that gets
 * through leaves with EXIT ESCAPED_STATUS | attempt, after committing as
 * telemetry whatever it read, so a read of the key would also put the key in
 * the report. The healthy wake (0) commits HEALTHY_TELEMETRY and EXITs 7.
 *
 * Attempt                                     expected outcome (CPU exception)
 *  1 read the device key (in the image)         isolation (#PF at the key)
 *  2 read the host stack (rsp while dormant)    isolation (#PF)
 *  3 read the gate stack (TSS.RSP0 - 8)         isolation (#PF)
 *  4 read the IDT                               isolation (#PF)
 *  5 read the PML4 (CR3)                        isolation (#PF)
 *  6 read the uplink's MMIO BAR                 isolation (#PF)
 *  7 read the LAPIC's MMIO                      isolation (#PF)
 *  8 read address 0                             isolation (#PF)
 *  9 read a non-canonical address               isolation (#GP)
 * 10 write the GDT (its null descriptor, 0)     isolation (#PF)
 * 11 write the IDT (gate 0x81, not present, 0)  isolation (#PF)
 * 12 write the PML4 (entry 511, unused, 0)      isolation (#PF)
 * 13 call a host ISR (IDT gate 0x80's handler)  isolation (#PF, fetch)
 * 14 call a `ret` written to linear memory      isolation (#PF, NX)
 * 15 call a `ret` written to its own stack      isolation (#PF, NX)
 * 16 call a `ret` in its own .data              isolation (#PF, NX)
 * 17 call a `ret` in its own .rodata            isolation (#PF, NX)
 * 18 write its own text                         isolation (#PF)
 * 19 cli            20 hlt                      isolation (#GP)
 * 21 in from port 0x3f8 (a wake UART)           isolation (#GP)
 * 22 out to port 0xf4 (isa-debug-exit: QEMU would end with code 181)
 *                                               isolation (#GP)
 * 23 wrmsr IA32_SYSENTER_CS                     isolation (#GP)
 * 24 mov to CR3 (its own value)                 isolation (#GP)
 * 25 int $0x20 (a wake vector, DPL 0)           isolation (#GP)
 * 26 int3 (DPL 0 gate)                          isolation (#GP)
 * 27 syscall (EFER.SCE off)                     isolation (#UD)
 * 28 sysenter (IA32_SYSENTER_CS = 0)            isolation (#GP; #UD on AMD)
 * 29 rdtsc (CR4.TSD)                            isolation (#GP)
 * 30 sgdt (CR4.UMIP)                            isolation (#GP)
 * 31 load the ring-0 data selector into DS      isolation (#GP)
 * 32 far jump to the ring-0 code selector       isolation (#GP)
 * 33 ud2                                        isolation (#UD)
 * 34 set RFLAGS.TF (single-step)                isolation (#DB in ring 3)
 * 35 TF, then mov to SS, then the gate: the deferred single-step must not
 *    land in ring 0 (a host #DB would halt)     isolation (#DB in ring 3)
 * 36 set RFLAGS.AC, commit telemetry through the gate: it works and AC is
 *    still set after it                         ok, status 7 | AC_KEPT
 * 37 the gate with a non-canonical rsp (EXIT)   ok, status 7 | WILD_RSP
 * 38 gate operation 99                          isolation
 * 39 gate operation 7 (one past the last)       isolation
 * 40 gate operation 2^40 + 2 (READ_PRESSURE in its low 32 bits)
 *                                               isolation
 * 41 gate operation 2^32 (EXIT in its low 32 bits, status ESCAPED)
 *                                               isolation
 * 42 TRAP kind 0     43 TRAP kind 7     44 TRAP kind 1000
 *                                               isolation
 * 45 TRAP kind 2^32 + 5: arguments are u32 (gate.h), so this is
 *    `unreachable`                              unreachable
 * 46 COMMIT_TELEMETRY at memory.size, 1 byte    host_call
 * 47 COMMIT_TELEMETRY of 257 bytes              host_call
 * 48 COMMIT_TELEMETRY at 0xffffffff, 2 bytes    host_call
 * 49 MEMORY_GROW by 0xffffffff: returns it      ok, status -1
 * 50 popf with IF clear and IOPL 3 (both are ignored in ring 3; leaves
 *    ESCAPED if not), then spin                 watchdog
 * 51 an AVX instruction (XCR0 holds x87 and SSE only: no state the scrub
 *    would miss)                                isolation (#UD)
 * 52 wrgsbase (CR4.FSGSBASE off)                isolation (#UD)
 * 53 swapgs                                     isolation (#GP)
 * 54 lidt, with an IDT in its own memory        isolation (#GP)
 * 55 COMMIT_TELEMETRY of 16 bytes at the device key's address (taken as an
 *    offset in linear memory: outside it)       host_call
 * 56 grow memory to its maximum (the stock payload's, 16 pages, the cap)
 *    and write every page                       ok, status 7
 * 57 read the last 16 bytes of the cap, which wake 56 had mapped: the
 *    window is back to its initial size         oob (#PF)
 */
#include <stdint.h>
#include <string.h>

#include "gate.h"
#include "guest.h"
#include "user_layout.h"

#define HEALTHY_STATUS 7
#define AC_KEPT 0x100
#define WILD_RSP 0x200
#define ESCAPED_STATUS 0x0e5c0000 /* | attempt: it came back, the isolation did NOT hold */
#define STALE_STATUS 0x57a10000   /* | enum stale bits: this wake did not start fresh */
#define HEALTHY_TELEMETRY "contained, fresh"
#define WASM_PAGE 0x10000u
#define DEEP_STACK_BYTES 0x4000
#define RFLAGS_TF 0x100ull
#define RFLAGS_IF 0x200ull
#define RFLAGS_IOPL 0x3000ull
#define RFLAGS_AC 0x40000ull
#define SELECTOR_USER_DATA 0x1b   /* enclave/hw/hw.h, with RPL 3 */
#define SELECTOR_KERNEL_CODE 0x08
#define SELECTOR_KERNEL_DATA 0x10
#define MSR_SYSENTER_CS 0x174

enum stale {
        STALE_DATA = 1,
        STALE_BSS = 2,
        STALE_WINDOW = 4,
        STALE_STACK = 8,
};

static volatile uint32_t data_canary = 0xda7a5eed;
static volatile uint32_t bss_canary;
static uint8_t data_ret[16] = {0xc3};
static const uint8_t rodata_ret[16] = {0xc3};

_Noreturn static void leave(uint32_t status) {
        aether_gate(AETHER_GATE_EXIT, status, 0);
        __builtin_unreachable();
}

static uint64_t stack_pointer(void) {
        uint64_t sp;
        __asm__ volatile("mov %%rsp, %0" : "=r"(sp));
        return sp;
}

static int all_zero(uint64_t from, uint64_t to) {
        for (uint64_t at = from; at < to; at += 8)
                if (*(const volatile uint64_t *)(uintptr_t)at)
                        return 0;
        return 1;
}

/* What a wake inherits must be as linked or zero; returns the stale bits. */
static uint32_t check_fresh(uint8_t *window, uint32_t pages) {
        uint32_t stale = 0;
        if (data_canary != 0xda7a5eed)
                stale |= STALE_DATA;
        if (bss_canary != 0)
                stale |= STALE_BSS;
        if (!all_zero((uintptr_t)window, (uintptr_t)window + (uint64_t)pages * WASM_PAGE))
                stale |= STALE_WINDOW;
        if (!all_zero(USER_STACK_BASE, (stack_pointer() - 512) & ~7ull))
                stale |= STALE_STACK;
        return stale;
}

__attribute__((noinline)) static void dirty_deep_stack(void) {
        volatile uint8_t deep[DEEP_STACK_BYTES];
        for (unsigned i = 0; i < sizeof(deep); i++)
                deep[i] = 0xee;
}

/* Leaves traces the next wake must not see. */
static void dirty(uint8_t *window, uint32_t pages) {
        data_canary = 0;
        bss_canary = 1;
        window[0] = 0xee;
        window[(uint64_t)pages * WASM_PAGE - 1] = 0xee;
        dirty_deep_stack();
}

/* Copies 16 bytes from target through the window into the telemetry. */
static void read_at(uint8_t *window, uint64_t target) {
        const volatile uint8_t *source = (const volatile uint8_t *)(uintptr_t)target;
        for (unsigned i = 0; i < 16; i++)
                window[i] = source[i];
        aether_gate(AETHER_GATE_COMMIT_TELEMETRY, 0, 16);
}

static void write_zero_at(uint64_t target) {
        *(volatile uint64_t *)(uintptr_t)target = 0;
}

/* The address goes through an empty asm, so the compiler cannot tell what is
 * called: the `ret`s below stay where they were written. */
static void call_at(uint64_t target) {
        __asm__ volatile("" : "+r"(target) : : "memory");
        ((void (*)(void))(uintptr_t)target)();
}

static void rflags_or(uint64_t bits) {
        __asm__ volatile("pushfq\n\torq %0, (%%rsp)\n\tpopfq" : : "r"(bits) : "memory", "cc");
}

static void rflags_clear(uint64_t bits) {
        __asm__ volatile("pushfq\n\tandq %0, (%%rsp)\n\tpopfq" : : "r"(~bits) : "memory", "cc");
}

static uint64_t rflags(void) {
        uint64_t flags;
        __asm__ volatile("pushfq\n\tpopq %0" : "=r"(flags));
        return flags;
}

static uint32_t set_ac_and_commit(uint8_t *window) {
        memcpy(window, "AC set, gate ok.", 16);
        rflags_or(RFLAGS_AC);
        aether_gate(AETHER_GATE_COMMIT_TELEMETRY, 0, 16);
        uint32_t kept = rflags() & RFLAGS_AC ? AC_KEPT : 0;
        rflags_clear(RFLAGS_AC); /* clac is ring 0's */
        return HEALTHY_STATUS | kept;
}

_Noreturn static void exit_with_wild_rsp(void) {
        __asm__ volatile("movabsq $0x8000000000000000, %%rsp\n\t"
                         "int $0x80"
                         :
                         : "a"((uint64_t)AETHER_GATE_EXIT), "D"((uint64_t)(HEALTHY_STATUS | WILD_RSP))
                         : "memory");
        __builtin_unreachable();
}

static void single_step_over_gate(void) {
        uint64_t op = AETHER_GATE_READ_DOSE;
        __asm__ volatile("pushfq\n\t"
                         "orq %2, (%%rsp)\n\t"
                         "popfq\n\t"
                         "movw %w1, %%ss\n\t" /* the single-step trap after this is deferred past the int */
                         "int $0x80"
                         : "+a"(op)
                         : "r"((uint64_t)SELECTOR_USER_DATA), "r"(RFLAGS_TF)
                         : "memory", "cc");
}

/* A far jump through a memory operand (m16:64) to the ring-0 code selector. */
static void far_jump_to_ring0(void) {
        struct __attribute__((packed)) {
                uint64_t offset;
                uint16_t selector;
        } far = {(uintptr_t)&aether_guest_main, SELECTOR_KERNEL_CODE};
        __asm__ volatile("rex64 ljmp *%0" : : "m"(far) : "memory");
}

/* Leaves with ESCAPED if ring 3 could clear IF or raise its IOPL; otherwise
 * spins until the watchdog ends the wake. */
static void spin_without_interrupts(uint32_t number) {
        __asm__ volatile("pushfq\n\t"
                         "andq %0, (%%rsp)\n\t"
                         "orq %1, (%%rsp)\n\t"
                         "popfq"
                         :
                         : "r"(~RFLAGS_IF), "r"(RFLAGS_IOPL)
                         : "memory", "cc");
        if ((rflags() & (RFLAGS_IF | RFLAGS_IOPL)) != RFLAGS_IF)
                leave(ESCAPED_STATUS | number);
        for (;;)
                __asm__ volatile("");
}

/* Grows memory one page at a time until the gate refuses, then writes every page. */
static void grow_to_maximum(uint8_t *window) {
        while (aether_gate(AETHER_GATE_MEMORY_GROW, 1, 0) != 0xffffffffu)
                ;
        uint64_t bytes = aether_gate(AETHER_GATE_MEMORY_GROW, 0, 0) * WASM_PAGE;
        for (uint64_t at = 0; at < bytes; at += 4096)
                window[at] = 0xee;
}

static void attempt(uint32_t number, uint64_t target, uint8_t *window, uint32_t pages) {
        uint8_t gdtr[10];
        uint32_t low, high;
        switch (number) {
        case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 8: case 9:
                read_at(window, target);
                return;
        case 10: case 11: case 12:
                write_zero_at(target);
                return;
        case 13:
                call_at(target);
                return;
        case 14:
                window[0] = 0xc3;
                call_at((uintptr_t)window);
                return;
        case 15: {
                uint8_t on_stack[16];
                on_stack[0] = 0xc3;
                call_at((uintptr_t)on_stack);
                return;
        }
        case 16:
                call_at((uintptr_t)data_ret);
                return;
        case 17:
                call_at((uintptr_t)rodata_ret);
                return;
        case 18: {
                volatile uint8_t *text = (volatile uint8_t *)(uintptr_t)&aether_guest_main;
                *text = *text;
                return;
        }
        case 19:
                __asm__ volatile("cli");
                return;
        case 20:
                __asm__ volatile("hlt");
                return;
        case 21: {
                uint8_t byte;
                __asm__ volatile("inb %%dx, %%al" : "=a"(byte) : "d"((uint16_t)0x3f8));
                window[0] = byte;
                aether_gate(AETHER_GATE_COMMIT_TELEMETRY, 0, 1);
                return;
        }
        case 22:
                __asm__ volatile("outb %%al, %%dx" : : "a"((uint8_t)0x5a), "d"((uint16_t)0xf4));
                return;
        case 23:
                __asm__ volatile("wrmsr" : : "c"(MSR_SYSENTER_CS), "a"(SELECTOR_KERNEL_CODE), "d"(0));
                return;
        case 24:
                __asm__ volatile("mov %0, %%cr3" : : "r"(target) : "memory");
                return;
        case 25:
                __asm__ volatile("int $0x20");
                return;
        case 26:
                __asm__ volatile("int3");
                return;
        case 27:
                __asm__ volatile("syscall" : : : "rcx", "r11", "memory");
                return;
        case 28:
                __asm__ volatile("sysenter" : : : "rcx", "rdx", "memory");
                return;
        case 29:
                __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
                memcpy(window, &low, 4);
                memcpy(window + 4, &high, 4);
                aether_gate(AETHER_GATE_COMMIT_TELEMETRY, 0, 8);
                return;
        case 30:
                __asm__ volatile("sgdt %0" : "=m"(gdtr));
                memcpy(window, gdtr, sizeof(gdtr));
                aether_gate(AETHER_GATE_COMMIT_TELEMETRY, 0, sizeof(gdtr));
                return;
        case 31:
                __asm__ volatile("movw %w0, %%ds" : : "r"((uint64_t)SELECTOR_KERNEL_DATA) : "memory");
                return;
        case 32:
                far_jump_to_ring0();
                return;
        case 33:
                __asm__ volatile("ud2");
                return;
        case 34:
                rflags_or(RFLAGS_TF);
                __asm__ volatile("nop\n\tnop");
                return;
        case 35:
                single_step_over_gate();
                return;
        case 36:
                leave(set_ac_and_commit(window));
        case 37:
                exit_with_wild_rsp();
        case 38:
                aether_gate(99, 0, 0);
                return;
        case 39:
                aether_gate(AETHER_GATE_OP_COUNT, 0, 0);
                return;
        case 40:
                aether_gate((1ull << 40) + AETHER_GATE_READ_PRESSURE, 0, 0);
                return;
        case 41:
                aether_gate(1ull << 32, ESCAPED_STATUS | number, 0);
                return;
        case 42:
                aether_gate(AETHER_GATE_TRAP, 0, 0);
                return;
        case 43:
                aether_gate(AETHER_GATE_TRAP, 7, 0);
                return;
        case 44:
                aether_gate(AETHER_GATE_TRAP, 1000, 0);
                return;
        case 45:
                aether_gate(AETHER_GATE_TRAP, (1ull << 32) + AETHER_GATE_TRAP_UNREACHABLE, 0);
                return;
        case 46:
                aether_gate(AETHER_GATE_COMMIT_TELEMETRY, (uint64_t)pages * WASM_PAGE, 1);
                return;
        case 47:
                aether_gate(AETHER_GATE_COMMIT_TELEMETRY, 0, 257);
                return;
        case 48:
                aether_gate(AETHER_GATE_COMMIT_TELEMETRY, 0xffffffffu, 2);
                return;
        case 49:
                leave((uint32_t)aether_gate(AETHER_GATE_MEMORY_GROW, 0xffffffffu, 0));
        case 50:
                spin_without_interrupts(number);
                return;
        case 51:
                __asm__ volatile("vpcmpeqb %%ymm1, %%ymm1, %%ymm1" : : : "memory");
                return;
        case 52:
                __asm__ volatile("wrgsbase %0" : : "r"(target));
                return;
        case 53:
                __asm__ volatile("swapgs");
                return;
        case 54: {
                struct __attribute__((packed)) {
                        uint16_t limit;
                        uint64_t base;
                } idtr = {0xfff, (uintptr_t)window};
                __asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
                return;
        }
        case 55:
                aether_gate(AETHER_GATE_COMMIT_TELEMETRY, target, 16);
                return;
        case 56:
                grow_to_maximum(window);
                leave(HEALTHY_STATUS);
        case 57:
                read_at(window, (uintptr_t)window + (uint64_t)AETHER_CFG_MEMORY_CAP_PAGES * WASM_PAGE - 16);
                return;
        }
}

void aether_guest_main(uint8_t *window) {
        uint32_t dose = (uint32_t)aether_gate(AETHER_GATE_READ_DOSE, 0, 0);
        uint32_t number = dose & 0xff;
        uint64_t target = aether_gate(AETHER_GATE_READ_PRESSURE, 0, 0) << ((dose >> 8) & 63);
        uint32_t pages = (uint32_t)aether_gate(AETHER_GATE_MEMORY_GROW, 0, 0);
        uint32_t stale = check_fresh(window, pages);
        dirty(window, pages);
        if (stale)
                leave(STALE_STATUS | stale);
        if (number == 0) {
                memcpy(window, HEALTHY_TELEMETRY, 16);
                aether_gate(AETHER_GATE_COMMIT_TELEMETRY, 0, 16);
                leave(HEALTHY_STATUS);
        }
        aether_gate(AETHER_GATE_COMMIT_UPLINK, number, (uint32_t)target);
        attempt(number, target, window, pages);
        leave(ESCAPED_STATUS | number);
}
