# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherPayload.cmake: compiling payload C to a wasm32 module with clang and wasm-ld.

find_program(WASM_LD wasm-ld REQUIRED)  # clang's --target=wasm32 links through it

set(AETHER_PAYLOAD_CFLAGS
  --target=wasm32        # the guest ISA
  -O2
  -nostdlib              # a payload has no libc: only the aether imports
  -ffreestanding
  -Wall -Wextra -Werror
  -I${PROJECT_SOURCE_DIR}/payload           # aether_guest.h
  -Wl,--no-entry                            # a library of exports, no _start
  -Wl,--initial-memory=131072               # 2 pages: 64 KiB stack + data
  -Wl,--max-memory=1048576                  # 16 pages: the default enclave cap
  -Wl,-z,stack-size=65536
)

# aether_wasm_payload(OUT.wasm SOURCE.c): builds a payload module at build time.
function(aether_wasm_payload out_wasm source)
  get_filename_component(dir ${out_wasm} DIRECTORY)
  file(MAKE_DIRECTORY ${dir})
  add_custom_command(
    OUTPUT ${out_wasm}
    COMMAND ${CMAKE_C_COMPILER} ${AETHER_PAYLOAD_CFLAGS} -o ${out_wasm} ${source}
    DEPENDS ${source} ${PROJECT_SOURCE_DIR}/payload/aether_guest.h
    COMMENT "clang --target=wasm32: ${source}"
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
