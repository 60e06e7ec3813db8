# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherPayloadCheckCase.cmake: one ctest case of the build-time payload validation.
#
#   cmake -DCASE=case.wat|case.wasm -DWORK=dir -DWAT2WASM=... -DWASM_VALIDATE=...
#         -DCHECKER=... -DVALIDATE_SCRIPT=... -DMAX_PAGES=N [-DEXPECT=regex]
#         -P AetherPayloadCheckCase.cmake
#
# A .wat case is assembled with every wabt feature enabled and says what to
# expect in its own comments:
#   ;; expect: <regex>              rejected, with a message matching regex
#   ;; header: <NAME> <value>       accepted, the header defines NAME as value
#   ;; wat2wasm: <flags>            extra wat2wasm flags, e.g. --no-check
# A .wasm case (bytes no .wat can produce) is expected to be rejected with
# a message matching -DEXPECT.

get_filename_component(name "${CASE}" NAME_WE)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(header "${WORK}/${name}.h")

set(expected_headers "")
if(CASE MATCHES "\\.wat$")
  file(READ "${CASE}" text)
  if(text MATCHES "^;; expect: ([^\n]*)")
    set(EXPECT "${CMAKE_MATCH_1}")
  endif()
  # Without the ";;": a semicolon would split the list.
  string(REGEX MATCHALL "header: [A-Z0-9_]+ [0-9a-fx]+" expected_headers "${text}")
  set(wat2wasm_flags "")
  if(text MATCHES "\n;; wat2wasm: ([^\n]*)")
    separate_arguments(wat2wasm_flags UNIX_COMMAND "${CMAKE_MATCH_1}")
  endif()
  set(wasm "${WORK}/${name}.wasm")
  execute_process(COMMAND ${WAT2WASM} --enable-all ${wat2wasm_flags} "${CASE}" -o "${wasm}"
                  RESULT_VARIABLE result ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "FAIL: ${CASE} does not assemble:\n${output}")
  endif()
else()
  set(wasm "${CASE}")
endif()
if("${EXPECT}" STREQUAL "" AND NOT expected_headers)
  message(FATAL_ERROR "FAIL: ${CASE} has neither a first-line ';; expect: <regex>' nor ';; header:' lines")
endif()

execute_process(COMMAND ${CMAKE_COMMAND} -DWASM=${wasm} -DCHECKER=${CHECKER} -DMAX_PAGES=${MAX_PAGES}
                        -DOUT_HEADER=${header} -DWASM_VALIDATE=${WASM_VALIDATE} -P ${VALIDATE_SCRIPT}
                RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
message("${output}")

if(NOT "${EXPECT}" STREQUAL "")
  if(result EQUAL 0)
    message(FATAL_ERROR "FAIL: ${CASE} was accepted, expected a rejection matching: ${EXPECT}")
  endif()
  if(NOT output MATCHES "Aether payload rejected: [^\n]*${EXPECT}")
    message(FATAL_ERROR "FAIL: ${CASE} was rejected, but the message does not match: ${EXPECT}")
  endif()
  if(EXISTS "${header}")
    message(FATAL_ERROR "FAIL: ${CASE} was rejected, yet ${header} was written")
  endif()
  return()
endif()

if(NOT result EQUAL 0)
  message(FATAL_ERROR "FAIL: ${CASE} was rejected, expected it to be accepted")
endif()
file(READ "${header}" written)
foreach(line IN LISTS expected_headers)
  string(REGEX REPLACE "header: ([A-Z0-9_]+) ([0-9a-fx]+)" "#define \\1 \\2" define "${line}")
  if(NOT written MATCHES "\n${define}[ \n]")
    message(FATAL_ERROR "FAIL: ${header} lacks '${define}':\n${written}")
  endif()
endforeach()
