# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherBench.cmake: the programs scripts/aether-bench runs (bench payload four ways, host wake cycle, hello EFI), and bench.quick.
#
# Everything lands in <build>/bench/ (target bench_tools, part of ALL: a few
# small -O2 compiles). Needs AETHER_CFG_DEFINES, AETHER_FREESTANDING_FLAGS and
# the gnu-efi paths from AetherImage.cmake.

set(BENCH ${CMAKE_BINARY_DIR}/bench)
set(BENCH_GEN ${BENCH}/generated)
file(MAKE_DIRECTORY ${BENCH_GEN})
set(BENCH_SRC ${PROJECT_SOURCE_DIR}/test/bench)

# The host builds use the guest's code-generation flags for generated code and
# runtime, minus what only the freestanding programs need (-ffreestanding,
# -nostdinc, -fpie, ...). A process has no guard pages: the guest is built in
# bounds mode, its gate a plain call (guest/gate.h, AETHER_GATE_DIRECT).
set(AETHER_BENCH_HOST_FLAGS -O2 -frounding-math -fno-optimize-sibling-calls -fno-math-errno)
set(AETHER_HOST_GUEST_DEFINES ${AETHER_CFG_DEFINES} AETHER_GATE_DIRECT=1
  AETHER_GUEST_GUARD_PAGES=0 WASM_RT_MEMCHECK_SIGNAL_HANDLER=0 WASM_RT_USE_STACK_DEPTH_COUNT=1
  WASM_RT_MAX_CALL_STACK_DEPTH=${AETHER_CFG_MAX_CALL_DEPTH})
set(AETHER_BENCH_NATIVE_FLAGS -O2)          # "native": plain clang -O2
set(AETHER_BENCH_NO_WASM_ATTRIBUTES -Wno-unknown-attributes) # payload C on x86-64: import/export attributes mean nothing

# ---- wasm modules and their wasm2c translations ------------------------------

set(BENCH_WASM ${BENCH}/bench_payload.wasm)
set(BENCH_STOCK_WASM ${BENCH}/stock_payload.wasm)
aether_wasm_payload(${BENCH_WASM} ${BENCH_SRC}/bench_payload.c)
aether_wasm_payload(${BENCH_STOCK_WASM} ${PROJECT_SOURCE_DIR}/payload/stock_payload.c)

# Both go through the image's pipeline: the bench payload passes the same
# admission check; the stock payload is translated -n payload, as the image
# does (cycle.c includes aether_payload.h), with the development key.
aether_translate_payload(WASM ${BENCH_WASM} GEN ${BENCH_GEN} MODULE bench)
aether_translate_payload(WASM ${BENCH_STOCK_WASM} GEN ${BENCH_GEN} MODULE payload
  KEY ${PROJECT_SOURCE_DIR}/enclave/keys/development.key)

# ---- host-built runtime and pure logic, -O2, no sanitizers ------------------------

# aether_bench_objects(NAME [GENERATED] SOURCES ... FLAGS ... DEFINES ...): an object library.
function(aether_bench_objects name)
  cmake_parse_arguments(ARG "GENERATED" "" "SOURCES;FLAGS;DEFINES" ${ARGN})
  add_library(${name} OBJECT ${ARG_SOURCES})
  if(ARG_GENERATED)
    target_compile_options(${name} PRIVATE ${ARG_FLAGS} -w) # wasm2c's code, as in the image
  else()
    target_compile_options(${name} PRIVATE ${ARG_FLAGS} $<$<COMPILE_LANGUAGE:C>:${AETHER_HOST_WARNINGS}>)
  endif()
  target_compile_definitions(${name} PRIVATE ${ARG_DEFINES})
  target_include_directories(${name} PRIVATE
    ${PROJECT_SOURCE_DIR}/enclave ${PROJECT_SOURCE_DIR}/enclave/hw ${PROJECT_SOURCE_DIR}/guest ${PROJECT_SOURCE_DIR}/payload ${BENCH_SRC} ${BENCH_GEN})
  set_target_properties(${name} PROPERTIES C_STANDARD 11 C_EXTENSIONS ON EXCLUDE_FROM_ALL ON)
endfunction()

aether_bench_objects(bench_support FLAGS ${AETHER_BENCH_HOST_FLAGS}
  SOURCES ${PROJECT_SOURCE_DIR}/enclave/hostcall.c ${BENCH_SRC}/bench_stats.c)
aether_bench_objects(bench_runtime FLAGS ${AETHER_BENCH_HOST_FLAGS} DEFINES ${AETHER_HOST_GUEST_DEFINES}
  SOURCES ${PROJECT_SOURCE_DIR}/guest/runtime.c ${PROJECT_SOURCE_DIR}/guest/imports.c
          ${PROJECT_SOURCE_DIR}/enclave/hw/unwind.S ${PROJECT_SOURCE_DIR}/enclave/fault.c)
aether_bench_objects(bench_wasm2c_payload GENERATED FLAGS ${AETHER_BENCH_HOST_FLAGS} DEFINES ${AETHER_HOST_GUEST_DEFINES}
  SOURCES ${BENCH_GEN}/aether_bench.c)
aether_bench_objects(bench_stock_wasm2c GENERATED FLAGS ${AETHER_BENCH_HOST_FLAGS} DEFINES ${AETHER_HOST_GUEST_DEFINES}
  SOURCES ${BENCH_GEN}/aether_payload.c ${PROJECT_SOURCE_DIR}/guest/entry.c)

# ---- A: guest compute, native and wasm2c ----------------------------------------

add_executable(bench-compute-native ${BENCH_SRC}/guest_compute.c ${BENCH_SRC}/bench_payload.c
  $<TARGET_OBJECTS:bench_support>)
target_compile_options(bench-compute-native PRIVATE ${AETHER_BENCH_NATIVE_FLAGS} ${AETHER_HOST_WARNINGS}
  ${AETHER_BENCH_NO_WASM_ATTRIBUTES})
target_compile_definitions(bench-compute-native PRIVATE AETHER_BENCH_WASM2C=0)

add_executable(bench-compute-wasm2c ${BENCH_SRC}/guest_compute.c ${BENCH_GEN}/aether_bench.h
  $<TARGET_OBJECTS:bench_support> $<TARGET_OBJECTS:bench_runtime> $<TARGET_OBJECTS:bench_wasm2c_payload>)
target_compile_options(bench-compute-wasm2c PRIVATE ${AETHER_BENCH_HOST_FLAGS} ${AETHER_HOST_WARNINGS})
target_compile_definitions(bench-compute-wasm2c PRIVATE AETHER_BENCH_WASM2C=1 ${AETHER_HOST_GUEST_DEFINES})

# ---- B: the wake cycle, host build ----------------------------------------------

add_executable(bench-wake-cycle ${BENCH_SRC}/wake_cycle.c ${PROJECT_SOURCE_DIR}/enclave/cycle.c
  ${PROJECT_SOURCE_DIR}/enclave/host_platform.c
  ${PROJECT_SOURCE_DIR}/enclave/proof.c ${PROJECT_SOURCE_DIR}/enclave/siphash.c
  ${PROJECT_SOURCE_DIR}/enclave/sha256.c ${PROJECT_SOURCE_DIR}/payload/stock_payload.c
  ${BENCH_GEN}/aether_payload.h ${BENCH_GEN}/aether_embedded.h ${BENCH_GEN}/payload_iface.h
  $<TARGET_OBJECTS:bench_support> $<TARGET_OBJECTS:bench_runtime> $<TARGET_OBJECTS:bench_stock_wasm2c>)
target_compile_options(bench-wake-cycle PRIVATE ${AETHER_BENCH_HOST_FLAGS} ${AETHER_HOST_WARNINGS}
  ${AETHER_BENCH_NO_WASM_ATTRIBUTES})
target_compile_definitions(bench-wake-cycle PRIVATE ${AETHER_HOST_GUEST_DEFINES})

foreach(tool bench-compute-native bench-compute-wasm2c bench-wake-cycle)
  target_include_directories(${tool} PRIVATE
    ${PROJECT_SOURCE_DIR}/enclave ${PROJECT_SOURCE_DIR}/enclave/hw ${PROJECT_SOURCE_DIR}/guest ${PROJECT_SOURCE_DIR}/payload ${BENCH_SRC} ${BENCH_GEN})
  set_target_properties(${tool} PROPERTIES C_STANDARD 11 C_EXTENSIONS ON RUNTIME_OUTPUT_DIRECTORY ${BENCH})
endforeach()

# ---- C/D: the minimal gnu-efi app, built like BOOTX64.EFI ------------------------

add_library(bench_hello_objects OBJECT ${BENCH_SRC}/hello_efi.c ${PROJECT_SOURCE_DIR}/uefi/exit_boot_services.c)
target_compile_options(bench_hello_objects PRIVATE ${AETHER_FREESTANDING_FLAGS} ${AETHER_HOST_IMAGE_FLAGS}
  ${AETHER_HOST_WARNINGS})
target_compile_definitions(bench_hello_objects PRIVATE GNU_EFI_USE_MS_ABI)
target_include_directories(bench_hello_objects PRIVATE ${PROJECT_SOURCE_DIR}/uefi ${PROJECT_SOURCE_DIR}/enclave
  ${PROJECT_SOURCE_DIR}/enclave/hw)
target_include_directories(bench_hello_objects SYSTEM PRIVATE /usr/include/efi /usr/include/efi/x86_64)
set_target_properties(bench_hello_objects PROPERTIES C_STANDARD 11 C_EXTENSIONS ON EXCLUDE_FROM_ALL ON)

set(BENCH_HELLO_EFI ${BENCH}/hello.efi)
aether_efi_link(SO ${BENCH}/hello.so EFI ${BENCH_HELLO_EFI} OBJECTS bench_hello_objects)

add_custom_target(bench_tools ALL DEPENDS
  bench-compute-native bench-compute-wasm2c bench-wake-cycle ${BENCH_HELLO_EFI} ${BENCH_WASM} ${BENCH_STOCK_WASM})

# ---- the quick benchmark under ctest: it runs and its results.json is complete ----

add_test(NAME bench.quick
  COMMAND ${Python3_EXECUTABLE} ${BENCH_SRC}/check_results.py --run ${PROJECT_SOURCE_DIR}/scripts/aether-bench
          --build ${CMAKE_BINARY_DIR} --results ${BENCH}/quick/results.json)
set_tests_properties(bench.quick PROPERTIES LABELS bench TIMEOUT 600)
