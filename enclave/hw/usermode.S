/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* usermode.S: the way into ring 3: save the host's context, clear every register, iretq. */

#define GDT_SELECTOR_USER_DATA 0x18     /* enclave/hw/hw.h, enum gdt_selector */
#define GDT_SELECTOR_USER_CODE 0x20
#define RPL_USER 3
#define RFLAGS_RESERVED 0x002           /* bit 1 is always set */
#define RFLAGS_IF 0x200

        .text

/* int usermode_enter(aether_jmp_buf *host [rdi], uint64_t rip [rsi],
 *                    uint64_t rsp [rdx], uint64_t arg [rcx])
 * The save is aether_setjmp's (enclave/hw/unwind.S), so aether_longjmp(host, v)
 * comes back as a return of v from here. */
        .globl  usermode_enter
        .type   usermode_enter, @function
usermode_enter:
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

        pushq   $(GDT_SELECTOR_USER_DATA | RPL_USER)    /* ss */
        pushq   %rdx                                    /* rsp */
        pushq   $(RFLAGS_IF | RFLAGS_RESERVED)          /* rflags: interrupts on, AC, DF, TF clear */
        pushq   $(GDT_SELECTOR_USER_CODE | RPL_USER)    /* cs */
        pushq   %rsi                                    /* rip */
        movq    %rcx, %rdi

        /* Nothing of the host reaches ring 3 in a register. */
        movl    $(GDT_SELECTOR_USER_DATA | RPL_USER), %eax
        movw    %ax, %ds
        movw    %ax, %es
        xorl    %eax, %eax
        movw    %ax, %fs
        movw    %ax, %gs
        xorl    %ebx, %ebx
        xorl    %ecx, %ecx
        xorl    %edx, %edx
        xorl    %esi, %esi
        xorl    %ebp, %ebp
        xorl    %r8d, %r8d
        xorl    %r9d, %r9d
        xorl    %r10d, %r10d
        xorl    %r11d, %r11d
        xorl    %r12d, %r12d
        xorl    %r13d, %r13d
        xorl    %r14d, %r14d
        xorl    %r15d, %r15d
        iretq
        .size   usermode_enter, .-usermode_enter

        .section .note.GNU-stack,"",@progbits
