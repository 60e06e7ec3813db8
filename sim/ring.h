/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* ring.h: the image's ring boundary in a process: the guest's stack and its guard, the gate on a stack of its own, the watchdog and the guest's CPU faults as signals. */
#ifndef AETHER_SIM_RING_H
#define AETHER_SIM_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_SITE_FRAMES 16

/* Where the last wake left the guest, to name its wasm function: the return
 * addresses of the gate call that ended it (a TRAP, a refused host call), or
 * the instruction a signal interrupted (the watchdog, a CPU fault). */
struct sim_site {
        void *pcs[SIM_SITE_FRAMES];
        int count;            /* 0: unknown (an EXIT, or a watchdog taken on the way out of the gate) */
        bool exact;           /* pcs[0] is the interrupted instruction, not a return address */
        int signal;           /* the CPU fault's signal, 0 for none */
        void *fault_address;  /* and the address it names */
};

/* Once, before the first wake: the guest's stack above an absent 16 MiB
 * guard, as in the image's user address space (its size in the image,
 * AETHER_CFG_CYCLE_STACK_BYTES, and the 16 bytes a host call takes here and
 * not in the image); the gate's stack; the signal stack; the handlers.
 * watchdog_us is the per-wake budget. Returns 0, or -1 after a message. */
int sim_ring_init(uint32_t watchdog_us, uint8_t **stack, size_t *stack_bytes);

/* Right after aether_cycle_guest() returns: disarms the watchdog, ignores
 * one that fires now (as the image ignores one pending after the guest
 * left) and says where the guest left. */
void sim_ring_end_wake(struct sim_site *site);

#endif
