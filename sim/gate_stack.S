/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* gate_stack.S: a call on another stack that an unwinder can walk back across, for the simulator's gate. */

        .text

/* void sim_call_on_stack(void (*fn)(void *) [rdi], void *arg [rsi], void *stack_top [rdx]):
 * calls fn(arg) with rsp at stack_top (aligned down to 16), then returns on
 * the caller's stack. Its call frame information names rbp, which holds the
 * caller's rsp, as the frame's base, so backtrace() from fn reaches the
 * guest frames that called the gate. */
        .globl  sim_call_on_stack
        .type   sim_call_on_stack, @function
sim_call_on_stack:
        .cfi_startproc
        pushq   %rbp
        .cfi_def_cfa_offset 16
        .cfi_offset %rbp, -16
        movq    %rsp, %rbp
        .cfi_def_cfa_register %rbp
        andq    $-16, %rdx
        movq    %rdx, %rsp
        movq    %rdi, %rax
        movq    %rsi, %rdi
        callq   *%rax
        movq    %rbp, %rsp
        popq    %rbp
        .cfi_def_cfa %rsp, 8
        ret
        .cfi_endproc
        .size   sim_call_on_stack, .-sim_call_on_stack

        .section .note.GNU-stack,"",@progbits
