#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# boot_epoch.py: two boots on one OVMF variable store: the epoch goes up, and the verifier takes them in order only.
"""Usage: boot_epoch.py --image BOOTX64.EFI --workdir DIR --verify AETHER_VERIFY --key KEYFILE"""
import argparse
import json
import os
import subprocess
import sys

from boot_case import AETHER_RUN, fail, run_verifier


def boot(image, vars_file, report, wake):
    command = [sys.executable, AETHER_RUN, "--image", image, "--vars", vars_file, "--report", report, "--wake", wake]
    print("boot_epoch: " + " ".join(command), flush=True)
    if subprocess.run(command).returncode != 0:
        fail("aether-run failed")
    with open(report) as f:
        return json.load(f)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--image", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--verify", required=True)
    parser.add_argument("--key", required=True)
    args = parser.parse_args()

    os.makedirs(args.workdir, exist_ok=True)
    vars_file = os.path.join(args.workdir, "OVMF_VARS.fd")
    if os.path.exists(vars_file):
        os.unlink(vars_file)  # a fresh store: the first boot is epoch 1
    first_report = os.path.join(args.workdir, "boot1.json")
    second_report = os.path.join(args.workdir, "boot2.json")
    first = boot(args.image, vars_file, first_report, "0x20:pressure=0.12,dose=1250")
    second = boot(args.image, vars_file, second_report, "0x21:pressure=1.0,dose=40")
    if (first.get("epoch"), second.get("epoch")) != (1, 2):
        fail("epochs %s then %s, expected 1 then 2" % (first.get("epoch"), second.get("epoch")))
    print("boot_epoch: epochs 1 then 2", flush=True)

    run_verifier(args.verify, args.key, [first_report, second_report], expect_ok=True)
    swapped = run_verifier(args.verify, args.key, [second_report, first_report], expect_ok=False)
    if "epoch went back" not in swapped:
        fail("the swapped order was rejected, but not as 'epoch went back'")
    print("boot_epoch: PASS", flush=True)


if __name__ == "__main__":
    main()
