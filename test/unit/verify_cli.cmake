# SPDX-License-Identifier: AGPL-3.0-or-later
# verify_cli.cmake: runs aether-verify once in the fixture directory, checks its status and output, and has the Python verifier agree.
# Variables: VERIFY (the program), DIR, ARGS (its arguments), RC (expected exit
# status), EXPECT (regular expressions that must all match the output),
# FORBID (ones that must not), STDIN (a file for standard input), FILE and
# FILE_EXPECT (a file the run leaves, such as its state file, and regular
# expressions its text must match), PYTHON and SCRIPTS (the independent
# verifier, python3 -m aether_harness.ground from SCRIPTS: from the same
# starting files it must print the same standard output, leave the same FILE
# and exit with the same status).

set(input_args)
if(STDIN)
  set(input_args INPUT_FILE ${DIR}/${STDIN})
endif()
if(FILE)
  file(REMOVE ${DIR}/${FILE}.before)
  if(EXISTS ${DIR}/${FILE})
    file(COPY_FILE ${DIR}/${FILE} ${DIR}/${FILE}.before)
  endif()
endif()
execute_process(COMMAND ${VERIFY} ${ARGS}
                WORKING_DIRECTORY ${DIR} ${input_args}
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
foreach(forbid IN LISTS FORBID)
  if(all MATCHES "${forbid}")
    message(FATAL_ERROR "output matches what it must not: ${forbid}")
  endif()
endforeach()

# The key never appears: neither the development key nor the tests' other keys.
string(TOLOWER "${all}" lower)
foreach(key 000102030405060708090a0b0c0d0e0f ffeeddccbbaa99887766554433221100 a0a1a2a3a4a5a6a7a8a9aaabacadaeaf
            b0b1b2b3b4b5b6b7b8b9babbbcbdbebf c0c1c2c3c4c5c6c7c8c9cacbcccdcecf)
  if(lower MATCHES "${key}")
    message(FATAL_ERROR "the output contains a key")
  endif()
endforeach()

if(FILE)
  file(READ ${DIR}/${FILE} left)
  message("${FILE}:\n${left}")
  foreach(expect IN LISTS FILE_EXPECT)
    if(NOT left MATCHES "${expect}")
      message(FATAL_ERROR "${FILE} does not match: ${expect}")
    endif()
  endforeach()
endif()

# The Python verifier, written from ARCHITECTURE.md alone, on the same input
# (and, for a state file, from the same state the C verifier started from).
if(FILE)
  file(RENAME ${DIR}/${FILE} ${DIR}/${FILE}.c)
  if(EXISTS ${DIR}/${FILE}.before)
    file(RENAME ${DIR}/${FILE}.before ${DIR}/${FILE})
  endif()
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E env PYTHONPATH=${SCRIPTS} ${PYTHON} -m aether_harness.ground ${ARGS}
                WORKING_DIRECTORY ${DIR} ${input_args}
                RESULT_VARIABLE python_rc OUTPUT_VARIABLE python_out ERROR_VARIABLE python_err)
if(FILE)
  file(READ ${DIR}/${FILE} python_left)
  file(RENAME ${DIR}/${FILE}.c ${DIR}/${FILE})
  if(NOT python_left STREQUAL left)
    message(FATAL_ERROR "the Python verifier left another ${FILE}:\n${python_left}")
  endif()
endif()
if(NOT python_rc STREQUAL rc)
  message(FATAL_ERROR "the Python verifier exits ${python_rc}, aether-verify ${rc}:\n${python_out}${python_err}")
endif()
if(NOT python_out STREQUAL out)
  message(FATAL_ERROR "the Python verifier prints otherwise:\n${python_out}")
endif()
message("the Python verifier agrees (status ${python_rc}, the same ${FILE} and output)")
