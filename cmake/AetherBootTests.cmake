# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherBootTests.cmake: boots images in QEMU+OVMF through scripts/aether-run and checks them from outside.

find_package(Python3 REQUIRED COMPONENTS Interpreter)
find_program(QEMU_SYSTEM_X86_64 qemu-system-x86_64 REQUIRED)

set(AETHER_BOOT_CASE ${PROJECT_SOURCE_DIR}/test/boot/boot_case.py)

# The harness's own self-tests: SipHash vectors, frames, uplink parsing,
# residue scanning, the wake loop against a fake machine.
add_test(NAME harness.selftest
  COMMAND ${Python3_EXECUTABLE} -m unittest discover -s ${PROJECT_SOURCE_DIR}/test/harness -t ${PROJECT_SOURCE_DIR}/test/harness)
set_tests_properties(harness.selftest PROPERTIES LABELS harness)
set(AETHER_REPORTS ${CMAKE_BINARY_DIR}/reports)
file(MAKE_DIRECTORY ${AETHER_REPORTS})

# The public development key: the key of every image built for a `key-source
# development` board (the stock image's).
set(AETHER_DEVELOPMENT_KEY ${PROJECT_SOURCE_DIR}/enclave/keys/development.key)
set(AETHER_DEVICES ${CMAKE_BINARY_DIR}/devices)

# aether_device(NAME KEY keyfile [SECURE_BOOT]): ctest provision.NAME makes the
# device <build>/devices/NAME with scripts/aether-provision (key-source
# uefi-variable, that key, with SECURE_BOOT the snakeoil VARS), afresh each run; tests boot it through the fixture
# device.NAME (aether_boot_test DEVICE NAME). Each test boots a device of its
# own: a boot writes its variable store.
function(aether_device name)
  cmake_parse_arguments(ARG "SECURE_BOOT" "KEY" "" ${ARGN})
  set(dir ${AETHER_DEVICES}/${name})
  set(options --key-source uefi-variable --key ${ARG_KEY})
  if(ARG_SECURE_BOOT)
    list(APPEND options --secure-boot)
  endif()
  add_test(NAME provision.${name}
    COMMAND sh -c "rm -rf \"$1\" && shift && exec \"$@\"" provision ${dir}
            ${PROJECT_SOURCE_DIR}/scripts/aether-provision --device ${dir} ${options})
  set_tests_properties(provision.${name} PROPERTIES LABELS boot FIXTURES_SETUP device.${name})
endfunction()

# aether_boot_test(NAME IMAGE image [WAKES spec...] [EXPECT outcome...] [FIXTURES f] [KEY k | DEVICE d]
#                  [SECRET_KEY] [EXPECT_LOG re...] [FORBID_LOG re...] [DRIVER script DRIVER_ARGS ...] [LABELS l]
#                  [ARGS extra...]):
# ctest boot.NAME boots image with those wakes through the driver (default
# test/boot/boot_case.py), expects those outcomes, and has the ground-station
# verifier accept the report. KEY defaults to the development key; DEVICE boots
# the provisioned device d (aether_device) and verifies with its key.
function(aether_boot_test name)
  cmake_parse_arguments(ARG "SECRET_KEY" "IMAGE;KEY;DEVICE;DRIVER;LABELS"
                        "FIXTURES;WAKES;EXPECT;EXPECT_LOG;FORBID_LOG;DRIVER_ARGS;ARGS" ${ARGN})
  if(NOT ARG_DRIVER)
    set(ARG_DRIVER ${AETHER_BOOT_CASE})
  endif()
  set(command ${Python3_EXECUTABLE} ${ARG_DRIVER} --image ${ARG_IMAGE} ${ARG_DRIVER_ARGS}
      --report ${AETHER_REPORTS}/${name}.json --verify $<TARGET_FILE:aether-verify>)
  if(ARG_DEVICE)
    list(APPEND command --device ${AETHER_DEVICES}/${ARG_DEVICE} --key ${AETHER_DEVICES}/${ARG_DEVICE}/device.key)
    list(APPEND ARG_FIXTURES device.${ARG_DEVICE})
  elseif(ARG_KEY)
    list(APPEND command --key ${ARG_KEY})
  else()
    list(APPEND command --key ${AETHER_DEVELOPMENT_KEY})
  endif()
  if(ARG_SECRET_KEY)
    list(APPEND command --secret-key)
  endif()
  foreach(wake ${ARG_WAKES})
    list(APPEND command --wake ${wake})
  endforeach()
  foreach(expect ${ARG_EXPECT})
    list(APPEND command --expect ${expect})
  endforeach()
  foreach(pattern ${ARG_EXPECT_LOG})
    list(APPEND command --expect-log ${pattern})
  endforeach()
  foreach(pattern ${ARG_FORBID_LOG})
    list(APPEND command --forbid-log ${pattern})
  endforeach()
  if(ARG_ARGS)
    list(APPEND command -- ${ARG_ARGS})
  endif()
  add_test(NAME boot.${name} COMMAND ${command})
  set_tests_properties(boot.${name} PROPERTIES LABELS "boot;${ARG_LABELS}" TIMEOUT 300)
  if(ARG_FIXTURES)
    set_tests_properties(boot.${name} PROPERTIES FIXTURES_REQUIRED "${ARG_FIXTURES}")
  endif()
endfunction()

# aether_payload_image(NAME WASM wasm [EXPECT_FAILURE regex] [CONFIGURE_ARGS -D...]): ctest
# build.NAME configures and builds <build>/payload-images/NAME with
# -DAETHER_PAYLOAD_WASM=wasm, exactly as a user would; other tests use the
# image through the fixture image.NAME. The sub-build uses this tree's
# generator, one compile at a time as every test labelled build
# (cmake/AetherSuiteTests.cmake).
#
# The sub-builds compile the same host and runtime sources with the same flags
# again and again (only the payload's code and the headers that name it, the
# key, the board or the memory-check mode differ), so with ccache (installed by
# scripts/install-deps) they share one cache in <build>/payload-images/ccache:
# a compile whose preprocessed input, flags and compiler are those of an
# earlier one takes its object from there. CCACHE_BASEDIR makes the
# sub-builds' own paths relative, so that trees differing only in their names
# hit. Without ccache each sub-build compiles everything.
find_program(AETHER_CCACHE ccache)
if(AETHER_CCACHE)
  set(AETHER_SUB_BUILD_LAUNCHER -DCMAKE_C_COMPILER_LAUNCHER=${AETHER_CCACHE} -DCMAKE_ASM_COMPILER_LAUNCHER=${AETHER_CCACHE})
  set(AETHER_SUB_BUILD_ENVIRONMENT CCACHE_DIR=${CMAKE_BINARY_DIR}/payload-images/ccache
                                   CCACHE_BASEDIR=${CMAKE_BINARY_DIR}/payload-images)
endif()
function(aether_payload_image name)
  cmake_parse_arguments(ARG "" "WASM;EXPECT_FAILURE;DEPENDS" "CONFIGURE_ARGS" ${ARGN})
  set(dir ${CMAKE_BINARY_DIR}/payload-images/${name})
  set(command ${CMAKE_COMMAND} -DSOURCE=${PROJECT_SOURCE_DIR} -DBINARY=${dir} -DWASM=${ARG_WASM}
      "-DGENERATOR=${CMAKE_GENERATOR}")
  # The suite's own build tools serve the sub-build: it compiles only the image.
  list(PREPEND ARG_CONFIGURE_ARGS -DAETHER_HOST_TOOLS_DIR=${CMAKE_BINARY_DIR} ${AETHER_SUB_BUILD_LAUNCHER})
  if(ARG_CONFIGURE_ARGS)
    string(REPLACE ";" "\\;" extra "${ARG_CONFIGURE_ARGS}")
    list(APPEND command "-DEXTRA_ARGS=${extra}")
  endif()
  if(DEFINED ARG_EXPECT_FAILURE)
    list(APPEND command "-DEXPECT_FAILURE=${ARG_EXPECT_FAILURE}")
  endif()
  add_test(NAME build.${name} COMMAND ${command} -P ${PROJECT_SOURCE_DIR}/cmake/AetherSubBuild.cmake)
  set_tests_properties(build.${name} PROPERTIES LABELS build TIMEOUT 600 FIXTURES_SETUP image.${name}
    ENVIRONMENT "${AETHER_SUB_BUILD_ENVIRONMENT}")
  if(ARG_DEPENDS)
    set_tests_properties(build.${name} PROPERTIES FIXTURES_REQUIRED ${ARG_DEPENDS})
  endif()
endfunction()

# Test payloads are compiled to wasm as part of the main build.
set(AETHER_TEST_WASM ${CMAKE_BINARY_DIR}/test-payloads)
aether_wasm_payload(${AETHER_TEST_WASM}/dose_ratio.wasm ${PROJECT_SOURCE_DIR}/test/payloads/dose_ratio.c)
aether_wat_payload(${AETHER_TEST_WASM}/extra_import.wasm ${PROJECT_SOURCE_DIR}/test/bad/extra_import.wat)
aether_wat_payload(${AETHER_TEST_WASM}/many_params.wasm ${PROJECT_SOURCE_DIR}/test/payloads/many_params.wat)
add_custom_target(test_payloads ALL DEPENDS ${AETHER_TEST_WASM}/dose_ratio.wasm ${AETHER_TEST_WASM}/extra_import.wasm
  ${AETHER_TEST_WASM}/many_params.wasm)

# ---- the stock image --------------------------------------------------------------

# The stock bench mode: the image's own wake, its line, exit 33, proof verified.
# The firmware (OVMF_CODE_4M.fd, the stock VARS) has Secure Boot off, in setup
# mode: the record's flags say so.
aether_boot_test(bench IMAGE ${AETHER_EFI} EXPECT 3
  DRIVER_ARGS --expect-flags development-key,secure-boot-known,setup-mode
  EXPECT_LOG "WARNING: DEVELOPMENT DEVICE KEY IN USE" "secure boot: SecureBoot=0 SetupMode=1"
             "cycle success — guest=3 proof=0x[0-9a-f]{16} vector=0x20 — self-annihilation")

# Both vectors, different sensor values: the stock thresholds (pressure < 0.5
# atm sets bit 0, dose > 1000 sets bit 1). After boot and after the last wake
# the harness walks the page tables in guest RAM from the CR3 QMP reports: no
# page writable and executable, no user page outside the guest's range, and
# NXE, WP, SMEP and SMAP on (-cpu max has them).
# The Rust payload's boot has the same wakes (cmake/AetherRust.cmake).
set(AETHER_MULTIWAKE_WAKES 0x20:pressure=0.12,dose=1250 0x21:pressure=1.0,dose=40 0x21:pressure=0.3,dose=10
  0x20:pressure=0.9,dose=5000 0x20:pressure=0.5,dose=1000)
aether_boot_test(multiwake IMAGE ${AETHER_EFI} WAKES ${AETHER_MULTIWAKE_WAKES}
  EXPECT 3 0 1 2 0 ARGS --check-page-tables --require-smep-smap)

# Two boots on one variable store: epoch 1 then 2, verified in order only.
add_test(NAME boot.epoch
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/test/boot/boot_epoch.py --image ${AETHER_EFI}
          --workdir ${CMAKE_BINARY_DIR}/epoch-test --verify $<TARGET_FILE:aether-verify> --key ${AETHER_DEVELOPMENT_KEY})
set_tests_properties(boot.epoch PROPERTIES LABELS boot TIMEOUT 300)

# ---- user payloads through -DAETHER_PAYLOAD_WASM -----------------------------------

# A payload written in C under test/: its status is (int)(pressure*100) << 16 | (dose & 0xffff).
aether_payload_image(dose_ratio WASM ${AETHER_TEST_WASM}/dose_ratio.wasm)
aether_boot_test(dose_ratio IMAGE ${CMAKE_BINARY_DIR}/payload-images/dose_ratio/BOOTX64.EFI FIXTURES image.dose_ratio
  WAKES 0x20:pressure=0.12,dose=1250 0x21:pressure=1.0,dose=40 0x21:pressure=0.5,dose=70000
  EXPECT 787682 6553640 3281264)

# Signatures of more than 16 parameters and results, called directly and through
# call_indirect: the build passes them, so the boot must run them (32 dose + 190).
aether_payload_image(many_params WASM ${AETHER_TEST_WASM}/many_params.wasm)
aether_boot_test(many_params IMAGE ${CMAKE_BINARY_DIR}/payload-images/many_params/BOOTX64.EFI
  FIXTURES image.many_params WAKES 0x20:pressure=1.0,dose=5 0x21:pressure=1.0,dose=-2 EXPECT 350 126)

# A module with an import the enclave does not provide: the build fails, naming it.
aether_payload_image(reject_extra_import WASM ${AETHER_TEST_WASM}/extra_import.wasm
  EXPECT_FAILURE "Aether payload rejected: .*extra_import.wasm: import env\\.abort")

# ---- device keys: the key sources, provisioned devices; boards given at configure time ---------

# aether_board_variant(OUT DIRECTIVES COMMENT TEXT): writes OUT, the build's
# board (AETHER_BOARD) with its key-source line, if any, commented out and
# DIRECTIVES (one per line) appended under the comment TEXT. A test image for
# another key source is built from it, so the tests follow whatever board the
# tree is configured for.
function(aether_board_variant out directives)
  cmake_parse_arguments(PARSE_ARGV 2 ARG "" "COMMENT" "")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${AETHER_BOARD})
  file(READ ${AETHER_BOARD} board)
  string(REGEX REPLACE "(^|\n)key-source[^\n]*" "\\1# (its key-source line, replaced below)" board "${board}")
  file(CONFIGURE OUTPUT ${out} @ONLY CONTENT "${board}
# ${ARG_COMMENT}
${directives}
")
endfunction()

# One image for the tests of provisioned keys (field_key, loss, key_source): the
# stock payload on the build's board (AETHER_BOARD) with its key-source line,
# if any, replaced by `key-source uefi-variable`, and a queue of one wake
# (boot.loss makes it drop one). Its key is no build input: each test boots a
# device provisioned with scripts/aether-provision.
aether_board_variant(${CMAKE_BINARY_DIR}/boards/uefi-key.board "key-source uefi-variable
wake-queue 1" COMMENT "The key tests (cmake/AetherBootTests.cmake): the key from the provisioned
# AetherDeviceKey variable, and one wake may wait (boot.loss: a second one
# completed with it is dropped and counted).")
set(AETHER_UEFI_KEY_BOARD ${CMAKE_BINARY_DIR}/boards/uefi-key.board)
aether_payload_image(uefi_key WASM ${PAYLOAD_WASM} CONFIGURE_ARGS -DAETHER_BOARD=${AETHER_UEFI_KEY_BOARD})
set(AETHER_UEFI_KEY_IMAGE ${CMAKE_BINARY_DIR}/payload-images/uefi_key/BOOTX64.EFI)

# A provisioned key: the proofs verify with it (not with the development key),
# the records carry key-uefi-variable (the report and aether-verify say so;
# Secure Boot off, in setup mode: the stock firmware), the boot log has no development-key
# warning, and the key (its hex and its bytes) appears in neither the image,
# esp.img, the report, the log nor the uplink region.
aether_device(field_key KEY ${PROJECT_SOURCE_DIR}/test/keys/field-test.key)
aether_boot_test(field_key IMAGE ${AETHER_UEFI_KEY_IMAGE} FIXTURES image.uefi_key DEVICE field_key
  DRIVER_ARGS --expect-flags secure-boot-known,setup-mode,key-uefi-variable SECRET_KEY FORBID_LOG "DEVELOPMENT DEVICE KEY"
  EXPECT_LOG "device key from key-source uefi-variable; device 974f4eda57c3d31f0eec83194f597006"
  WAKES 0x21:pressure=0.25,dose=300 EXPECT 1)

# The same image, signed with the snakeoil key, on a device provisioned from the
# Secure Boot VARS: aether-run --device boots it under enforcing Secure Boot
# (SMM, secure flash), and the records say secure-boot-on and key-uefi-variable.
aether_device(field_key_secure_boot SECURE_BOOT KEY ${PROJECT_SOURCE_DIR}/test/boot/loss.key)
aether_boot_test(field_key_secure_boot IMAGE ${AETHER_UEFI_KEY_IMAGE} FIXTURES image.uefi_key
  DEVICE field_key_secure_boot DRIVER_ARGS --expect-flags secure-boot-known,secure-boot-on,key-uefi-variable
  SECRET_KEY FORBID_LOG "DEVELOPMENT DEVICE KEY" WAKES 0x20:pressure=0.12,dose=1250 EXPECT 3)

# The UEFI-variable key source refuses (exit 39, halt code 0x13, before
# ExitBootServices, nothing committed, the epoch not advanced) a device without
# the variable, with RUNTIME_ACCESS, and of the wrong size.
add_test(NAME boot.key_source
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/test/boot/key_source_case.py --image ${AETHER_UEFI_KEY_IMAGE}
          --work ${CMAKE_BINARY_DIR}/key-source)
set_tests_properties(boot.key_source PROPERTIES LABELS boot TIMEOUT 300 FIXTURES_REQUIRED image.uefi_key)

# A malformed key file is refused by provisioning, naming the problem.
add_test(NAME provision.reject_bad_key
  COMMAND ${PROJECT_SOURCE_DIR}/scripts/aether-provision --device ${AETHER_DEVICES}/malformed
          --key ${PROJECT_SOURCE_DIR}/test/keys/malformed.key)
set_tests_properties(provision.reject_bad_key PROPERTIES LABELS boot
  PASS_REGULAR_EXPRESSION "aether-provision: error: .*malformed.key: line 2: 31 hex digits, expected 32")

# README's "Provisioning a device", verbatim: an image for a key-source uefi-variable
# board, a device provisioned for it, one boot, its proof verified with the
# device's keyring line.
add_test(NAME boot.readme_provisioning
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/test/sim/readme_commands.py --readme ${PROJECT_SOURCE_DIR}/README.md
          --section "Provisioning a device" --source ${PROJECT_SOURCE_DIR} --build ${CMAKE_BINARY_DIR}
          --work ${CMAKE_BINARY_DIR}/readme-provisioning)
set_tests_properties(boot.readme_provisioning PROPERTIES LABELS "boot;docs" TIMEOUT 600)

# An inconsistent board fails the build, saying why.
aether_payload_image(reject_bad_board WASM ${AETHER_TEST_WASM}/dose_ratio.wasm
  CONFIGURE_ARGS -DAETHER_BOARD=${PROJECT_SOURCE_DIR}/test/bad/boards/region-overlap.board
  EXPECT_FAILURE "region-overlap.board:[0-9]+: error: MMIO region overlaps an earlier one")

# ---- the platform: machines, ACPI, the calibrated watchdog, real-board habits -------------

# The machine matrix, for the stock image: q35 and pc (i440fx), 1 and 4 CPUs,
# 256 MiB and 4 GiB of RAM (above the PCI hole on both), and the uplink behind a
# bridge (a pcie-root-port on q35, reached through ECAM; a pci-bridge on pc,
# through configuration ports). Each boot serves both wake lines, walks the page
# tables and reads the linear memory from outside, has every proof verified and
# exits 33. At -smp 4 -m 256M the guest's ACPI tables must equal the fixtures
# the unit tests parse (test/fixtures/acpi).
foreach(machine q35 pc)
  foreach(smp 1 4)
    foreach(memory 256M 4G)
      set(args --machine ${machine} --smp ${smp} --memory ${memory})
      if(smp EQUAL 4 AND memory STREQUAL "256M")
        list(APPEND args --acpi-fixture ${PROJECT_SOURCE_DIR}/test/fixtures/acpi/${machine}-smp4-256M.acpi)
      endif()
      aether_boot_test(matrix.${machine}_smp${smp}_${memory} IMAGE ${AETHER_EFI} LABELS matrix
        DRIVER ${PROJECT_SOURCE_DIR}/test/boot/matrix_case.py DRIVER_ARGS ${args}
        WAKES 0x20:pressure=0.12,dose=1250 0x21:pressure=1.0,dose=40 EXPECT 3 0)
    endforeach()
  endforeach()
  aether_boot_test(matrix.${machine}_bridge IMAGE ${AETHER_EFI} LABELS matrix
    DRIVER ${PROJECT_SOURCE_DIR}/test/boot/matrix_case.py
    DRIVER_ARGS --machine ${machine} --smp 1 --memory 256M --bridge
    WAKES 0x20:pressure=0.12,dose=1250 0x21:pressure=1.0,dose=40 EXPECT 3 0)
endforeach()

# The watchdog budget (the board's 200000 us) measured from outside under
# -icount, on the hostile watchdog payload's image (cmake/AetherHostileTests.cmake):
# its dose -1 wake spins until the watchdog. q35 calibrates against the HPET, pc
# (with the HPET off) against the ACPI PM timer.
foreach(machine q35 pc)
  set(args --budget-us 200000 --icount 4 --machine ${machine})
  if(machine STREQUAL "pc")
    list(APPEND args --no-hpet)
  endif()
  aether_boot_test(watchdog_budget.${machine} IMAGE ${CMAKE_BINARY_DIR}/payload-images/hostile_watchdog/BOOTX64.EFI
    FIXTURES image.hostile_watchdog DRIVER ${PROJECT_SOURCE_DIR}/test/boot/watchdog_case.py DRIVER_ARGS ${args}
    WAKES 0x20:pressure=1.0,dose=9 0x20:pressure=1.0,dose=-1 EXPECT 19 watchdog)
endforeach()

# No uplink device: the boot stops before ExitBootServices with exit 37, the
# reason in the log and on the firmware console (OVMF mirrors it to COM1).
aether_boot_test(no_uplink IMAGE ${AETHER_EFI} DRIVER_ARGS --expect-exit 37
  ARGS --no-uplink --expect-boot-failure "uplink device 1af4:1110 not found on any PCI bus")

# No isa-debug-exit: the run ends in cli; hlt with STATE halted, and the
# harness recognises the end from the uplink and the halt line.
aether_boot_test(no_exit_device IMAGE ${AETHER_EFI} ARGS --no-exit-device
  WAKES 0x20:pressure=0.12,dose=1250 0x21:pressure=1.0,dose=40 EXPECT 3 0
  EXPECT_LOG "halt: run complete \\(exit code 0x10\\)")

# A board written as for real hardware (test/boot/boards/qemu-plain.board): no
# lapic, ioapic or lapic-timer-hz line, wakes by ISA IRQ, the log on a 16550,
# no isa-debug-exit, no fw_cfg.
aether_payload_image(plain_board WASM ${PAYLOAD_WASM}
  CONFIGURE_ARGS -DAETHER_BOARD=${PROJECT_SOURCE_DIR}/test/boot/boards/qemu-plain.board)
aether_boot_test(plain_board IMAGE ${CMAKE_BINARY_DIR}/payload-images/plain_board/BOOTX64.EFI
  FIXTURES image.plain_board ARGS --machine pc
  WAKES 0x20:pressure=0.12,dose=1250 0x21:pressure=1.0,dose=40 EXPECT 3 0
  EXPECT_LOG "Aether Enclave on board qemu-plain" "platform: local APIC 0xfee00000 \\(xAPIC\\) from ACPI"
             "platform: wake 0x21: ISA IRQ 3 is GSI 3, edge, active high"
             "timer: the watchdog counts at [0-9]+ Hz \\(measured\\)" "halt: run complete \\(exit code 0x10\\)")

# scripts/aether-wake drives QEMU's wake sockets as a person would, and prints
# the frames it would send (README's command).
add_test(NAME boot.aether_wake
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/test/boot/wake_cli_case.py --image ${AETHER_EFI}
          --key ${AETHER_DEVELOPMENT_KEY})
set_tests_properties(boot.aether_wake PROPERTIES LABELS boot TIMEOUT 300)
add_test(NAME docs.aether_wake_print
  COMMAND sh -c "scripts/aether-wake --print --wake pressure=0.12,dose=1250 --shutdown"
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(docs.aether_wake_print PROPERTIES LABELS docs
  PASS_REGULAR_EXPRESSION "dose=1250: a5 57 08 8f c2 f5 3d e2 04 00 00 d1\nshutdown: a5 51 00 19")

# ---- the ground station: lost events, README's example, a fleet ---------------------------

# The uefi-key image (a queue of one wake) on a device provisioned with a third
# test key: boot.loss rejects three bad frames and has a wake dropped, and
# checks that the records, the report, the final uplink and aether-verify all
# show the losses (test/boot/boot_loss.py says how).
aether_device(loss KEY ${PROJECT_SOURCE_DIR}/test/boot/loss.key)
add_test(NAME boot.loss
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/test/boot/boot_loss.py --image ${AETHER_UEFI_KEY_IMAGE}
          --device ${AETHER_DEVICES}/loss --key ${AETHER_DEVICES}/loss/device.key
          --verify $<TARGET_FILE:aether-verify> --report ${AETHER_REPORTS}/loss.json)
set_tests_properties(boot.loss PROPERTIES LABELS boot TIMEOUT 300 FIXTURES_REQUIRED "image.uefi_key;device.loss"
  FIXTURES_SETUP report.loss)

# README's ground-station example, exactly as written (one boot of the stock
# image), and the commands of ARCHITECTURE.md section 7.
add_test(NAME boot.readme_ground
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/test/sim/readme_commands.py --readme ${PROJECT_SOURCE_DIR}/README.md
          --section "Verifying proofs on the ground" --source ${PROJECT_SOURCE_DIR} --build ${CMAKE_BINARY_DIR}
          --work ${CMAKE_BINARY_DIR}/readme-ground --check-shown-output)
set_tests_properties(boot.readme_ground PROPERTIES LABELS boot TIMEOUT 300)
# README's "Payloads", verbatim: a payload of one's own compiled, an image built
# for it in a second tree, booted with two wakes.
add_test(NAME boot.readme_payloads
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/test/sim/readme_commands.py --readme ${PROJECT_SOURCE_DIR}/README.md
          --section "Payloads" --source ${PROJECT_SOURCE_DIR} --build ${CMAKE_BINARY_DIR}
          --work ${CMAKE_BINARY_DIR}/readme-payloads)
set_tests_properties(boot.readme_payloads PROPERTIES LABELS "boot;build;docs" TIMEOUT 600)
add_test(NAME cli.proof_commands
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/test/sim/readme_commands.py
          --readme ${PROJECT_SOURCE_DIR}/ARCHITECTURE.md
          --section "7. The proof (`enclave/proof.h`, `enclave/siphash.h`, `enclave/sha256.h`, `enclave/tools/ground.h`)"
          --source ${PROJECT_SOURCE_DIR} --build ${CMAKE_BINARY_DIR} --work ${CMAKE_BINARY_DIR}/proof-commands)
set_tests_properties(cli.proof_commands PROPERTIES LABELS cli)

# A fleet: three booted devices with three keys (multiwake's development key,
# the provisioned field_key and loss devices), their records interleaved with
# losses and a late one, verified in one run.
add_test(NAME boot.fleet
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/test/boot/fleet.py --verify $<TARGET_FILE:aether-verify>
          --work ${CMAKE_BINARY_DIR}/fleet
          --device ${AETHER_REPORTS}/multiwake.json ${AETHER_DEVELOPMENT_KEY} ${CMAKE_BINARY_DIR}/aether-build.json
          --device ${AETHER_REPORTS}/field_key.json ${AETHER_DEVICES}/field_key/device.key
                   ${CMAKE_BINARY_DIR}/payload-images/uefi_key/aether-build.json
          --device ${AETHER_REPORTS}/loss.json ${AETHER_DEVICES}/loss/device.key
                   ${CMAKE_BINARY_DIR}/payload-images/uefi_key/aether-build.json)
set_tests_properties(boot.multiwake PROPERTIES FIXTURES_SETUP report.multiwake)
set_tests_properties(boot.field_key PROPERTIES FIXTURES_SETUP report.field_key)
set_tests_properties(boot.fleet PROPERTIES LABELS boot
  FIXTURES_REQUIRED "report.multiwake;report.field_key;report.loss")
