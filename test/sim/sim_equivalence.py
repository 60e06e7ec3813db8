#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# sim_equivalence.py: replays a boot test's wakes through aether-sim; outcomes, statuses, telemetry and records must match.
"""Usage:
  sim_equivalence.py --sim AETHER_SIM --verify AETHER_VERIFY --boot-report BOOT.json --image-dir DIR
                     --key KEYFILE --report OUT.json [--cache DIR]

BOOT.json is the report a boot test wrote (scripts/aether-run --report); DIR is the build tree of the image it
booted, whose aether-build.json names the payload and the board; KEYFILE is the key the boot had (the
development key, or its provisioned device's). Every wake of the boot report
is given, in order, to aether-sim with that payload, key and board and the boot's epoch. Then wake by wake the two
reports must agree on vector, pressure bits, dose, outcome, status, telemetry, seq, epoch, uplink words and the
memory the wake used, and the records must be equal byte for byte apart from the fields only a boot knows
(BOOT_ONLY_FIELDS, when the record has them); where the records are equal, the proofs must be too. Both reports
must say every proof verified, and aether-verify must accept the simulator's report.
"""
import argparse
import json
import math
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

from aether_harness import record  # noqa: E402

# Record fields whose values come from the boot and not from the payload and
# its wakes: the boot's flags (development key, Secure Boot) and its frame and
# queue counters. The simulator seals its own; they are shown, not compared.
BOOT_ONLY_FIELDS = ("boot_flags", "epoch_source", "dropped_wakes", "rejected_frames")

# Report fields both must have and agree on, and the ones compared when both have them.
SAME_FIELDS = ("vector", "pressure_bits", "dose", "outcome", "status", "telemetry", "seq", "epoch",
               "uplink_lo", "uplink_hi")
SAME_IF_BOTH = ("memory_bytes",)


def fail(message):
    print("sim_equivalence: FAIL: " + message, flush=True)
    sys.exit(1)


def load_json(path, what):
    try:
        with open(path) as handle:
            return json.load(handle)
    except (OSError, ValueError) as error:
        fail("%s %s: %s" % (what, path, error))


def pressure_text(bits):
    """A --wake pressure that aether-sim rounds to exactly these binary32 bits."""
    value = record.f32_value(bits)
    if math.isnan(value):
        if bits not in (0x7fc00000, 0xffc00000):
            fail("pressure bits 0x%08x: a NaN no --wake text gives" % bits)
        return "nan" if bits == 0x7fc00000 else "-nan"
    return repr(value)


def wake_spec(wake):
    return "%s:pressure=%s,dose=%d" % (wake["vector"], pressure_text(int(wake["pressure_bits"], 16)), wake["dose"])


def compare_records(i, boot_hex, sim_hex):
    """Compares two records field by field; returns the boot-only fields that differ."""
    boot_bytes, sim_bytes = bytes.fromhex(boot_hex), bytes.fromhex(sim_hex)
    try:
        boot_fields, sim_fields = record.parse_record(boot_bytes), record.parse_record(sim_bytes)
    except ValueError as error:
        fail("wake %d: %s" % (i, error))
    masked = []
    for name in boot_fields._fields:
        boot_value, sim_value = getattr(boot_fields, name), getattr(sim_fields, name)
        if boot_value == sim_value:
            continue
        if name in BOOT_ONLY_FIELDS:
            masked.append("%s %r (boot) / %r (simulator)" % (name, boot_value, sim_value))
            continue
        fail("wake %d: record field %s is %r in the boot, %r in the simulator" % (i, name, boot_value, sim_value))
    if not masked and boot_bytes != sim_bytes:
        fail("wake %d: the records differ byte for byte" % i)
    return masked


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sim", required=True)
    parser.add_argument("--verify", required=True)
    parser.add_argument("--boot-report", required=True)
    parser.add_argument("--image-dir", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--report", required=True)
    parser.add_argument("--cache")
    args = parser.parse_args()

    boot = load_json(args.boot_report, "boot report")
    if boot.get("error"):
        fail("the boot test failed (%s): nothing to compare" % boot["error"])
    boot_wakes = boot.get("wakes") or fail("the boot report %s has no wakes" % args.boot_report)
    info = load_json(os.path.join(args.image_dir, "aether-build.json"), "build info")

    command = [args.sim, info["payload_wasm"], "--key", args.key, "--board", info["board"],
               "--epoch", str(boot["epoch"]), "--report", args.report]
    if args.cache:
        command += ["--cache", args.cache]
    for wake in boot_wakes:
        command += ["--wake", wake_spec(wake)]
    print("sim_equivalence: %d wakes of %s through aether-sim %s" % (len(boot_wakes), args.boot_report,
                                                                      info["payload_wasm"]), flush=True)
    if subprocess.run(command).returncode != 0:
        fail("aether-sim failed")
    sim = load_json(args.report, "simulator report")
    if sim.get("simulator") is not True:
        fail("the simulator's report lacks \"simulator\": true")
    sim_wakes = sim.get("wakes", [])
    if len(sim_wakes) != len(boot_wakes):
        fail("%d wakes in the simulator's report, %d in the boot's" % (len(sim_wakes), len(boot_wakes)))

    identical, masked_count = 0, 0
    for i, (ours, theirs) in enumerate(zip(sim_wakes, boot_wakes), 1):
        for name in SAME_FIELDS:
            if ours.get(name) != theirs.get(name):
                fail("wake %d: %s is %r in the boot, %r in the simulator" % (i, name, theirs.get(name),
                                                                               ours.get(name)))
        for name in SAME_IF_BOTH:
            if name in ours and name in theirs and ours[name] != theirs[name]:
                fail("wake %d: %s is %r in the boot, %r in the simulator" % (i, name, theirs[name], ours[name]))
        if ours.get("proof_verified") is not True or theirs.get("proof_verified") is not True:
            fail("wake %d: proof_verified %s (boot), %s (simulator)" % (i, theirs.get("proof_verified"),
                                                                         ours.get("proof_verified")))
        masked = compare_records(i, theirs["record"], ours["record"])
        if masked:
            masked_count += 1
            print("sim_equivalence: wake %d: boot-only fields differ: %s" % (i, "; ".join(masked)), flush=True)
        elif ours["proof"] != theirs["proof"]:
            fail("wake %d: equal records, proofs %s (boot) and %s (simulator)" % (i, theirs["proof"],
                                                                                  ours["proof"]))
        else:
            identical += 1
        where = " in %s" % ours["function"] if ours.get("function") else ""
        print("sim_equivalence: wake %d %s dose=%d: %s%s status %d, telemetry %d bytes: same in both" % (
            i, ours["vector"], ours["dose"], ours["outcome"], where, ours["status"], len(ours["telemetry"]) // 2),
            flush=True)

    verdict = subprocess.run([args.verify, "--key", args.key, args.report], capture_output=True, text=True)
    print(verdict.stdout.rstrip(), flush=True)
    if verdict.returncode != 0:
        fail("aether-verify rejected the simulator's report:\n" + verdict.stderr)
    print("sim_equivalence: PASS: %d wakes, %d with identical records and proofs, %d equal but for boot-only fields"
          % (len(sim_wakes), identical, masked_count), flush=True)


if __name__ == "__main__":
    main()
