# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherPayload.cmake: compiling payload C to a wasm32 module with clang and wasm-ld.

find_program(WASM_LD wasm-ld REQUIRED)  # clang's --target=wasm32 links through it

# Where aether_guest.h is, and the clang that compiles payloads: this tree's,
# or an installation's (AetherEnclaveConfig.cmake sets both before including
# this file in a payload author's project).
if(NOT DEFINED AETHER_GUEST_INCLUDE_DIR)
  set(AETHER_GUEST_INCLUDE_DIR ${PROJECT_SOURCE_DIR}/payload)
endif()
if(NOT DEFINED AETHER_PAYLOAD_CC)
  set(AETHER_PAYLOAD_CC ${CMAKE_C_COMPILER})
endif()

set(AETHER_PAYLOAD_CFLAGS
  --target=wasm32        # the guest ISA
  -O2
  -nostdlib              # a payload has no libc: only the aether imports
  -ffreestanding
  -Wall -Wextra -Werror
  -I${AETHER_GUEST_INCLUDE_DIR}             # aether_guest.h
  -Wl,--no-entry                            # a library of exports, no _start
  -Wl,--initial-memory=131072               # 2 pages: 64 KiB stack + data
  -Wl,--max-memory=1048576                  # 16 pages: the default enclave cap
  -Wl,-z,stack-size=65536
)

# aether_wasm_payload(OUT.wasm SOURCE.c... [FLAGS flag...]): builds a payload
# module from its C sources at build time, with AETHER_PAYLOAD_CFLAGS and then FLAGS.
function(aether_wasm_payload out_wasm)
  cmake_parse_arguments(ARG "" "" "FLAGS" ${ARGN})
  get_filename_component(dir ${out_wasm} DIRECTORY)
  file(MAKE_DIRECTORY ${dir})
  list(JOIN ARG_UNPARSED_ARGUMENTS " " shown)
  add_custom_command(
    OUTPUT ${out_wasm}
    COMMAND ${AETHER_PAYLOAD_CC} ${AETHER_PAYLOAD_CFLAGS} ${ARG_FLAGS} -o ${out_wasm} ${ARG_UNPARSED_ARGUMENTS}
    DEPENDS ${ARG_UNPARSED_ARGUMENTS} ${AETHER_GUEST_INCLUDE_DIR}/aether_guest.h
    COMMENT "clang --target=wasm32: ${shown}"
    VERBATIM)
endfunction()

# aether_wat_payload(OUT.wasm SOURCE.wat): assembles a hand-written test module
# at build time (wat2wasm), for payloads C cannot express.
function(aether_wat_payload out_wasm wat)
  get_filename_component(dir ${out_wasm} DIRECTORY)
  file(RELATIVE_PATH shown ${PROJECT_SOURCE_DIR} ${wat})
  add_custom_command(
    OUTPUT ${out_wasm}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND ${AETHER_WAT2WASM} ${wat} -o ${out_wasm}
    DEPENDS ${wat}
    COMMENT "wat2wasm: ${shown}"
    VERBATIM)
endfunction()
