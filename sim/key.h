/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* key.h: the device key file, read and parsed with the proof code's own parser. */
#ifndef AETHER_SIM_KEY_H
#define AETHER_SIM_KEY_H

#include <stdint.h>

#include "proof.h"

/* Reads and parses a key file (ARCHITECTURE.md, "Key file"). Returns 0, or
 * -1 after printing "PATH: error: ..." (never quoting key digits). */
int sim_load_key(const char *path, uint8_t key[AETHER_PROOF_KEY_SIZE]);

#endif
