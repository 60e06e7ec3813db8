# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherSdk.cmake: the installable SDK (cmake --install build --prefix P): tools, header, enclave source, CMake package; and its tests.
#
# P/bin/                      aether-sim, aether-verify, aether-wasm-check, aether-run, aether-wake
# P/include/aether_guest.h
# P/libexec/aether-enclave/   the build tools an image build borrows (AETHER_HOST_TOOLS_DIR)
# P/lib/aether-enclave/       aether-sim's runtime library
# P/lib/cmake/AetherEnclave/  AetherEnclaveConfig.cmake and its version file
# P/share/aether-enclave/     the board the tree was configured with, and source/: the enclave's
#                             source, which aether-sim compiles payloads against and images are built from
#
# Needs aether_sim_config() and aether_sim_tool() from AetherSim.cmake.

include(CMakePackageConfigHelpers)

set(AETHER_SDK ${CMAKE_BINARY_DIR}/sdk)
set(AETHER_SDK_SOURCE share/aether-enclave/source)
set(AETHER_SDK_TOOLS libexec/aether-enclave)
get_filename_component(AETHER_SDK_BOARD_NAME ${AETHER_BOARD} NAME)

# The installed aether-sim: its sim_config.h names paths under the prefix it
# finds at run time (sim/installed.c), and keeps its cache in the user's.
aether_sim_config(OUT ${AETHER_SDK}/sim_config.h SOURCE @prefix@/${AETHER_SDK_SOURCE}
  RUNTIME @prefix@/lib/aether-enclave/libaether_sim_runtime.a CHECKER @prefix@/${AETHER_SDK_TOOLS}/aether-wasm-check
  EMBED @prefix@/${AETHER_SDK_TOOLS}/aether-embed BOARD @prefix@/share/aether-enclave/${AETHER_SDK_BOARD_NAME} CACHE "")
aether_sim_tool(aether-sim-installed ${AETHER_SDK})
set_target_properties(aether-sim-installed PROPERTIES OUTPUT_NAME aether-sim RUNTIME_OUTPUT_DIRECTORY ${AETHER_SDK})

# ---- install rules ------------------------------------------------------------------

install(FILES ${PROJECT_SOURCE_DIR}/payload/aether_guest.h DESTINATION include)
install(PROGRAMS $<TARGET_FILE:aether-sim-installed> $<TARGET_FILE:aether-verify> DESTINATION bin)
install(PROGRAMS $<TARGET_FILE:aether-wasm-check> $<TARGET_FILE:aether-board-check> $<TARGET_FILE:aether-embed>
  $<TARGET_FILE:aether-guest-pack> DESTINATION ${AETHER_SDK_TOOLS})
install(FILES $<TARGET_FILE:aether_sim_runtime> DESTINATION lib/aether-enclave)
install(FILES ${AETHER_BOARD} DESTINATION share/aether-enclave)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/cmake ${PROJECT_SOURCE_DIR}/compat ${PROJECT_SOURCE_DIR}/enclave
  ${PROJECT_SOURCE_DIR}/guest ${PROJECT_SOURCE_DIR}/payload ${PROJECT_SOURCE_DIR}/scripts ${PROJECT_SOURCE_DIR}/sim
  ${PROJECT_SOURCE_DIR}/test ${PROJECT_SOURCE_DIR}/uefi
  DESTINATION ${AETHER_SDK_SOURCE} USE_SOURCE_PERMISSIONS
  PATTERN __pycache__ EXCLUDE PATTERN target EXCLUDE)
file(GLOB sdk_top_files LIST_DIRECTORIES false ${PROJECT_SOURCE_DIR}/CMakeLists.txt ${PROJECT_SOURCE_DIR}/*.json
  ${PROJECT_SOURCE_DIR}/*.md ${PROJECT_SOURCE_DIR}/LICENSE)
install(FILES ${sdk_top_files} DESTINATION ${AETHER_SDK_SOURCE})
# The scripts find their Python package beside their real path: bin/ links to them.
# aether-wasm-check is a user's tool as well as a build tool.
foreach(link aether-run:../${AETHER_SDK_SOURCE}/scripts/aether-run
             aether-wake:../${AETHER_SDK_SOURCE}/scripts/aether-wake
             aether-wasm-check:../${AETHER_SDK_TOOLS}/aether-wasm-check)
  string(REPLACE ":" ";" link ${link})
  list(GET link 0 name)
  list(GET link 1 target)
  install(CODE "file(CREATE_LINK ${target} \$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/bin/${name} SYMBOLIC)
    message(STATUS \"Installing: \$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/bin/${name} -> ${target}\")")
endforeach()

configure_file(${PROJECT_SOURCE_DIR}/cmake/AetherEnclaveConfig.cmake.in ${AETHER_SDK}/AetherEnclaveConfig.cmake @ONLY)
write_basic_package_version_file(${AETHER_SDK}/AetherEnclaveConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${AETHER_SDK}/AetherEnclaveConfig.cmake ${AETHER_SDK}/AetherEnclaveConfigVersion.cmake
  DESTINATION lib/cmake/AetherEnclave)

# ---- tests (label sdk) -----------------------------------------------------------------

set(SDK_TESTS ${PROJECT_SOURCE_DIR}/test/sdk)

# aether_guest.h's compile command, verbatim, builds a module aether-wasm-check
# accepts; README shows the same command.
add_test(NAME sdk.header_command
  COMMAND ${Python3_EXECUTABLE} ${SDK_TESTS}/header_command.py --header ${PROJECT_SOURCE_DIR}/payload/aether_guest.h
          --readme ${PROJECT_SOURCE_DIR}/README.md
          --payload ${PROJECT_SOURCE_DIR}/payload/template/my_payload.c --checker $<TARGET_FILE:aether-wasm-check>
          --work ${CMAKE_BINARY_DIR}/sdk-header-command)
set_tests_properties(sdk.header_command PROPERTIES LABELS sdk)

# -DAETHER_PAYLOAD_WASM= missing, relative or rejected stops configure with the
# message alone, every foreign import named; a payload changed later stops the build.
add_test(NAME sdk.configure_check
  COMMAND ${Python3_EXECUTABLE} ${SDK_TESTS}/configure_check.py --source ${PROJECT_SOURCE_DIR}
          --work ${CMAKE_BINARY_DIR}/sdk-configure-check --tools ${CMAKE_BINARY_DIR} --wat2wasm ${AETHER_WAT2WASM}
          --rejected ${PROJECT_SOURCE_DIR}/test/bad/wasi_and_env_imports.wat
          --accepted ${PROJECT_SOURCE_DIR}/test/good/minimal.wat
          --expect-name wasi_snapshot_preview1.fd_write --expect-name env.malloc
          --expect-name aether.read_radiation_dosimeter_twice --expect-name wasi_snapshot_preview1.proc_exit
          --expect-name env.__stack_chk_fail)
set_tests_properties(sdk.configure_check PROPERTIES LABELS "sdk;build" TIMEOUT 300)

# The template, built from outside against an installation, in aether-sim; the
# installation moved.
add_test(NAME sdk.template
  COMMAND ${Python3_EXECUTABLE} ${SDK_TESTS}/sdk_template.py --build ${CMAKE_BINARY_DIR}
          --template ${PROJECT_SOURCE_DIR}/payload/template --work ${CMAKE_BINARY_DIR}/sdk-template)
set_tests_properties(sdk.template PROPERTIES LABELS "sdk;build" TIMEOUT 300)

# README's "Writing a payload", verbatim: install, the template built, simulated
# and imaged, the author's loop without CMake. The installed aether-sim's cache
# is the test's own.
set(SDK_README_WORK ${CMAKE_BINARY_DIR}/sdk-readme)
add_test(NAME sdk.readme
  COMMAND ${Python3_EXECUTABLE} ${SIM_TESTS}/readme_commands.py --readme ${PROJECT_SOURCE_DIR}/README.md
          --section "Writing a payload" --source ${PROJECT_SOURCE_DIR} --build ${CMAKE_BINARY_DIR}
          --work ${SDK_README_WORK})
set_tests_properties(sdk.readme PROPERTIES LABELS "sdk;build" TIMEOUT 600 FIXTURES_SETUP sdk.readme
  ENVIRONMENT XDG_CACHE_HOME=${CMAKE_BINARY_DIR}/sdk-readme-cache)

# The image README's commands built from the template boots with the template's
# wakes, through the installed aether-run.
add_test(NAME sdk.template_boot
  COMMAND ${Python3_EXECUTABLE} ${SDK_TESTS}/sdk_template.py
          --boot ${SDK_README_WORK}/my-payload/build/my_payload-image/BOOTX64.EFI --prefix ${SDK_README_WORK}/sdk
          --work ${CMAKE_BINARY_DIR}/sdk-template-boot)
set_tests_properties(sdk.template_boot PROPERTIES LABELS "sdk;boot" TIMEOUT 300 FIXTURES_REQUIRED sdk.readme)
