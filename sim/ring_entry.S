/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* ring_entry.S: the simulator's two ring crossings, the guest's start and the gate, with the stacks laid out as in the image. */

        .text

/* _Noreturn void __wrap_aether_guest_main(uint8_t *window [rdi]): where the
 * guest starts (ld --wrap; in the image, the iretq to guest/start.S). Starts
 * the wake (sim_guest_starts in ring.c: the watchdog), then calls the guest
 * from the top of its stack as guest/start.S does, so that the guest's frames
 * lie where they lie in the image. The frames above are abandoned: the guest
 * never returns, it leaves through aether_platform_leave_guest. */
        .globl  __wrap_aether_guest_main
        .type   __wrap_aether_guest_main, @function
__wrap_aether_guest_main:
        .cfi_startproc
        .cfi_undefined %rip             /* the outermost guest frame: unwinding stops here */
        pushq   %rdi
        callq   sim_guest_starts
        popq    %rdi
        movq    sim_guest_stack_top(%rip), %rsp
        callq   __real_aether_guest_main
        ud2
        .cfi_endproc
        .size   __wrap_aether_guest_main, .-__wrap_aether_guest_main

/* uint64_t __wrap_aether_gate_service(op [rdi], a [rsi], b [rdx]): the gate
 * (ld --wrap; in the image, int $0x80). Moves to the gate stack before it
 * touches memory, as the CPU moves to RSP0, and runs sim_gate_call (ring.c)
 * there: of the guest's stack the gate takes only the call's return address.
 * The call frame information finds the guest's rsp where it was saved on the
 * gate stack, so backtrace() in sim_gate_call reaches the guest's frames. */
        .globl  __wrap_aether_gate_service
        .type   __wrap_aether_gate_service, @function
__wrap_aether_gate_service:
        .cfi_startproc
        movq    %rsp, %rax
        movq    sim_gate_stack_top(%rip), %rsp
        .cfi_def_cfa %rax, 8
        pushq   %rax                    /* the guest's rsp, at our return address */
        /* CFA = *(rsp + 0) + 8: DW_CFA_def_cfa_expression {DW_OP_breg7 0; DW_OP_deref; DW_OP_plus_uconst 8} */
        .cfi_escape 0x0f, 0x05, 0x77, 0x00, 0x06, 0x23, 0x08
        subq    $8, %rsp                /* 16-byte aligned at the call */
        .cfi_escape 0x0f, 0x05, 0x77, 0x08, 0x06, 0x23, 0x08
        callq   sim_gate_call
        addq    $8, %rsp
        .cfi_escape 0x0f, 0x05, 0x77, 0x00, 0x06, 0x23, 0x08
        popq    %rsp                    /* back on the guest's stack */
        .cfi_def_cfa %rsp, 8
        ret
        .cfi_endproc
        .size   __wrap_aether_gate_service, .-__wrap_aether_gate_service

        .section .note.GNU-stack,"",@progbits
