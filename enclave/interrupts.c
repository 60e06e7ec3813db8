/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* interrupts.c: exceptions halt with their own exit code, except a guest's stack overrun; wakes and the watchdog. */
#include "interrupts.h"

#include "aether_rt.h"
#include "apic.h"
#include "cpu.h"
#include "halt.h"
#include "hw.h"
#include "log.h"
#include "wake.h"

static uint64_t interrupts_arena;

void interrupts_init(uint64_t arena) {
        interrupts_arena = arena;
}

static const char *exception_name(uint64_t vector) {
        static const char *const names[32] = {
                "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
                "#BR bound range", "#UD invalid opcode", "#NM device not available",
                "#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
                "#NP segment not present", "#SS stack fault", "#GP general protection",
                "#PF page fault", "reserved 15", "#MF x87 error", "#AC alignment check",
                "#MC machine check", "#XM SIMD exception", "#VE virtualization",
                "#CP control protection", "reserved 22", "reserved 23", "reserved 24",
                "reserved 25", "reserved 26", "reserved 27", "#HV hypervisor injection",
                "#VC VMM communication", "#SX security", "reserved 31",
        };
        return names[vector & 31];
}

_Noreturn static void host_exception(const struct interrupt_frame *frame) {
        log_line("CPU exception %s (vector %llu) in host code: rip=0x%llx error=0x%llx cr2=0x%llx rsp=0x%llx",
                 exception_name(frame->vector), (unsigned long long)frame->vector,
                 (unsigned long long)frame->rip, (unsigned long long)frame->error_code,
                 (unsigned long long)read_cr2(), (unsigned long long)frame->rsp);
        halt(AETHER_EXIT_CPU_EXCEPTION + (unsigned)frame->vector, exception_name(frame->vector));
}

void interrupt_dispatch(struct interrupt_frame *frame) {
        uint64_t entry_tsc = read_tsc();
        if (frame->vector < 32) {
                /* The guest ran into the guard page below its stack: the same
                 * fault as the call-depth bound, and the wake goes on. */
                if (frame->vector == VECTOR_PAGE_FAULT && aether_rt_in_guest() &&
                    cpu_is_cycle_stack_guard(interrupts_arena, read_cr2()))
                        aether_rt_abort_guest(AETHER_FAULT_EXHAUSTION);
                host_exception(frame);
        }
        switch (frame->vector) {
        case VECTOR_WAKE_PRESSURE:
        case VECTOR_WAKE_KINETIC:
                wake_service((uint8_t)frame->vector, entry_tsc);
                lapic_eoi();
                return;
        case VECTOR_WATCHDOG:
                lapic_eoi();
                if (aether_rt_in_guest())
                        aether_rt_abort_guest(AETHER_FAULT_WATCHDOG);
                return; /* a timer that fired as the guest returned: nothing to stop */
        case VECTOR_SPURIOUS:
                return; /* spurious interrupts take no EOI */
        }
        halt(AETHER_EXIT_PANIC, "interrupt on a vector with no handler");
}
