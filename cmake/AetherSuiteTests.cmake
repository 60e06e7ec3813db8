# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherSuiteTests.cmake: tests of the tree as a newcomer meets it: every tool's -h and --help, the presets, the Unix Makefiles generator, README's figures.

set(SUITE_TESTS ${PROJECT_SOURCE_DIR}/test/suite)

# Every tool (built aether-*, scripts/, Python programs; found, not listed)
# answers -h and --help with its usage on stdout and exit 0.
add_test(NAME cli.help
  COMMAND ${Python3_EXECUTABLE} ${SUITE_TESTS}/tool_help.py --source ${PROJECT_SOURCE_DIR} --build ${CMAKE_BINARY_DIR})
set_tests_properties(cli.help PROPERTIES LABELS cli)
