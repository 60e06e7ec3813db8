# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherHost.cmake: the host build of the logic that touches no port, MSR or
# firmware. The same sources are compiled freestanding into the image.

# The pure sources: built into the image and into the host libraries below.
set(AETHER_PURE_SOURCES
  enclave/fault.c
  enclave/siphash.c
  enclave/sha256.c
  enclave/proof.c
  enclave/frame.c
  enclave/board.c
  enclave/hostcall.c
  enclave/uplink.c
  enclave/format.c
  enclave/tpm2_command.c
)
list(TRANSFORM AETHER_PURE_SOURCES PREPEND ${PROJECT_SOURCE_DIR}/)

set(AETHER_HOST_WARNINGS
  -Wall -Wextra -Werror      # warnings are bugs in this project
  -Wundef                    # AETHER_CFG_* macros are always defined, tested with #if
  -Wshadow -Wstrict-prototypes -Wvla
)
set(AETHER_HOST_SANITIZERS
  -fsanitize=address,undefined  # unit tests catch overflows and UB in the pure logic
  -fno-sanitize-recover=all     # any UB report fails the test
  -fno-omit-frame-pointer       # readable sanitizer stack traces
)

# aether_host_library(NAME SOURCES...): NAME is built with ASan and UBSan for
# unit tests and build tools; NAME_fuzz adds libFuzzer coverage hooks.
function(aether_host_library name)
  add_library(${name} STATIC ${ARGN})
  target_compile_options(${name} PRIVATE ${AETHER_HOST_WARNINGS} -g -O1)
  target_compile_options(${name} PUBLIC ${AETHER_HOST_SANITIZERS})
  target_link_options(${name} PUBLIC ${AETHER_HOST_SANITIZERS})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/enclave)
  set_target_properties(${name} PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)

  add_library(${name}_fuzz STATIC ${ARGN})
  target_compile_options(${name}_fuzz PRIVATE ${AETHER_HOST_WARNINGS} -g -O1)
  target_compile_options(${name}_fuzz PUBLIC -fsanitize=fuzzer-no-link ${AETHER_HOST_SANITIZERS})
  target_link_options(${name}_fuzz PUBLIC ${AETHER_HOST_SANITIZERS})
  target_include_directories(${name}_fuzz PUBLIC ${PROJECT_SOURCE_DIR}/enclave)
  set_target_properties(${name}_fuzz PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
endfunction()

aether_host_library(aether_pure ${AETHER_PURE_SOURCES})

# The build tools the image pipeline runs. A build tree given as
# AETHER_HOST_TOOLS_DIR lends its copies instead of building them again (the
# test suite's -DAETHER_PAYLOAD_WASM sub-builds do this).
set(AETHER_HOST_TOOLS_DIR "" CACHE PATH "Build tree whose aether-wasm-check, aether-board-check, aether-embed and aether-guest-pack to use")
set(AETHER_BUILD_TOOLS aether-wasm-check aether-board-check aether-embed aether-guest-pack)

# aether_host_executable(NAME SOURCES ... LIBS ...): a host program linked with
# the sanitized pure library, used at build time or by ground stations.
function(aether_host_executable name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  if(AETHER_HOST_TOOLS_DIR AND name IN_LIST AETHER_BUILD_TOOLS AND EXISTS ${AETHER_HOST_TOOLS_DIR}/${name})
    add_executable(${name} IMPORTED GLOBAL)
    set_target_properties(${name} PROPERTIES IMPORTED_LOCATION ${AETHER_HOST_TOOLS_DIR}/${name})
    return()
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${AETHER_HOST_WARNINGS} -g -O1)
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} aether_pure)
  set_target_properties(${name} PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
endfunction()

# aether_unit_test(NAME SOURCES... [LIBS ...]): a host unit test, registered
# with ctest as unit.NAME.
function(aether_unit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  aether_host_executable(test_${name} SOURCES ${ARG_SOURCES} LIBS ${ARG_LIBS})
  add_test(NAME unit.${name} COMMAND test_${name})
  set_tests_properties(unit.${name} PROPERTIES LABELS unit)
endfunction()

# aether_fuzzer(NAME SOURCE LIB): a libFuzzer harness over LIB_fuzz, run for
# AETHER_FUZZ_SECONDS under ctest as fuzz.NAME. Seeds live in
# test/fuzz/corpus/NAME; new inputs go to the build tree, never the source.
function(aether_fuzzer name source lib)
  add_executable(fuzz_${name} ${source})
  target_compile_options(fuzz_${name} PRIVATE ${AETHER_HOST_WARNINGS} -g -O1 -fsanitize=fuzzer)
  target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
  target_link_libraries(fuzz_${name} PRIVATE ${lib}_fuzz aether_pure_fuzz)
  set(work ${CMAKE_BINARY_DIR}/fuzz-corpus/${name})
  file(MAKE_DIRECTORY ${work})
  add_test(NAME fuzz.${name}
    COMMAND fuzz_${name} -max_total_time=${AETHER_FUZZ_SECONDS} -seed=1 -print_final_stats=1
            ${work} ${PROJECT_SOURCE_DIR}/test/fuzz/corpus/${name})
  set_tests_properties(fuzz.${name} PROPERTIES LABELS fuzz)
endfunction()

aether_unit_test(hostcall SOURCES ${PROJECT_SOURCE_DIR}/test/unit/test_hostcall.c)
aether_unit_test(uplink SOURCES ${PROJECT_SOURCE_DIR}/test/unit/test_uplink.c)
aether_unit_test(format SOURCES ${PROJECT_SOURCE_DIR}/test/unit/test_format.c)
