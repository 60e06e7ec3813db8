/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* stock_payload.c: the stock mission logic: pressure and dose limits, and a telemetry frame of what was read. */
#include "aether_guest.h"

/* Thresholds (ARCHITECTURE.md, "Stock payload"). */
#define PRESSURE_LOW_ATM 0.5f /* below: PRESSURE_LOW */
#define DOSE_HIGH 1000        /* above: DOSE_HIGH */

#define TELEMETRY_MAGIC 0x4d4c5441u /* "ATLM" little-endian */
#define TELEMETRY_VERSION 1
#define PAYLOAD_VERSION 1

/* The telemetry frame, 16 bytes little-endian. */
struct telemetry_frame {
        unsigned int magic;
        unsigned short version;
        unsigned short status;
        float pressure;
        int dose;
};
_Static_assert(sizeof(struct telemetry_frame) == 16, "telemetry frame is 16 bytes");

static struct telemetry_frame frame;

AETHER_EXPORT("evaluate_limits") int evaluate_limits(void) {
        float pressure = aether_read_atmospheric_pressure();
        int dose = aether_read_radiation_dosimeter();
        int status = 0;
        if (pressure < PRESSURE_LOW_ATM)
                status |= AETHER_STATUS_PRESSURE_LOW;
        if (dose > DOSE_HIGH)
                status |= AETHER_STATUS_DOSE_HIGH;

        frame.magic = TELEMETRY_MAGIC;
        frame.version = TELEMETRY_VERSION;
        frame.status = (unsigned short)status;
        frame.pressure = pressure;
        frame.dose = dose;
        aether_commit_telemetry_vector(&frame, sizeof(frame));
        return status;
}

/* A self-test the ground can request: both thresholds classify their edges. */
AETHER_EXPORT("diagnostic") int diagnostic(void) {
        int ok = (0.49f < PRESSURE_LOW_ATM) && !(0.5f < PRESSURE_LOW_ATM) && (1001 > DOSE_HIGH) && !(1000 > DOSE_HIGH);
        return ok ? 0 : 1;
}

AETHER_EXPORT("payload_version") int payload_version(void) {
        return PAYLOAD_VERSION;
}
