# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherTpm.cmake: the TPM 2.0 key source's host side: marshaling tests, fuzzer, and the sequence against a real swtpm.

aether_unit_test(tpm2_command SOURCES ${PROJECT_SOURCE_DIR}/test/unit/test_tpm2_command.c)
aether_fuzzer(tpm2_response ${PROJECT_SOURCE_DIR}/test/fuzz/fuzz_tpm2_response.c aether_pure)

# tpm2-sequence: the image's command sequence over swtpm's command socket;
# tpm.host_sequence provisions two swtpm devices with scripts/aether_harness/tpm.py and runs it.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
aether_host_executable(tpm2-sequence SOURCES ${PROJECT_SOURCE_DIR}/test/tpm/tpm2_sequence.c)
add_test(NAME tpm.host_sequence
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/test/tpm/tpm_host_case.py --tool $<TARGET_FILE:tpm2-sequence>)
set_tests_properties(tpm.host_sequence PROPERTIES LABELS tpm TIMEOUT 120)
