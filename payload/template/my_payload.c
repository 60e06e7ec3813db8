/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* my_payload.c: a starter payload: limit checks on the two sensors, a telemetry frame and the uplink words. */
#include "aether_guest.h"

/* Each wake runs a fresh instance: this frame, like every global, starts as
 * the module defines it (zero) on every wake (aether_guest.h, "Nothing
 * survives a wake"). */
static struct {
        float pressure; /* atm, as read */
        int dose;       /* dose units, as read */
} telemetry;
_Static_assert(sizeof(telemetry) == 8, "telemetry is 8 bytes");

#define PRESSURE_MIN_ATM 0.5f /* below: AETHER_STATUS_PRESSURE_LOW */
#define DOSE_MAX 1000         /* above: AETHER_STATUS_DOSE_HIGH */

/* Called once per wake; its return value is the record's status. */
AETHER_EXPORT("evaluate_limits") int evaluate_limits(void) {
        telemetry.pressure = aether_read_atmospheric_pressure();
        telemetry.dose = aether_read_radiation_dosimeter();
        int status = (telemetry.pressure < PRESSURE_MIN_ATM ? AETHER_STATUS_PRESSURE_LOW : 0) |
                     (telemetry.dose > DOSE_MAX ? AETHER_STATUS_DOSE_HIGH : 0);
        aether_commit_telemetry_vector(&telemetry, sizeof(telemetry));
        aether_commit_uplink(telemetry.dose, status); /* two words for the ground, in the proof record */
        return status;
}
