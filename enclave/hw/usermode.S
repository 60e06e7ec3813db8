/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* usermode.S: the way into ring 3: clear every register, iretq. */

#define GDT_SELECTOR_USER_DATA 0x18     /* enclave/hw/hw.h, enum gdt_selector */
#define GDT_SELECTOR_USER_CODE 0x20
#define RPL_USER 3
#define RFLAGS_RESERVED 0x002           /* bit 1 is always set */
#define RFLAGS_IF 0x200

        .text

/* _Noreturn void usermode_iret(uint64_t rip [rdi], uint64_t rsp [rsi], uint64_t arg [rdx])
 * The host's context is saved by the caller (aether_setjmp); this never
 * returns: the way back is aether_longjmp from a handler in ring 0. */
        .globl  usermode_iret
        .type   usermode_iret, @function
usermode_iret:
        pushq   $(GDT_SELECTOR_USER_DATA | RPL_USER)    /* ss */
        pushq   %rsi                                    /* rsp */
        pushq   $(RFLAGS_IF | RFLAGS_RESERVED)          /* rflags: interrupts on, AC, DF, TF clear */
        pushq   $(GDT_SELECTOR_USER_CODE | RPL_USER)    /* cs */
        pushq   %rdi                                    /* rip */
        movq    %rdx, %rdi

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
        .size   usermode_iret, .-usermode_iret

        .section .note.GNU-stack,"",@progbits
