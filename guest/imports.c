/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* imports.c: the four aether imports of any wasm2c module, each one call through the gate. */
#include <stdint.h>
#include <string.h>

#include "gate.h"

/* wasm2c passes this context to every import; the gate needs none. */
struct Z_aether_instance_t;

float Z_aetherZ_read_atmospheric_pressure(struct Z_aether_instance_t *ctx) {
        (void)ctx;
        uint32_t bits = (uint32_t)aether_gate(AETHER_GATE_READ_PRESSURE, 0, 0);
        float pressure;
        memcpy(&pressure, &bits, sizeof(pressure));
        return pressure;
}

uint32_t Z_aetherZ_read_radiation_dosimeter(struct Z_aether_instance_t *ctx) {
        (void)ctx;
        return (uint32_t)aether_gate(AETHER_GATE_READ_DOSE, 0, 0);
}

void Z_aetherZ_commit_telemetry_vector(struct Z_aether_instance_t *ctx, uint32_t ptr, uint32_t len) {
        (void)ctx;
        aether_gate(AETHER_GATE_COMMIT_TELEMETRY, ptr, len);
}

void Z_aetherZ_commit_uplink(struct Z_aether_instance_t *ctx, uint32_t lo, uint32_t hi) {
        (void)ctx;
        aether_gate(AETHER_GATE_COMMIT_UPLINK, lo, hi);
}

