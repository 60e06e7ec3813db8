# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherParsers.cmake: sensor frames and board descriptions: the build-time
# checker, unit tests, fuzzers and the good/bad board tests.

# aether-board-check BOARD_FILE [--emit-header OUT.h]: fails the build on a bad
# board; the header embeds the board text for the image to parse at boot.
aether_host_executable(aether-board-check
  SOURCES ${PROJECT_SOURCE_DIR}/enclave/tools/aether_board_check.c)

aether_unit_test(frame SOURCES ${PROJECT_SOURCE_DIR}/test/unit/test_frame.c)

# test_board reads the shipped boards from the source tree and compares an
# emitted header (a board full of characters that need escaping) with its file.
set(escapes_board ${PROJECT_SOURCE_DIR}/test/unit/board-escapes.board)
set(escapes_header ${CMAKE_BINARY_DIR}/test/board_escapes.h)
add_custom_command(OUTPUT ${escapes_header}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/test # Ninja makes an output's folder, make does not
  COMMAND aether-board-check ${escapes_board} --emit-header ${escapes_header}
  DEPENDS aether-board-check ${escapes_board}
  COMMENT "Embedding test/unit/board-escapes.board")
aether_unit_test(board SOURCES ${PROJECT_SOURCE_DIR}/test/unit/test_board.c ${escapes_header})
target_include_directories(test_board PRIVATE ${CMAKE_BINARY_DIR}/test)
target_compile_definitions(test_board PRIVATE
  AETHER_BOARDS_DIR="${PROJECT_SOURCE_DIR}/enclave/boards"
  AETHER_ESCAPES_BOARD="${escapes_board}")

aether_fuzzer(frame ${PROJECT_SOURCE_DIR}/test/fuzz/fuzz_frame.c aether_pure)
aether_fuzzer(board ${PROJECT_SOURCE_DIR}/test/fuzz/fuzz_board.c aether_pure)

# Every shipped board must pass the checker.
file(GLOB good_boards CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/enclave/boards/*.board)
foreach(board IN LISTS good_boards)
  get_filename_component(board_name ${board} NAME_WE)
  add_test(NAME parsers.board.good.${board_name} COMMAND aether-board-check ${board})
  set_tests_properties(parsers.board.good.${board_name} PROPERTIES LABELS parsers)
endforeach()

# Every file in test/bad/boards holds one mistake and names the diagnostic it
# must produce in a line "# expect: LINE: MESSAGE". The test passes only if the
# checker exits with status 1 and prints "FILE:LINE: error: MESSAGE".
# (PASS_REGULAR_EXPRESSION alone would ignore the exit status; the script has
# no ';' because CMake would split the argument there.)
set(expect_failure_script [=[
out=$("$0" "$1" 2>&1)
status=$?
printf '%s\n' "$out"
if [ "$status" -ne 1 ]
then
  echo "FAIL: exit status $status, want 1"
  exit 1
fi
if printf '%s\n' "$out" | grep -F -q -e "$1:$2"
then
  exit 0
fi
echo "FAIL: want the diagnostic '$1:$2'"
exit 1
]=])
file(GLOB bad_boards CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/test/bad/boards/*.board)
foreach(board IN LISTS bad_boards)
  get_filename_component(board_name ${board} NAME_WE)
  file(STRINGS ${board} expect REGEX "^# expect: ")
  list(LENGTH expect expect_count)
  if(NOT expect_count EQUAL 1)
    message(FATAL_ERROR "${board}: needs exactly one '# expect: LINE: MESSAGE' line")
  endif()
  string(REGEX REPLACE "^# expect: ([0-9]+): (.*)$" "\\1: error: \\2" diagnostic "${expect}")
  add_test(NAME parsers.board.bad.${board_name}
    COMMAND sh -c "${expect_failure_script}" $<TARGET_FILE:aether-board-check> ${board} "${diagnostic}")
  set_tests_properties(parsers.board.bad.${board_name} PROPERTIES LABELS parsers)
endforeach()

# ACPI tables and the platform resolved from them (cmake/AetherAcpi.cmake).
include(AetherAcpi)
