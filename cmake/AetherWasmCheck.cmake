# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherWasmCheck.cmake: aether-wasm-check and the build-time payload validation, with their tests.

find_program(AETHER_WASM_VALIDATE wasm-validate REQUIRED)
find_program(AETHER_WAT2WASM wat2wasm REQUIRED)

aether_host_library(aether_wasm_iface ${PROJECT_SOURCE_DIR}/enclave/wasm_iface.c)
aether_host_executable(aether-wasm-check SOURCES ${PROJECT_SOURCE_DIR}/enclave/tools/aether_wasm_check.c LIBS aether_wasm_iface)

# The image pipeline runs this script on every payload (aether_translate_payload
# in AetherImage.cmake): "Aether payload rejected: <file>: <reason>" stops the build.
set(AETHER_VALIDATE_PAYLOAD_SCRIPT ${PROJECT_SOURCE_DIR}/cmake/AetherValidatePayload.cmake)

aether_unit_test(wasm_iface SOURCES ${PROJECT_SOURCE_DIR}/test/unit/test_wasm_iface.c LIBS aether_wasm_iface)
aether_fuzzer(wasm_iface ${PROJECT_SOURCE_DIR}/test/fuzz/fuzz_wasm_iface.c aether_wasm_iface)

# Build-rejection tests: every test/bad case must be rejected with its
# expected message, every test/good case accepted with its expected header.
set(AETHER_WASM_CHECK_TEST_PAGES 16)
function(aether_payload_check_test name case)
  cmake_parse_arguments(ARG "" "EXPECT" "" ${ARGN})
  add_test(NAME wasm_check.${name}
    COMMAND ${CMAKE_COMMAND} -DCASE=${case} -DEXPECT=${ARG_EXPECT}
            -DWORK=${CMAKE_BINARY_DIR}/wasm-check/${name}
            -DWAT2WASM=${AETHER_WAT2WASM} -DWASM_VALIDATE=${AETHER_WASM_VALIDATE}
            -DCHECKER=$<TARGET_FILE:aether-wasm-check> -DVALIDATE_SCRIPT=${AETHER_VALIDATE_PAYLOAD_SCRIPT}
            -DMAX_PAGES=${AETHER_WASM_CHECK_TEST_PAGES}
            -P ${PROJECT_SOURCE_DIR}/cmake/AetherPayloadCheckCase.cmake)
  set_tests_properties(wasm_check.${name} PROPERTIES LABELS wasm_check)
endfunction()

file(GLOB bad_cases CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/test/bad/*.wat)
file(GLOB good_cases CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/test/good/*.wat)
foreach(case IN LISTS bad_cases good_cases)
  get_filename_component(name ${case} NAME_WE)
  get_filename_component(kind ${case} DIRECTORY)
  get_filename_component(kind ${kind} NAME)
  aether_payload_check_test(${kind}.${name} ${case})
endforeach()
aether_payload_check_test(bad.truncated ${PROJECT_SOURCE_DIR}/test/bad/truncated.wasm
  EXPECT "truncated section code \\(id 10\\) at offset 0x[0-9a-f]+: it declares")
aether_payload_check_test(bad.bad_magic ${PROJECT_SOURCE_DIR}/test/bad/bad_magic.wasm
  EXPECT "bad magic at offset 0x0: found 7f 45 4c 46")
