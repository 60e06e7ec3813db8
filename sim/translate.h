/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* translate.h: a payload .wasm to its runner program: validation, wasm2c, clang, kept in a cache by payload and runtime identity. */
#ifndef AETHER_SIM_TRANSLATE_H
#define AETHER_SIM_TRANSLATE_H

#include <limits.h>
#include <stdbool.h>

#include "proof.h"
#include "sha256.h"

/* The program the simulator runs for a payload; it takes aether-sim's options. */
#define SIM_RUNNER_NAME "aether-sim-payload"

struct sim_translation {
        char payload_sha256[2 * AETHER_SHA256_SIZE + 1]; /* of the .wasm file, hex */
        char dir[PATH_MAX];                              /* the payload's cache entry */
        char runner[PATH_MAX];                           /* the payload's runner, in the entry's runner/ */
        bool translated;                                 /* the payload was translated now */
        bool linked;                                     /* the runner was linked now */
        double seconds;                                  /* what finding or making them took */
};

/* Finds the runner of the payload at wasm_path in cache_dir, or
 * makes it. A cache entry is named by the payload's SHA-256 and the
 * runtime's identity (the library, the sources and headers compiled with the
 * payload, the flags and the tools), so a rebuilt runtime never reuses an
 * old entry. Making one validates the module exactly as the image build does
 * (cmake/AetherValidatePayload.cmake: wasm-validate with the runtime's
 * features, then aether-wasm-check), translates it with wasm2c and compiles
 * the generated code and guest/entry.c. The entry then holds the runner
 * (runner/): enclave/cycle.c compiled with aether-embed's header for the
 * payload, linked with the entry's objects and the runtime library; it
 * reads the key when it runs. Returns 0, or -1 after printing the problem
 * (a rejected module: the validator's message alone). */
int sim_translate(const char *wasm_path, const char *cache_dir, struct sim_translation *out);

#endif
