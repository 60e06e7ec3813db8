# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherEscapeTests.cmake: a hand-written ring-3 guest tries to break out of its isolation, one attempt per wake.
#
# test/escape/escape_guest.c stands in for generated code gone wrong: it is
# linked in place of the payload's code (-DAETHER_TEST_GUEST) into an image for
# the uefi-key board (cmake/AetherBootTests.cmake), booted on a device
# provisioned with the field-test key (unique bytes, so the harness can find
# the key in guest RAM, where the image keeps it once it has read it from the
# variable). boot.escape_guest boots it once through test/escape/escape_case.py:
# once the enclave is dormant, the targets (the key, host stacks, IDT, GDT,
# page tables, host code, MMIO) are computed from outside, then each attempt is
# one wake, followed by a healthy wake. Each must end with its expected fault,
# the healthy wake after it must work, and the key must appear nowhere outside.

# The payload identity (and initial memory) of the image: the stock payload's.
set(AETHER_ESCAPE_WASM ${AETHER_TEST_WASM}/escape/stock_payload.wasm)
aether_wasm_payload(${AETHER_ESCAPE_WASM} ${PROJECT_SOURCE_DIR}/payload/stock_payload.c)
add_custom_target(escape_guest_wasm ALL DEPENDS ${AETHER_ESCAPE_WASM})

aether_payload_image(escape_guest WASM ${AETHER_ESCAPE_WASM}
  CONFIGURE_ARGS -DAETHER_TEST_GUEST=${PROJECT_SOURCE_DIR}/test/escape/escape_guest.c
                 -DAETHER_BOARD=${AETHER_UEFI_KEY_BOARD})
aether_device(escape_guest KEY ${PROJECT_SOURCE_DIR}/test/keys/field-test.key)
aether_boot_test(escape_guest IMAGE ${CMAKE_BINARY_DIR}/payload-images/escape_guest/BOOTX64.EFI
  FIXTURES image.escape_guest DEVICE escape_guest LABELS hostile DRIVER ${PROJECT_SOURCE_DIR}/test/escape/escape_case.py
  SECRET_KEY FORBID_LOG "DEVELOPMENT DEVICE KEY")
