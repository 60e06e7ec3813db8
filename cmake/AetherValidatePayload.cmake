# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherValidatePayload.cmake: rejects, before wasm2c, a payload .wasm the Aether runtime cannot run.
#
#   cmake -DWASM=/abs/payload.wasm -DCHECKER=/path/aether-wasm-check -DMAX_PAGES=16
#         -DOUT_HEADER=/abs/payload_iface.h [-DWASM_VALIDATE=/usr/bin/wasm-validate]
#         -P AetherValidatePayload.cmake
#
# wasm-validate (wabt) checks the whole module, code bodies included, with the
# features this runtime's wasm2c translates (wabt's defaults minus SIMD). When
# it fails, retrying with one more feature at a time names the feature the
# payload uses. aether-wasm-check then checks the interface (imports, exports,
# memory) and describes the payload in OUT_HEADER, which is rewritten only
# when its contents change. Any problem ends the build with
#   Aether payload rejected: <file>: <reason>
# on one line of the build log.

foreach(required WASM CHECKER MAX_PAGES OUT_HEADER)
  if("${${required}}" STREQUAL "")
    message(FATAL_ERROR "AetherValidatePayload.cmake needs -D${required}=...")
  endif()
endforeach()
if(NOT WASM_VALIDATE)
  find_program(WASM_VALIDATE wasm-validate REQUIRED)
endif()

# Stops the build, leaving no header behind (not even an earlier payload's).
# The leading space keeps CMake from re-wrapping the message: it stays on one
# line of the build log, where a payload author can grep for it.
function(aether_reject_payload reason)
  file(REMOVE ${OUT_HEADER} ${OUT_HEADER}.new)
  message(FATAL_ERROR " Aether payload rejected: ${WASM}: ${reason}")
endfunction()

# wasm-validate with the given flags; sets passed and wabt_output in the caller.
function(aether_wasm_validate)
  execute_process(COMMAND ${WASM_VALIDATE} ${ARGN} ${WASM}
                  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  # "/path/x.wasm:000003d: error: type mismatch" -> "offset 0x3d: type mismatch"
  string(STRIP "${output}" output)
  string(REPLACE "${WASM}:" "" output "${output}")
  string(REGEX REPLACE "(^|\n)0*([0-9a-f]+): error: " "\\1offset 0x\\2: " output "${output}")
  string(REPLACE "\n" "; " output "${output}")
  if(result EQUAL 0)
    set(passed TRUE PARENT_SCOPE)
  else()
    set(passed FALSE PARENT_SCOPE)
  endif()
  set(wabt_output "${output}" PARENT_SCOPE)
endfunction()

if(NOT EXISTS "${WASM}" OR IS_DIRECTORY "${WASM}")
  aether_reject_payload("no such file (set AETHER_PAYLOAD_WASM to the absolute path of a .wasm)")
endif()

# The features wasm2c supports but this runtime does not, in the order tried,
# with the name each one has in messages.
set(unsupported_features threads memory64 multi-memory exceptions tail-call simd)
set(feature_name_threads "threads (atomic instructions or shared memory)")
set(feature_name_memory64 "memory64")
set(feature_name_multi-memory "multi-memory")
set(feature_name_exceptions "exceptions")
set(feature_name_tail-call "tail calls")
set(feature_name_simd "SIMD")

set(used_feature "")
aether_wasm_validate(--disable-simd)
set(wabt_valid ${passed})
set(wabt_problem "${wabt_output}")
if(NOT wabt_valid)
  foreach(feature IN LISTS unsupported_features)
    if(feature STREQUAL "simd")
      aether_wasm_validate()   # wabt's defaults include SIMD
    else()
      aether_wasm_validate(--disable-simd --enable-${feature})
    endif()
    if(passed)
      set(used_feature "${feature_name_${feature}}")
      break()
    endif()
  endforeach()
endif()

# The interface check runs even when wasm-validate failed: its messages name
# the exact construct (a shared memory, a tag section, a truncated section)
# and take precedence over the feature guess and over wabt's wording.
execute_process(COMMAND ${CHECKER} --max-pages ${MAX_PAGES} --emit-header ${OUT_HEADER}.new ${WASM}
                RESULT_VARIABLE checker_result OUTPUT_VARIABLE checker_notes ERROR_VARIABLE checker_error)
string(STRIP "${checker_error}" checker_error)
string(STRIP "${checker_notes}" checker_notes)
if(checker_result EQUAL 1)
  # aether-wasm-check says "<file>: <reason>".
  string(REPLACE "${WASM}: " "" checker_error "${checker_error}")
  aether_reject_payload("${checker_error}")
elseif(NOT checker_result EQUAL 0)
  file(REMOVE ${OUT_HEADER} ${OUT_HEADER}.new)
  message(FATAL_ERROR "aether-wasm-check failed (exit ${checker_result}) on ${WASM}:\n${checker_error}")
endif()

if(NOT wabt_valid)
  if(used_feature)
    aether_reject_payload("uses feature ${used_feature}, not supported by the Aether runtime (wasm-validate: ${wabt_problem})")
  endif()
  aether_reject_payload("malformed module: ${wabt_problem}")
endif()

if(NOT "${checker_notes}" STREQUAL "")
  message(STATUS "${checker_notes}")
endif()
file(COPY_FILE ${OUT_HEADER}.new ${OUT_HEADER} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT_HEADER}.new)
