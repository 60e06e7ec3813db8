# SPDX-License-Identifier: AGPL-3.0-or-later
# test_residue.py: self-tests of the residue checks (spray words, RAM scan, zero range, registers) and their options.

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))

from aether_harness import cpu_state, residue, run  # noqa: E402

REGISTERS = """CPU#0
RAX=0000000000000000 RBX=000000e000000000 RCX=0000000000000001 RDX=0000000000000000
RSI=0000000000001938 RDI=000000001dd72f90 RBP=0000000000000001 RSP=000000001dd72f80
R8 =0000000000000000 R9 =0000000000000000 R10=0000000000000000 R11=0000000000000000
R12=000000001deb4e70 R13=000000001dd72f90 R14=0000000000000000 R15=0000000000001938
RIP=000000001deacc3f RFL=00000246 [---Z-P-] CPL=0 II=0 A20=1 SMM=0 HLT=1
FPR6=8000000000000000 4007 FPR7=8000000000000000 4007
XMM00=0000000000000000 0000000000000000 XMM01=0000000000000000 0000000000000000
XMM02=0000000000000000 0000000000000000 XMM03=0000000000000000 0000000000000000
XMM04=0000000000000000 0000000000000000 XMM05=0000000000000000 0000000000000000
XMM06=0000000000000000 0000000000000000 XMM07=0000000000000000 0000000000000000
XMM08=0000000000000000 0000000000000000 XMM09=0000000000000000 0000000000000000
XMM10=0000000000000000 0000000000000000 XMM11=0000000000000000 0000000000000000
XMM12=0000000000000000 0000000000000000 XMM13=0000000000000000 0000000000000000
XMM14=0000000000000000 0000000000000000 XMM15=0000000000000000 0000000000000000
"""


class SprayTest(unittest.TestCase):
        def test_words_follow_the_payload_formula(self):
                # residue.wat: w = dose * 0x9e3779b1 ^ 0x5bd1e995 (i32 arithmetic), ~w,
                # w ^ 0x12345678, rotl(w, 7); computed here by hand for dose 2000.
                w = (2000 * 0x9E3779B1) % 2**32 ^ 0x5BD1E995
                self.assertEqual(residue.spray_words(2000),
                                 (w, w ^ 0xFFFFFFFF, w ^ 0x12345678, ((w << 7) | (w >> 25)) % 2**32))

        def test_negative_dose_wraps_like_i32(self):
                self.assertEqual(residue.spray_words(-1), residue.spray_words(2**32 - 1))

        def test_needles_are_little_endian_pairs(self):
                w0, w1, w2, w3 = residue.spray_words(7)
                first, second = residue.spray_needles(7)
                self.assertEqual(first, w0.to_bytes(4, "little") + w1.to_bytes(4, "little"))
                self.assertEqual(second, w2.to_bytes(4, "little") + w3.to_bytes(4, "little"))


class RamFileTest(unittest.TestCase):
        SIZE = 3 << 20

        def setUp(self):
                self.dir = tempfile.TemporaryDirectory()
                self.path = os.path.join(self.dir.name, "ram")
                with open(self.path, "wb") as handle:
                        handle.truncate(self.SIZE)

        def tearDown(self):
                self.dir.cleanup()

        def poke(self, offset, data):
                with open(self.path, "r+b") as handle:
                        handle.seek(offset)
                        handle.write(data)

        def test_clean_file_has_no_hits(self):
                self.assertEqual(residue.scan_file(self.path, residue.spray_needles(2000)), [])

        def test_finds_needles_at_any_alignment_and_across_chunks(self):
                first, second = residue.spray_needles(2000)
                self.poke(3, first)
                self.poke((1 << 20) - 4, second)          # straddles a 1 MiB boundary
                self.poke(self.SIZE - 8, first)           # the very end
                self.assertEqual(residue.scan_file(self.path, (first, second)),
                                 [3, (1 << 20) - 4, self.SIZE - 8])

        def test_half_a_needle_is_not_a_hit(self):
                first, _ = residue.spray_needles(2000)
                self.poke(100, first[:4])
                self.poke(200, first[4:])
                self.assertEqual(residue.scan_file(self.path, residue.spray_needles(2000)), [])

        def test_hits_are_bounded(self):
                first, _ = residue.spray_needles(1)
                self.poke(0, first * 100)
                self.assertEqual(len(residue.scan_file(self.path, [first], limit=16)), 16)

        def test_zero_range(self):
                self.assertIsNone(residue.first_nonzero(self.path, 0x1000, 2 << 20))
                self.poke(0x1000 + (2 << 20), b"\x01")     # just past the range
                self.poke(0xfff, b"\x01")                   # just before it
                self.assertIsNone(residue.first_nonzero(self.path, 0x1000, 2 << 20))
                self.poke(0x1000 + (1 << 20) + 5, b"\x80")
                self.assertEqual(residue.first_nonzero(self.path, 0x1000, 2 << 20), 0x1000 + (1 << 20) + 5)

        def test_range_outside_the_file(self):
                with self.assertRaises(ValueError):
                        residue.first_nonzero(self.path, self.SIZE - 4, 8)


class RegisterTest(unittest.TestCase):
        def test_parses_all_general_and_xmm_registers(self):
                registers = cpu_state.parse_registers(REGISTERS)
                self.assertEqual(len(registers), 32)
                self.assertEqual(registers["R12"], 0x1DEB4E70)
                self.assertEqual(registers["R8"], 0)
                self.assertEqual(registers["XMM15"], 0)
                self.assertNotIn("RIP", registers)

        def test_clean_registers_have_no_hits(self):
                self.assertEqual(residue.register_hits(cpu_state.parse_registers(REGISTERS), [2000]), [])

        def test_spray_word_in_any_lane_is_found(self):
                w0, w1, w2, w3 = residue.spray_words(2000)
                text = REGISTERS.replace("R9 =0000000000000000", "R9 =%08x00000000" % w2)
                text = text.replace("XMM07=0000000000000000 0000000000000000",
                                    "XMM07=0000000000000000 %08x00000000" % w3)
                text = text.replace("RAX=0000000000000000", "RAX=%08x%08x" % (w1, w0))
                registers = cpu_state.parse_registers(text)
                self.assertEqual(residue.register_hits(registers, [2000]), ["R9", "RAX", "XMM07"])
                self.assertEqual(residue.register_hits(registers, [2001]), [])

        def test_contiguous_xmm_format(self):
                registers = cpu_state.parse_registers("XMM03=0123456789abcdef0011223344556677\n")
                self.assertEqual(registers["XMM03"], 0x0123456789ABCDEF0011223344556677)


class OptionTest(unittest.TestCase):
        def parse_error(self, argv):
                with self.assertRaises(SystemExit), open(os.devnull, "w") as sink:
                        stderr, sys.stderr = sys.stderr, sink
                        try:
                                run.parse_args(argv)
                        finally:
                                sys.stderr = stderr

        def test_residue_options_need_wakes(self):
                self.parse_error(["--residue-spray"])
                self.parse_error(["--check-zero-memory"])

        def test_registers_need_the_spray(self):
                self.parse_error(["--wake", "0x20:pressure=1,dose=1", "--check-registers"])

        def test_fault_mode_needs_exit_code_and_no_wakes(self):
                self.parse_error(["--fw-mode", "host-fault-pf"])
                self.parse_error(["--expect-exit", "93"])
                self.parse_error(["--fw-mode", "host-fault-pf", "--expect-exit", "93",
                                  "--wake", "0x20:pressure=1,dose=1"])
                self.parse_error(["--fw-mode", "bench", "--expect-exit", "33"])
                args = run.parse_args(["--fw-mode", "host-fault-pf", "--expect-exit", "93"])
                self.assertEqual((args.fw_mode, args.expect_exit), ("host-fault-pf", 93))


if __name__ == "__main__":
        unittest.main()
