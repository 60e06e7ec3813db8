/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* config.h: the AETHER_CFG_* build-time limits, each always defined, with its documented default. */
#ifndef AETHER_CONFIG_H
#define AETHER_CONFIG_H

/* Every value below may be overridden with -D at configure time (CMake cache
 * entries of the same name). Each is tested with #if under -Wundef, so a
 * misspelt override fails the build instead of silently taking the default. */

/* Linear memory cap, in 64 KiB wasm pages. memory.grow past it returns -1; a
 * module whose minimum exceeds it is rejected at build time. Default 16 (1 MiB). */
#ifndef AETHER_CFG_MEMORY_CAP_PAGES
#define AETHER_CFG_MEMORY_CAP_PAGES 16
#endif

/* Size of the user stack the ring-3 guest runs on, in bytes. It holds only
 * the C frames of generated code (a payload's own stack and data live in
 * linear memory). A 16 MiB guard region that is never mapped lies below it.
 * Default 64 KiB. */
#ifndef AETHER_CFG_CYCLE_STACK_BYTES
#define AETHER_CFG_CYCLE_STACK_BYTES (64 * 1024)
#endif

/* wasm call-depth bound (WASM_RT_MAX_CALL_STACK_DEPTH) in bounds-check mode
 * (-DAETHER_MEMCHECK=bounds); guard-page mode has no counter. Chosen with the
 * user stack: 500 frames of up to 128 bytes each fit; a deeper or fatter
 * guest hits the guard region, which is reported as the same `exhaustion`
 * fault. Default 500. */
#ifndef AETHER_CFG_MAX_CALL_DEPTH
#define AETHER_CFG_MAX_CALL_DEPTH 500
#endif

/* Elements a funcref or externref table may hold. Default 1024. */
#ifndef AETHER_CFG_TABLE_CAP
#define AETHER_CFG_TABLE_CAP 1024
#endif

/* Distinct function signatures the module may register. Default 128. */
#ifndef AETHER_CFG_FUNC_TYPE_CAP
#define AETHER_CFG_FUNC_TYPE_CAP 128
#endif

/* Bytes of parameter and result types all distinct signatures of a module
 * may take together (one signature may use them all). Default 8192. */
#ifndef AETHER_CFG_FUNC_TYPE_POOL
#define AETHER_CFG_FUNC_TYPE_POOL 8192
#endif

/* Wakes that may wait while one runs; one more is dropped and counted (the
 * record's dropped-wake counter). A board's wake-queue directive may make the
 * queue smaller. Default 8. */
#ifndef AETHER_CFG_WAKE_QUEUE
#define AETHER_CFG_WAKE_QUEUE 8
#endif

#if AETHER_CFG_MEMORY_CAP_PAGES < 1 || AETHER_CFG_MEMORY_CAP_PAGES > 1024
#error "AETHER_CFG_MEMORY_CAP_PAGES must be 1..1024 (64 KiB .. 64 MiB)"
#endif
#if AETHER_CFG_CYCLE_STACK_BYTES % 4096 != 0 || AETHER_CFG_CYCLE_STACK_BYTES < 16384
#error "AETHER_CFG_CYCLE_STACK_BYTES must be a multiple of 4096 and at least 16 KiB"
#endif
#if AETHER_CFG_MAX_CALL_DEPTH < 16 || AETHER_CFG_MAX_CALL_DEPTH * 128 > AETHER_CFG_CYCLE_STACK_BYTES
#error "AETHER_CFG_MAX_CALL_DEPTH frames of 128 bytes must fit AETHER_CFG_CYCLE_STACK_BYTES"
#endif
#if AETHER_CFG_WAKE_QUEUE < 1 || (AETHER_CFG_WAKE_QUEUE & (AETHER_CFG_WAKE_QUEUE - 1)) != 0
#error "AETHER_CFG_WAKE_QUEUE must be a power of two"
#endif

#define AETHER_WASM_PAGE_BYTES 65536u
#define AETHER_MEMORY_CAP_BYTES ((unsigned long)AETHER_CFG_MEMORY_CAP_PAGES * AETHER_WASM_PAGE_BYTES)

#endif
