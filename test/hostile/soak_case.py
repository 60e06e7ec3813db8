#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# soak_case.py: one boot, many wakes of test/hostile/soak.wat: all committed and verified, high-water marks steady.
"""Usage:
  soak_case.py --image BOOTX64.EFI --report OUT.json [--wakes N] [--verify AETHER_VERIFY --key KEYFILE]

Sends N wakes (default 1000) on one boot, alternating vectors 0x20 and 0x21,
with doses that cycle through the payload's four behaviours (dose mod 4: healthy,
div_by_zero, oob, unreachable) in a scrambled order. The harness verifies every
proof and that sequence numbers run 1..N with no commit lost or extra, and checks
after each wake that the linear memory region reads zero. This script then
checks each wake's outcome and status, that every behaviour always used the
same cycle-stack and linear-memory bytes (uplink LAST_STACK_BYTES and
LAST_MEMORY_BYTES), and has the verifier accept the report.
"""
import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "test", "boot"))

import boot_case  # noqa: E402

BEHAVIOURS = ("ok", "div_by_zero", "oob", "unreachable")  # soak.wat, by dose mod 4
WASM_PAGE = 65536


def wake_plan(count):
    """(vector, pressure, dose) per wake: vectors alternate, doses cover every behaviour."""
    plan = []
    for i in range(count):
        dose = (i * 7919 + 13) % 100003
        plan.append((0x20 if i % 2 == 0 else 0x21, (i % 10) / 8.0, dose))
    return plan


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--image", required=True)
    parser.add_argument("--report", required=True)
    parser.add_argument("--wakes", type=int, default=1000)
    parser.add_argument("--verify")
    parser.add_argument("--key")
    args = parser.parse_args()

    plan = wake_plan(args.wakes)
    specs = ["0x%02x:pressure=%r,dose=%d" % step for step in plan]
    report = boot_case.run_harness(args.image, args.report, specs,
                                   ["--quiet", "--check-zero-memory", "--timeout", "540"])
    wakes = report["wakes"]
    if len(wakes) != len(plan):
        boot_case.fail("%d wakes committed, %d sent" % (len(wakes), len(plan)))

    marks = {}
    for i, (wake, (vector, _, dose)) in enumerate(zip(wakes, plan), 1):
        behaviour = BEHAVIOURS[dose % 4]
        status = 2 * dose + 1 if behaviour == "ok" else 0
        if (wake["seq"], wake["vector"], wake["dose"]) != (i, "0x%02x" % vector, dose):
            boot_case.fail("wake %d: seq %s vector %s dose %s" % (i, wake["seq"], wake["vector"], wake["dose"]))
        if (wake["outcome"], wake["status"]) != (behaviour, status) or not wake["proof_verified"]:
            boot_case.fail("wake %d (dose %d): %s status %s verified %s, expected %s status %d"
                           % (i, dose, wake["outcome"], wake["status"], wake["proof_verified"], behaviour, status))
        if not wake.get("residue", {}).get("memory_zero"):
            boot_case.fail("wake %d: linear memory not zero afterwards" % i)
        marks.setdefault(behaviour, set()).add((wake["stack_bytes"], wake["memory_bytes"]))
    for kind, behaviour in enumerate(BEHAVIOURS):
        seen = marks.get(behaviour, set())
        if len(seen) != 1:
            boot_case.fail("%s wakes used varying (stack, memory) bytes: %s" % (behaviour, sorted(seen)))
        stack_bytes, memory_bytes = next(iter(seen))
        if memory_bytes != (kind + 2) * WASM_PAGE:
            boot_case.fail("%s wakes used %d memory bytes, expected %d" % (behaviour, memory_bytes, (kind + 2) * WASM_PAGE))
        count = sum(1 for _, _, dose in plan if dose % 4 == kind)
        print("boot_case: %-12s %4d wakes, always %6d stack bytes and %7d memory bytes"
              % (behaviour, count, stack_bytes, memory_bytes), flush=True)
    seconds = report.get("duration_s", 0)
    print("boot_case: %d wakes committed, verified and in sequence on one boot in %.1f s (%.1f wakes/s overall)"
          % (len(wakes), seconds, len(wakes) / seconds if seconds else 0), flush=True)
    if args.verify:
        boot_case.run_verifier(args.verify, args.key, [args.report], summary_only=True)
    print("boot_case: PASS", flush=True)


if __name__ == "__main__":
    main()
