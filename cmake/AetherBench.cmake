# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherBench.cmake: the programs scripts/aether-bench runs (workloads native and wasm2c, host wake cycle, hello EFI, gate probe), and bench.quick.
#
# Everything lands in <build>/bench/ (target bench_tools, part of ALL: a few
# small -O2 compiles; the gate-probe image, bench_gate_image, is not). Needs
# AETHER_CFG_DEFINES, AETHER_GUEST_DEPTH_DEFINES, AETHER_FREESTANDING_FLAGS,
# AETHER_GUEST_FLAGS, AETHER_GUEST_CODEGEN_FLAGS, aether_translate_payload and
# the gnu-efi paths from AetherImage.cmake.

set(BENCH ${CMAKE_BINARY_DIR}/bench)
set(BENCH_GEN ${BENCH}/generated)
file(MAKE_DIRECTORY ${BENCH_GEN})
set(BENCH_SRC ${PROJECT_SOURCE_DIR}/test/bench)

# The host builds use the guest's code-generation flags for generated code and
# runtime, minus what only the freestanding programs need (-ffreestanding,
# -nostdinc, -fpie, ...), and the gate is a plain call (guest/gate.h,
# AETHER_GATE_DIRECT). Generated code is built in both memory-check modes, each
# counting call depth like the image (AETHER_GUEST_DEPTH_DEFINES):
#   bounds  every access checked in software; the wake cycle (B) uses it;
#   guard   no checks; guest_compute.c gives the memory an mmap'd PROT_NONE
#           window of the enclave's size with only [0, memory.size) mapped.
set(AETHER_BENCH_HOST_FLAGS
  -O2                                  # as the image (AETHER_FREESTANDING_FLAGS)
  -fstack-clash-protection             # as the image: frames over a page probed page by page
  ${AETHER_GUEST_CODEGEN_FLAGS})       # the guest's code-generation flags, from AetherImage.cmake
set(AETHER_HOST_GUEST_COMMON_DEFINES ${AETHER_CFG_DEFINES} ${AETHER_GUEST_DEPTH_DEFINES}
  AETHER_GATE_DIRECT=1                   # the gate is a call to the driver's aether_gate_service
)
set(AETHER_HOST_GUEST_DEFINES_bounds ${AETHER_HOST_GUEST_COMMON_DEFINES}
  AETHER_GUEST_GUARD_PAGES=0             # guest/runtime.c: bounds mode ...
  WASM_RT_MEMCHECK_SIGNAL_HANDLER=0      # ... generated code checks every access against memory.size
)
set(AETHER_HOST_GUEST_DEFINES_guard ${AETHER_HOST_GUEST_COMMON_DEFINES}
  AETHER_GUEST_GUARD_PAGES=1             # guest/runtime.c: guard-page mode ...
  WASM_RT_MEMCHECK_SIGNAL_HANDLER=1      # ... generated code checks nothing; the PROT_NONE window catches strays
)
# Section A's tools, like the image, address linear memory from a constant
# (guest/window.h): a window guest_compute.c maps at 16 TiB, far below where
# Linux puts libraries and the stack and far above the program and its heap.
set(AETHER_BENCH_WINDOW 0x100000000000)
foreach(mode bounds guard)
  set(AETHER_BENCH_COMPUTE_DEFINES_${mode} ${AETHER_HOST_GUEST_DEFINES_${mode}}
    AETHER_GUEST_WINDOW=${AETHER_BENCH_WINDOW}) # generated code addresses linear memory from this constant
endforeach()
set(AETHER_BENCH_NATIVE_FLAGS -O2)          # "native": plain clang -O2
set(AETHER_BENCH_NO_WASM_ATTRIBUTES -Wno-unknown-attributes) # payload C on x86-64: import/export attributes mean nothing

# ---- wasm modules and their wasm2c translations ------------------------------

# Section A's workloads, each one C source built natively and to wasm32:
#   fir  bench_payload.c: FIR + Kalman filter, float-heavy;
#   int  int_payload.c: lists, matrices, a tokenizer, CRC-32, integer-only.
set(BENCH_WORKLOADS fir int)
set(BENCH_SOURCE_fir ${BENCH_SRC}/bench_payload.c)
set(BENCH_SOURCE_int ${BENCH_SRC}/int_payload.c)

# Every workload goes through the image's pipeline (the same admission check),
# translated -n bench into a folder of its own, so guest_compute.c serves all.
foreach(workload ${BENCH_WORKLOADS})
  file(MAKE_DIRECTORY ${BENCH_GEN}/${workload})
  aether_wasm_payload(${BENCH}/compute-${workload}.wasm ${BENCH_SOURCE_${workload}})
  aether_translate_payload(WASM ${BENCH}/compute-${workload}.wasm GEN ${BENCH_GEN}/${workload} MODULE bench)
endforeach()

# The stock payload is translated -n payload, as the image does (cycle.c
# includes aether_payload.h), with its identity; wake_cycle.c seals with the
# development key, as the stock image does.
set(BENCH_STOCK_WASM ${BENCH}/stock_payload.wasm)
aether_wasm_payload(${BENCH_STOCK_WASM} ${PROJECT_SOURCE_DIR}/payload/stock_payload.c)
aether_translate_payload(WASM ${BENCH_STOCK_WASM} GEN ${BENCH_GEN} MODULE payload IDENTITY)

# ---- host-built runtime and pure logic, -O2, no sanitizers ------------------------

# aether_bench_objects(NAME [GENERATED] SOURCES ... FLAGS ... DEFINES ... [INCLUDES ...]):
# an object library; INCLUDES holds the generated headers it needs.
function(aether_bench_objects name)
  cmake_parse_arguments(ARG "GENERATED" "" "SOURCES;FLAGS;DEFINES;INCLUDES" ${ARGN})
  add_library(${name} OBJECT ${ARG_SOURCES})
  if(ARG_GENERATED)
    target_compile_options(${name} PRIVATE ${ARG_FLAGS} -w) # wasm2c's code, as in the image
  else()
    target_compile_options(${name} PRIVATE ${ARG_FLAGS} $<$<COMPILE_LANGUAGE:C>:${AETHER_HOST_WARNINGS}>)
  endif()
  target_compile_definitions(${name} PRIVATE ${ARG_DEFINES})
  target_include_directories(${name} PRIVATE
    ${PROJECT_SOURCE_DIR}/enclave ${PROJECT_SOURCE_DIR}/enclave/hw ${PROJECT_SOURCE_DIR}/guest ${PROJECT_SOURCE_DIR}/payload ${BENCH_SRC} ${ARG_INCLUDES})
  set_target_properties(${name} PROPERTIES C_STANDARD 11 C_EXTENSIONS ON EXCLUDE_FROM_ALL ON)
endfunction()

# aether_bench_tool(NAME SOURCES ... FLAGS ... DEFINES ... [INCLUDES ...]): a program in ${BENCH}.
function(aether_bench_tool name)
  cmake_parse_arguments(ARG "" "" "SOURCES;FLAGS;DEFINES;INCLUDES" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${ARG_FLAGS} ${AETHER_HOST_WARNINGS})
  target_compile_definitions(${name} PRIVATE ${ARG_DEFINES})
  target_include_directories(${name} PRIVATE
    ${PROJECT_SOURCE_DIR}/enclave ${PROJECT_SOURCE_DIR}/enclave/hw ${PROJECT_SOURCE_DIR}/guest ${PROJECT_SOURCE_DIR}/payload ${BENCH_SRC} ${ARG_INCLUDES})
  set_target_properties(${name} PROPERTIES C_STANDARD 11 C_EXTENSIONS ON RUNTIME_OUTPUT_DIRECTORY ${BENCH})
endfunction()

aether_bench_objects(bench_support FLAGS ${AETHER_BENCH_HOST_FLAGS}
  SOURCES ${PROJECT_SOURCE_DIR}/enclave/hostcall.c ${BENCH_SRC}/bench_stats.c)
# The guest runtime: B's (bounds, memory wherever host_platform.c puts it) and
# A's in each mode (the fixed window).
set(BENCH_RUNTIME_SOURCES ${PROJECT_SOURCE_DIR}/guest/runtime.c ${PROJECT_SOURCE_DIR}/guest/imports.c
  ${PROJECT_SOURCE_DIR}/enclave/hw/unwind.S ${PROJECT_SOURCE_DIR}/enclave/fault.c)
aether_bench_objects(bench_runtime_bounds FLAGS ${AETHER_BENCH_HOST_FLAGS} DEFINES ${AETHER_HOST_GUEST_DEFINES_bounds}
  SOURCES ${BENCH_RUNTIME_SOURCES})
foreach(mode bounds guard)
  aether_bench_objects(bench_compute_runtime_${mode} FLAGS ${AETHER_BENCH_HOST_FLAGS}
    DEFINES ${AETHER_BENCH_COMPUTE_DEFINES_${mode}} SOURCES ${BENCH_RUNTIME_SOURCES})
endforeach()
aether_bench_objects(bench_stock_wasm2c GENERATED FLAGS ${AETHER_BENCH_HOST_FLAGS} DEFINES ${AETHER_HOST_GUEST_DEFINES_bounds}
  SOURCES ${BENCH_GEN}/aether_payload.c ${PROJECT_SOURCE_DIR}/guest/entry.c INCLUDES ${BENCH_GEN})

# ---- A: guest compute: each workload native and through wasm2c in both modes ---------

set(BENCH_COMPUTE_TOOLS "")
foreach(workload ${BENCH_WORKLOADS})
  aether_bench_tool(bench-compute-${workload}-native
    SOURCES ${BENCH_SRC}/guest_compute.c ${BENCH_SOURCE_${workload}} $<TARGET_OBJECTS:bench_support>
    FLAGS ${AETHER_BENCH_NATIVE_FLAGS} ${AETHER_BENCH_NO_WASM_ATTRIBUTES} DEFINES AETHER_BENCH_WASM2C=0)
  list(APPEND BENCH_COMPUTE_TOOLS bench-compute-${workload}-native)
  foreach(mode bounds guard)
    aether_bench_objects(bench_${workload}_${mode}_wasm2c GENERATED FLAGS ${AETHER_BENCH_HOST_FLAGS}
      DEFINES ${AETHER_BENCH_COMPUTE_DEFINES_${mode}} INCLUDES ${BENCH_GEN}/${workload}
      SOURCES ${BENCH_GEN}/${workload}/aether_bench.c)
    aether_bench_tool(bench-compute-${workload}-${mode}
      SOURCES ${BENCH_SRC}/guest_compute.c ${BENCH_SRC}/host_window.c ${BENCH_GEN}/${workload}/aether_bench.h
              ${BENCH_GEN}/${workload}/bench_iface.h $<TARGET_OBJECTS:bench_support>
              $<TARGET_OBJECTS:bench_compute_runtime_${mode}> $<TARGET_OBJECTS:bench_${workload}_${mode}_wasm2c>
      FLAGS ${AETHER_BENCH_HOST_FLAGS} DEFINES AETHER_BENCH_WASM2C=1 ${AETHER_BENCH_COMPUTE_DEFINES_${mode}}
      INCLUDES ${BENCH_GEN}/${workload})
    list(APPEND BENCH_COMPUTE_TOOLS bench-compute-${workload}-${mode})
  endforeach()
endforeach()

# ---- B: the wake cycle, host build ----------------------------------------------

aether_bench_tool(bench-wake-cycle
  SOURCES ${BENCH_SRC}/wake_cycle.c ${PROJECT_SOURCE_DIR}/enclave/cycle.c ${PROJECT_SOURCE_DIR}/enclave/host_platform.c
          ${PROJECT_SOURCE_DIR}/enclave/proof.c ${PROJECT_SOURCE_DIR}/enclave/siphash.c
          ${PROJECT_SOURCE_DIR}/enclave/sha256.c ${PROJECT_SOURCE_DIR}/payload/stock_payload.c
          ${BENCH_GEN}/aether_payload.h ${BENCH_GEN}/aether_embedded.h ${BENCH_GEN}/payload_iface.h
          $<TARGET_OBJECTS:bench_support> $<TARGET_OBJECTS:bench_runtime_bounds> $<TARGET_OBJECTS:bench_stock_wasm2c>
  FLAGS ${AETHER_BENCH_HOST_FLAGS} ${AETHER_BENCH_NO_WASM_ATTRIBUTES} DEFINES ${AETHER_HOST_GUEST_DEFINES_bounds}
  INCLUDES ${BENCH_GEN})

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

set(BENCH_COMPUTE_WASM "")
foreach(workload ${BENCH_WORKLOADS})
  list(APPEND BENCH_COMPUTE_WASM ${BENCH}/compute-${workload}.wasm) # V8 and the interpreter run these
endforeach()
add_custom_target(bench_tools ALL DEPENDS
  ${BENCH_COMPUTE_TOOLS} bench-wake-cycle ${BENCH_HELLO_EFI} ${BENCH_COMPUTE_WASM} ${BENCH_STOCK_WASM})

# ---- the gate probe: an image whose payload is test/bench/gate_loop.wat -------------

# A user's build through -DAETHER_PAYLOAD_WASM (this tree's build tools lent to
# it), configured once; bench_gate_image (built by aether-bench, not part of
# ALL) brings it up to date, the sub-build tracking the enclave's sources itself.
set(BENCH_GATE_WASM ${BENCH}/gate_loop.wasm)
set(BENCH_GATE_IMAGE_DIR ${BENCH}/gate-image)
aether_wat_payload(${BENCH_GATE_WASM} ${BENCH_SRC}/gate_loop.wat)
add_custom_command(
  OUTPUT ${BENCH_GATE_IMAGE_DIR}/CMakeCache.txt
  COMMAND ${CMAKE_COMMAND} -S ${PROJECT_SOURCE_DIR} -B ${BENCH_GATE_IMAGE_DIR} -G ${CMAKE_GENERATOR}
          -DAETHER_PAYLOAD_WASM=${BENCH_GATE_WASM} -DAETHER_HOST_TOOLS_DIR=$<TARGET_FILE_DIR:aether-embed>
  DEPENDS ${AETHER_BUILD_TOOLS} ${BENCH_GATE_WASM} # configure checks the payload (ARCHITECTURE 13)
  COMMENT "Configuring the gate-probe image in ${BENCH_GATE_IMAGE_DIR}"
  VERBATIM)
add_custom_target(bench_gate_image
  COMMAND ${CMAKE_COMMAND} --build ${BENCH_GATE_IMAGE_DIR} --target image
  DEPENDS ${BENCH_GATE_IMAGE_DIR}/CMakeCache.txt ${BENCH_GATE_WASM}
  BYPRODUCTS ${BENCH_GATE_IMAGE_DIR}/BOOTX64.EFI
  COMMENT "Building the gate-probe image"
  VERBATIM)

# ---- float semantics: the wasm2c build against wabt's interpreter -------------------

# test/float/float_gen.py writes a payload of float cases (NaN payloads,
# signed zeros, rounding, min/max, conversions), one export each. It goes
# through the image's pipeline (validation, wasm2c, the rewrite) and is built
# like section A's tools, in both memory-check modes; float.semantics runs
# every case there and in wasm-interp, which must agree bit for bit.
find_program(AETHER_WASM_INTERP wasm-interp REQUIRED)
set(FLOAT_SRC ${PROJECT_SOURCE_DIR}/test/float)
set(FLOAT_GEN ${BENCH}/float)
file(MAKE_DIRECTORY ${FLOAT_GEN})
add_custom_command(
  OUTPUT ${FLOAT_GEN}/float_semantics.wat ${FLOAT_GEN}/float_cases.h
  COMMAND ${Python3_EXECUTABLE} ${FLOAT_SRC}/float_gen.py ${FLOAT_GEN}/float_semantics.wat ${FLOAT_GEN}/float_cases.h
  DEPENDS ${FLOAT_SRC}/float_gen.py
  COMMENT "float_gen.py: the float-semantics payload"
  VERBATIM)
aether_wat_payload(${FLOAT_GEN}/float_semantics.wasm ${FLOAT_GEN}/float_semantics.wat)
aether_translate_payload(WASM ${FLOAT_GEN}/float_semantics.wasm GEN ${FLOAT_GEN} MODULE float)
# The image's ceil, floor, trunc and nearbyint (compat/math.c), compiled as the
# image compiles them, not the host's libm.
aether_bench_objects(float_compat_math FLAGS ${AETHER_FREESTANDING_FLAGS} ${AETHER_GUEST_FLAGS}
  SOURCES ${PROJECT_SOURCE_DIR}/compat/math.c)
set(FLOAT_DRIVERS "")
foreach(mode bounds guard)
  aether_bench_objects(float_${mode}_wasm2c GENERATED FLAGS ${AETHER_BENCH_HOST_FLAGS}
    DEFINES ${AETHER_BENCH_COMPUTE_DEFINES_${mode}} INCLUDES ${FLOAT_GEN} SOURCES ${FLOAT_GEN}/aether_float.c)
  aether_bench_tool(float-driver-${mode}
    SOURCES ${FLOAT_SRC}/float_driver.c ${BENCH_SRC}/host_window.c ${FLOAT_GEN}/aether_float.h
            ${FLOAT_GEN}/float_iface.h ${FLOAT_GEN}/float_cases.h
            $<TARGET_OBJECTS:bench_compute_runtime_${mode}> $<TARGET_OBJECTS:float_${mode}_wasm2c>
            $<TARGET_OBJECTS:float_compat_math>
    FLAGS ${AETHER_BENCH_HOST_FLAGS} DEFINES ${AETHER_BENCH_COMPUTE_DEFINES_${mode}} INCLUDES ${FLOAT_GEN})
  list(APPEND FLOAT_DRIVERS $<TARGET_FILE:float-driver-${mode}>)
endforeach()
add_test(NAME float.semantics
  COMMAND ${Python3_EXECUTABLE} ${FLOAT_SRC}/float_case.py --interp ${AETHER_WASM_INTERP}
          --wasm ${FLOAT_GEN}/float_semantics.wasm ${FLOAT_DRIVERS})
set_tests_properties(float.semantics PROPERTIES LABELS float)
# The rewrite itself, on one of section A's wasm2c outputs and on edge cases.
add_test(NAME wasm2c_rewrite.unit
  COMMAND ${Python3_EXECUTABLE} ${FLOAT_SRC}/test_wasm2c_rewrite.py ${AETHER_WASM2C_REWRITE}
          ${BENCH_GEN}/int/wasm2c/aether_bench.c)
set_tests_properties(wasm2c_rewrite.unit PROPERTIES LABELS float)

# ---- the quick benchmark under ctest: it runs and its results.json is complete ----

add_test(NAME bench.quick
  COMMAND ${Python3_EXECUTABLE} ${BENCH_SRC}/check_results.py --run ${PROJECT_SOURCE_DIR}/scripts/aether-bench
          --build ${CMAKE_BINARY_DIR} --results ${BENCH}/quick/results.json)
# The gate-probe image's sub-build compiles one file at a time, as the
# suite's other sub-builds do (cmake/AetherBootTests.cmake).
set_tests_properties(bench.quick PROPERTIES LABELS bench TIMEOUT 600 ENVIRONMENT CMAKE_BUILD_PARALLEL_LEVEL=1)
