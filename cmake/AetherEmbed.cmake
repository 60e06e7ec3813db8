# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherEmbed.cmake: the build tool that turns the key file and the payload into aether_embedded.h.
aether_host_executable(aether-embed SOURCES ${PROJECT_SOURCE_DIR}/enclave/tools/aether_embed.c)
