# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherSubBuild.cmake: configures and builds an image for one payload through -DAETHER_PAYLOAD_WASM, as a user would.
#
#   cmake -DSOURCE=<repo> -DBINARY=<build dir> [-DWASM=<abs .wasm>] [-DGENERATOR=<generator>]
#         [-DTARGETS=<target;...>] [-DEXPECT_FAILURE=<regex>] [-DEXTRA_ARGS=<-D...>] -P AetherSubBuild.cmake
#
# Without WASM the image has the stock payload; GENERATOR defaults to Ninja,
# TARGETS to image. The build runs as many jobs as CMAKE_BUILD_PARALLEL_LEVEL
# says (the test suite sets 1), by default the generator's own count.
# Without EXPECT_FAILURE the build must succeed and leave BINARY/BOOTX64.EFI.
# With it, configure or build must fail and its output must match the regex:
# that is how a rejected payload is tested end to end.

foreach(required SOURCE BINARY)
  if(NOT ${required})
    message(FATAL_ERROR "AetherSubBuild.cmake needs -D${required}=...")
  endif()
endforeach()

if(NOT GENERATOR)
  set(GENERATOR Ninja)
endif()
message(STATUS "sub-build: configuring ${BINARY} with AETHER_PAYLOAD_WASM=${WASM}")
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SOURCE} -B ${BINARY} -G ${GENERATOR} -DAETHER_PAYLOAD_WASM=${WASM} ${EXTRA_ARGS}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(rc EQUAL 0)
  if(NOT TARGETS)
    set(TARGETS image)
  endif()
  message(STATUS "sub-build: building ${TARGETS} with ${GENERATOR}")
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY} --target ${TARGETS}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE build_out ERROR_VARIABLE build_out)
  string(APPEND out "${build_out}")
endif()

if(DEFINED EXPECT_FAILURE)
  if(rc EQUAL 0)
    message(FATAL_ERROR "the build of ${WASM} succeeded; it should have been rejected")
  endif()
  if(NOT out MATCHES "${EXPECT_FAILURE}")
    message(FATAL_ERROR "the build failed, but without the expected message /${EXPECT_FAILURE}/:\n${out}")
  endif()
  string(REGEX MATCH "[^\n]*${EXPECT_FAILURE}[^\n]*" line "${out}")
  message(STATUS "rejected as expected: ${line}")
elseif(NOT rc EQUAL 0)
  message(FATAL_ERROR "the build of ${WASM} failed:\n${out}")
elseif(NOT EXISTS ${BINARY}/BOOTX64.EFI)
  message(FATAL_ERROR "the build of ${WASM} succeeded but left no ${BINARY}/BOOTX64.EFI:\n${out}")
else()
  message(STATUS "sub-build: ${BINARY}/BOOTX64.EFI ready")
endif()
