/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* symbolize.h: names the wasm function where a wake left the guest, from wasm2c's function names and the runner's line tables. */
#ifndef AETHER_SIM_SYMBOLIZE_H
#define AETHER_SIM_SYMBOLIZE_H

#include "ring.h"

/* The innermost wasm function at the site, as "$name": wasm2c names each
 * wasm function's C function w2c_NAME, NAME being its name in the module's
 * name section or export (characters C does not allow become _) or f<index>.
 * Functions clang inlined are seen through the line tables (addr2line -i).
 * NULL when the site has no frame in generated code. The string lives until
 * the runner exits. */
const char *sim_wasm_function(const struct sim_site *site);

#endif
