# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherWasmCheck.cmake: aether-wasm-check and the build-time payload validation, with their tests.

find_program(AETHER_WASM_VALIDATE wasm-validate REQUIRED)
find_program(AETHER_WAT2WASM wat2wasm REQUIRED)

aether_host_library(aether_wasm_iface ${PROJECT_SOURCE_DIR}/enclave/wasm_iface.c)
aether_host_executable(aether-wasm-check SOURCES ${PROJECT_SOURCE_DIR}/enclave/tools/aether_wasm_check.c LIBS aether_wasm_iface)

# The image pipeline runs this script on every payload (aether_translate_payload
# in AetherImage.cmake): "Aether payload rejected: <file>: <reason>" stops the build.
set(AETHER_VALIDATE_PAYLOAD_SCRIPT ${PROJECT_SOURCE_DIR}/cmake/AetherValidatePayload.cmake)

# ---- -DAETHER_PAYLOAD_WASM= checked at configure time ----------------------------

# aether_configure_checker(VAR): VAR = an aether-wasm-check usable now, at
# configure time: AETHER_HOST_TOOLS_DIR's, or one compiled here by the host
# compiler from its two sources (again only when one of them changed). The
# build's own aether-wasm-check (sanitized) still checks the payload at build
# time, for a payload that changes after configure.
function(aether_configure_checker var)
  if(AETHER_HOST_TOOLS_DIR AND EXISTS ${AETHER_HOST_TOOLS_DIR}/aether-wasm-check)
    set(${var} ${AETHER_HOST_TOOLS_DIR}/aether-wasm-check PARENT_SCOPE)
    return()
  endif()
  set(checker ${CMAKE_BINARY_DIR}/configure-tools/aether-wasm-check)
  set(sources ${PROJECT_SOURCE_DIR}/enclave/tools/aether_wasm_check.c ${PROJECT_SOURCE_DIR}/enclave/wasm_iface.c)
  set(stale FALSE)
  foreach(input ${sources} ${PROJECT_SOURCE_DIR}/enclave/wasm_iface.h ${PROJECT_SOURCE_DIR}/enclave/config.h)
    if(NOT EXISTS ${checker} OR ${input} IS_NEWER_THAN ${checker})
      set(stale TRUE)
    endif()
  endforeach()
  if(stale)
    execute_process(COMMAND ${CMAKE_C_COMPILER} -std=c11 -O1 -I${PROJECT_SOURCE_DIR}/enclave ${sources} -o ${checker}
                    RESULT_VARIABLE result ERROR_VARIABLE output OUTPUT_VARIABLE output)
    if(NOT result EQUAL 0)
      message(FATAL_ERROR "compiling aether-wasm-check for the configure-time payload check failed:\n${output}")
    endif()
  endif()
  set(${var} ${checker} PARENT_SCOPE)
endfunction()

# AETHER_PAYLOAD_PROBLEM: why the payload given with -DAETHER_PAYLOAD_WASM= is
# not usable (a relative path, a missing file, a module the validation
# rejects: "Aether payload rejected: <file>: <reason>"), or empty. The
# top-level CMakeLists.txt stops configure with it, so that a payload author
# sees the message alone, before any build.
set(AETHER_PAYLOAD_PROBLEM "")
if(AETHER_PAYLOAD_WASM AND NOT IS_ABSOLUTE "${AETHER_PAYLOAD_WASM}")
  set(AETHER_PAYLOAD_PROBLEM "AETHER_PAYLOAD_WASM must be an absolute path, got '${AETHER_PAYLOAD_WASM}'")
elseif(AETHER_PAYLOAD_WASM)
  file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/configure-tools)
  aether_configure_checker(configure_checker)
  execute_process(COMMAND ${CMAKE_COMMAND} -DWASM=${AETHER_PAYLOAD_WASM} -DCHECKER=${configure_checker}
                          -DMAX_PAGES=${AETHER_CFG_MEMORY_CAP_PAGES} -DWASM_VALIDATE=${AETHER_WASM_VALIDATE}
                          -DOUT_HEADER=${CMAKE_BINARY_DIR}/configure-tools/payload_iface.h
                          -P ${AETHER_VALIDATE_PAYLOAD_SCRIPT}
                  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    if(output MATCHES "Aether payload rejected: [^\n]*")
      set(AETHER_PAYLOAD_PROBLEM "${CMAKE_MATCH_0}")
    else()
      set(AETHER_PAYLOAD_PROBLEM "validating ${AETHER_PAYLOAD_WASM} failed:\n${output}")
    endif()
  endif()
endif()

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
