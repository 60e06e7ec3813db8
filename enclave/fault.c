/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* fault.c: names of the wake outcomes, as the harness report and log spell them. */
#include "fault.h"

#include <stddef.h>

#include "text.h"

const char *aether_fault_name(aether_fault_t fault) {
        /* No default: the compiler flags a fault class without a name. */
        switch (fault) {
        case AETHER_FAULT_NONE:
                return "ok";
        case AETHER_FAULT_OOB:
                return "oob";
        case AETHER_FAULT_INT_OVERFLOW:
                return "int_overflow";
        case AETHER_FAULT_DIV_BY_ZERO:
                return "div_by_zero";
        case AETHER_FAULT_INVALID_CONVERSION:
                return "invalid_conversion";
        case AETHER_FAULT_UNREACHABLE:
                return "unreachable";
        case AETHER_FAULT_CALL_INDIRECT:
                return "call_indirect";
        case AETHER_FAULT_EXHAUSTION:
                return "exhaustion";
        case AETHER_FAULT_WATCHDOG:
                return "watchdog";
        case AETHER_FAULT_HOST_CALL:
                return "host_call";
        case AETHER_FAULT_ISOLATION:
                return "isolation";
        }
        return NULL;
}

int aether_fault_from_name(const char *name, aether_fault_t *fault) {
        for (int f = 0; f < AETHER_FAULT_COUNT; f++) {
                const char *candidate = aether_fault_name((aether_fault_t)f);
                if (candidate && text_equal(candidate, name, (size_t)-1)) {
                        *fault = (aether_fault_t)f;
                        return 0;
                }
        }
        return -1;
}
