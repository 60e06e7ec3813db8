# SPDX-License-Identifier: AGPL-3.0-or-later
# verify_cli.cmake: runs aether-verify once in the fixture directory and checks exit status and output.
# Variables: VERIFY (the program), DIR, ARGS (its arguments), RC (expected exit
# status), EXPECT (regular expressions that must all match the output).

execute_process(COMMAND ${VERIFY} ${ARGS}
                WORKING_DIRECTORY ${DIR}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
message("aether-verify ${ARGS}\n${all}")

if(NOT rc STREQUAL RC)
  message(FATAL_ERROR "exit status ${rc}, expected ${RC}")
endif()
foreach(expect IN LISTS EXPECT)
  if(NOT all MATCHES "${expect}")
    message(FATAL_ERROR "output does not match: ${expect}")
  endif()
endforeach()

# The key never appears: neither the development key nor the test's other key.
string(TOLOWER "${all}" lower)
foreach(key 000102030405060708090a0b0c0d0e0f ffeeddccbbaa99887766554433221100)
  if(lower MATCHES "${key}")
    message(FATAL_ERROR "the output contains a key")
  endif()
endforeach()
