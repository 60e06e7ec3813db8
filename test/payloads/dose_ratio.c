/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* dose_ratio.c: a user payload for the -DAETHER_PAYLOAD_WASM test: its status encodes both inputs exactly. */
#include "aether_guest.h"

static unsigned char frame[8];

/* status = (int)(pressure * 100) << 16 | (dose & 0xffff); the uplink words
 * are the dose and a marker, so the record shows commit_uplink reached it. */
AETHER_EXPORT("evaluate_limits") int evaluate_limits(void) {
        float pressure = aether_read_atmospheric_pressure();
        int dose = aether_read_radiation_dosimeter();
        int status = ((int)(pressure * 100.0f) << 16) | (dose & 0xffff);
        for (int i = 0; i < 4; i++) {
                frame[i] = (unsigned char)(status >> (8 * i));
                frame[4 + i] = (unsigned char)(dose >> (8 * i));
        }
        aether_commit_telemetry_vector(frame, sizeof(frame));
        aether_commit_uplink(dose, 0x0dd5a710);
        return status;
}
