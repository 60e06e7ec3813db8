#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# watchdog_case.py: the watchdog budget, measured from outside under -icount, holds within 10% on one machine.
"""Usage:
  watchdog_case.py --image BOOTX64.EFI --report OUT.json --budget-us B --icount SHIFT --machine q35|pc
                   [--no-hpet] [--wake SPEC]... [--expect E]... [--verify AETHER_VERIFY --key KEYFILE]

The image's payload spins forever on one of the wakes (the hostile watchdog
payload, dose -1), so that wake lasts exactly as long as the watchdog lets it.
Under -icount shift=SHIFT,sleep=off QEMU's virtual clock, which drives the
HPET, the PM timer and the LAPIC timer, advances 2^SHIFT ns per instruction,
and the TSC counts those nanoseconds. So the uplink's TSC_WAKE_TO_COMMIT of the
spinning wake is its length in ns, known outside the enclave whatever the
enclave believes its clocks run at. It must lie within 10% of B µs. The
calibration the enclave published must say 1 GHz for the LAPIC timer and the
TSC (QEMU's rates) within 1%, against the HPET, or the PM timer with --no-hpet.
"""
import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "test", "boot"))

import boot_case  # noqa: E402

QEMU_RATE_HZ = 1000000000  # QEMU's LAPIC timer at divide-by-1, and the TSC under -icount


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--image", required=True)
    parser.add_argument("--report", required=True)
    parser.add_argument("--budget-us", type=int, required=True)
    parser.add_argument("--icount", required=True)
    parser.add_argument("--machine", required=True, choices=("q35", "pc"))
    parser.add_argument("--no-hpet", action="store_true")
    parser.add_argument("--wake", action="append", default=[])
    parser.add_argument("--expect", action="append", default=[])
    parser.add_argument("--verify")
    parser.add_argument("--key")
    args = parser.parse_args()

    extra = ["--qemu-log", args.report + ".log", "--key", args.key, "--icount", args.icount,
             "--machine", args.machine] + (["--no-hpet"] if args.no_hpet else [])
    report = boot_case.run_harness(args.image, args.report, args.wake, extra)
    boot_case.check_report(report, args.expect)
    boot_case.run_verifier(args.verify, args.key, [args.report])

    timer = report.get("timer", {})
    reference = "ACPI PM timer" if args.no_hpet else "HPET"
    if timer.get("reference") != reference:
        boot_case.fail("calibrated against %s, expected the %s" % (timer.get("reference"), reference))
    for name in ("lapic_timer_measured_hz", "tsc_hz", "lapic_timer_hz"):
        rate = timer.get(name, 0)
        if abs(rate - QEMU_RATE_HZ) > QEMU_RATE_HZ // 100:
            boot_case.fail("%s %d Hz is not within 1%% of QEMU's %d Hz" % (name, rate, QEMU_RATE_HZ))
    print("boot_case: calibrated against the %s: LAPIC timer %d Hz, TSC %d Hz (QEMU: %d Hz)"
          % (reference, timer["lapic_timer_measured_hz"], timer["tsc_hz"], QEMU_RATE_HZ), flush=True)

    budget_ns = args.budget_us * 1000
    stopped = [wake for wake in report["wakes"] if wake["outcome"] == "watchdog"]
    if not stopped:
        boot_case.fail("no wake was stopped by the watchdog")
    for wake in stopped:
        elapsed_ns = wake["timing"]["wake_to_commit_tsc"]  # TSC ticks are virtual ns under -icount
        if not budget_ns * 9 // 10 <= elapsed_ns <= budget_ns * 11 // 10:
            boot_case.fail("wake %d ran %d us under a %d us budget (not within 10%%)"
                           % (wake["seq"], elapsed_ns // 1000, args.budget_us))
        print("boot_case: wake %d stopped after %.1f us of virtual time: %+.3f%% against the %d us budget"
              % (wake["seq"], elapsed_ns / 1000, 100.0 * (elapsed_ns - budget_ns) / budget_ns, args.budget_us),
              flush=True)
    print("boot_case: PASS on %s" % report.get("machine"), flush=True)


if __name__ == "__main__":
    main()
