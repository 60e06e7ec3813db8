# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherSign.cmake: signs BOOTX64.EFI with sbsign for UEFI Secure Boot (ARCHITECTURE.md 13, "Signing").
#
# The default pair is OVMF's snakeoil key and certificate (Debian's ovmf package), which
# OVMF_VARS_4M.snakeoil.fd enrols as PK, KEK and db. It is public, like the development
# device key: an image it signs boots under Secure Boot on test firmware only.

set(AETHER_SNAKEOIL_KEY /usr/share/ovmf/PkKek-1-snakeoil.key)
set(AETHER_SNAKEOIL_CERT /usr/share/ovmf/PkKek-1-snakeoil.pem)
set(AETHER_SIGNING_KEY "${AETHER_SNAKEOIL_KEY}" CACHE STRING
    "PEM private key that signs BOOTX64.EFI (default: OVMF's public snakeoil test key); empty or OFF: unsigned")
set(AETHER_SIGNING_CERT "${AETHER_SNAKEOIL_CERT}" CACHE STRING
    "PEM certificate of AETHER_SIGNING_KEY, put into the signature (default: the snakeoil certificate)")
set(AETHER_SIGNING_PASSIN "" CACHE STRING
    "Where openssl reads the passphrase of an encrypted AETHER_SIGNING_KEY (-passin: env:VAR, file:PATH, pass:TEXT); empty: the key is not encrypted (the snakeoil key's is pass:snakeoil)")

# AETHER_SIGNED: whether BOOTX64.EFI is signed; AETHER_SIGNED_WITH_SNAKEOIL: by the
# snakeoil pair, which the Secure Boot boot tests' VARS trust.
if(NOT AETHER_SIGNING_KEY)
  set(AETHER_SIGNED FALSE)
  set(AETHER_SIGNED_WITH_SNAKEOIL FALSE)
  message(STATUS "Aether signing: off (AETHER_SIGNING_KEY is empty): BOOTX64.EFI is unsigned")
  return()
endif()
foreach(file AETHER_SIGNING_KEY AETHER_SIGNING_CERT)
  if(NOT ${file} OR NOT EXISTS "${${file}}")
    message(FATAL_ERROR "${file}: '${${file}}' is not a file (give both -DAETHER_SIGNING_KEY= and "
                        "-DAETHER_SIGNING_CERT=, or -DAETHER_SIGNING_KEY= empty for an unsigned image)")
  endif()
endforeach()
find_program(AETHER_SBSIGN sbsign REQUIRED)     # Debian 12: sbsigntool
find_program(AETHER_SBVERIFY sbverify REQUIRED)
set(AETHER_SIGNED TRUE)
set(passin "${AETHER_SIGNING_PASSIN}")
if(AETHER_SIGNING_KEY STREQUAL AETHER_SNAKEOIL_KEY AND NOT passin)
  set(passin "pass:snakeoil")                   # the public test key's documented passphrase
endif()
if(AETHER_SIGNING_KEY STREQUAL AETHER_SNAKEOIL_KEY AND AETHER_SIGNING_CERT STREQUAL AETHER_SNAKEOIL_CERT)
  set(AETHER_SIGNED_WITH_SNAKEOIL TRUE)
  message(STATUS "Aether signing: the public snakeoil test key (${AETHER_SIGNING_KEY}); test firmware only")
else()
  set(AETHER_SIGNED_WITH_SNAKEOIL FALSE)
  message(STATUS "Aether signing: ${AETHER_SIGNING_KEY} with ${AETHER_SIGNING_CERT}")
endif()

# sbsign reads only an unencrypted key: an encrypted one is decrypted once into
# the build tree (openssl writes it mode 0600), and sbsign reads that copy.
set(AETHER_SBSIGN_KEY "${AETHER_SIGNING_KEY}")
if(passin)
  find_program(AETHER_OPENSSL openssl REQUIRED)
  set(AETHER_SBSIGN_KEY ${CMAKE_BINARY_DIR}/signing/signing-key.pem)
  add_custom_command(
    OUTPUT ${AETHER_SBSIGN_KEY}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/signing
    COMMAND ${AETHER_OPENSSL} pkey -in ${AETHER_SIGNING_KEY} -passin ${passin} -out ${AETHER_SBSIGN_KEY}
    DEPENDS ${AETHER_SIGNING_KEY}
    COMMENT "openssl: the signing key, decrypted for sbsign into signing/ (mode 0600)"
    VERBATIM)
endif()

# aether_sign_efi(UNSIGNED in SIGNED out): out is in, signed (an Authenticode
# signature in the PE security directory).
function(aether_sign_efi)
  cmake_parse_arguments(ARG "" "UNSIGNED;SIGNED" "" ${ARGN})
  get_filename_component(name ${ARG_SIGNED} NAME)
  add_custom_command(
    OUTPUT ${ARG_SIGNED}
    COMMAND ${AETHER_SBSIGN} --key ${AETHER_SBSIGN_KEY} --cert ${AETHER_SIGNING_CERT} --output ${ARG_SIGNED}
            ${ARG_UNSIGNED}
    DEPENDS ${ARG_UNSIGNED} ${AETHER_SBSIGN_KEY} ${AETHER_SIGNING_CERT}
    COMMENT "sbsign: ${name}"
    VERBATIM)
endfunction()
