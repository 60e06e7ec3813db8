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
 * values (restored by every return or longjmp), so the rest is cleared; then
 * fxrstor loads the clean x87/SSE image below. */
        .globl  aether_scrub_registers
        .type   aether_scrub_registers, @function
aether_scrub_registers:
        fxrstor clean_fpu_state(%rip)
        xorl    %eax, %eax
        xorl    %ecx, %ecx
        xorl    %edx, %edx
        xorl    %esi, %esi
        xorl    %edi, %edi
        xorl    %r8d, %r8d
        xorl    %r9d, %r9d
        xorl    %r10d, %r10d
        xorl    %r11d, %r11d
        ret
        .size   aether_scrub_registers, .-aether_scrub_registers

/* The FXSAVE image of a freshly initialised FPU (SDM vol. 1, 10.5.1): FCW
 * 0x37f, every tag empty, MXCSR 0x1f80 (all exceptions masked, round to
 * nearest), every x87/MMX and XMM register zero. */
        .section .rodata
        .balign 16
clean_fpu_state:
        .word   0x037f                  /* FCW */
        .fill   22, 1, 0                /* FSW, FTW, FOP, FIP, FDP */
        .long   0x1f80                  /* MXCSR */
        .long   0xffff                  /* MXCSR_MASK (ignored by fxrstor) */
        .fill   512 - 32, 1, 0          /* ST0-7, XMM0-15, reserved */

        .section .note.GNU-stack,"",@progbits
