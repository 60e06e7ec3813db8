/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* host_window.h: linear memory for host builds of generated code, in a PROT_NONE window at AETHER_GUEST_WINDOW. */
#ifndef AETHER_HOST_WINDOW_H
#define AETHER_HOST_WINDOW_H

#include <stdint.h>

/* Reserves the window as the enclave lays it out: USER_WINDOW_BYTES at the
 * fixed address AETHER_GUEST_WINDOW (guest/window.h), none of it accessible,
 * so that a stray access crashes the process as it would fault in the
 * enclave. Returns its address; exits if it cannot have it. */
uint8_t *host_window_reserve(void);

/* Wasm pages [from, to) of the window become read/write, as the enclave maps
 * them present. */
void host_window_map(uint32_t from, uint32_t to);

#endif
