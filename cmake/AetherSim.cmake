# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherSim.cmake: aether-sim, the host simulator for payload authors: its runtime library, the tool, and the sim tests.
#
# aether-sim (sim/main.c) validates and translates a payload at run time, as
# the image build does, and links the generated code, guest/entry.c,
# enclave/cycle.c and sim/payload_glue.c against libaether_sim_runtime.a: the
# guest runtime (guest/runtime.c, guest/imports.c) and the host side
# (enclave/host_platform.c, unwind.S, the proof and host-call code, sim/'s
# runner), all built here. Needs AETHER_CFG_DEFINES, AETHER_GUEST_DEPTH_DEFINES,
# WASM2C and AETHER_WASM2C_REWRITE from AetherImage.cmake, AETHER_WASM_VALIDATE
# and AETHER_VALIDATE_PAYLOAD_SCRIPT from AetherWasmCheck.cmake.

find_program(AETHER_ADDR2LINE addr2line REQUIRED) # binutils: names a trap's wasm function

set(SIM_SRC ${PROJECT_SOURCE_DIR}/sim)
set(SIM_GEN ${CMAKE_BINARY_DIR}/sim)
set(AETHER_SIM ${CMAKE_BINARY_DIR}/aether-sim)

# The guest built for a process: the image guest's code-generation flags
# (AETHER_GUEST_FLAGS) without what only a freestanding program needs, stack
# probes as in the image (a fat frame reaches the guard page by page), line
# tables to name a trap's function; bounds mode with the image's call-depth
# bound, and the gate a plain call (guest/gate.h, AETHER_GATE_DIRECT).
set(AETHER_SIM_GUEST_FLAGS -O2 -fno-math-errno -frounding-math -fno-optimize-sibling-calls
  -fstack-clash-protection -fno-stack-protector)
set(AETHER_SIM_LINE_TABLES -gline-tables-only -gdwarf-4) # GNU addr2line reads DWARF 4; the code is the same
set(AETHER_SIM_GUEST_DEFINES ${AETHER_CFG_DEFINES} ${AETHER_GUEST_DEPTH_DEFINES}
  AETHER_GATE_DIRECT=1                   # the gate is a call to cycle.c's aether_gate_service
  AETHER_GUEST_GUARD_PAGES=0             # guest/runtime.c: bounds mode ...
  WASM_RT_MEMCHECK_SIGNAL_HANDLER=0      # ... generated code checks every access against memory.size
  # As in the image, generated code addresses linear memory from a constant
  # (guest/window.h): the runner maps it at 16 TiB, far below Linux's libraries
  # and stack and far above the program and its heap.
  AETHER_GUEST_WINDOW=0x100000000000
)
set(AETHER_SIM_INCLUDES ${PROJECT_SOURCE_DIR}/enclave ${PROJECT_SOURCE_DIR}/enclave/hw ${PROJECT_SOURCE_DIR}/guest
  ${SIM_SRC})
# The runner's two ring crossings are wrapped at link time (sim/ring.c).
set(AETHER_SIM_LINK_FLAGS -no-pie -Wl,--wrap=aether_guest_main -Wl,--wrap=aether_gate_service)

# ---- the runtime library: everything a payload's runner links but its own code ----

function(aether_sim_objects name)
  cmake_parse_arguments(ARG "" "" "SOURCES;FLAGS;DEFINES" ${ARGN})
  add_library(${name} OBJECT ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${ARG_FLAGS} $<$<COMPILE_LANGUAGE:C>:${AETHER_HOST_WARNINGS}>)
  target_compile_definitions(${name} PRIVATE ${ARG_DEFINES})
  target_include_directories(${name} PRIVATE ${AETHER_SIM_INCLUDES} ${SIM_GEN})
  set_target_properties(${name} PROPERTIES C_STANDARD 11 C_EXTENSIONS ON)
endfunction()

# Used by aether-sim and by every runner.
aether_sim_objects(sim_common_objects FLAGS -O2
  SOURCES ${SIM_SRC}/options.c ${SIM_SRC}/key.c ${SIM_SRC}/files.c ${SIM_SRC}/tool.c ${SIM_SRC}/installed.c
          ${PROJECT_SOURCE_DIR}/enclave/fault.c ${PROJECT_SOURCE_DIR}/enclave/proof.c
          ${PROJECT_SOURCE_DIR}/enclave/siphash.c ${PROJECT_SOURCE_DIR}/enclave/sha256.c)
aether_sim_objects(sim_guest_objects FLAGS ${AETHER_SIM_GUEST_FLAGS} ${AETHER_SIM_LINE_TABLES}
  DEFINES ${AETHER_SIM_GUEST_DEFINES}
  SOURCES ${PROJECT_SOURCE_DIR}/guest/runtime.c ${PROJECT_SOURCE_DIR}/guest/imports.c)
aether_sim_objects(sim_runner_objects FLAGS -O2 DEFINES ${AETHER_SIM_GUEST_DEFINES}
  AETHER_SIM_ADDR2LINE="${AETHER_ADDR2LINE}"
  SOURCES ${SIM_SRC}/runner.c ${SIM_SRC}/ring.c ${SIM_SRC}/ring_entry.S ${SIM_SRC}/symbolize.c ${SIM_SRC}/report.c
          ${PROJECT_SOURCE_DIR}/enclave/host_platform.c ${PROJECT_SOURCE_DIR}/enclave/hostcall.c
          ${PROJECT_SOURCE_DIR}/enclave/hw/unwind.S)
add_library(aether_sim_runtime STATIC $<TARGET_OBJECTS:sim_common_objects> $<TARGET_OBJECTS:sim_guest_objects>
  $<TARGET_OBJECTS:sim_runner_objects>)
set_target_properties(aether_sim_runtime PROPERTIES ARCHIVE_OUTPUT_DIRECTORY ${SIM_GEN})

# ---- what aether-sim knows of its runtime: sim_config.h -----------------------------

# aether_sim_c_strings(VAR item...): VAR = the items as a C initializer list ending in NULL.
function(aether_sim_c_strings var)
  set(text "")
  foreach(item ${ARGN})
    string(REPLACE "\\" "\\\\" item "${item}")
    string(REPLACE "\"" "\\\"" item "${item}")
    string(APPEND text "\n        \"${item}\",")
  endforeach()
  set(${var} "{${text}\n        NULL}" PARENT_SCOPE)
endfunction()

# aether_sim_config(OUT sim_config.h SOURCE dir RUNTIME lib CHECKER exe EMBED exe BOARD file CACHE dir):
# where an aether-sim finds its runtime: the enclave's sources under SOURCE,
# the runtime library, aether-wasm-check and aether-embed, the default board,
# and the cache (empty: the user's, sim/installed.c). The build tree's
# aether-sim gets this tree's paths; the installed one (AetherSdk.cmake)
# paths under the marker "@prefix@" (sim/installed.h).
function(aether_sim_config)
  cmake_parse_arguments(ARG "" "OUT;SOURCE;RUNTIME;CHECKER;EMBED;BOARD;CACHE" "" ${ARGN})
  set(includes "")
  foreach(dir ${AETHER_SIM_INCLUDES})
    file(RELATIVE_PATH dir ${PROJECT_SOURCE_DIR} ${dir})
    list(APPEND includes ${ARG_SOURCE}/${dir})
  endforeach()
  set(compile -std=gnu11 ${AETHER_SIM_GUEST_FLAGS} -w)
  foreach(define ${AETHER_SIM_GUEST_DEFINES})
    list(APPEND compile -D${define})
  endforeach()
  foreach(dir ${includes})
    list(APPEND compile -I${dir})
  endforeach()
  aether_sim_c_strings(compile_c ${compile})
  aether_sim_c_strings(line_tables_c ${AETHER_SIM_LINE_TABLES})
  aether_sim_c_strings(runner_sources_c ${ARG_SOURCE}/enclave/cycle.c ${ARG_SOURCE}/sim/payload_glue.c)
  aether_sim_c_strings(link_c ${AETHER_SIM_LINK_FLAGS} ${ARG_RUNTIME} -lm)
  aether_sim_c_strings(header_dirs_c ${includes})
  file(GENERATE OUTPUT ${ARG_OUT} CONTENT
"/* Generated by cmake/AetherSim.cmake: where aether-sim finds its runtime, tools and flags. Do not edit. */
#ifndef AETHER_SIM_CONFIG_H
#define AETHER_SIM_CONFIG_H

#define SIM_CONFIG_CC \"${CMAKE_C_COMPILER}\"
#define SIM_CONFIG_CMAKE \"${CMAKE_COMMAND}\"
#define SIM_CONFIG_WASM2C \"${WASM2C}\"
#define SIM_CONFIG_PYTHON \"${Python3_EXECUTABLE}\"
#define SIM_CONFIG_WASM2C_REWRITE \"${ARG_SOURCE}/enclave/tools/aether_wasm2c_rewrite.py\"
#define SIM_CONFIG_WASM_VALIDATE \"${AETHER_WASM_VALIDATE}\"
#define SIM_CONFIG_WASM_CHECK \"${ARG_CHECKER}\"
#define SIM_CONFIG_EMBED \"${ARG_EMBED}\"
#define SIM_CONFIG_VALIDATE_SCRIPT \"${ARG_SOURCE}/cmake/AetherValidatePayload.cmake\"
#define SIM_CONFIG_WASM_RT_HEADER \"/usr/include/wasm-rt.h\"
#define SIM_CONFIG_DEVELOPMENT_KEY \"${ARG_SOURCE}/enclave/keys/development.key\"
#define SIM_CONFIG_BOARD \"${ARG_BOARD}\"
#define SIM_CONFIG_MEMORY_CAP_PAGES \"${AETHER_CFG_MEMORY_CAP_PAGES}\"
#define SIM_CONFIG_RUNTIME_LIBRARY \"${ARG_RUNTIME}\"
#define SIM_CONFIG_CACHE \"${ARG_CACHE}\"
/* Compiled with the generated code, once per payload. */
#define SIM_CONFIG_ENTRY_SOURCE \"${ARG_SOURCE}/guest/entry.c\"

/* clang's flags for every source compiled per payload, then the link. */
static const char *const sim_config_compile[] = ${compile_c};
/* Line tables, to name a faulting function (not for the largest translations). */
static const char *const sim_config_line_tables[] = ${line_tables_c};
/* Compiled with aether-embed's header, once per payload. */
static const char *const sim_config_runner_sources[] = ${runner_sources_c};
static const char *const sim_config_link[] = ${link_c};
/* The include directories, whose headers are part of the runtime's identity. */
static const char *const sim_config_header_dirs[] = ${header_dirs_c};

#endif
")
endfunction()

aether_sim_config(OUT ${SIM_GEN}/sim_config.h SOURCE ${PROJECT_SOURCE_DIR} RUNTIME $<TARGET_FILE:aether_sim_runtime>
  CHECKER $<TARGET_FILE:aether-wasm-check> EMBED $<TARGET_FILE:aether-embed> BOARD ${AETHER_BOARD}
  CACHE ${CMAKE_BINARY_DIR}/sim-cache)

# ---- the tool -------------------------------------------------------------------

# aether_sim_tool(TARGET CONFIG_DIR): aether-sim, reading the sim_config.h in CONFIG_DIR.
function(aether_sim_tool target config_dir)
  add_executable(${target} ${SIM_SRC}/main.c ${SIM_SRC}/translate.c ${PROJECT_SOURCE_DIR}/enclave/board.c
    $<TARGET_OBJECTS:sim_common_objects>)
  target_compile_options(${target} PRIVATE -O2 ${AETHER_HOST_WARNINGS})
  target_include_directories(${target} PRIVATE ${config_dir} ${AETHER_SIM_INCLUDES} ${SIM_GEN})
  set_target_properties(${target} PROPERTIES C_STANDARD 11 C_EXTENSIONS ON)
  add_dependencies(${target} aether_sim_runtime aether-wasm-check aether-embed)
endfunction()
aether_sim_tool(aether-sim ${SIM_GEN})

# ---- tests (label sim) ----------------------------------------------------------------

set(SIM_TESTS ${PROJECT_SOURCE_DIR}/test/sim)

# The command line: help, usage errors, a rejected module, the cache, keys,
# epoch, the watchdog budget, and a trap's wasm function named.
add_test(NAME sim.cli
  COMMAND ${Python3_EXECUTABLE} ${SIM_TESTS}/sim_cli.py --sim $<TARGET_FILE:aether-sim>
          --verify $<TARGET_FILE:aether-verify> --wat2wasm ${AETHER_WAT2WASM} --stock ${PAYLOAD_WASM}
          --rejected ${AETHER_TEST_WASM}/extra_import.wasm --named-wat ${SIM_TESTS}/named.wat
          --development-key ${PROJECT_SOURCE_DIR}/enclave/keys/development.key
          --field-key ${PROJECT_SOURCE_DIR}/test/keys/field-test.key
          --malformed-key ${PROJECT_SOURCE_DIR}/test/keys/malformed.key --work ${CMAKE_BINARY_DIR}/sim-cli)
set_tests_properties(sim.cli PROPERTIES LABELS sim TIMEOUT 300)

# README's "Simulating a payload", verbatim.
add_test(NAME sim.readme
  COMMAND ${Python3_EXECUTABLE} ${SIM_TESTS}/readme_commands.py --readme ${PROJECT_SOURCE_DIR}/README.md
          --section "Simulating a payload" --source ${PROJECT_SOURCE_DIR} --build ${CMAKE_BINARY_DIR}
          --work ${CMAKE_BINARY_DIR}/sim-readme)
set_tests_properties(sim.readme PROPERTIES LABELS sim TIMEOUT 300)

# aether_sim_equivalence(NAME IMAGE_DIR [KEY]): sim.equiv.NAME replays the wakes
# of the report boot.NAME wrote through aether-sim, with the payload and board
# of the image built in IMAGE_DIR and the key the boot had (default: the
# development key), and requires the same outcomes,
# statuses, telemetry and records (test/sim/sim_equivalence.py). It reuses
# the boot's report (boot.NAME becomes the setup of the fixture report.NAME)
# instead of booting again; so it is labelled boot too, and the quick test
# preset, which runs no boot, leaves it out.
function(aether_sim_equivalence name image_dir)
  set(key ${AETHER_DEVELOPMENT_KEY})
  if(ARGC GREATER 2)
    set(key ${ARGV2})
  endif()
  add_test(NAME sim.equiv.${name}
    COMMAND ${Python3_EXECUTABLE} ${SIM_TESTS}/sim_equivalence.py --sim $<TARGET_FILE:aether-sim>
            --verify $<TARGET_FILE:aether-verify> --boot-report ${AETHER_REPORTS}/${name}.json --key ${key}
            --image-dir ${image_dir} --report ${AETHER_REPORTS}/sim_${name}.json)
  set_property(TEST boot.${name} APPEND PROPERTY FIXTURES_SETUP report.${name})
  set_tests_properties(sim.equiv.${name} PROPERTIES LABELS "sim;boot" TIMEOUT 600 FIXTURES_REQUIRED report.${name})
endfunction()

# The stock payload (bench mode and five wakes; and a provisioned device's key),
# the C test payload, signatures of many parameters, the soak, and every
# hostile payload in both memory-check modes (the overrun watchdog test boots
# the overrun_callees image).
aether_sim_equivalence(bench ${CMAKE_BINARY_DIR})
aether_sim_equivalence(multiwake ${CMAKE_BINARY_DIR})
aether_sim_equivalence(field_key ${CMAKE_BINARY_DIR}/payload-images/uefi_key ${AETHER_DEVICES}/field_key/device.key)
foreach(name dose_ratio many_params soak)
  aether_sim_equivalence(${name} ${CMAKE_BINARY_DIR}/payload-images/${name})
endforeach()
get_property(sim_tests DIRECTORY PROPERTY TESTS)
foreach(test IN LISTS sim_tests)
  if(test MATCHES "^boot\\.(hostile_.+)$")
    string(REPLACE "hostile_overrun_watchdog" "hostile_overrun_callees" image ${CMAKE_MATCH_1})
    aether_sim_equivalence(${CMAKE_MATCH_1} ${CMAKE_BINARY_DIR}/payload-images/${image})
  endif()
endforeach()
