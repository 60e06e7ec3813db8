/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* start.S: the guest program's entry in ring 3: the host irets here with rdi = the linear-memory window. */

        .section .text.entry, "ax"
        .globl  _start
        .type   _start, @function
/* The host enters with rsp = the top of the user stack (16-byte aligned),
 * rdi = the window base, and every other register zero. The call leaves rsp
 * as the SysV ABI wants it at a function's entry. */
_start:
        call    aether_guest_main
        ud2                             /* aether_guest_main never returns */
        .size   _start, .-_start

        .section .note.GNU-stack,"",@progbits
