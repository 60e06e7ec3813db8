/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* window.h: AETHER_GUEST_WINDOW, the address generated code finds linear memory at, or 0 for memory->data. */
#ifndef AETHER_GUEST_WINDOW_H
#define AETHER_GUEST_WINDOW_H

#include "user_layout.h" /* USER_WINDOW_BASE, which AETHER_GUEST_WINDOW may name */

/* Where generated code finds linear memory (guest/wasm2c_rewrite.h).
 * Nonzero: always at that address, a constant the compiler keeps in a
 * register; the image sets USER_WINDOW_BASE (both memory-check modes), the
 * benchmark's host builds the address of the window they map, and the runtime
 * refuses a window anywhere else (guest/runtime.c). 0 (the default): at
 * memory->data, wherever the host put it (the benchmark's wake cycle). */
#ifndef AETHER_GUEST_WINDOW
#define AETHER_GUEST_WINDOW 0
#endif

#endif
