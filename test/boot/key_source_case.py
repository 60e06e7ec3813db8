#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# key_source_case.py: an image for a key-source uefi-variable board refuses every variable store that lacks a good key.
"""Usage: key_source_case.py --image BOOTX64.EFI --work DIR

Boots the image three times through scripts/aether-run, each on a variable store of its own (a copy of
OVMF_VARS_4M.fd): without AetherDeviceKey; with it 16 bytes but runtime-visible (NON_VOLATILE |
BOOTSERVICE_ACCESS | RUNTIME_ACCESS); with it non-volatile and boot-services only but 17 bytes. Each boot must
halt with 0x13 (QEMU exit 39) before ExitBootServices, the reason in the enclave's log and on the firmware
console, commit nothing (aether-run --expect-boot-failure: the uplink region holds no record) and leave the
store without a boot epoch (the key comes before the epoch).
"""
import argparse
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

from aether_harness import machine, ovmf_vars  # noqa: E402

KEY = bytes.fromhex("5ac1e8e7a0b94d36a2f3c7d10e9b8a61")  # a test-only key, never provisioned anywhere
EXIT_DEVICE_KEY = 39  # halt code 0x13
CASES = (
        ("missing", None, None, r"device key unavailable \(key-source uefi-variable\): variable AetherDeviceKey not "
                                r"provisioned; refusing to run"),
        ("runtime", KEY, ovmf_vars.DEVICE_KEY_ATTRIBUTES | ovmf_vars.RUNTIME_ACCESS,
         r"variable AetherDeviceKey has attributes 0x7, not 0x3 \(non-volatile, boot services only\)"),
        ("size", KEY + b"\x00", ovmf_vars.DEVICE_KEY_ATTRIBUTES, r"variable AetherDeviceKey is 17 bytes, not 16"),
)


def fail(message):
        print("key_source_case: FAIL: " + message, flush=True)
        sys.exit(1)


def main():
        parser = argparse.ArgumentParser()
        parser.add_argument("--image", required=True)
        parser.add_argument("--work", required=True)
        args = parser.parse_args()
        shutil.rmtree(args.work, ignore_errors=True)
        os.makedirs(args.work)
        for name, data, attributes, reason in CASES:
                vars_path = os.path.join(args.work, name + ".fd")
                shutil.copyfile(machine.OVMF_VARS_TEMPLATE, vars_path)
                if data is not None:
                        ovmf_vars.write_variable(vars_path, ovmf_vars.DEVICE_KEY_NAME, data, attributes)
                command = [sys.executable, os.path.join(ROOT, "scripts", "aether-run"), "--image", args.image,
                           "--vars", vars_path, "--report", os.path.join(args.work, name + ".json"),
                           "--expect-boot-failure", reason, "--expect-exit", str(EXIT_DEVICE_KEY)]
                print("key_source_case: %s: %s" % (name, " ".join(command[1:])), flush=True)
                if subprocess.run(command).returncode != 0:
                        fail("%s: aether-run did not see the boot refuse the key with exit %d" % (name, EXIT_DEVICE_KEY))
                epoch = ovmf_vars.read_boot_epoch(vars_path)
                if epoch is not None:
                        fail("%s: the refused boot advanced the boot epoch to %d" % (name, epoch))
                print("key_source_case: %s: refused with exit %d, nothing committed, no epoch" % (name, EXIT_DEVICE_KEY),
                      flush=True)
        print("key_source_case: PASS", flush=True)


if __name__ == "__main__":
        main()
