/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* fault.h: the closed enum of wake outcomes committed in the proof record. */
#ifndef AETHER_FAULT_H
#define AETHER_FAULT_H

#include <stdint.h>

/* The outcome of one wake. The numeric values are part of the proof record
 * (ARCHITECTURE.md, "Fault codes") and never change meaning. */
typedef enum aether_fault {
        AETHER_FAULT_NONE = 0,               /* "ok": evaluate_limits returned */
        AETHER_FAULT_OOB = 1,                /* linear memory or table out of bounds */
        AETHER_FAULT_INT_OVERFLOW = 2,       /* INT_MIN / -1, float->int out of range */
        AETHER_FAULT_DIV_BY_ZERO = 3,        /* integer divide or remainder by zero */
        AETHER_FAULT_INVALID_CONVERSION = 4, /* NaN to integer */
        AETHER_FAULT_UNREACHABLE = 5,        /* the unreachable instruction */
        AETHER_FAULT_CALL_INDIRECT = 6,      /* bad index, null entry or signature */
        AETHER_FAULT_EXHAUSTION = 7,         /* call depth bound or the user stack's guard */
        AETHER_FAULT_WATCHDOG = 8,           /* the per-wake time budget ran out */
        AETHER_FAULT_HOST_CALL = 9,          /* an aether import got bad arguments */
        AETHER_FAULT_ISOLATION = 10,         /* the guest broke the isolation: any other CPU exception in
                                                ring 3, or a gate call generated code never makes */
} aether_fault_t;

#define AETHER_FAULT_COUNT 11

/* The report name of a fault ("ok", "oob", ...); NULL for a value outside the
 * enum, so a decoder can reject it. */
const char *aether_fault_name(aether_fault_t fault);

/* The inverse of aether_fault_name(): returns 0 and sets *fault, or -1. */
int aether_fault_from_name(const char *name, aether_fault_t *fault);

#endif
