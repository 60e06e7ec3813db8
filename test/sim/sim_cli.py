#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# sim_cli.py: aether-sim's command line: help, errors, the cache, keys, epoch, watchdog, and the names of trapping functions.
"""Usage:
  sim_cli.py --sim AETHER_SIM --verify AETHER_VERIFY --wat2wasm WAT2WASM --stock WASM --rejected WASM
             --named-wat WAT --development-key KEY --field-key KEY --malformed-key KEY --work DIR

Each check runs aether-sim and looks at its exit status, its output and its report; DIR (emptied first) holds a
cache of its own, so the first run translates.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

WAKE = "0x20:pressure=0.12,dose=1250"


def fail(message):
    print("sim_cli: FAIL: " + message, flush=True)
    sys.exit(1)


class Checks:
    def __init__(self, args):
        self.args = args
        self.cache = os.path.join(args.work, "cache")
        self.count = 0

    def run(self, *argv, expect_rc=0, cache=True):
        command = [self.args.sim] + list(argv) + (["--cache", self.cache] if cache else [])
        proc = subprocess.run(command, capture_output=True, text=True)
        if proc.returncode != expect_rc:
            fail("%s: exit %d, expected %d\nstdout:\n%s\nstderr:\n%s" % (" ".join(command), proc.returncode,
                                                                       expect_rc, proc.stdout, proc.stderr))
        return proc

    def expect(self, text, pattern, what):
        if not re.search(pattern, text, re.M):
            fail("%s: no /%s/ in:\n%s" % (what, pattern, text))
        self.count += 1
        print("sim_cli: ok: %s" % what, flush=True)

    def report(self, name):
        with open(os.path.join(self.args.work, name)) as handle:
            return json.load(handle)

    def verify(self, key, *reports, expect_rc=0):
        proc = subprocess.run([self.args.verify, "--key", key] + list(reports), capture_output=True, text=True)
        if proc.returncode != expect_rc:
            fail("aether-verify on %s: exit %d, expected %d\n%s%s" % (" ".join(reports), proc.returncode, expect_rc,
                                                                      proc.stdout, proc.stderr))
        return proc.stdout

    # -- the checks --------------------------------------------------------------

    def help(self):
        for flag in ("-h", "--help"):
            proc = self.run(flag, cache=False)
            self.expect(proc.stdout, r"^usage: aether-sim PAYLOAD\.wasm", "%s prints the usage and exits 0" % flag)

    def usage_errors(self):
        a = self.args
        cases = [
            ((), r"^aether-sim: no payload given", "no payload"),
            ((a.stock, "--wake", "0x22:pressure=1,dose=2"), r"vector 0x22 has no wake line", "a wake vector"),
            ((a.stock, "--wake", "0x20:pressure=1e39,dose=2"), r"pressure '1e39' is not a 32-bit float",
             "a pressure beyond binary32"),
            ((a.stock, "--wake", "0x20:pressure=1,dose=2147483648"), r"dose '2147483648' is not an integer",
             "a dose beyond i32"),
            ((a.stock, "--wake", "0x20:pressure=1"), r"missing dose", "a wake without a dose"),
            ((a.stock, "--epoch", "0"), r"--epoch '0'", "epoch 0"),
            ((a.stock, "--watchdog-us", "10000001"), r"--watchdog-us '10000001'", "a watchdog budget"),
            ((a.stock, "--frobnicate"), r"unknown option '--frobnicate'", "an unknown option"),
            ((a.stock, "--key", a.malformed_key), r"malformed\.key: error: malformed device key file: line 2",
             "a malformed key file"),
        ]
        for argv, pattern, what in cases:
            proc = self.run(*argv, expect_rc=2)
            self.expect(proc.stderr, pattern, "usage error, exit 2: " + what)

    def rejected(self):
        proc = self.run(self.args.rejected, expect_rc=1)
        lines = proc.stderr.strip().splitlines()
        line = [l for l in lines if "WARNING: DEVELOPMENT DEVICE KEY" not in l]
        if len(line) != 1:
            fail("a rejected payload should print the validator's message alone, got:\n" + proc.stderr)
        self.expect(line[0], r"^Aether payload rejected: %s: import env\.abort" % re.escape(self.args.rejected),
                    "a rejected module: the validator's message alone, naming the file as given")
        proc = self.run(os.path.join(self.args.work, "missing.wasm"), expect_rc=1)
        self.expect(proc.stderr, r"missing\.wasm: cannot read the payload: No such file or directory",
                    "a missing payload")

    def cache_and_report(self):
        a = self.args
        first = self.run(a.stock, "--wake", WAKE, "--wake", "0x21:pressure=1.0,dose=40", "--report",
                         os.path.join(a.work, "first.json"))
        self.expect(first.stdout, r"translated and linked in", "the first run translates")
        self.expect(first.stderr, r"WARNING: DEVELOPMENT DEVICE KEY IN USE", "the development key is announced")
        self.expect(first.stdout, r"^aether-sim: wake 1: vector 0x20 pressure=0\.12 dose=1250 -> ok status 3 "
                    r"telemetry 16 bytes, proof 0x[0-9a-f]{16} verified$", "a line per wake")
        second = self.run(a.stock, "--wake", WAKE, "--wake", "0x21:pressure=1.0,dose=40", "--report",
                          os.path.join(a.work, "second.json"))
        self.expect(second.stdout, r"found in the cache", "the second run finds the translation")
        if self.report("first.json")["wakes"] != self.report("second.json")["wakes"]:
            fail("two runs of the same wakes gave different reports")
        report = self.report("first.json")
        if report.get("simulator") is not True or [w["seq"] for w in report["wakes"]] != [1, 2] or \
                [w["outcome"] for w in report["wakes"]] != ["ok", "ok"] or report["epoch"] != 1:
            fail("first.json: %s" % json.dumps(report))
        for absent in ("image_sha256", "exit_code", "layout", "boot_to_dormant_tsc"):
            if absent in report:
                fail("first.json has the boot-only field %s" % absent)
        self.count += 1
        print("sim_cli: ok: the report: simulator, epoch 1, seq from 1, no boot-only fields", flush=True)
        out = self.verify(a.development_key, os.path.join(a.work, "first.json"))
        self.expect(out, r"2 valid, 0 invalid", "aether-verify accepts the report")

    def keys_and_epoch(self):
        a = self.args
        field = self.run(a.stock, "--key", a.field_key, "--epoch", "7", "--wake", WAKE, "--wake", WAKE,
                         "--report", os.path.join(a.work, "field.json"))
        self.expect(field.stdout, r"found in the cache", "a new key runs the payload's runner, which holds no key")
        if "DEVELOPMENT DEVICE KEY" in field.stderr:
            fail("the field key was announced as the development key")
        report = self.report("field.json")
        if [(w["epoch"], w["seq"]) for w in report["wakes"]] != [(7, 1), (7, 2)]:
            fail("--epoch 7: %s" % [(w["epoch"], w["seq"]) for w in report["wakes"]])
        self.expect(self.verify(a.field_key, os.path.join(a.work, "field.json")), r"2 valid, 0 invalid",
                    "--epoch 7 and a field key: records epoch 7, seq 1 and 2, verified with that key")
        self.expect(self.verify(a.development_key, os.path.join(a.work, "field.json"), expect_rc=1),
                    r"#0: INVALID \(", "the field key's records do not verify with the development key")
        with open(a.field_key) as handle:
            digits = [l.strip() for l in handle if l.strip() and not l.startswith("#")][0].lower()
        secret = bytes.fromhex(digits)
        for folder, _, files in os.walk(self.cache):
            for name in files:
                with open(os.path.join(folder, name), "rb") as handle:
                    data = handle.read()
                if secret in data or digits.encode() in data or digits.upper().encode() in data:
                    fail("the field key is in the cache: %s" % os.path.join(folder, name))
        self.count += 1
        print("sim_cli: ok: no file of the cache holds the field key", flush=True)

    def named_functions(self):
        a = self.args
        wasm = os.path.join(a.work, "named.wasm")
        subprocess.run([a.wat2wasm, "--debug-names", a.named_wat, "-o", wasm], check=True)
        wakes = []
        for dose in (0, 1, 2, 3, 4, 5, 0):
            wakes += ["--wake", "0x20:pressure=1.0,dose=%d" % dose]
        started = time.monotonic()
        proc = self.run(wasm, "--watchdog-us", "20000", "--report", os.path.join(a.work, "named.json"), *wakes)
        seconds = time.monotonic() - started
        expected = [("ok", None), ("unreachable", "$check"), ("oob", "$load"), ("exhaustion", "$deep"),
                    ("host_call", "$send"), ("watchdog", "$spin"), ("ok", None)]
        got = [(w["outcome"], w.get("function")) for w in self.report("named.json")["wakes"]]
        if got != expected:
            fail("named.wat: %s, expected %s\n%s" % (got, expected, proc.stdout))
        self.expect(proc.stdout, r"-> unreachable in \$check status 0", "a trap names its wasm function, "
                    "inlined or not: unreachable, oob, call depth, host call, watchdog")
        if seconds > 10:
            fail("a 20 ms watchdog budget took %.1f s" % seconds)


def main():
    parser = argparse.ArgumentParser()
    for option in ("--sim", "--verify", "--wat2wasm", "--stock", "--rejected", "--named-wat", "--development-key",
                   "--field-key", "--malformed-key", "--work"):
        parser.add_argument(option, required=True)
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    checks = Checks(args)
    checks.help()
    checks.usage_errors()
    checks.rejected()
    checks.cache_and_report()
    checks.keys_and_epoch()
    checks.named_functions()
    print("sim_cli: PASS (%d checks)" % checks.count, flush=True)


if __name__ == "__main__":
    main()
