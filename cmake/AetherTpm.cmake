# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherTpm.cmake: the TPM key source: marshaling tests, fuzzer, the sequence against a real swtpm, TPM devices booted.

aether_unit_test(tpm2_command SOURCES ${PROJECT_SOURCE_DIR}/test/unit/test_tpm2_command.c)
aether_fuzzer(tpm2_response ${PROJECT_SOURCE_DIR}/test/fuzz/fuzz_tpm2_response.c aether_pure)

# tpm2-sequence: the image's command sequence over swtpm's command socket;
# tpm.host_sequence provisions two swtpm devices with scripts/aether_harness/tpm.py and runs it.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
aether_host_executable(tpm2-sequence SOURCES ${PROJECT_SOURCE_DIR}/test/tpm/tpm2_sequence.c)
add_test(NAME tpm.host_sequence
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/test/tpm/tpm_host_case.py --tool $<TARGET_FILE:tpm2-sequence>)
set_tests_properties(tpm.host_sequence PROPERTIES LABELS tpm TIMEOUT 120)

# ---- TPM devices booted (label tpm and boot) ------------------------------------

# The image of the TPM tests: the stock payload on the default board with
# `key-source tpm`, signed like the stock image. It carries no key: each run
# provisions a device for Secure Boot with scripts/aether-provision (one boot
# reads PCR 7) and boots it six times (test/tpm/tpm_boot_case.py says what
# each boot checks).
aether_board_variant(${CMAKE_BINARY_DIR}/boards/tpm-key.board "key-source tpm" COMMENT "The TPM tests (cmake/AetherTpm.cmake): the key sealed by the TPM to PCR 7,
# the epoch from the TPM's NV counter.")
aether_payload_image(tpm_key WASM ${PAYLOAD_WASM} CONFIGURE_ARGS -DAETHER_BOARD=${CMAKE_BINARY_DIR}/boards/tpm-key.board)
add_test(NAME boot.tpm
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/test/tpm/tpm_boot_case.py
          --image ${CMAKE_BINARY_DIR}/payload-images/tpm_key/BOOTX64.EFI --verify $<TARGET_FILE:aether-verify>
          --work ${CMAKE_BINARY_DIR}/tpm-boot --secure-boot)
set_tests_properties(boot.tpm PROPERTIES LABELS "tpm;boot" TIMEOUT 600 FIXTURES_REQUIRED image.tpm_key)

# README's 'A TPM device', verbatim: provision, boot, verify by keyring.
add_test(NAME boot.readme_tpm
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/test/sim/readme_commands.py --readme ${PROJECT_SOURCE_DIR}/README.md
          --section "A TPM device" --source ${PROJECT_SOURCE_DIR} --build ${CMAKE_BINARY_DIR}
          --work ${CMAKE_BINARY_DIR}/readme-tpm)
set_tests_properties(boot.readme_tpm PROPERTIES LABELS "tpm;boot;docs" TIMEOUT 300 FIXTURES_REQUIRED image.tpm_key)
