# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherOptions.cmake: the options a user sets at configure time.

set(AETHER_PAYLOAD_WASM "" CACHE FILEPATH
    "Absolute path of a user .wasm payload; empty builds the stock payload in payload/")
set(AETHER_BOARD "${PROJECT_SOURCE_DIR}/enclave/boards/qemu-q35.board" CACHE FILEPATH
    "Board description the image is built for (ARCHITECTURE.md, 'Board description'); its key-source says where the device key comes from at boot")
set(AETHER_FUZZ_SECONDS 5 CACHE STRING
    "Seconds each libFuzzer harness runs under ctest")

# Enclave limits (enclave/config.h documents each; these override its defaults).
set(AETHER_CFG_MEMORY_CAP_PAGES 16 CACHE STRING "Linear memory cap in 64 KiB pages")
set(AETHER_CFG_MAX_CALL_DEPTH 500 CACHE STRING "wasm call-depth bound (bounds mode)")
set(AETHER_MEMCHECK guard CACHE STRING
    "How generated code's linear-memory accesses are checked: guard (absent pages in the window) or bounds (explicit checks)")
set_property(CACHE AETHER_MEMCHECK PROPERTY STRINGS guard bounds)
set(AETHER_TEST_GUEST "" CACHE FILEPATH
    "Tests only: a hand-written guest program (C) that runs in ring 3 in place of the payload")
