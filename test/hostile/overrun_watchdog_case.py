#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# overrun_watchdog_case.py: the watchdog fires while the user stack is full to within one small frame; the enclave goes on.
"""Usage:
  overrun_watchdog_case.py --image BOOTX64.EFI --report OUT.json --calibrate SPEC [--calibrate SPEC]...
                           [--wake SPEC]... [--expect E]... [--verify AETHER_VERIFY --key KEYFILE]

For a payload from overrun_gen.py --spin. A guest cannot see its stack pointer,
so the depth at which the stack is nearly full is measured first, on a boot of
its own: each --calibrate wake (dose 2000) descends until the stack is exhausted,
calling commit_uplink(0xCA11B, level) at every level, and the record (kept after
the fault) gives the last level K that fit. Every calibration wake must agree on
K, with the whole stack used.

Then the image is booted again with the --wake list, in which a dose may be
`spin` or `spin-N`: the wake descends the same way and spins at level K (or
K - N), calling nothing there, until the watchdog fires, so the watchdog's
interrupt arrives while the stack has less than one small frame and one
commit_uplink call free (N more frames for spin-N). Each wake must have its
--expect outcome (as hostile_case.py), with the residue checks on, and each
spin wake must have reached its level (its record holds commit_uplink(0x5914,
level - 1), from the level above) with the whole stack touched. The healthy
wake after a spin shows that the interrupt left the enclave able to hear the
next wake. Both reports must verify.
"""
import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import hostile_case  # noqa: E402  (also puts test/boot and scripts on the path)
import boot_case  # noqa: E402

UPLINK_CALIBRATE = 0xCA11B  # overrun_gen.py: commit_uplink(UPLINK_CALIBRATE, level) at each calibration level
UPLINK_SPIN = 0x5914        # overrun_gen.py: commit_uplink(UPLINK_SPIN, level) at each level above the spin
SPIN_BASE = 3000            # overrun_gen.py: dose SPIN_BASE + K spins at chain level K
SPIN_DOSE = re.compile(r"dose=spin(?:-(\d+))?(?=,|$)")
# A deaf enclave never commits the next wake: fail after 60 s, not aether-run's default 120.
HARNESS_TIMEOUT = ["--timeout", "60"]


def calibrate(image, report_path, specs, key_args):
    report = boot_case.run_harness(image, report_path, specs, hostile_case.RESIDUE_CHECKS + key_args + HARNESS_TIMEOUT)
    wakes = report["wakes"]
    boot_case.check_report(report, ["exhaustion"] * len(specs))
    hostile_case.check_residue(wakes)
    hostile_case.check_stack_full(report, list(range(1, len(wakes) + 1)))
    levels = set()
    for i, wake in enumerate(wakes, 1):
        if wake.get("uplink_lo") != UPLINK_CALIBRATE:
            boot_case.fail("calibration wake %d: uplink_lo %s, expected 0x%x (the descent never started)"
                           % (i, wake.get("uplink_lo"), UPLINK_CALIBRATE))
        levels.add(wake.get("uplink_hi"))
    if len(levels) != 1:
        boot_case.fail("calibration wakes disagree on the last level that fit: %s" % sorted(levels))
    level = levels.pop()
    if not 1 <= level < 1000:
        boot_case.fail("calibration: last level %s is outside 1..999" % level)
    print("boot_case: calibrated: chain level %d is the last that fits in the user stack" % level, flush=True)
    return level


def substitute(specs, level):
    """Replaces dose=spin / dose=spin-N; returns the specs and {wake number: level} of the spin wakes."""
    out, spins = [], {}
    for i, spec in enumerate(specs, 1):
        match = SPIN_DOSE.search(spec)
        if match:
            target = level - int(match.group(1) or 0)
            if target < 1:
                boot_case.fail("wake %d: %s asks for a level below 1 (calibrated %d)" % (i, spec, level))
            spec = SPIN_DOSE.sub("dose=%d" % (SPIN_BASE + target), spec)
            spins[i] = target
        out.append(spec)
    return out, spins


def check_spins(report, spins):
    for i, target in sorted(spins.items()):
        wake = report["wakes"][i - 1]
        if (wake.get("uplink_lo"), wake.get("uplink_hi")) != (UPLINK_SPIN, target - 1):
            boot_case.fail("wake %d: uplink (%s, %s), expected (0x%x, %d): the spin at level %d was not reached"
                           % (i, wake.get("uplink_lo"), wake.get("uplink_hi"), UPLINK_SPIN, target - 1, target))
    print("boot_case: spin wakes %s spun at their levels (%s) until the watchdog"
          % (", ".join(map(str, sorted(spins))), ", ".join(str(spins[i]) for i in sorted(spins))), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--image", required=True)
    parser.add_argument("--report", required=True)
    parser.add_argument("--calibrate", action="append", default=[], required=True)
    parser.add_argument("--wake", action="append", default=[])
    parser.add_argument("--expect", action="append", default=[])
    parser.add_argument("--verify")
    parser.add_argument("--key")
    args = parser.parse_args()

    key_args = ["--key", args.key] if args.key else []
    stem = args.report[:-len(".json")] if args.report.endswith(".json") else args.report
    calibration_report = stem + ".calibration.json"
    level = calibrate(args.image, calibration_report, args.calibrate, key_args)

    specs, spins = substitute(args.wake, level)
    if not spins:
        boot_case.fail("no wake asks for dose=spin")
    report = boot_case.run_harness(args.image, args.report, specs,
                                   hostile_case.RESIDUE_CHECKS + key_args + HARNESS_TIMEOUT)
    boot_case.check_report(report, args.expect)
    hostile_case.check_residue(report["wakes"])
    check_spins(report, spins)
    hostile_case.check_stack_full(report, sorted(spins))
    if args.verify:
        # Two boots, each with a fresh variable store: each report is its own sequence.
        for path in (calibration_report, args.report):
            boot_case.run_verifier(args.verify, args.key, [path])
    print("boot_case: PASS", flush=True)


if __name__ == "__main__":
    main()
