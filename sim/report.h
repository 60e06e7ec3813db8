/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* report.h: a line per wake, and the JSON report in scripts/aether-run's format without the boot-only fields. */
#ifndef AETHER_SIM_REPORT_H
#define AETHER_SIM_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "cycle.h"
#include "options.h"

/* One wake as the runner saw it. */
struct sim_wake_outcome {
        const struct sim_wake *wake;                /* what was asked */
        const struct aether_cycle_result *result;   /* what cycle.c sealed */
        bool verified;                              /* the tag and the fields, checked (runner.c) */
        const char *problem;                        /* why not, when not verified */
        uint32_t memory_bytes;                      /* the wake's final memory.size in bytes */
        const char *function;                       /* "$name" where a fault left the guest, or NULL */
};

struct sim_report;

/* Starts a report of the run; path NULL: the lines only. Returns NULL on
 * running out of memory. */
struct sim_report *sim_report_begin(const char *path, const char *payload, const uint8_t *payload_sha256,
                                    uint64_t epoch, uint32_t watchdog_us);

/* Prints the wake's line and adds its entry. */
void sim_report_wake(struct sim_report *report, const struct sim_wake_outcome *outcome);

/* Writes the report (to a temporary file renamed over path) and frees it.
 * Returns 0, or -1 after a message. */
int sim_report_end(struct sim_report *report, double seconds);

#endif
