/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* interrupts.h: the interrupt frame and the dispatcher every vector reaches. */
#ifndef AETHER_INTERRUPTS_H
#define AETHER_INTERRUPTS_H

#include <stdint.h>

/* What isr.S pushes, lowest address first. */
struct interrupt_frame {
        uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
        uint64_t vector, error_code;
        uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};
_Static_assert(sizeof(struct interrupt_frame) == 22 * 8, "matches the pushes in isr.S");

void interrupt_dispatch(struct interrupt_frame *frame);

#endif
