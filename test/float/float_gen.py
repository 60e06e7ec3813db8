#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# float_gen.py: writes the float-semantics payload (one export per case) and the list of its cases for the wasm2c driver.
"""Every case is an export with no parameters that returns the bits of one
wasm operation's result (i32 for f32 and i32 results, i64 for f64 and i64):
binary arithmetic, min, max and copysign on every pair of a set of edge
values (signed zeros, subnormals, the largest finite, the infinities,
canonical NaNs, NaNs with payloads, quiet and signalling, halfway cases of
round-to-nearest-even), unary operations and conversions on every value, int
to float conversions on edge integers. Operands are loaded from linear
memory (a run-time operation) or, for the `k` cases, constants (what clang
folds at compile time).

Bits must be equal, with the one freedom wasm itself gives: a NaN that an
arithmetic operation (add ... nearest, sqrt, demote, promote) returns has an
unspecified sign, and an unspecified payload beyond the quiet bit when an
input was a non-canonical NaN (wasm's nans_N rule; wabt's interpreter always
returns the positive canonical NaN, x86 the input's payload, quieted, or the
negative canonical NaN). The module masks exactly those bits of such a result
before returning it; every other result (neg, abs, copysign, reinterpret,
loads, stores, conversions to integers, ...) is compared bit for bit."""

import argparse
import struct
import sys

F32_NAN_CANON, F64_NAN_CANON = 0x7FC00000, 0x7FF8000000000000
F32 = {"zero": 0x00000000, "nzero": 0x80000000, "one": 0x3F800000, "none": 0xBF800000, "tenth": 0x3DCCCCCD,
       "three": 0x40400000, "half": 0x3F000000, "twohalf": 0x40200000, "ntwohalf": 0xC0200000,
       "ulp": 0x33800000, "ulp15": 0x33C00000, "minsub": 0x00000001, "minnorm": 0x00800000, "max": 0x7F7FFFFF,
       "big": 0x4F000000, "inf": 0x7F800000, "ninf": 0xFF800000, "nan": F32_NAN_CANON, "nnan": 0xFFC00000,
       "snan": 0xFFA00001, "qnan": 0x7FC12345}
F64 = {"zero": 0, "nzero": 0x8000000000000000, "one": 0x3FF0000000000000, "none": 0xBFF0000000000000,
       "tenth": 0x3FB999999999999A, "three": 0x4008000000000000, "half": 0x3FE0000000000000,
       "twohalf": 0x4004000000000000, "ntwohalf": 0xC004000000000000, "ulp": 0x3CA0000000000000,
       "ulp15": 0x3CA8000000000000, "minsub": 1, "minnorm": 0x0010000000000000, "max": 0x7FEFFFFFFFFFFFFF,
       "big": 0x43E0000000000000, "inf": 0x7FF0000000000000, "ninf": 0xFFF0000000000000, "nan": F64_NAN_CANON,
       "nnan": 0xFFF8000000000000, "snan": 0xFFF4000000000001, "qnan": 0x7FF8000000012345}
# Binary operations take every pair of PAIRED (the pairs grow fast), each NaN
# with a payload against a number and against NaNs, and the halfway and
# inexact cases of round-to-nearest-even.
PAIRED = ("zero", "nzero", "one", "ulp15", "minsub", "max", "inf", "ninf", "nan")
PAIRS = ([(a, b) for a in PAIRED for b in PAIRED]
         + [pair for x in ("one", "nan", "qnan") for n in ("snan", "qnan") if x != n for pair in ((n, x), (x, n))]
         + [("one", "ulp"), ("none", "ulp"), ("three", "tenth"), ("tenth", "three"), ("minnorm", "half"), ("half", "minsub")])
# The `k` cases: constant operands, which clang may fold at compile time.
CONST_PAIRS = [(a, b) for a in ("one", "ulp15", "nzero", "snan") for b in ("ulp", "zero", "qnan")]
CONST_UNARY = ("nzero", "half", "twohalf", "ntwohalf", "max", "big", "inf", "snan", "qnan")
INTS = {"zero": 0, "one": 1, "mone": -1, "p24": (1 << 24) + 1, "i32max": (1 << 31) - 1, "i32min": -(1 << 31),
        "p53": (1 << 53) + 1, "odd64": 0x7FFFFFBFFFFFFFFF, "i64max": (1 << 63) - 1, "i64min": -(1 << 63),
        "snan32": 0xFFA00001, "snan64": 0xFFF4000000000001}
FLOATS = {"f32": F32, "f64": F64}
INT_OF = {"f32": "i32", "f64": "i64"}
BITS = {"f32": 32, "f64": 64, "i32": 32, "i64": 64}
ARITH_BINARY = ("add", "sub", "mul", "div", "min", "max")
ARITH_UNARY = ("sqrt", "ceil", "floor", "trunc", "nearest")
EXACT_UNARY = ("neg", "abs")


def is_nan(kind, bits):
        exponent = (1 << (BITS[kind] - 1)) - (1 << (BITS[kind] - 1 - (8 if kind == "f32" else 11)))
        mantissa = (1 << (BITS[kind] - 1 - (8 if kind == "f32" else 11))) - 1
        return bits & exponent == exponent and bits & mantissa != 0


def canonical_nan(kind):
        return F32_NAN_CANON if kind == "f32" else F64_NAN_CANON


def nan_mask(result, inputs):
        """The bits wasm fixes of an arithmetic NaN result of type `result` from inputs
        [(kind, bits)]: all but the sign when every input is a number or a canonical
        NaN (the result is canonical); else only the exponent and the quiet bit (an
        arithmetic NaN)."""
        if all(not is_nan(k, b) or b & ~(1 << (BITS[k] - 1)) == canonical_nan(k) for k, b in inputs):
                return (1 << (BITS[result] - 1)) - 1
        return canonical_nan(result)


class Module:
        def __init__(self):
                self.data = bytearray()
                self.offsets = {}
                self.funcs = []
                self.cases = [("evaluate_limits", "i32")]  # wasm-interp runs every export, in order

        def operand(self, kind, name, bits, const):
                if const:
                        return "(%s.const %s)" % (kind, literal(kind, bits) if kind in FLOATS else signed(kind, bits))
                key = (kind, name)
                if key not in self.offsets:
                        size = BITS[kind] // 8
                        while len(self.data) % size:
                                self.data.append(0)
                        self.offsets[key] = len(self.data)
                        self.data += bits.to_bytes(size, "little")
                return "(%s.load offset=%d (i32.const 0))" % (kind, self.offsets[key])

        def case(self, name, result, body, mask=None):
                """result: the wasm type of body; f32/f64 results are returned as bits,
                an arithmetic one (mask given) with the bits wasm leaves free masked."""
                ret = INT_OF.get(result, result)
                if result in FLOATS and mask is not None:
                        code = ("(local.set $r %s)\n    (select (%s.and (%s.reinterpret_%s (local.get $r)) (%s.const %d))"
                                " (%s.reinterpret_%s (local.get $r)) (%s.ne (local.get $r) (local.get $r)))"
                                % (body, ret, ret, result, ret, signed(ret, mask), ret, result, result))
                        locals_ = " (local $r %s)" % result
                elif result in FLOATS:
                        code, locals_ = "(%s.reinterpret_%s %s)" % (ret, result, body), ""
                else:
                        code, locals_ = body, ""
                self.funcs.append('  (func (export "%s") (result %s)%s\n    %s)' % (name, ret, locals_, code))
                self.cases.append((name, ret))

        def wat(self):
                data = "".join("\\%02x" % b for b in self.data)
                return (";; Generated by test/float/float_gen.py: the float-semantics payload. Do not edit.\n"
                        "(module\n  (memory (export \"memory\") 1 1)\n  (data (i32.const 0) \"%s\")\n"
                        "  (func (export \"evaluate_limits\") (result i32) (i32.const 0))\n%s)\n"
                        % (data, "\n".join(self.funcs)))


def signed(kind, value):
        bits = 32 if kind == "i32" else 64
        return value - (1 << bits) if value >> (bits - 1) else value


def literal(kind, bits):
        if is_nan(kind, bits):
                sign = "-" if bits >> (BITS[kind] - 1) else ""
                mantissa = bits & ((1 << (23 if kind == "f32" else 52)) - 1)
                return "%snan:0x%x" % (sign, mantissa)
        value = struct.unpack("<f" if kind == "f32" else "<d", bits.to_bytes(BITS[kind] // 8, "little"))[0]
        return float.hex(value) if value == value and abs(value) != float("inf") else ("-inf" if value < 0 else "inf")


def generate():
        m = Module()
        for kind, values in FLOATS.items():
                for const, tag in ((False, ""), (True, "k")):
                        pairs = CONST_PAIRS if const else PAIRS
                        for op in ARITH_BINARY + ("copysign",):
                                for a, b in pairs:
                                        body = "(%s.%s %s %s)" % (kind, op, m.operand(kind, a, values[a], const),
                                                                  m.operand(kind, b, values[b], const))
                                        mask = None if op == "copysign" else \
                                                nan_mask(kind, [(kind, values[a]), (kind, values[b])])
                                        m.case("%s%s_%s_%s_%s" % (kind, tag, op, a, b), kind, body, mask)
                        for name, bits in values.items():
                                if const and name not in CONST_UNARY:
                                        continue
                                x = m.operand(kind, name, bits, const)
                                for op in ARITH_UNARY:
                                        m.case("%s%s_%s_%s" % (kind, tag, op, name), kind, "(%s.%s %s)" % (kind, op, x),
                                               nan_mask(kind, [(kind, bits)]))
                                for op in EXACT_UNARY:
                                        m.case("%s%s_%s_%s" % (kind, tag, op, name), kind, "(%s.%s %s)" % (kind, op, x))
                                other = "f64" if kind == "f32" else "f32"
                                convert = "promote" if kind == "f32" else "demote"
                                m.case("%s%s_%s_%s" % (kind, tag, convert, name), other,
                                       "(%s.%s_%s %s)" % (other, convert, kind, x), nan_mask(other, [(kind, bits)]))
                                for result in ("i32", "i64"):
                                        for sign in ("s", "u"):
                                                for sat in ("", "_sat"):
                                                        m.case("%s%s_%s_trunc%s_%s_%s" % (kind, tag, result, sat, sign, name),
                                                               result, "(%s.trunc%s_%s_%s %s)"
                                                               % (result, sat, kind, sign, x))
                                # The same value through memory: a store and a load keep every bit.
                                m.case("%s%s_store_%s" % (kind, tag, name), kind,
                                       "(%s.store offset=4096 (i32.const 0) %s) (%s.load offset=4096 (i32.const 0))"
                                       % (kind, x, kind))
        for name, value in INTS.items():
                for source in ("i32", "i64"):
                        bits = value & ((1 << BITS[source]) - 1)
                        for const, tag in ((False, ""), (True, "k")):
                                x = m.operand(source, name, bits, const)
                                for kind in FLOATS:
                                        for sign in ("s", "u"):
                                                m.case("%s%s_convert_%s_%s_%s" % (kind, tag, source, sign, name), kind,
                                                       "(%s.convert_%s_%s %s)" % (kind, source, sign, x))
                                other = "f32" if source == "i32" else "f64"
                                m.case("%s%s_reinterpret_%s" % (other, tag, name), other,
                                       "(%s.reinterpret_%s %s)" % (other, source, x))
        return m


def main():
        parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
        parser.add_argument("wat", metavar="OUT.wat", help="the payload to write")
        parser.add_argument("cases", metavar="OUT_cases.h", help="the list of its cases, for float_driver.c")
        args = parser.parse_args()
        m = generate()
        with open(args.wat, "w") as handle:
                handle.write(m.wat())
        with open(args.cases, "w") as handle:
                handle.write("/* Generated by test/float/float_gen.py: the cases of the float-semantics payload. */\n")
                for name, ret in m.cases:
                        handle.write("FLOAT_CASE(%s, %s)\n" % (name, ret))
        return 0


if __name__ == "__main__":
        sys.exit(main())
