/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* interrupts.c: exceptions in ring 3 are the guest's faults, in ring 0 halts; wakes, the watchdog and the gate. */
#include "interrupts.h"

#include <stdbool.h>

#include "apic.h"
#include "cycle.h"
#include "halt.h"
#include "hw.h"
#include "log.h"
#include "usermode.h"
#include "wake.h"

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

/* Every path acknowledges what it took before it leaves, returns or not:
 * LAPIC vectors get their EOI first; exceptions and `int $0x80` take none. */
void interrupt_dispatch(struct interrupt_frame *frame) {
        uint64_t entry_tsc = read_tsc();
        bool from_guest = (frame->cs & SELECTOR_RPL_USER) == SELECTOR_RPL_USER;
        if (frame->vector < 32) {
                /* NMI, #DF and #MC are the machine's, not the guest's. */
                if (from_guest && frame->vector != VECTOR_NMI && frame->vector != VECTOR_DOUBLE_FAULT &&
                    frame->vector != VECTOR_MACHINE_CHECK)
                        usermode_exception(frame);
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
                if (from_guest)
                        aether_platform_leave_guest(AETHER_FAULT_WATCHDOG);
                return; /* fired as the guest left, taken in dormancy: nothing to stop */
        case VECTOR_GATE:
                if (!from_guest)
                        halt(AETHER_EXIT_PANIC, "the gate raised from ring 0");
                frame->rax = aether_gate_service(frame->rax, frame->rdi, frame->rsi);
                return;
        case VECTOR_SPURIOUS:
                return; /* spurious interrupts take no EOI */
        }
        halt(AETHER_EXIT_PANIC, "interrupt on a vector with no handler");
}
