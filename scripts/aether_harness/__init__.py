# SPDX-License-Identifier: AGPL-3.0-or-later
# aether_harness: the Python side of scripts/aether-run (boot, wake, verify), standard library only.
