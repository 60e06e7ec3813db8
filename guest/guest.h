/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* guest.h: the ring-3 guest program: its entry, its runtime's state, and the memory-check mode it was built in. */
#ifndef AETHER_GUEST_H
#define AETHER_GUEST_H

#include <stdbool.h>
#include <stdint.h>

/* AETHER_GUEST_GUARD_PAGES: 1 (the default) when linear-memory accesses are
 * checked by the page tables (wasm2c's WASM_RT_MEMCHECK_SIGNAL_HANDLER=1: no
 * bounds checks); 0 for explicit bounds checks (-DAETHER_MEMCHECK=bounds;
 * always so in host builds). Both count call depth. */
#ifndef AETHER_GUEST_GUARD_PAGES
#define AETHER_GUEST_GUARD_PAGES 1
#endif

/* Where linear memory starts, as the host told the entry. */
extern uint8_t *aether_guest_window;

/* One wake of the payload, from a fresh instance: registers the module's
 * types, instantiates, runs evaluate_limits and leaves through the gate
 * (EXIT with its result, or TRAP). Never returns. The image enters it from
 * guest/start.S in ring 3; a host build calls it on a stack of its own. */
_Noreturn void aether_guest_main(uint8_t *window);

/* Clears the runtime's registries, so that a wake in a host build starts as
 * fresh as one in the image (where the guest's data pages are reloaded). */
void aether_guest_runtime_reset(void);

/* The guest runtime's own invariant broke: leaves through the gate with a
 * TRAP kind the host does not know, which the host commits as `isolation`. */
_Noreturn void aether_guest_panic(void);

#endif
