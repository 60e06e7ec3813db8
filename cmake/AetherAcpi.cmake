# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherAcpi.cmake: the platform from ACPI (tables, board reconciliation, LAPIC register access): host library,
# unit tests on QEMU's own tables (test/fixtures/acpi), and the ACPI fuzzer. The same sources go into the image.

set(AETHER_PLATFORM_SOURCES
  ${PROJECT_SOURCE_DIR}/enclave/acpi.c
  ${PROJECT_SOURCE_DIR}/enclave/platform.c
  ${PROJECT_SOURCE_DIR}/enclave/hw/lapic_access.c
)

aether_host_library(aether_platform ${AETHER_PLATFORM_SOURCES})
foreach(library aether_platform aether_platform_fuzz)
  target_include_directories(${library} PUBLIC ${PROJECT_SOURCE_DIR}/enclave/hw ${PROJECT_SOURCE_DIR}/test/fixtures/acpi)
endforeach()

# The fixtures are QEMU 7.2's tables as OVMF installs them (-smp 4 -m 256M), dumped
# by test/fixtures/acpi/dump_acpi.py; boot.matrix.* checks that they are still current.
aether_unit_test(acpi SOURCES ${PROJECT_SOURCE_DIR}/test/unit/test_acpi.c LIBS aether_platform)
aether_unit_test(platform SOURCES ${PROJECT_SOURCE_DIR}/test/unit/test_platform.c LIBS aether_platform)
aether_unit_test(lapic_access SOURCES ${PROJECT_SOURCE_DIR}/test/unit/test_lapic_access.c LIBS aether_platform)
foreach(test acpi platform)
  target_compile_definitions(test_${test} PRIVATE AETHER_ACPI_FIXTURES="${PROJECT_SOURCE_DIR}/test/fixtures/acpi"
    AETHER_BOARDS_DIR="${PROJECT_SOURCE_DIR}/enclave/boards")
endforeach()

aether_fuzzer(acpi ${PROJECT_SOURCE_DIR}/test/fuzz/fuzz_acpi.c aether_platform)
