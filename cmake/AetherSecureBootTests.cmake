# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherSecureBootTests.cmake: the signed image under enforcing Secure Boot; unsigned and altered images refused.
#
# Only when BOOTX64.EFI is signed with the snakeoil pair: the firmware's VARS
# (OVMF_VARS_4M.snakeoil.fd) trusts that certificate and no other.

if(NOT AETHER_SIGNED_WITH_SNAKEOIL)
  message(STATUS "Secure Boot boot tests: off (BOOTX64.EFI is not signed with the snakeoil pair)")
  return()
endif()

# The signed stock image boots with Secure Boot on (SMM, the snakeoil VARS) to
# exit 33; its record says so, and the ground station verifies it.
aether_boot_test(secure_boot IMAGE ${AETHER_EFI} EXPECT 3
  DRIVER_ARGS --expect-flags development-key,secure-boot-known,secure-boot-on
  EXPECT_LOG "secure boot: SecureBoot=1 SetupMode=0"
  ARGS --secure-boot)

# The same image unsigned, and signed with one byte changed after signing: the
# firmware refuses both, and aether-run names the refusal (exit 3) within 60 s
# of wall time, half its 120 s timeout, which a hung boot manager would reach
# (about 9 s on an idle machine; the bound leaves room for a loaded one).
set(refused ${PROJECT_SOURCE_DIR}/test/boot/secure_boot_refused.py)
add_test(NAME boot.secure_boot_unsigned
  COMMAND ${Python3_EXECUTABLE} ${refused} --image ${AETHER_EFI_UNSIGNED}
          --report ${AETHER_REPORTS}/secure_boot_unsigned.json --within 60)
add_test(NAME boot.secure_boot_altered
  COMMAND ${Python3_EXECUTABLE} ${refused} --image ${AETHER_EFI} --flip-byte
          --report ${AETHER_REPORTS}/secure_boot_altered.json --within 60)
set_tests_properties(boot.secure_boot_unsigned boot.secure_boot_altered PROPERTIES LABELS boot TIMEOUT 300)

# README's "Signing and Secure Boot", verbatim: sbverify, the signed image under
# Secure Boot and its records verified, an image signed by another key refused.
add_test(NAME boot.readme_secure_boot
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/test/sim/readme_commands.py --readme ${PROJECT_SOURCE_DIR}/README.md
          --section "Signing and Secure Boot" --source ${PROJECT_SOURCE_DIR} --build ${CMAKE_BINARY_DIR}
          --work ${CMAKE_BINARY_DIR}/readme-secure-boot --check-shown-output)
set_tests_properties(boot.readme_secure_boot PROPERTIES LABELS "boot;docs" TIMEOUT 300)
