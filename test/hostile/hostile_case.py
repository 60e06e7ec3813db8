#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# hostile_case.py: boots a hostile payload's image with the residue checks on and checks every wake from outside.
"""Usage:
  hostile_case.py --image BOOTX64.EFI --report OUT.json [--wake SPEC]... [--expect E]...
                  [--stack-full N]... [--spray-telemetry] [--verify AETHER_VERIFY --key KEYFILE]

Runs scripts/aether-run with --residue-spray --check-zero-memory --check-registers,
so after each wake, while the enclave is dormant, the harness has scanned the
guest RAM file for the residue spray of every dose sent so far, read the linear
memory region (all zero) and the registers (no spray word). Then each wake must
have the expected outcome (as boot_case.py: a number is an `ok` status, a name a
fault), a clean residue entry, and the proof must verify. --stack-full N: wake N
used the whole cycle stack (it ran into the guard page). --spray-telemetry: every
`ok` wake committed its spray as telemetry, which shows the guest really computed
the values the scan looked for.
"""
import argparse
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "test", "boot"))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import boot_case  # noqa: E402
from aether_harness import residue  # noqa: E402

# Residue from outside, and the page tables the hostile guest ran under.
RESIDUE_CHECKS = ["--residue-spray", "--check-zero-memory", "--check-registers", "--check-page-tables",
                  "--require-smep-smap"]


def check_residue(wakes):
    for i, wake in enumerate(wakes, 1):
        found = wake.get("residue")
        if found is None:
            boot_case.fail("wake %d: no residue entry in the report" % i)
        if (found.get("ram_hits") != 0 or found.get("memory_zero") is not True
                or found.get("register_hits") != [] or found.get("xmm_nonzero") != []):
            boot_case.fail("wake %d: residue %s" % (i, json.dumps(found)))
    print("boot_case: no spray in guest RAM or registers, zero XMM and linear memory after each of %d wakes"
          % len(wakes), flush=True)


def check_stack_full(report, wake_numbers):
    stack_bytes = report.get("layout", {}).get("cycle_stack_bytes")
    if not stack_bytes:
        boot_case.fail("no cycle_stack_bytes in the report's layout")
    for i, wake in enumerate(report["wakes"], 1):
        used = wake.get("stack_bytes")
        full = used == stack_bytes
        if full != (i in wake_numbers):
            boot_case.fail("wake %d used %s of %d cycle-stack bytes (expected %s)"
                           % (i, used, stack_bytes, "all" if i in wake_numbers else "less"))
    print("boot_case: wakes %s used the whole %d-byte cycle stack, the others less"
          % (", ".join(map(str, wake_numbers)), stack_bytes), flush=True)


def check_spray_telemetry(wakes):
    for i, wake in enumerate(wakes, 1):
        if wake.get("outcome") != "ok":
            continue
        telemetry = bytes.fromhex(wake.get("telemetry", ""))
        if not telemetry.startswith(b"".join(residue.spray_needles(wake["dose"]))):
            boot_case.fail("wake %d: telemetry %s does not start with the spray of dose %d"
                           % (i, telemetry.hex(), wake["dose"]))
    print("boot_case: every healthy wake committed the spray the scan looked for", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--image", required=True)
    parser.add_argument("--report", required=True)
    parser.add_argument("--wake", action="append", default=[])
    parser.add_argument("--expect", action="append", default=[])
    parser.add_argument("--stack-full", action="append", type=int, default=[])
    parser.add_argument("--spray-telemetry", action="store_true")
    parser.add_argument("--verify")
    parser.add_argument("--key")
    args = parser.parse_args()

    extra = RESIDUE_CHECKS + (["--key", args.key] if args.key else [])
    report = boot_case.run_harness(args.image, args.report, args.wake, extra)
    boot_case.check_report(report, args.expect)
    check_residue(report["wakes"])
    if args.stack_full:
        check_stack_full(report, args.stack_full)
    if args.spray_telemetry:
        check_spray_telemetry(report["wakes"])
    if args.verify:
        boot_case.run_verifier(args.verify, args.key, [args.report])
    print("boot_case: PASS", flush=True)


if __name__ == "__main__":
    main()
