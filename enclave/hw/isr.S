/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* isr.S: interrupt entry stubs; each pushes its vector and reaches interrupt_dispatch() with a full frame. */

        .text


        .macro STUB vector
        .balign 16
isr_stub_\vector:
        /* these exceptions push an error code themselves (SDM vol. 3, table 6-1) */
        .if !((\vector == 8) || (\vector >= 10 && \vector <= 14) || (\vector == 17) || (\vector == 21) || (\vector == 29) || (\vector == 30))
        pushq   $0                      /* uniform frame: a dummy error code */
        .endif
        pushq   $\vector
        jmp     isr_common
        .endm

        .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        STUB \v
        .endr
        STUB 32         /* VECTOR_WAKE_PRESSURE */
        STUB 33         /* VECTOR_WAKE_KINETIC */
        STUB 64         /* VECTOR_WATCHDOG */
        STUB 128        /* VECTOR_GATE: int $0x80 from ring 3 */
        STUB 255        /* VECTOR_SPURIOUS */

/* The frame layout is struct interrupt_frame in interrupts.h. The CPU
 * aligned rsp to 16 before pushing its 5 words; with the two pushed above
 * and the 15 below, rsp is 16-aligned at the call. Ring 3 may have left AC
 * set (it is not cleared by delivery), which would open user pages to ring 0
 * under SMAP, and DF set: both are cleared before any C runs. The iretq
 * restores the interrupted flags. */
isr_common:
        pushq   %rax
        pushq   %rbx
        pushq   %rcx
        pushq   %rdx
        pushq   %rsi
        pushq   %rdi
        pushq   %rbp
        pushq   %r8
        pushq   %r9
        pushq   %r10
        pushq   %r11
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        pushfq
        andl    $~0x40000, (%rsp)       /* RFLAGS.AC */
        popfq
        cld
        movq    %rsp, %rdi
        call    interrupt_dispatch
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %r11
        popq    %r10
        popq    %r9
        popq    %r8
        popq    %rbp
        popq    %rdi
        popq    %rsi
        popq    %rdx
        popq    %rcx
        popq    %rbx
        popq    %rax
        addq    $16, %rsp               /* vector and error code */
        iretq

/* Handler addresses by vector; 0 leaves the gate not present. */
        .section .data.rel.ro, "aw"
        .balign 16
        .globl  isr_stub_table
isr_stub_table:
        .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        .quad   isr_stub_\v
        .endr
        .quad   isr_stub_32
        .quad   isr_stub_33
        .fill   (64 - 34), 8, 0
        .quad   isr_stub_64
        .fill   (128 - 65), 8, 0
        .quad   isr_stub_128
        .fill   (255 - 129), 8, 0
        .quad   isr_stub_255

        .section .note.GNU-stack,"",@progbits
