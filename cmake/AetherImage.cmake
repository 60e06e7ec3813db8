# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherImage.cmake: payload -> validation -> wasm2c -> freestanding objects -> gnu-efi BOOTX64.EFI -> esp.img.

find_program(WASM2C wasm2c REQUIRED)
find_program(AETHER_LD ld REQUIRED)          # GNU ld: gnu-efi's linker script is written for it
find_program(AETHER_OBJCOPY objcopy REQUIRED) # ELF shared object -> PE32+ EFI application
find_program(MKFS_VFAT mkfs.vfat PATHS /usr/sbin /sbin REQUIRED)
find_program(MTOOLS_MMD mmd REQUIRED)
find_program(MTOOLS_MCOPY mcopy REQUIRED)

set(GNU_EFI_CRT0 /usr/lib/crt0-efi-x86_64.o)
set(GNU_EFI_LDS /usr/lib/elf_x86_64_efi.lds)
set(GNU_EFI_LIBGNUEFI /usr/lib/libgnuefi.a)
foreach(part GNU_EFI_CRT0 GNU_EFI_LDS GNU_EFI_LIBGNUEFI)
  if(NOT EXISTS ${${part}})
    message(FATAL_ERROR "gnu-efi is missing ${${part}}: apt-get install gnu-efi")
  endif()
endforeach()

set(GEN ${CMAKE_BINARY_DIR}/generated)
file(MAKE_DIRECTORY ${GEN})

# ---- the payload -------------------------------------------------------------

if(AETHER_PAYLOAD_WASM)
  if(NOT IS_ABSOLUTE "${AETHER_PAYLOAD_WASM}")
    message(FATAL_ERROR "AETHER_PAYLOAD_WASM must be an absolute path, got '${AETHER_PAYLOAD_WASM}'")
  endif()
  set(PAYLOAD_WASM ${AETHER_PAYLOAD_WASM})
  message(STATUS "Aether payload: ${PAYLOAD_WASM} (user)")
else()
  set(PAYLOAD_WASM ${CMAKE_BINARY_DIR}/payload/stock_payload.wasm)
  aether_wasm_payload(${PAYLOAD_WASM} ${PROJECT_SOURCE_DIR}/payload/stock_payload.c)
  message(STATUS "Aether payload: stock (payload/stock_payload.c)")
endif()

# aether_translate_payload(WASM wasm GEN dir MODULE name [KEY keyfile]): the
# steps every wasm2c build of a payload takes, into dir:
#   NAME_iface.h        validation: wasm-validate with the runtime's features,
#                       then the interface (aether-wasm-check);
#   aether_NAME.{c,h}   wasm2c -n NAME, only after validation passed;
#   aether_embedded.h   with KEY: the device key and the payload's SHA-256.
function(aether_translate_payload)
  cmake_parse_arguments(ARG "" "WASM;GEN;MODULE;KEY" "" ${ARGN})
  set(iface ${ARG_GEN}/${ARG_MODULE}_iface.h)
  add_custom_command(
    OUTPUT ${iface}
    COMMAND ${CMAKE_COMMAND} -DWASM=${ARG_WASM} -DCHECKER=$<TARGET_FILE:aether-wasm-check>
            -DMAX_PAGES=${AETHER_CFG_MEMORY_CAP_PAGES} -DOUT_HEADER=${iface} -DWASM_VALIDATE=${AETHER_WASM_VALIDATE}
            -P ${AETHER_VALIDATE_PAYLOAD_SCRIPT}
    DEPENDS ${ARG_WASM} aether-wasm-check ${AETHER_VALIDATE_PAYLOAD_SCRIPT}
    COMMENT "Validating payload ${ARG_WASM}"
    VERBATIM)
  add_custom_command(
    OUTPUT ${ARG_GEN}/aether_${ARG_MODULE}.c ${ARG_GEN}/aether_${ARG_MODULE}.h
    COMMAND ${WASM2C} -n ${ARG_MODULE} ${ARG_WASM} -o ${ARG_GEN}/aether_${ARG_MODULE}.c
    DEPENDS ${ARG_WASM} ${iface}
    COMMENT "wasm2c: translating ${ARG_WASM} to C"
    VERBATIM)
  if(ARG_KEY)
    add_custom_command(
      OUTPUT ${ARG_GEN}/aether_embedded.h
      COMMAND aether-embed ${ARG_KEY} ${ARG_WASM} ${ARG_GEN}/aether_embedded.h
      DEPENDS aether-embed ${ARG_KEY} ${ARG_WASM} ${iface}
      COMMENT "Embedding the device key and the payload identity"
      VERBATIM)
  endif()
endfunction()

aether_translate_payload(WASM ${PAYLOAD_WASM} GEN ${GEN} MODULE payload KEY ${AETHER_DEVICE_KEY_FILE})

add_custom_command(
  OUTPUT ${GEN}/aether_board.h
  COMMAND aether-board-check ${AETHER_BOARD} --emit-header ${GEN}/aether_board.h
  DEPENDS aether-board-check ${AETHER_BOARD}
  COMMENT "Checking board description ${AETHER_BOARD}"
  VERBATIM)
configure_file(/usr/include/wasm-rt.h ${GEN}/wasm-rt.h COPYONLY) # wabt's contract header, outside /usr/include

# ---- freestanding objects ------------------------------------------------------

execute_process(COMMAND ${CMAKE_C_COMPILER} -print-resource-dir
                OUTPUT_VARIABLE CLANG_RESOURCE_DIR OUTPUT_STRIP_TRAILING_WHITESPACE)

set(AETHER_CFG_DEFINES
  AETHER_CFG_MEMORY_CAP_PAGES=${AETHER_CFG_MEMORY_CAP_PAGES}
  AETHER_CFG_MAX_CALL_DEPTH=${AETHER_CFG_MAX_CALL_DEPTH}
  WASM_RT_MEMCHECK_SIGNAL_HANDLER=0                          # explicit bounds checks: no signals here
  WASM_RT_USE_STACK_DEPTH_COUNT=1                            # count call depth in generated code
  WASM_RT_MAX_CALL_STACK_DEPTH=${AETHER_CFG_MAX_CALL_DEPTH}  # ... against the configured bound
)

set(AETHER_FREESTANDING_FLAGS
  -ffreestanding                       # no hosted-libc assumptions
  -nostdinc                            # a stray libc include fails the build ...
  "SHELL:-isystem ${CLANG_RESOURCE_DIR}/include"          # ... but the compiler's stdint/stddef/stdarg/stdbool
  "SHELL:-isystem ${PROJECT_SOURCE_DIR}/wasm2c_rt/compat" # ... and the few declarations in our compat folder
  -fpic                                # gnu-efi images are relocated at load by _relocate
  -fvisibility=hidden                  # no interposition: direct calls, only RELATIVE relocations
  -fno-stack-protector                 # no __stack_chk_guard exists in firmware
  -fshort-wchar                        # UEFI CHAR16 strings: L"" is UCS-2
  -mno-red-zone                        # interrupts push onto the interrupted stack
  -fno-asynchronous-unwind-tables      # no .eh_frame: nothing unwinds with DWARF here
  -fno-math-errno                      # sqrt and fabs inline; there is no errno
  -frounding-math                      # wasm2c: keep float semantics exact at -O2
  -fno-optimize-sibling-calls          # wasm2c: the call-depth count assumes real calls
  -O2
  -g0                                  # the PE image carries no debug info
)

set(AETHER_IMAGE_SOURCES
  ${AETHER_PURE_SOURCES}
  ${PROJECT_SOURCE_DIR}/enclave/apic.c
  ${PROJECT_SOURCE_DIR}/enclave/cpu.c
  ${PROJECT_SOURCE_DIR}/enclave/cycle.c
  ${PROJECT_SOURCE_DIR}/enclave/enclave_main.c
  ${PROJECT_SOURCE_DIR}/enclave/fwcfg.c
  ${PROJECT_SOURCE_DIR}/enclave/halt.c
  ${PROJECT_SOURCE_DIR}/enclave/interrupts.c
  ${PROJECT_SOURCE_DIR}/enclave/isr.S
  ${PROJECT_SOURCE_DIR}/enclave/log.c
  ${PROJECT_SOURCE_DIR}/enclave/pci.c
  ${PROJECT_SOURCE_DIR}/enclave/uart.c
  ${PROJECT_SOURCE_DIR}/enclave/wake.c
  ${PROJECT_SOURCE_DIR}/uefi/efi_main.c
  ${PROJECT_SOURCE_DIR}/uefi/exit_boot_services.c
  ${PROJECT_SOURCE_DIR}/wasm2c_rt/wasm_rt_impl.c
  ${PROJECT_SOURCE_DIR}/wasm2c_rt/unwind.S
  ${PROJECT_SOURCE_DIR}/wasm2c_rt/compat/string.c
  ${PROJECT_SOURCE_DIR}/wasm2c_rt/compat/math.c
  ${GEN}/payload_iface.h
  ${GEN}/aether_embedded.h
  ${GEN}/aether_board.h
  ${GEN}/aether_payload.h
)

add_library(aether_image_objects OBJECT ${AETHER_IMAGE_SOURCES})
target_compile_options(aether_image_objects PRIVATE ${AETHER_FREESTANDING_FLAGS}
  $<$<COMPILE_LANGUAGE:C>:${AETHER_HOST_WARNINGS}>)
target_compile_definitions(aether_image_objects PRIVATE ${AETHER_CFG_DEFINES}
  GNU_EFI_USE_MS_ABI)                  # EFIAPI = ms_abi: firmware is called directly
target_include_directories(aether_image_objects PRIVATE
  ${PROJECT_SOURCE_DIR}/enclave ${PROJECT_SOURCE_DIR}/uefi ${PROJECT_SOURCE_DIR}/wasm2c_rt ${GEN})
target_include_directories(aether_image_objects SYSTEM PRIVATE /usr/include/efi /usr/include/efi/x86_64)
set_target_properties(aether_image_objects PROPERTIES C_STANDARD 11 C_EXTENSIONS ON)

# The generated payload is wasm2c's code, not ours: its warnings are not errors.
add_library(aether_payload_objects OBJECT ${GEN}/aether_payload.c)
target_compile_options(aether_payload_objects PRIVATE ${AETHER_FREESTANDING_FLAGS} -w)
target_compile_definitions(aether_payload_objects PRIVATE ${AETHER_CFG_DEFINES})
target_include_directories(aether_payload_objects PRIVATE ${GEN})

# ---- link: ELF shared object (gnu-efi) -> PE32+ -> ESP --------------------------

set(AETHER_SO ${CMAKE_BINARY_DIR}/aether.so)
set(AETHER_EFI ${CMAKE_BINARY_DIR}/BOOTX64.EFI)
set(AETHER_ESP ${CMAKE_BINARY_DIR}/esp.img)

# aether_efi_link(SO so EFI efi OBJECTS object-library...): the gnu-efi recipe,
# ELF shared object -> PE32+ EFI application.
function(aether_efi_link)
  cmake_parse_arguments(ARG "" "SO;EFI" "OBJECTS" ${ARGN})
  set(objects "")
  foreach(library ${ARG_OBJECTS})
    list(APPEND objects $<TARGET_OBJECTS:${library}>)
  endforeach()
  get_filename_component(so_name ${ARG_SO} NAME)
  get_filename_component(efi_name ${ARG_EFI} NAME)
  add_custom_command(
    OUTPUT ${ARG_SO}
    COMMAND ${AETHER_LD}
            -nostdlib -shared -Bsymbolic   # gnu-efi: a self-relocating shared object
            -znocombreloc                  # keep .rela sections apart, as _relocate expects
            -z defs                        # any undefined symbol fails the link
            --no-dynamic-linker
            -T ${GNU_EFI_LDS} ${GNU_EFI_CRT0} ${objects} ${GNU_EFI_LIBGNUEFI} -o ${ARG_SO}
    DEPENDS ${ARG_OBJECTS} ${objects}
    COMMAND_EXPAND_LISTS
    COMMENT "Linking ${so_name} (gnu-efi)"
    VERBATIM)
  add_custom_command(
    OUTPUT ${ARG_EFI}
    COMMAND ${AETHER_OBJCOPY}
            -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela -j .rel.* -j .rela.* -j .reloc
            --target efi-app-x86_64 --subsystem=10 ${ARG_SO} ${ARG_EFI}
    DEPENDS ${ARG_SO}
    COMMENT "objcopy: ${efi_name} (PE32+, EFI application)"
    VERBATIM)
endfunction()

aether_efi_link(SO ${AETHER_SO} EFI ${AETHER_EFI} OBJECTS aether_image_objects aether_payload_objects)

add_custom_command(
  OUTPUT ${AETHER_ESP}
  COMMAND ${CMAKE_COMMAND} -E rm -f ${AETHER_ESP}
  COMMAND ${MKFS_VFAT} -C -n AETHER ${AETHER_ESP} 8192
  COMMAND ${MTOOLS_MMD} -i ${AETHER_ESP} ::/EFI ::/EFI/BOOT
  COMMAND ${MTOOLS_MCOPY} -i ${AETHER_ESP} ${AETHER_EFI} ::/EFI/BOOT/BOOTX64.EFI
  DEPENDS ${AETHER_EFI}
  COMMENT "esp.img: FAT ESP with EFI/BOOT/BOOTX64.EFI"
  VERBATIM)

add_custom_command(
  OUTPUT ${CMAKE_BINARY_DIR}/aether-build.json
  COMMAND ${CMAKE_COMMAND} -DOUT=${CMAKE_BINARY_DIR}/aether-build.json -DKEY_FILE=${AETHER_DEVICE_KEY_FILE}
          -DPAYLOAD_WASM=${PAYLOAD_WASM} -DBOARD=${AETHER_BOARD} -DCAP_PAGES=${AETHER_CFG_MEMORY_CAP_PAGES}
          -P ${PROJECT_SOURCE_DIR}/cmake/AetherBuildInfo.cmake
  DEPENDS ${PAYLOAD_WASM} ${GEN}/payload_iface.h
  COMMENT "aether-build.json: key file, payload identity, board"
  VERBATIM)

add_custom_target(image ALL DEPENDS ${AETHER_EFI} ${AETHER_ESP} ${CMAKE_BINARY_DIR}/aether-build.json)

# ---- checks on the output (the Linux EFI stub's habit) ----------------------------

foreach(check undefined relocations subsystem)
  add_test(NAME image.${check}
    COMMAND ${CMAKE_COMMAND} -DCHECK=${check} -DSO=${AETHER_SO} -DEFI=${AETHER_EFI}
            -P ${PROJECT_SOURCE_DIR}/cmake/AetherCheckImage.cmake)
  set_tests_properties(image.${check} PROPERTIES LABELS image)
endforeach()
