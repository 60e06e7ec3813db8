# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherSuiteTests.cmake: tests of the tree as a newcomer meets it: every tool's -h and --help, the presets, the Unix Makefiles generator, README's figures.

set(SUITE_TESTS ${PROJECT_SOURCE_DIR}/test/suite)

# Every tool (built aether-*, scripts/, Python programs; found, not listed)
# answers -h and --help with its usage on stdout and exit 0.
add_test(NAME cli.help
  COMMAND ${Python3_EXECUTABLE} ${SUITE_TESTS}/tool_help.py --source ${PROJECT_SOURCE_DIR} --build ${CMAKE_BINARY_DIR})
set_tests_properties(cli.help PROPERTIES LABELS cli)

# CMakePresets.json parses, the quick test preset selects every test but the
# slow ones (labels boot, build, fuzz, bench), fixtures included, and
# README's "Tests" lists every label in use.
add_test(NAME docs.presets
  COMMAND ${Python3_EXECUTABLE} ${SUITE_TESTS}/presets_case.py --source ${PROJECT_SOURCE_DIR} --build ${CMAKE_BINARY_DIR}
          --work ${CMAKE_BINARY_DIR}/presets-test --readme ${PROJECT_SOURCE_DIR}/README.md)
set_tests_properties(docs.presets PROPERTIES LABELS docs)

# README's "Tests", verbatim: the build preset, the quick test preset. Alone
# (its quick tests share their work folders with the suite's), and labelled
# build (it runs one) so that the quick preset it runs leaves it out.
add_test(NAME docs.readme_tests
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/test/sim/readme_commands.py --readme ${PROJECT_SOURCE_DIR}/README.md
          --section Tests --source ${PROJECT_SOURCE_DIR} --build ${CMAKE_BINARY_DIR} --work ${CMAKE_BINARY_DIR}/readme-tests)
set_tests_properties(docs.readme_tests PROPERTIES LABELS "docs;build" RUN_SERIAL ON TIMEOUT 600)

# The generator CMake picks without -G works as well as Ninja: a tree
# configured with Unix Makefiles builds the stock image (the payload, its
# validation and translation, aether-embed, the guest program, the link) and
# test_board (its header is embedded by aether-board-check into a folder of
# the build tree), one job at a time, as the sub-builds are.
add_test(NAME build.unix_makefiles
  COMMAND ${CMAKE_COMMAND} -DSOURCE=${PROJECT_SOURCE_DIR} -DBINARY=${CMAKE_BINARY_DIR}/unix-makefiles
          "-DGENERATOR=Unix Makefiles" "-DTARGETS=image\;test_board"
          -P ${PROJECT_SOURCE_DIR}/cmake/AetherSubBuild.cmake)
set_tests_properties(build.unix_makefiles PROPERTIES LABELS build TIMEOUT 600)

# README's stock bench line is the one boot.bench's image printed (its log,
# kept by the boot; no boot of its own). It needs a boot: labelled boot.
set_property(TEST boot.bench APPEND PROPERTY FIXTURES_SETUP report.bench)
add_test(NAME docs.readme_bench_line
  COMMAND ${Python3_EXECUTABLE} ${SUITE_TESTS}/readme_bench_line.py --readme ${PROJECT_SOURCE_DIR}/README.md
          --log ${AETHER_REPORTS}/bench.json.log)
set_tests_properties(docs.readme_bench_line PROPERTIES LABELS "docs;boot" FIXTURES_REQUIRED report.bench)

# Every test labelled build runs its builds one compile at a time
# (CMAKE_BUILD_PARALLEL_LEVEL=1 for every `cmake --build` in it): ctest -jN
# runs N tests at once, so ctest -j2 keeps a 2-core machine at a load of about
# 2, where sub-builds at the generator's own parallelism took it to 10. Called
# once every test is defined, whichever file defines it.
function(aether_bound_build_tests)
  get_property(tests DIRECTORY ${PROJECT_SOURCE_DIR} PROPERTY TESTS)
  foreach(test IN LISTS tests)
    get_test_property(${test} LABELS labels)
    if("build" IN_LIST labels)
      set_property(TEST ${test} APPEND PROPERTY ENVIRONMENT CMAKE_BUILD_PARALLEL_LEVEL=1)
    endif()
  endforeach()
endfunction()
cmake_language(DEFER DIRECTORY ${PROJECT_SOURCE_DIR} CALL aether_bound_build_tests)
