/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* wasm_iface.h: build-time check of a payload .wasm against the Aether host interface. */
#ifndef AETHER_WASM_IFACE_H
#define AETHER_WASM_IFACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The host functions a payload may import, all from module "aether":
 *   read_atmospheric_pressure: () -> f32
 *   read_radiation_dosimeter:  () -> i32
 *   commit_telemetry_vector:   (i32, i32) -> nil
 *   commit_uplink:             (i32, i32) -> nil
 */
typedef enum aether_wasm_import {
        AETHER_WASM_IMPORT_READ_ATMOSPHERIC_PRESSURE,
        AETHER_WASM_IMPORT_READ_RADIATION_DOSIMETER,
        AETHER_WASM_IMPORT_COMMIT_TELEMETRY_VECTOR,
        AETHER_WASM_IMPORT_COMMIT_UPLINK,
        AETHER_WASM_IMPORT_COUNT
} aether_wasm_import_t;

/* memory_max_pages when the memory declares no maximum. */
#define AETHER_WASM_NO_MAXIMUM UINT32_C(0xffffffff)

/* Largest minimum a 32-bit memory may declare: 4 GiB of 64 KiB pages. */
#define AETHER_WASM_PAGES_LIMIT UINT32_C(65536)

/* Size of the caller's message buffer that holds every message in full (the
 * longest lists up to 32 foreign imports with their names and types). */
#define AETHER_WASM_MESSAGE_MAX 16384

/* What the image build needs to know about an accepted payload. */
struct aether_wasm_iface {
        bool imports[AETHER_WASM_IMPORT_COUNT]; /* indexed by aether_wasm_import_t */
        bool has_diagnostic;                    /* exports diagnostic: () -> i32 */
        bool has_payload_version;               /* exports payload_version: () -> i32 */
        uint32_t memory_min_pages;
        uint32_t memory_max_pages;              /* AETHER_WASM_NO_MAXIMUM if none */
        uint8_t memory_flags;                   /* limits flags byte: 0 or 1 (has maximum) */
};

/* "read_atmospheric_pressure" etc.; NULL for a value outside the enum. */
const char *aether_wasm_import_name(aether_wasm_import_t import);

/*
 * Parses the size bytes at wasm (never reading outside them) and checks them
 * against the interface: imports, the exports evaluate_limits, memory,
 * diagnostic and payload_version, exactly one memory whose minimum is at most
 * max_pages, and no shared/64-bit/multiple memories or tags. Code bodies are
 * skipped: wasm-validate checks them. Returns true and fills *iface when the
 * module is accepted; otherwise returns false and writes a one-line reason
 * (NUL-terminated, truncated to message_size) to message.
 */
bool aether_wasm_iface_parse(const uint8_t *wasm, size_t size, uint32_t max_pages,
                             struct aether_wasm_iface *iface, char *message, size_t message_size);

#endif /* AETHER_WASM_IFACE_H */
