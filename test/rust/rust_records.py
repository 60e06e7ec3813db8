#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# rust_records.py: the Rust stock payload's records must equal the C stock payload's for the same wakes, but for the identity.
"""Usage:
  rust_records.py --rust-wasm RUST.wasm --c-wasm C.wasm --reports RUST.json C.json
  rust_records.py --rust-wasm RUST.wasm --c-wasm C.wasm --sim AETHER_SIM --work DIR --wake SPEC...

RUST.json and C.json are the reports of two boots of the same wakes (scripts/aether-run --report), one of an image
of payload/rust, one of the stock image. With --sim this script makes the two reports itself, running the wakes
through aether-sim with each module. Wake by wake, every field of the two records must be equal except the payload
identity, which must be the SHA-256 of each .wasm (and so differ); every other field of the two reports' wakes
must be equal too, except those named in NOT_COMPARED, and both proofs must have verified. The proofs themselves
differ, as the tag covers the identity.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

from aether_harness import record  # noqa: E402

# Report fields of a wake that are not compared, and why: the record and its
# tag cover the identity (the record is compared field by field instead);
# the stack the translated code used and the TSC readings of a boot belong to
# the code and the run, not to the payload's logic.
NOT_COMPARED = ("record", "proof", "payload_sha256", "stack_bytes", "timing")

# Top-level report fields both runs must agree on, when present.
TOP_LEVEL = ("exit_code", "epoch", "device_id", "dropped_wakes", "rejected_frames")


def fail(message):
    print("rust_records: FAIL: " + message, flush=True)
    sys.exit(1)


def load_report(path):
    try:
        with open(path) as handle:
            report = json.load(handle)
    except (OSError, ValueError) as error:
        fail("report %s: %s" % (path, error))
    if report.get("error"):
        fail("the run that wrote %s failed (%s): nothing to compare" % (path, report["error"]))
    if not report.get("wakes"):
        fail("the report %s has no wakes" % path)
    return report


def sha256_of(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).digest()


def simulate(sim, wasm, out, wakes):
    command = [sim, wasm, "--report", out]
    for wake in wakes:
        command += ["--wake", wake]
    print("rust_records: $ " + " ".join(command), flush=True)
    if subprocess.run(command).returncode != 0:
        fail("aether-sim failed on " + wasm)
    return load_report(out)


def compare_wake(i, rust, c, rust_id, c_id):
    for name in sorted((set(rust) | set(c)) - set(NOT_COMPARED)):
        if rust.get(name) != c.get(name):
            fail("wake %d: %s is %r for Rust, %r for C" % (i, name, rust.get(name), c.get(name)))
    if rust.get("proof_verified") is not True:
        fail("wake %d: the proof was not verified" % i)
    try:
        rust_fields = record.parse_record(bytes.fromhex(rust["record"]))
        c_fields = record.parse_record(bytes.fromhex(c["record"]))
    except ValueError as error:
        fail("wake %d: %s" % (i, error))
    for name in rust_fields._fields:
        if name != "payload_sha256" and getattr(rust_fields, name) != getattr(c_fields, name):
            fail("wake %d: record field %s is %r for Rust, %r for C" % (i, name, getattr(rust_fields, name),
                                                                        getattr(c_fields, name)))
    for fields, identity, who in ((rust_fields, rust_id, "Rust"), (c_fields, c_id, "C")):
        if fields.payload_sha256 != identity:
            fail("wake %d: the %s record's payload identity is %s, not the SHA-256 of its .wasm, %s" % (
                i, who, fields.payload_sha256.hex(), identity.hex()))
    print("rust_records: wake %d %s pressure_bits=%s dose=%d: %s status %d, telemetry %s: %d record fields equal, "
          "identity %s (Rust) / %s (C)" % (i, rust["vector"], rust["pressure_bits"], rust["dose"], rust["outcome"],
                                         rust["status"], rust["telemetry"], len(rust_fields) - 1,
                                         rust_id.hex()[:16], c_id.hex()[:16]), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rust-wasm", required=True)
    parser.add_argument("--c-wasm", required=True)
    parser.add_argument("--reports", nargs=2, metavar=("RUST.json", "C.json"))
    parser.add_argument("--sim")
    parser.add_argument("--work")
    parser.add_argument("--wake", action="append", default=[])
    args = parser.parse_args()
    if bool(args.reports) == bool(args.sim) or bool(args.sim) != bool(args.work and args.wake):
        parser.error("give --reports, or --sim with --work and --wake")

    rust_id, c_id = sha256_of(args.rust_wasm), sha256_of(args.c_wasm)
    if rust_id == c_id:
        fail("%s and %s are the same module" % (args.rust_wasm, args.c_wasm))
    if args.reports:
        rust, c = load_report(args.reports[0]), load_report(args.reports[1])
    else:
        os.makedirs(args.work, exist_ok=True)
        rust = simulate(args.sim, args.rust_wasm, os.path.join(args.work, "rust.json"), args.wake)
        c = simulate(args.sim, args.c_wasm, os.path.join(args.work, "c.json"), args.wake)
    for name in TOP_LEVEL:
        if rust.get(name) != c.get(name):
            fail("%s is %r for Rust, %r for C" % (name, rust.get(name), c.get(name)))
    if len(rust["wakes"]) != len(c["wakes"]):
        fail("%d wakes for Rust, %d for C" % (len(rust["wakes"]), len(c["wakes"])))
    for i, (rust_wake, c_wake) in enumerate(zip(rust["wakes"], c["wakes"]), 1):
        compare_wake(i, rust_wake, c_wake, rust_id, c_id)
    print("rust_records: PASS: %d wakes, records equal field for field but the payload identity" % len(rust["wakes"]),
          flush=True)


if __name__ == "__main__":
    main()
