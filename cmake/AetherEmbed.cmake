# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherEmbed.cmake: the build tools that embed the payload identity (aether-embed) and the guest program (aether-guest-pack).
aether_host_executable(aether-embed SOURCES ${PROJECT_SOURCE_DIR}/enclave/tools/aether_embed.c)
aether_host_executable(aether-guest-pack SOURCES ${PROJECT_SOURCE_DIR}/enclave/tools/aether_guest_pack.c)
