/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* unwind.S: setjmp/longjmp, the cycle-stack switch and the register scrub, without libc. */

        .text

/* int aether_setjmp(aether_jmp_buf *buf [rdi]) */
        .globl  aether_setjmp
        .type   aether_setjmp, @function
aether_setjmp:
        movq    %rbx, 0(%rdi)
        movq    %rbp, 8(%rdi)
        movq    %r12, 16(%rdi)
        movq    %r13, 24(%rdi)
        movq    %r14, 32(%rdi)
        movq    %r15, 40(%rdi)
        leaq    8(%rsp), %rax           /* the caller's rsp after our return */
        movq    %rax, 48(%rdi)
        movq    (%rsp), %rax            /* our return address */
        movq    %rax, 56(%rdi)
        xorl    %eax, %eax
        ret
        .size   aether_setjmp, .-aether_setjmp

/* void aether_longjmp(aether_jmp_buf *buf [rdi], int value [esi]) */
        .globl  aether_longjmp
        .type   aether_longjmp, @function
aether_longjmp:
        movl    %esi, %eax
        testl   %eax, %eax
        jnz     1f
        incl    %eax                    /* setjmp must see a non-zero value */
1:      movq    0(%rdi), %rbx
        movq    8(%rdi), %rbp
        movq    16(%rdi), %r12
        movq    24(%rdi), %r13
        movq    32(%rdi), %r14
        movq    40(%rdi), %r15
        movq    48(%rdi), %rsp
        jmpq    *56(%rdi)
        .size   aether_longjmp, .-aether_longjmp

/* void aether_call_on_stack(fn [rdi], arg [rsi], stack_top [rdx]) */
        .globl  aether_call_on_stack
        .type   aether_call_on_stack, @function
aether_call_on_stack:
        pushq   %rbp
        movq    %rsp, %rbp              /* rbp is callee-saved: it survives fn */
        andq    $-16, %rdx
        movq    %rdx, %rsp
        movq    %rdi, %rax
        movq    %rsi, %rdi
        callq   *%rax
        movq    %rbp, %rsp
        popq    %rbp
        ret
        .size   aether_call_on_stack, .-aether_call_on_stack

/* void aether_zero_stack_below(void *lowest [rdi], 8-byte aligned): [lowest,
 * rsp) is dead stack; rsp points at our return address, which stays. No
 * stack is used. */
        .globl  aether_zero_stack_below
        .type   aether_zero_stack_below, @function
aether_zero_stack_below:
        movq    %rsp, %rcx
        subq    %rdi, %rcx
        jbe     1f
        shrq    $3, %rcx                /* rsp and lowest are 8-byte aligned */
        xorl    %eax, %eax
        rep stosq
1:      ret
        .size   aether_zero_stack_below, .-aether_zero_stack_below

/* void aether_scrub_registers(void): callee-saved registers hold only host
 * values (restored by every return or longjmp), so the rest is cleared. */
        .globl  aether_scrub_registers
        .type   aether_scrub_registers, @function
aether_scrub_registers:
        xorl    %eax, %eax
        xorl    %ecx, %ecx
        xorl    %edx, %edx
        xorl    %esi, %esi
        xorl    %edi, %edi
        xorl    %r8d, %r8d
        xorl    %r9d, %r9d
        xorl    %r10d, %r10d
        xorl    %r11d, %r11d
        pxor    %xmm0, %xmm0
        pxor    %xmm1, %xmm1
        pxor    %xmm2, %xmm2
        pxor    %xmm3, %xmm3
        pxor    %xmm4, %xmm4
        pxor    %xmm5, %xmm5
        pxor    %xmm6, %xmm6
        pxor    %xmm7, %xmm7
        pxor    %xmm8, %xmm8
        pxor    %xmm9, %xmm9
        pxor    %xmm10, %xmm10
        pxor    %xmm11, %xmm11
        pxor    %xmm12, %xmm12
        pxor    %xmm13, %xmm13
        pxor    %xmm14, %xmm14
        pxor    %xmm15, %xmm15
        ret
        .size   aether_scrub_registers, .-aether_scrub_registers

        .section .note.GNU-stack,"",@progbits
