# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherAddPayload.cmake: aether_add_payload(), a payload author's targets in their own project (loaded by AetherEnclaveConfig.cmake).
#
#   find_package(AetherEnclave REQUIRED)
#   aether_add_payload(NAME SOURCES a.c... [COMPILE_OPTIONS flag...]
#                      [WAKES VEC:pressure=P,dose=D...] [BOARD file] [SIM_ARGS arg...] [IMAGE_ARGS -DVAR=value...])
#
# gives, in the current binary directory:
#   NAME_wasm   NAME.wasm: the C sources compiled by aether_wasm_payload()
#               (AetherPayload.cmake, the flags the enclave's own payloads
#               have), then COMPILE_OPTIONS;
#   NAME        (built by default) the .wasm validated as the image build
#               validates it (AetherValidatePayload.cmake: wasm-validate,
#               then aether-wasm-check), describing it in NAME_iface.h;
#   NAME_sim    aether-sim runs the WAKES (default: the bench wake
#               0x20:pressure=0.12,dose=1250, then 0x21:pressure=1.0,dose=40)
#               on BOARD (default: the installation's), with SIM_ARGS
#               (e.g. --key FILE), and writes NAME_sim.json;
#   NAME_image  NAME-image/BOOTX64.EFI and NAME-image/esp.img: the installed
#               enclave source configured with -DAETHER_PAYLOAD_WASM=NAME.wasm,
#               AETHER_BOARD=BOARD, the installation's limits and memory-check
#               mode (AETHER_ENCLAVE_IMAGE_ARGS) and IMAGE_ARGS, its image target built
#               with the installation's build tools (AetherSubBuild.cmake).

set(AETHER_DEFAULT_WAKES 0x20:pressure=0.12,dose=1250 0x21:pressure=1.0,dose=40)

function(aether_add_payload name)
  cmake_parse_arguments(ARG "" "BOARD" "SOURCES;COMPILE_OPTIONS;WAKES;SIM_ARGS;IMAGE_ARGS" ${ARGN})
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "aether_add_payload(${name}): unknown arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "aether_add_payload(${name}): SOURCES is required (the payload's C files)")
  endif()
  if(NOT ARG_WAKES)
    set(ARG_WAKES ${AETHER_DEFAULT_WAKES})
  endif()
  if(NOT ARG_BOARD)
    set(ARG_BOARD ${AETHER_ENCLAVE_BOARD})
  endif()
  get_filename_component(board ${ARG_BOARD} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
  set(sources "")
  foreach(source ${ARG_SOURCES})
    get_filename_component(source ${source} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    list(APPEND sources ${source})
  endforeach()

  set(wasm ${CMAKE_CURRENT_BINARY_DIR}/${name}.wasm)
  set(iface ${CMAKE_CURRENT_BINARY_DIR}/${name}_iface.h)
  aether_wasm_payload(${wasm} ${sources} FLAGS ${ARG_COMPILE_OPTIONS})
  add_custom_target(${name}_wasm DEPENDS ${wasm})

  add_custom_command(
    OUTPUT ${iface}
    COMMAND ${CMAKE_COMMAND} -DWASM=${wasm} -DCHECKER=${AETHER_ENCLAVE_TOOLS_DIR}/aether-wasm-check
            -DMAX_PAGES=${AETHER_ENCLAVE_MEMORY_CAP_PAGES} -DOUT_HEADER=${iface}
            -P ${AETHER_ENCLAVE_SOURCE_DIR}/cmake/AetherValidatePayload.cmake
    DEPENDS ${wasm}
    COMMENT "Validating payload ${name}.wasm"
    VERBATIM)
  add_custom_target(${name} ALL DEPENDS ${wasm} ${iface})

  set(wakes "")
  foreach(wake ${ARG_WAKES})
    list(APPEND wakes --wake ${wake})
  endforeach()
  add_custom_target(${name}_sim
    COMMAND AetherEnclave::aether-sim ${wasm} ${wakes} --board ${board} --report ${CMAKE_CURRENT_BINARY_DIR}/${name}_sim.json
            ${ARG_SIM_ARGS}
    DEPENDS ${name}
    COMMENT "aether-sim: ${name}.wasm"
    USES_TERMINAL
    VERBATIM)

  set(image_args -DAETHER_HOST_TOOLS_DIR=${AETHER_ENCLAVE_TOOLS_DIR} -DAETHER_BOARD=${board}
    ${AETHER_ENCLAVE_IMAGE_ARGS} ${ARG_IMAGE_ARGS})
  string(REPLACE ";" "\\;" image_args "${image_args}")
  add_custom_target(${name}_image
    COMMAND ${CMAKE_COMMAND} -DSOURCE=${AETHER_ENCLAVE_SOURCE_DIR} -DBINARY=${CMAKE_CURRENT_BINARY_DIR}/${name}-image
            -DWASM=${wasm} -DEXTRA_ARGS=${image_args} -P ${AETHER_ENCLAVE_SOURCE_DIR}/cmake/AetherSubBuild.cmake
    DEPENDS ${name}
    BYPRODUCTS ${CMAKE_CURRENT_BINARY_DIR}/${name}-image/BOOTX64.EFI ${CMAKE_CURRENT_BINARY_DIR}/${name}-image/esp.img
    COMMENT "Building the enclave image for ${name}.wasm"
    USES_TERMINAL
    VERBATIM)
endfunction()
