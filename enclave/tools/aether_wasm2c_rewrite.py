#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# aether_wasm2c_rewrite.py: the build step between wasm2c 1.0.32 and the compiler: its memory accesses and f32 constants rewritten.
"""Rewrites one C file wasm2c 1.0.32 wrote, so that clang compiles it to
faster code with the same wasm semantics (ARCHITECTURE.md, "Build
pipeline"). Each rewrite finds exactly the text wasm2c 1.0.32 writes or
fails, naming what it missed: another wasm2c version is never half
rewritten.

  memory   wasm2c's load and store helpers (its little- and big-endian
           DEFINE_LOAD, DEFINE_STORE, load_data and LOAD_DATA) become an
           #include of guest/wasm2c_rewrite.h, which defines them for the
           enclave: linear memory at a fixed address where the build says
           so; with guard pages, wasm2c's `asm` after an integer load and a
           volatile load of a float; with bounds checks, plain loads.
  snan     a signalling NaN constant (wasm2c writes every NaN as
           `f32_reinterpret_i32(0x...)`) is passed through an empty asm
           first: clang 14 to 16 fold arithmetic on one to a signalling NaN,
           where wasm returns a quiet one (float.semantics caught it).
  floats   an f32 constant, which wasm2c writes as a decimal double literal
           (`w2c_f1 = 0.0199999996;`) and -frounding-math converts to float
           at run time, becomes the float literal of the same value in hex
           (`w2c_f1 = 0x1.47ae14p-6f;`). wasm2c prints the float with 9
           significant digits, which round-trips: the double the literal
           names, rounded to nearest-even (the only rounding mode wasm has),
           is the constant, and that is what the literal now says exactly.

Usage: aether_wasm2c_rewrite.py IN.c OUT.c [--only memory|snan|floats]...
"""

import argparse
import os
import re
import struct
import sys

# wasm2c 1.0.32 writes this block verbatim, from the big-endian branch to
# the first use of the macros it defines.
MEMORY_BLOCK = re.compile(r"^#if WABT_BIG_ENDIAN\nstatic inline void load_data\(.*?^#endif\n(?=\nDEFINE_LOAD\(i32_load, )",
                          re.M | re.S)
MEMORY_INCLUDE = '#include "wasm2c_rewrite.h" /* aether_wasm2c_rewrite.py: in place of wasm2c\'s load and store helpers */\n'
# The helpers the block must define and the file must use, and an access to
# linear memory the block must hold (the load wasm2c follows with its asm).
MEMORY_NAMES = ("load_data", "LOAD_DATA", "DEFINE_LOAD", "DEFINE_STORE")
MEMORY_BARRIER = 'wasm_asm("" ::"r"(result));'

# An f32 constant: wasm2c's `%.9g` of a finite float (negative zero, the
# infinities and NaNs it writes otherwise), assigned to an f32 temporary.
F32_CONSTANT = re.compile(r"^(\s*w2c_f\d+ = )(-?(?:\d+\.?\d*(?:e[-+]\d+)?));$", re.M)


# A NaN constant as wasm2c writes it (the comment names the NaN).
NAN_CONSTANT = re.compile(r"\b(f32_reinterpret_i32|f64_reinterpret_i64)\((0x[0-9a-f]+)\)(?= /\* -?nan:0x[0-9a-f]+ \*/)")
QUIET_BIT = {"f32_reinterpret_i32": (1 << 22, "aether_opaque_u32"), "f64_reinterpret_i64": (1 << 51, "aether_opaque_u64")}


class RewriteError(Exception):
        pass


def rewrite_memory(text):
        found = MEMORY_BLOCK.findall(text)
        if len(found) != 1:
                raise RewriteError("memory: wasm2c 1.0.32's load/store helper block found %d times, expected once"
                                   % len(found))
        block = found[0]
        missing = [name for name in MEMORY_NAMES if "define %s" % name not in block and " %s(" % name not in block]
        if missing or MEMORY_BARRIER not in block:
                raise RewriteError("memory: the helper block lacks %s" % ", ".join(missing or [MEMORY_BARRIER]))
        return MEMORY_BLOCK.sub(lambda _: MEMORY_INCLUDE, text, count=1)


def f32_literal(decimal):
        """The C float literal, in hex, of the f32 that `decimal` denotes under wasm2c's
        convention (the double it names, rounded to f32 to nearest-even)."""
        value = struct.unpack("<f", struct.pack("<f", float(decimal)))[0]
        if "%.9g" % value != decimal:
                raise RewriteError("floats: %s is not wasm2c's %%.9g of an f32 (that would be %.9g)" % (decimal, value))
        return float.hex(value) + "f"


def rewrite_floats(text):
        return F32_CONSTANT.sub(lambda m: m.group(1) + f32_literal(m.group(2)) + ";", text)


def rewrite_snan(text):
        def opaque(match):
                quiet, helper = QUIET_BIT[match.group(1)]
                if int(match.group(2), 16) & quiet:
                        return match.group(0)
                return "%s(%s(%s))" % (match.group(1), helper, match.group(2))
        return NAN_CONSTANT.sub(opaque, text)


REWRITES = {"memory": rewrite_memory, "snan": rewrite_snan, "floats": rewrite_floats}


def main(argv=None):
        parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
        parser.add_argument("source", help="the C file wasm2c wrote")
        parser.add_argument("output", help="the rewritten file")
        parser.add_argument("--only", action="append", choices=sorted(REWRITES),
                            help="apply only this rewrite (repeatable; default: all)")
        args = parser.parse_args(argv)
        with open(args.source) as handle:
                text = handle.read()
        applied = [name for name in REWRITES if not args.only or name in args.only]
        try:
                for name in applied:
                        text = REWRITES[name](text)
        except (RewriteError, ValueError) as error:
                print("aether_wasm2c_rewrite.py: %s: %s" % (args.source, error), file=sys.stderr)
                return 1
        header = "/* Rewritten by enclave/tools/aether_wasm2c_rewrite.py (%s) from wasm2c's %s. */\n" % (
                ", ".join(applied), os.path.basename(args.source))
        with open(args.output + ".tmp", "w") as handle:
                handle.write(header + text)
        os.replace(args.output + ".tmp", args.output)
        return 0


if __name__ == "__main__":
        sys.exit(main())
