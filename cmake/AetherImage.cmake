# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherImage.cmake: payload -> validation -> wasm2c -> freestanding objects -> gnu-efi BOOTX64.EFI (signed) -> esp.img.

find_program(WASM2C wasm2c REQUIRED)
find_program(AETHER_LD ld REQUIRED)          # GNU ld: gnu-efi's linker script is written for it
find_program(AETHER_OBJCOPY objcopy REQUIRED) # ELF shared object -> PE32+ EFI application
find_program(MKFS_VFAT mkfs.vfat PATHS /usr/sbin /sbin REQUIRED)
find_program(MTOOLS_MMD mmd REQUIRED)
find_program(MTOOLS_MCOPY mcopy REQUIRED)

include(AetherSign)           # AETHER_SIGNING_KEY/CERT: sbsign, aether_sign_efi()

set(GNU_EFI_CRT0 /usr/lib/crt0-efi-x86_64.o)
set(GNU_EFI_LIBGNUEFI /usr/lib/libgnuefi.a)
foreach(part GNU_EFI_CRT0 GNU_EFI_LIBGNUEFI)
  if(NOT EXISTS ${${part}})
    message(FATAL_ERROR "gnu-efi is missing ${${part}}: apt-get install gnu-efi")
  endif()
endforeach()

set(GEN ${CMAKE_BINARY_DIR}/generated)
file(MAKE_DIRECTORY ${GEN})

# ---- the payload -------------------------------------------------------------

if(AETHER_PAYLOAD_WASM)  # checked at configure time (AetherWasmCheck.cmake), and again at build time
  set(PAYLOAD_WASM ${AETHER_PAYLOAD_WASM})
  message(STATUS "Aether payload: ${PAYLOAD_WASM} (user)")
else()
  set(PAYLOAD_WASM ${CMAKE_BINARY_DIR}/payload/stock_payload.wasm)
  aether_wasm_payload(${PAYLOAD_WASM} ${PROJECT_SOURCE_DIR}/payload/stock_payload.c)
  message(STATUS "Aether payload: stock (payload/stock_payload.c)")
endif()

# The step between wasm2c and the compiler (ARCHITECTURE.md 13): wasm2c
# 1.0.32's memory accesses and f32 constants rewritten, tested by
# wasm2c_rewrite.* and by every payload the tests build.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(AETHER_WASM2C_REWRITE ${PROJECT_SOURCE_DIR}/enclave/tools/aether_wasm2c_rewrite.py)

# binaryen's wasm-opt on the payload before wasm2c (ARCHITECTURE.md 13). Off by
# default: on this project's workloads -O3 saves 0.5% of the instructions at
# most (README, "Performance"); it changes what a payload's C frames and call
# depth are, which the stack-overrun corpus pins down; and version 108 folds
# ceil/floor/trunc of a signalling NaN to a signalling NaN (float.semantics).
set(AETHER_WASM_OPT "" CACHE STRING
    "wasm-opt flags for the payload before wasm2c, e.g. -O3; empty (the default): no wasm-opt")
if(AETHER_WASM_OPT)
  find_program(AETHER_WASM_OPT_TOOL wasm-opt REQUIRED) # Debian 12: binaryen (108)
  separate_arguments(AETHER_WASM_OPT_FLAGS UNIX_COMMAND "${AETHER_WASM_OPT}")
endif()
# The features wasm-opt may read and write: the runtime's (wabt's defaults
# without SIMD); never --ignore-implicit-traps or -tnh, which drop traps.
set(AETHER_WASM_OPT_FEATURES --enable-mutable-globals --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-multivalue --enable-bulk-memory --enable-reference-types)

# aether_translate_payload(WASM wasm GEN dir MODULE name [IDENTITY]): the
# steps every wasm2c build of a payload takes, into dir:
#   NAME_iface.h        validation: wasm-validate with the runtime's features,
#                       then the interface (aether-wasm-check);
#   wasm2c/NAME.opt.wasm with AETHER_WASM_OPT: wasm-opt's output, validated
#                       in turn (wasm2c/NAME_opt_iface.h); the payload's
#                       identity stays the original's;
#   wasm2c/aether_NAME.{c,h}  wasm2c -n NAME, only after validation passed;
#   aether_NAME.{c,h}   the C rewritten (aether_wasm2c_rewrite.py), its header
#                       copied;
#   aether_embedded.h   with IDENTITY: the payload's SHA-256 (aether-embed).
function(aether_translate_payload)
  cmake_parse_arguments(ARG "IDENTITY" "WASM;GEN;MODULE" "" ${ARGN})
  set(iface ${ARG_GEN}/${ARG_MODULE}_iface.h)
  add_custom_command(
    OUTPUT ${iface}
    COMMAND ${CMAKE_COMMAND} -DWASM=${ARG_WASM} -DCHECKER=$<TARGET_FILE:aether-wasm-check>
            -DMAX_PAGES=${AETHER_CFG_MEMORY_CAP_PAGES} -DOUT_HEADER=${iface} -DWASM_VALIDATE=${AETHER_WASM_VALIDATE}
            -P ${AETHER_VALIDATE_PAYLOAD_SCRIPT}
    DEPENDS ${ARG_WASM} aether-wasm-check ${AETHER_VALIDATE_PAYLOAD_SCRIPT}
    COMMENT "Validating payload ${ARG_WASM}"
    VERBATIM)
  set(translated ${ARG_WASM})
  set(checked ${iface})
  if(AETHER_WASM_OPT)
    set(translated ${ARG_GEN}/wasm2c/${ARG_MODULE}.opt.wasm)
    set(checked ${ARG_GEN}/wasm2c/${ARG_MODULE}_opt_iface.h)
    add_custom_command(
      OUTPUT ${translated}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${ARG_GEN}/wasm2c
      COMMAND ${AETHER_WASM_OPT_TOOL} ${AETHER_WASM_OPT_FLAGS} ${AETHER_WASM_OPT_FEATURES} ${ARG_WASM} -o ${translated}
      DEPENDS ${ARG_WASM} ${iface}
      COMMENT "wasm-opt ${AETHER_WASM_OPT}: ${ARG_WASM}"
      VERBATIM)
    add_custom_command(
      OUTPUT ${checked}
      COMMAND ${CMAKE_COMMAND} -DWASM=${translated} -DCHECKER=$<TARGET_FILE:aether-wasm-check>
              -DMAX_PAGES=${AETHER_CFG_MEMORY_CAP_PAGES} -DOUT_HEADER=${checked} -DWASM_VALIDATE=${AETHER_WASM_VALIDATE}
              -P ${AETHER_VALIDATE_PAYLOAD_SCRIPT}
      DEPENDS ${translated} aether-wasm-check ${AETHER_VALIDATE_PAYLOAD_SCRIPT}
      COMMENT "Validating wasm-opt's output ${translated}"
      VERBATIM)
  endif()
  set(raw ${ARG_GEN}/wasm2c/aether_${ARG_MODULE})
  add_custom_command(
    OUTPUT ${raw}.c ${raw}.h
    COMMAND ${CMAKE_COMMAND} -E make_directory ${ARG_GEN}/wasm2c
    COMMAND ${WASM2C} -n ${ARG_MODULE} ${translated} -o ${raw}.c
    DEPENDS ${translated} ${checked}
    COMMENT "wasm2c: translating ${translated} to C"
    VERBATIM)
  add_custom_command(
    OUTPUT ${ARG_GEN}/aether_${ARG_MODULE}.c ${ARG_GEN}/aether_${ARG_MODULE}.h
    COMMAND ${Python3_EXECUTABLE} ${AETHER_WASM2C_REWRITE} ${raw}.c ${ARG_GEN}/aether_${ARG_MODULE}.c
    COMMAND ${CMAKE_COMMAND} -E copy ${raw}.h ${ARG_GEN}/aether_${ARG_MODULE}.h
    DEPENDS ${raw}.c ${raw}.h ${AETHER_WASM2C_REWRITE}
    COMMENT "aether_wasm2c_rewrite.py: aether_${ARG_MODULE}.c"
    VERBATIM)
  if(ARG_IDENTITY)
    add_custom_command(
      OUTPUT ${ARG_GEN}/aether_embedded.h
      COMMAND aether-embed ${ARG_WASM} ${ARG_GEN}/aether_embedded.h
      DEPENDS aether-embed ${ARG_WASM} ${iface}
      COMMENT "Embedding the payload identity"
      VERBATIM)
  endif()
endfunction()

aether_translate_payload(WASM ${PAYLOAD_WASM} GEN ${GEN} MODULE payload IDENTITY)

add_custom_command(
  OUTPUT ${GEN}/aether_board.h
  COMMAND aether-board-check ${AETHER_BOARD} --emit-header ${GEN}/aether_board.h
  DEPENDS aether-board-check ${AETHER_BOARD}
  COMMENT "Checking board description ${AETHER_BOARD}"
  VERBATIM)
configure_file(/usr/include/wasm-rt.h ${GEN}/wasm-rt.h COPYONLY) # wabt's contract header, outside /usr/include

# ---- freestanding objects: the ring-0 host and the ring-3 guest ------------------

execute_process(COMMAND ${CMAKE_C_COMPILER} -print-resource-dir
                OUTPUT_VARIABLE CLANG_RESOURCE_DIR OUTPUT_STRIP_TRAILING_WHITESPACE)

# The memory-check mode of generated code (ARCHITECTURE.md, "Guard pages").
# Both count call depth against the same bound, so a module gives the same
# outcomes in both; the user stack's guard catches what the count lets by.
set(AETHER_GUEST_DEPTH_DEFINES
  WASM_RT_USE_STACK_DEPTH_COUNT=1                            # count call depth in generated code
  WASM_RT_MAX_CALL_STACK_DEPTH=${AETHER_CFG_MAX_CALL_DEPTH}  # ... against the configured bound
)
if(AETHER_MEMCHECK STREQUAL "guard")
  set(AETHER_GUEST_MODE_DEFINES ${AETHER_GUEST_DEPTH_DEFINES}
    AETHER_GUEST_GUARD_PAGES=1
    WASM_RT_MEMCHECK_SIGNAL_HANDLER=1      # no bounds checks: the window's absent pages catch every stray access
  )
elseif(AETHER_MEMCHECK STREQUAL "bounds")
  set(AETHER_GUEST_MODE_DEFINES ${AETHER_GUEST_DEPTH_DEFINES}
    AETHER_GUEST_GUARD_PAGES=0
    WASM_RT_MEMCHECK_SIGNAL_HANDLER=0      # explicit bounds checks on every access
  )
else()
  message(FATAL_ERROR "AETHER_MEMCHECK must be guard or bounds, not '${AETHER_MEMCHECK}'")
endif()

# Both modes: linear memory is always at the window (guest/window.h).
set(AETHER_GUEST_IMAGE_DEFINES ${AETHER_GUEST_MODE_DEFINES}
  AETHER_GUEST_WINDOW=USER_WINDOW_BASE   # generated code addresses linear memory from this constant
)

set(AETHER_CFG_DEFINES
  AETHER_CFG_MEMORY_CAP_PAGES=${AETHER_CFG_MEMORY_CAP_PAGES}
  AETHER_CFG_MAX_CALL_DEPTH=${AETHER_CFG_MAX_CALL_DEPTH}
)

# Both programs.
set(AETHER_FREESTANDING_FLAGS
  -ffreestanding                       # no hosted-libc assumptions
  -nostdinc                            # a stray libc include fails the build ...
  "SHELL:-isystem ${CLANG_RESOURCE_DIR}/include"          # ... but the compiler's stdint/stddef/stdarg/stdbool
  "SHELL:-isystem ${PROJECT_SOURCE_DIR}/compat"           # ... and the few declarations in our compat folder
  -fvisibility=hidden                  # no interposition: direct calls, only RELATIVE relocations
  -fno-stack-protector                 # no __stack_chk_guard exists here
  -fstack-clash-protection             # frames over a page touch each page in order: none steps over a guard
  -fno-asynchronous-unwind-tables      # no .eh_frame: nothing unwinds with DWARF here
  -O2
  -g0                                  # the images carry no debug info
)
# The ring-0 host, in BOOTX64.EFI.
set(AETHER_HOST_IMAGE_FLAGS
  -fpic                                # gnu-efi images are relocated at load by _relocate
  -fshort-wchar                        # UEFI CHAR16 strings: L"" is UCS-2
  -mno-red-zone                        # interrupts taken in ring 0 push onto the interrupted stack
  -mgeneral-regs-only                  # no x87/SSE in ring 0: the guest's vector state is never touched
)
# What shapes generated code besides -O2 and stack probes: shared by the image's
# guest and the host builds of generated code (AetherBench.cmake), so that
# section A and float.semantics measure and test what the image runs.
set(AETHER_GUEST_CODEGEN_FLAGS
  -fno-math-errno                      # sqrt and fabs inline; there is no errno
  -frounding-math                      # wasm2c: keep float semantics exact at -O2
  -fno-optimize-sibling-calls          # wasm2c: the call-depth count assumes real calls
)
# The ring-3 guest program (generated code and its runtime), linked at USER_VA_BASE.
set(AETHER_GUEST_FLAGS
  -fpie                                # RIP-relative code, linked at its fixed user address (guest.lds) ...
  -fdirect-access-external-data        # ... reaching data directly, not through a GOT
  ${AETHER_GUEST_CODEGEN_FLAGS}
)

# ---- the guest program: generated code + guest runtime, ring 3 -------------------

set(AETHER_GUEST_SOURCES
  ${PROJECT_SOURCE_DIR}/guest/entry.c
  ${PROJECT_SOURCE_DIR}/guest/imports.c
  ${PROJECT_SOURCE_DIR}/guest/runtime.c
  ${PROJECT_SOURCE_DIR}/guest/freestanding.c
  ${PROJECT_SOURCE_DIR}/guest/start.S
  ${PROJECT_SOURCE_DIR}/compat/string.c
  ${PROJECT_SOURCE_DIR}/compat/math.c
  ${GEN}/aether_payload.h
)

# aether_guest_program(NAME ELF elf HEADER header OBJECTS object-library...):
# links a guest program at its fixed user address and checks and embeds it
# (aether-guest-pack: W^X segments inside the guest's range, entry in text).
function(aether_guest_program)
  cmake_parse_arguments(ARG "" "ELF;HEADER" "OBJECTS" ${ARGN})
  set(objects "")
  foreach(library ${ARG_OBJECTS})
    list(APPEND objects $<TARGET_OBJECTS:${library}>)
  endforeach()
  get_filename_component(elf_name ${ARG_ELF} NAME)
  add_custom_command(
    OUTPUT ${ARG_ELF}
    COMMAND ${AETHER_LD}
            -static -nostdlib --no-pie         # one fixed-address program, nothing to relocate at load
            -z max-page-size=4096 -z noexecstack
            --no-undefined
            -T ${PROJECT_SOURCE_DIR}/guest/guest.lds ${objects} -o ${ARG_ELF}
    DEPENDS ${ARG_OBJECTS} ${objects} ${PROJECT_SOURCE_DIR}/guest/guest.lds
    COMMAND_EXPAND_LISTS
    COMMENT "Linking the ring-3 guest program ${elf_name}"
    VERBATIM)
  add_custom_command(
    OUTPUT ${ARG_HEADER}
    COMMAND aether-guest-pack ${ARG_ELF} ${ARG_HEADER}
    DEPENDS aether-guest-pack ${ARG_ELF}
    COMMENT "aether-guest-pack: checking and embedding ${elf_name}"
    VERBATIM)
endfunction()

# AETHER_TEST_GUEST (tests only): a hand-written guest program stands in for the
# generated code and its runtime, to test the hardware isolation on its own.
if(AETHER_TEST_GUEST)
  message(STATUS "Aether guest program: ${AETHER_TEST_GUEST} (a test guest in place of the payload)")
  add_library(aether_guest_objects OBJECT ${PROJECT_SOURCE_DIR}/guest/start.S ${PROJECT_SOURCE_DIR}/compat/string.c
    ${AETHER_TEST_GUEST})
else()
  # The generated payload is wasm2c's code, not ours: its warnings are not errors.
  add_library(aether_guest_objects OBJECT ${AETHER_GUEST_SOURCES} ${GEN}/aether_payload.c)
  set_source_files_properties(${GEN}/aether_payload.c PROPERTIES COMPILE_OPTIONS "-w")
endif()
target_compile_options(aether_guest_objects PRIVATE ${AETHER_FREESTANDING_FLAGS} ${AETHER_GUEST_FLAGS}
  $<$<COMPILE_LANGUAGE:C>:${AETHER_HOST_WARNINGS}>)
target_compile_definitions(aether_guest_objects PRIVATE ${AETHER_CFG_DEFINES} ${AETHER_GUEST_IMAGE_DEFINES})
target_include_directories(aether_guest_objects PRIVATE
  ${PROJECT_SOURCE_DIR}/guest ${PROJECT_SOURCE_DIR}/enclave ${GEN})
set_target_properties(aether_guest_objects PROPERTIES C_STANDARD 11 C_EXTENSIONS ON)

set(AETHER_GUEST_ELF ${CMAKE_BINARY_DIR}/guest.elf)
aether_guest_program(ELF ${AETHER_GUEST_ELF} HEADER ${GEN}/aether_guest_program.h OBJECTS aether_guest_objects)

# ---- the host: ring 0 -------------------------------------------------------------

set(AETHER_IMAGE_SOURCES
  ${AETHER_PURE_SOURCES}
  ${PROJECT_SOURCE_DIR}/enclave/hw/apic.c
  ${PROJECT_SOURCE_DIR}/enclave/hw/clock.c
  ${AETHER_PLATFORM_SOURCES}
  ${PROJECT_SOURCE_DIR}/enclave/hw/cpu.c
  ${PROJECT_SOURCE_DIR}/enclave/cycle.c
  ${PROJECT_SOURCE_DIR}/enclave/enclave_main.c
  ${PROJECT_SOURCE_DIR}/enclave/hw/fwcfg.c
  ${PROJECT_SOURCE_DIR}/enclave/halt.c
  ${PROJECT_SOURCE_DIR}/enclave/hw/interrupts.c
  ${PROJECT_SOURCE_DIR}/enclave/hw/isr.S
  ${PROJECT_SOURCE_DIR}/enclave/log.c
  ${PROJECT_SOURCE_DIR}/enclave/hw/paging.c
  ${PROJECT_SOURCE_DIR}/enclave/hw/pci.c
  ${PROJECT_SOURCE_DIR}/enclave/hw/uart.c
  ${PROJECT_SOURCE_DIR}/enclave/hw/unwind.S
  ${PROJECT_SOURCE_DIR}/enclave/hw/usermode.c
  ${PROJECT_SOURCE_DIR}/enclave/hw/usermode.S
  ${PROJECT_SOURCE_DIR}/enclave/wake.c
  ${PROJECT_SOURCE_DIR}/uefi/boot_epoch.c
  ${PROJECT_SOURCE_DIR}/uefi/boot_fatal.c
  ${PROJECT_SOURCE_DIR}/uefi/device_key.c
  ${PROJECT_SOURCE_DIR}/uefi/efi_main.c
  ${PROJECT_SOURCE_DIR}/uefi/exit_boot_services.c
  ${PROJECT_SOURCE_DIR}/uefi/secure_boot.c
  ${PROJECT_SOURCE_DIR}/uefi/tpm2.c
  ${PROJECT_SOURCE_DIR}/compat/string.c
  ${GEN}/payload_iface.h
  ${GEN}/aether_embedded.h
  ${GEN}/aether_board.h
  ${GEN}/aether_guest_program.h
)

add_library(aether_image_objects OBJECT ${AETHER_IMAGE_SOURCES})
target_compile_options(aether_image_objects PRIVATE ${AETHER_FREESTANDING_FLAGS} ${AETHER_HOST_IMAGE_FLAGS}
  $<$<COMPILE_LANGUAGE:C>:${AETHER_HOST_WARNINGS}>)
target_compile_definitions(aether_image_objects PRIVATE ${AETHER_CFG_DEFINES}
  GNU_EFI_USE_MS_ABI)                  # EFIAPI = ms_abi: firmware is called directly
target_include_directories(aether_image_objects PRIVATE
  ${PROJECT_SOURCE_DIR}/enclave ${PROJECT_SOURCE_DIR}/enclave/hw ${PROJECT_SOURCE_DIR}/uefi ${PROJECT_SOURCE_DIR}/guest ${GEN})
target_include_directories(aether_image_objects SYSTEM PRIVATE /usr/include/efi /usr/include/efi/x86_64)
set_target_properties(aether_image_objects PROPERTIES C_STANDARD 11 C_EXTENSIONS ON)

# ---- link: ELF shared object (gnu-efi) -> PE32+ -> ESP --------------------------

set(AETHER_SO ${CMAKE_BINARY_DIR}/aether.so)
set(AETHER_EFI ${CMAKE_BINARY_DIR}/BOOTX64.EFI)
set(AETHER_ESP ${CMAKE_BINARY_DIR}/esp.img)

# aether_efi_link(SO so EFI efi OBJECTS object-library...): the gnu-efi recipe,
# ELF shared object (our uefi/image.lds: text, rodata and data on pages of
# their own) -> PE32+ EFI application. The PE file holds the headers and the
# sections' raw data back to back and nothing else (ARCHITECTURE.md 13, "The PE
# layout"): what an Authenticode hash covers is then the whole file.
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
            -z noexecstack
            --no-dynamic-linker
            -T ${PROJECT_SOURCE_DIR}/uefi/image.lds ${GNU_EFI_CRT0} ${objects} ${GNU_EFI_LIBGNUEFI} -o ${ARG_SO}
    DEPENDS ${ARG_OBJECTS} ${objects} ${PROJECT_SOURCE_DIR}/uefi/image.lds
    COMMAND_EXPAND_LISTS
    COMMENT "Linking ${so_name} (gnu-efi)"
    VERBATIM)
  add_custom_command(
    OUTPUT ${ARG_EFI}
    COMMAND ${AETHER_OBJCOPY}
            -j .text -j .rodata -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela -j .rel.* -j .rela.*
            -j .reloc --target efi-app-x86_64 --subsystem=10
            --strip-all                    # no COFF symbol table after the sections: sbsign/sbverify see no gap
            ${ARG_SO} ${ARG_EFI}
    DEPENDS ${ARG_SO}
    COMMENT "objcopy: ${efi_name} (PE32+, EFI application)"
    VERBATIM)
endfunction()

# Signed: BOOTX64.unsigned.EFI is linked, BOOTX64.EFI is its signed copy.
if(AETHER_SIGNED)
  set(AETHER_EFI_UNSIGNED ${CMAKE_BINARY_DIR}/BOOTX64.unsigned.EFI)
  aether_efi_link(SO ${AETHER_SO} EFI ${AETHER_EFI_UNSIGNED} OBJECTS aether_image_objects)
  aether_sign_efi(UNSIGNED ${AETHER_EFI_UNSIGNED} SIGNED ${AETHER_EFI})
else()
  aether_efi_link(SO ${AETHER_SO} EFI ${AETHER_EFI} OBJECTS aether_image_objects)
endif()

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
  COMMAND ${CMAKE_COMMAND} -DOUT=${CMAKE_BINARY_DIR}/aether-build.json
          -DPAYLOAD_WASM=${PAYLOAD_WASM} -DBOARD=${AETHER_BOARD} -DCAP_PAGES=${AETHER_CFG_MEMORY_CAP_PAGES}
          -P ${PROJECT_SOURCE_DIR}/cmake/AetherBuildInfo.cmake
  DEPENDS ${PAYLOAD_WASM} ${GEN}/payload_iface.h ${GEN}/aether_board.h
  COMMENT "aether-build.json: payload identity, board"
  VERBATIM)

add_custom_target(image ALL DEPENDS ${AETHER_EFI} ${AETHER_ESP} ${CMAKE_BINARY_DIR}/aether-build.json)

# ---- checks on the output (the Linux EFI stub's habit) ----------------------------

foreach(check undefined relocations subsystem wx)
  add_test(NAME image.${check}
    COMMAND ${CMAKE_COMMAND} -DCHECK=${check} -DSO=${AETHER_SO} -DEFI=${AETHER_EFI}
            -P ${PROJECT_SOURCE_DIR}/cmake/AetherCheckImage.cmake)
  set_tests_properties(image.${check} PROPERTIES LABELS image)
endforeach()

# The signature verifies against the certificate, sbverify warns of nothing (no
# gap in the PE layout), and esp.img holds the signed image ...
if(AETHER_SIGNED)
  add_test(NAME image.sbverify
    COMMAND ${CMAKE_COMMAND} -DCHECK=sbverify -DEFI=${AETHER_EFI} -DCERT=${AETHER_SIGNING_CERT} -DESP=${AETHER_ESP}
            -P ${PROJECT_SOURCE_DIR}/cmake/AetherCheckImage.cmake)
  set_tests_properties(image.sbverify PROPERTIES LABELS image)
  # ... and the check can tell: the image with 512 bytes after its last section,
  # signed, verifies but has sbverify warn of a gap.
  set(gapped ${CMAKE_BINARY_DIR}/test-images/gapped.EFI)
  add_custom_command(
    OUTPUT ${gapped}.unsigned
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/test-images
    COMMAND ${Python3_EXECUTABLE} -c
            "import sys; open(sys.argv[2], 'wb').write(open(sys.argv[1], 'rb').read() + bytes(512))"
            ${AETHER_EFI_UNSIGNED} ${gapped}.unsigned
    DEPENDS ${AETHER_EFI_UNSIGNED}
    COMMENT "test-images/gapped.EFI: BOOTX64.EFI with a gap, for image.sbverify_selftest"
    VERBATIM)
  aether_sign_efi(UNSIGNED ${gapped}.unsigned SIGNED ${gapped})
  add_custom_target(aether_gapped_image ALL DEPENDS ${gapped})
  add_test(NAME image.sbverify_selftest
    COMMAND ${CMAKE_COMMAND} -DCHECK=sbverify -DEFI=${gapped} -DCERT=${AETHER_SIGNING_CERT}
            -P ${PROJECT_SOURCE_DIR}/cmake/AetherCheckImage.cmake)
  set_tests_properties(image.sbverify_selftest PROPERTIES LABELS image
    PASS_REGULAR_EXPRESSION "sbverify[ \n]+warns:[ \n]+warning:[ \n]+data[ \n]+remaining.*gaps[ \n]+between[ \n]+PE/COFF[ \n]+sections")
endif()

# A signing key or certificate that is not a file stops the configure step, naming the option.
add_test(NAME image.signing_options
  COMMAND ${CMAKE_COMMAND} -DAETHER_SIGNING_KEY=${AETHER_SNAKEOIL_KEY} -DAETHER_SIGNING_CERT=/nonexistent/db.pem
          -P ${PROJECT_SOURCE_DIR}/cmake/AetherSign.cmake)
set_tests_properties(image.signing_options PROPERTIES LABELS image
  PASS_REGULAR_EXPRESSION "AETHER_SIGNING_CERT:[ \n]+'/nonexistent/db.pem'[ \n]+is[ \n]+not[ \n]+a[ \n]+file")

# Both programs are built with stack probes ...
add_test(NAME image.stack_probes
  COMMAND ${CMAKE_COMMAND} "-DOBJECTS=${AETHER_SO}\;${AETHER_GUEST_ELF}" -DCHECK=stack_probes
          -P ${PROJECT_SOURCE_DIR}/cmake/AetherCheckImage.cmake)
set_tests_properties(image.stack_probes PROPERTIES LABELS image)
# ... and the check can tell: a 64 KiB frame compiled without them fails it.
add_library(aether_unprobed_frame OBJECT ${PROJECT_SOURCE_DIR}/test/image/big_frame.c)
target_compile_options(aether_unprobed_frame PRIVATE -O2 -fno-stack-clash-protection)
add_test(NAME image.stack_probes_selftest
  COMMAND ${CMAKE_COMMAND} "-DOBJECTS=$<TARGET_OBJECTS:aether_unprobed_frame>" -DCHECK=stack_probes
          -P ${PROJECT_SOURCE_DIR}/cmake/AetherCheckImage.cmake)
set_tests_properties(image.stack_probes_selftest PROPERTIES LABELS image
  PASS_REGULAR_EXPRESSION "unprobed[ \n]+stack[ \n]+allocation[ \n]+of[ \n]+655[0-9][0-9][ \n]+bytes")
