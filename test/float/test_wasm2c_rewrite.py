#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# test_wasm2c_rewrite.py: wasm2c_rewrite.unit: each rewrite of aether_wasm2c_rewrite.py on real wasm2c output and on edge cases.
"""Runs every case against REWRITE_TOOL (aether_wasm2c_rewrite.py), with
WASM2C_OUTPUT.c as the real wasm2c output (any file wasm2c 1.0.32 wrote; the
build passes one of the benchmark's)."""

import argparse
import importlib.util
import random
import struct
import sys
import unittest



def f32_bits(value):
        return struct.unpack("<I", struct.pack("<f", value))[0]


class Floats(unittest.TestCase):
        def test_every_literal_names_the_same_f32(self):
                """wasm2c's %.9g of an f32, rewritten, is the same f32 bit for bit."""
                rng = random.Random(14)
                patterns = [rng.getrandbits(32) for _ in range(20000)] + [1, 0x00800000, 0x7F7FFFFF, 0x3F800001]
                for bits in patterns:
                        if bits & 0x7F800000 == 0x7F800000 or bits == 0x80000000:
                                continue  # wasm2c writes these otherwise (INFINITY, NaN reinterprets, -0.f)
                        value = struct.unpack("<f", struct.pack("<I", bits))[0]
                        text = "    w2c_f3 = %.9g;" % value
                        out = rewrite.rewrite_floats(text)
                        literal = out.split("= ")[1].rstrip(";")
                        self.assertTrue(literal.endswith("f"), out)
                        self.assertEqual(f32_bits(float.fromhex(literal[:-1])), bits, text)

        def test_only_f32_temporaries_and_plain_decimals(self):
                for text in ("    w2c_d0 = 0.10000000000000001;", "    w2c_f0 = -0.f;", "    w2c_f1 = INFINITY;",
                             "    w2c_i0 = 10;", "    w2c_f0 = w2c_f1;"):
                        self.assertEqual(rewrite.rewrite_floats(text), text)

        def test_not_wasm2c_digits(self):
                with self.assertRaises(rewrite.RewriteError):
                        rewrite.rewrite_floats("    w2c_f0 = 0.1;")  # %.9g of an f32 never prints this


class SignallingNans(unittest.TestCase):
        def test_signalling_nans_made_opaque(self):
                text = ("w2c_f0 = f32_reinterpret_i32(0xffa00001) /* -nan:0x200001 */;\n"
                        "w2c_d0 = f64_reinterpret_i64(0x7ff0000000000001) /* nan:0x1 */;\n")
                out = rewrite.rewrite_snan(text)
                self.assertIn("f32_reinterpret_i32(aether_opaque_u32(0xffa00001))", out)
                self.assertIn("f64_reinterpret_i64(aether_opaque_u64(0x7ff0000000000001))", out)

        def test_quiet_nans_and_other_reinterprets_untouched(self):
                text = ("w2c_f0 = f32_reinterpret_i32(0x7fc12345) /* nan:0x412345 */;\n"
                        "w2c_d0 = f64_reinterpret_i64(0xfff8000000000000) /* -nan:0x8000000000000 */;\n"
                        "w2c_f1 = f32_reinterpret_i32(w2c_i0);\n")
                self.assertEqual(rewrite.rewrite_snan(text), text)


class Memory(unittest.TestCase):
        def setUp(self):
                with open(SAMPLE) as handle:
                        self.sample = handle.read()

        def test_wasm2c_output_rewritten_once(self):
                out = rewrite.rewrite_memory(self.sample)
                self.assertEqual(out.count(rewrite.MEMORY_INCLUDE), 1)
                self.assertNotIn("wasm_asm(\"\" ::\"r\"(result))", out)
                self.assertNotIn("#if WABT_BIG_ENDIAN", out)
                self.assertIn("DEFINE_LOAD(i32_load, u32, u32, u32)", out)  # the uses stay

        def test_other_text_is_refused(self):
                for damaged in (self.sample.replace("#if WABT_BIG_ENDIAN", "#if 0"),
                                self.sample.replace('wasm_asm("" ::"r"(result));', "")):
                        with self.assertRaises(rewrite.RewriteError):
                                rewrite.rewrite_memory(damaged)


if __name__ == "__main__":
        parser = argparse.ArgumentParser(description=__doc__)
        parser.add_argument("rewrite_tool", metavar="REWRITE_TOOL")
        parser.add_argument("sample", metavar="WASM2C_OUTPUT.c")
        args = parser.parse_args()
        SAMPLE = args.sample
        spec = importlib.util.spec_from_file_location("rewrite", args.rewrite_tool)
        rewrite = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(rewrite)
        unittest.main(argv=sys.argv[:1])
