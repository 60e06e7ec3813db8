#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# fleet.py: the records of three booted devices (three keys), interleaved with losses and a reordering, verified in one run through a keyring.
"""Usage:
  fleet.py --verify AETHER_VERIFY --work DIR --device REPORT KEYFILE BUILD_JSON [--device ...]

Each --device is a boot test's report, its image's key and its aether-build.json. The
records of every report become one proof stream, the devices taking turns, as a radio link
would deliver them; from the first device seq 2 and 3 are lost and seq 5 arrives before 4,
from the last device seq 3 is lost. aether-verify reads the stream in one run with a
keyring of all the devices (lines written from --device-id, as an operator would) and
every payload pinned; every record must be valid, and exactly the lost ones reported
missing. The Python verifier must print the same. A second run with --json must agree.
"""
import argparse
import json
import os
import struct
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

from aether_harness import record  # noqa: E402

LOST = {0: {2, 3}, -1: {3}}   # device index -> seqs the link loses
LATE = {0: (4, 5)}            # device index -> (seq delivered after, seq)


def fail(message):
    print("fleet: FAIL: " + message, flush=True)
    sys.exit(1)


def entries(report_path):
    """(seq, stream entry) of every wake of a report."""
    with open(report_path) as handle:
        wakes = json.load(handle)["wakes"]
    if not wakes:
        fail("%s has no wake" % report_path)
    return [(w["seq"], bytes.fromhex(w["record"]) + struct.pack("<Q", int(w["proof"], 16))) for w in wakes]


def delivered(index, count, records):
    """The records of device `index` of `count` as the link delivers them."""
    lost = LOST.get(index, LOST.get(index - count, set()))
    kept = [(seq, data) for seq, data in records if seq not in lost]
    late = LATE.get(index)
    if late:
        order = [seq for seq, _ in kept]
        held = kept.pop(order.index(late[0]))
        kept.insert([seq for seq, _ in kept].index(late[1]) + 1, held)
    return kept


def run(command, env=None):
    proc = subprocess.run(command, capture_output=True, text=True, env=env)
    print("fleet: $ %s\n%s%s" % (" ".join(command), proc.stdout, proc.stderr), end="", flush=True)
    return proc


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--verify", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--device", nargs=3, action="append", required=True, metavar=("REPORT", "KEYFILE", "BUILD_JSON"))
    args = parser.parse_args()
    if len(args.device) < 3:
        fail("a fleet needs at least three devices")
    os.makedirs(args.work, exist_ok=True)

    keyring, streams, devices = ["# the fleet: device ID, key\n"], [], []
    for index, (report, key_file, _) in enumerate(args.device):
        device = run([args.verify, "--device-id", key_file]).stdout.strip()
        key_line = [line for line in open(key_file).read().splitlines() if line and not line.startswith("#")][0]
        if device != record.device_id(bytes.fromhex(key_line)).hex():
            fail("aether-verify --device-id %s disagrees with the Python derivation" % key_file)
        keyring.append("%s %s  # %s\n" % (device, key_line, os.path.basename(report)))
        streams.append(delivered(index, len(args.device), entries(report)))
        devices.append(device)
    if len(set(devices)) != len(devices):
        fail("two devices share a key")
    keyring_path, stream_path = os.path.join(args.work, "fleet.keyring"), os.path.join(args.work, "fleet.aepr")
    with open(keyring_path, "w") as handle:
        handle.writelines(keyring)
    interleaved = []
    for turn in range(max(len(s) for s in streams)):
        interleaved += [s[turn][1] for s in streams if turn < len(s)]
    with open(stream_path, "wb") as handle:
        handle.write(b"".join(interleaved))

    pins = []
    for _, _, build_json in args.device:
        pins += ["--payload", build_json]
    command = [args.verify, "--keyring", keyring_path] + pins + [stream_path]
    text = run(command)
    if text.returncode != 0:
        fail("aether-verify exited %d" % text.returncode)
    python = run([sys.executable, "-m", "aether_harness.ground"] + command[1:],
                 env=dict(os.environ, PYTHONPATH=os.path.join(ROOT, "scripts")))
    if (python.returncode, python.stdout) != (text.returncode, text.stdout):
        fail("the Python verifier disagrees")

    total = sum(len(s) for s in streams)
    expected_missing = ["missing: epoch 1 seq 2..3 (device %s)" % devices[0],
                        "missing: epoch 1 seq 3 (device %s)" % devices[-1]]
    lines = text.stdout.splitlines()
    if sum(" valid device=" in line for line in lines) != total or "INVALID" in text.stdout:
        fail("expected %d valid records and none invalid" % total)
    for line in expected_missing:
        if line not in lines:
            fail("no line \"%s\"" % line)
    if lines[-1] != "aether-verify: %d valid, 0 invalid, 3 missing, 0 missing boots" % total:
        fail("summary: %s" % lines[-1])
    objects = [json.loads(line) for line in run(command[:1] + ["--json"] + command[1:]).stdout.splitlines()]
    verdicts = [(o["device"], o["seq"]) for o in objects[:-1]]
    if len(verdicts) != total or objects[-1]["summary"]["missing"] != 3 or \
            {(m["device"], m["first_seq"], m["last_seq"]) for m in objects[-1]["missing"]} != \
            {(devices[0], 2, 3), (devices[-1], 3, 3)}:
        fail("--json: %s" % objects[-1])
    print("fleet: PASS (%d devices, %d records interleaved, 3 lost, one late, all verified in one run)"
          % (len(devices), total), flush=True)


if __name__ == "__main__":
    main()
