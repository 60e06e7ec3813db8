#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# float_case.py: float.semantics_*: the wasm2c build of the float-semantics payload must print, case by case, what wasm-interp prints.
"""Runs `wasm-interp --run-all-exports` on the payload and each wasm2c
driver given (test/float/float_driver.c, one per memory-check mode), and
compares their lines: every case's bits (or trap) must be equal. The payload
(test/float/float_gen.py) masks the bits wasm leaves free in an arithmetic
NaN, so equal means bit-exact wherever wasm is deterministic."""

import argparse
import subprocess
import sys


def lines(argv):
        result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
                raise RuntimeError("%s failed (exit %d): %s" % (argv[0], result.returncode, result.stderr.strip()[-500:]))
        return result.stdout.splitlines()


def main():
        parser = argparse.ArgumentParser(description=__doc__)
        parser.add_argument("--interp", required=True, help="wasm-interp")
        parser.add_argument("--wasm", required=True, help="the float-semantics payload")
        parser.add_argument("driver", nargs="+", help="wasm2c builds of it (float_driver.c)")
        args = parser.parse_args()
        try:
                expected = lines([args.interp, args.wasm, "--run-all-exports"])
                failures = 0
                for driver in args.driver:
                        got = lines([driver])
                        wrong = [(e, g) for e, g in zip(expected, got) if e != g]
                        if len(got) != len(expected):
                                wrong.append(("%d cases" % len(expected), "%d cases" % len(got)))
                        for e, g in wrong[:40]:
                                print("FAIL %s: wasm-interp %s, wasm2c %s" % (driver, e, g))
                        print("%s %s: %d cases, %d differ from wasm-interp"
                              % ("FAIL" if wrong else "PASS", driver, len(expected), len(wrong)))
                        failures += len(wrong)
        except RuntimeError as error:
                print("FAIL: %s" % error)
                return 1
        return 1 if failures else 0


if __name__ == "__main__":
        sys.exit(main())
