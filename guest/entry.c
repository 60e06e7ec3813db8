/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* entry.c: the guest's wake: a fresh instance of the payload, evaluate_limits, and the way out through the gate. */
#include <string.h>

#include "aether_payload.h"
#include "gate.h"
#include "guest.h"

/* guest/imports.c defines it; the payload takes no other import. */
static struct Z_aether_instance_t *const imports = NULL;
static Z_payload_instance_t instance;

void aether_guest_main(uint8_t *window) {
        aether_guest_runtime_reset();
        memset(&instance, 0, sizeof(instance));
        aether_guest_window = window;
        wasm_rt_init();
        Z_payload_init_module();
        Z_payload_instantiate(&instance, imports);
        uint32_t status = Z_payloadZ_evaluate_limits(&instance);
        aether_gate(AETHER_GATE_EXIT, status, 0);
        __builtin_unreachable();
}
