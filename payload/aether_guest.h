/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* aether_guest.h: what a payload written in C sees of the enclave: the four aether imports and the status bits. */
#ifndef AETHER_GUEST_H
#define AETHER_GUEST_H

/* Build a payload (payload.c, with this header beside it or -I its folder):
 *   clang --target=wasm32 -O2 -nostdlib -ffreestanding -Wl,--no-entry -o payload.wasm payload.c
 * -nostdlib -ffreestanding: a payload has no libc; its only imports are the
 * four below (any other import is rejected). -Wl,--no-entry: a library of
 * exports, no _start. AETHER_EXPORT exports a function by name, and wasm-ld
 * exports the linear memory as "memory" by default (an -Wl,--export=memory
 * fails: "symbol exported via --export not found: memory"). The memory's
 * initial size must not exceed the enclave's cap (16 pages, 1 MiB, unless the
 * image was built with another AETHER_CFG_MEMORY_CAP_PAGES). With the SDK
 * installed, aether_add_payload() in CMake compiles, validates, simulates
 * and images a payload (README.md, "Writing a payload").
 *
 * Nothing survives a wake. Each wake runs a fresh instance of the module:
 * linear memory holds only what its data segments put there (the rest is
 * zero, and pages grown by an earlier wake are gone), every global has its
 * initial value, the stack is empty. After the wake the enclave scrubs the
 * memory, the guest's data, its stacks and the registers. A payload that
 * needs history gets it in its inputs, not from itself. Why: nothing a wake
 * saw stays behind to leak (no residue); there is no state to corrupt, so a
 * hostile or buggy wake cannot influence the next one; and each proof record
 * covers one self-contained run of the payload on that wake's sensor values. */

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
