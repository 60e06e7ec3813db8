# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherBuildInfo.cmake: writes aether-build.json, what the harness needs to check an image from outside.
#
#   cmake -DOUT=aether-build.json -DPAYLOAD_WASM=... -DBOARD=... -DCAP_PAGES=N -P AetherBuildInfo.cmake
#
# The payload hash is CMake's own SHA-256, independent of the image's C code.

file(SHA256 ${PAYLOAD_WASM} payload_sha256)
file(WRITE ${OUT} "{\"payload_wasm\": \"${PAYLOAD_WASM}\", \"payload_sha256\": \"${payload_sha256}\", \"board\": \"${BOARD}\", \"memory_cap_pages\": ${CAP_PAGES}}\n")
