/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* freestanding.c: what the compat headers leave to the program, for the guest linked alone: both end the wake. */
#include <assert.h>
#include <stdlib.h>

#include "guest.h"

void abort(void) {
        aether_guest_panic();
}

void aether_assert_failed(const char *expr, const char *file, int line) {
        (void)expr, (void)file, (void)line;
        aether_guest_panic();
}
