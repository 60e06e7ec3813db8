# SPDX-License-Identifier: AGPL-3.0-or-later
# test_uplink_timing.py: self-tests of the uplink TSC timing registers (0x220..0x237) in aether-run's reports.

import os
import struct
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))

from aether_harness import run, uplink  # noqa: E402


class UplinkTimingTest(unittest.TestCase):
        def region(self, commit, scrubbed, boot):
                data = bytearray(uplink.SNAPSHOT_SIZE)
                data[0:8] = uplink.UPLINK_MAGIC
                struct.pack_into("<QQQ", data, 0x220, commit, scrubbed, boot)
                return bytes(data)

        def test_registers_decode_at_their_offsets(self):
                snap = uplink.parse_uplink(self.region(0x1111 << 7, 0x2222 << 7, 0x3333 << 7))
                self.assertEqual(snap.wake_to_commit_tsc, 0x1111 << 7)
                self.assertEqual(snap.wake_to_scrubbed_tsc, 0x2222 << 7)
                self.assertEqual(snap.boot_to_dormant_tsc, 0x3333 << 7)

        def test_report_entry_carries_the_wake_registers(self):
                snap = uplink.parse_uplink(self.region(5, 6, 7))
                self.assertEqual(run.wake_timing(snap), {"wake_to_commit_tsc": 5, "wake_to_scrubbed_tsc": 6})

        def test_layout_registers_are_unchanged(self):
                data = bytearray(self.region(1, 2, 3))
                struct.pack_into("<QQQQ", data, 0x200, 0x100000, 0x10000, 0x200000, 0x20000)
                snap = uplink.parse_uplink(bytes(data))
                self.assertEqual((snap.linear_memory_base, snap.linear_memory_cap, snap.cycle_stack_base,
                                  snap.cycle_stack_bytes), (0x100000, 0x10000, 0x200000, 0x20000))


if __name__ == "__main__":
        unittest.main()
