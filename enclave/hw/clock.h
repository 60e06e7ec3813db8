/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* clock.h: the reference clocks ACPI names, the HPET's main counter and the ACPI PM timer, read as one rising count. */
#ifndef AETHER_CLOCK_H
#define AETHER_CLOCK_H

#include <stdint.h>

#include "platform.h"

struct reference_clock {
        enum aether_timer_reference kind;
        uint64_t hz;    /* counts per second */
        uint64_t mask;  /* the hardware counter's width */
        uint16_t port;  /* PM timer */
        uint64_t hpet;  /* HPET register block */
        uint64_t last;  /* the last raw value read */
        uint64_t count; /* counts since open */
};

/* Opens the platform's reference (not AETHER_TIMER_REFERENCE_NONE): the HPET,
 * its period read and its main counter started if the firmware left it
 * stopped, or the PM timer. Returns 0, or -1 after logging an HPET whose
 * period is outside the specification's 0..100 ns. */
int reference_clock_open(struct reference_clock *clock, const struct aether_platform *platform);

/* Counts since open, carried past the hardware counter's wrap: read it at
 * least once a wrap (4.7 s for a 24-bit PM timer). */
uint64_t reference_clock_read(struct reference_clock *clock);

#endif
