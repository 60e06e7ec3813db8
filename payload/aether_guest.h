/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* aether_guest.h: what a payload written in C sees of the enclave: the four aether imports and the status bits. */
#ifndef AETHER_GUEST_H
#define AETHER_GUEST_H

/* Build a payload with:
 *   clang --target=wasm32 -O2 -nostdlib -Wl,--no-entry \
 *         -Wl,--export=evaluate_limits -Wl,--export=memory ... payload.c
 * Its linear memory must not start above the enclave's cap (16 pages, 1 MiB,
 * unless the image was built with another AETHER_CFG_MEMORY_CAP_PAGES). */

#define AETHER_IMPORT(name) __attribute__((import_module("aether"), import_name(name)))
#define AETHER_EXPORT(name) __attribute__((export_name(name)))

/* The sensor values latched when the wake's interrupt arrived; the same
 * values for every call within one wake. */
AETHER_IMPORT("read_atmospheric_pressure") float aether_read_atmospheric_pressure(void); /* atm */
AETHER_IMPORT("read_radiation_dosimeter") int aether_read_radiation_dosimeter(void);     /* dose units */

/* Copies len bytes at ptr into the wake's telemetry, covered by the proof.
 * At most AETHER_TELEMETRY_MAX bytes; more, or a range outside linear memory,
 * ends the wake with the `host_call` fault. A later call replaces an earlier
 * one. */
AETHER_IMPORT("commit_telemetry_vector") void aether_commit_telemetry_vector(const void *ptr, int len);
#define AETHER_TELEMETRY_MAX 256

/* Two words the guest wants in the proof record; the last call wins, and a
 * wake that never calls it records 0, 0. */
AETHER_IMPORT("commit_uplink") void aether_commit_uplink(int lo, int hi);

/* evaluate_limits() returns a bitmask of these. */
#define AETHER_STATUS_PRESSURE_LOW (1 << 0)
#define AETHER_STATUS_DOSE_HIGH (1 << 1)

#endif
