#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# tpm_boot_case.py: a TPM device, provisioned and booted: its proofs verify, its key stays secret, refusals and rollback.
"""Usage: tpm_boot_case.py --image BOOTX64.EFI --verify AETHER_VERIFY --work DIR [--secure-boot]

The image's board says key-source tpm. In DIR (made afresh), scripts/aether-provision makes device A
(one boot: PCR 7), and tpm.provision_tpm a bare TPM B. Then six boots through scripts/aether-run:
  1. A: one wake; aether-verify --keyring A/keyring accepts the report; the records carry key-tpm and
     epoch-tpm; the log says where the key and the epoch n came from; the key (bytes, hex) is in none
     of BOOTX64.EFI, esp.img, the log, the report, the uplink region. A's VARS file is kept.
  2. A again: epoch n + 1.
  3. A with the VARS file kept after boot 1 put back: epoch n + 2 (the TPM counter, not the VARS).
  4. A's ESP and VARS with B's TPM: TPM2_Load refuses A's sealed key; halt 0x13 (QEMU exit 39), PCR 7
     logged, nothing committed.
  5. With --secure-boot (A provisioned and booted under enforcing Secure Boot): A's TPM and ESP with
     Secure Boot off (a VARS without PK, OVMF_CODE_4M.fd without SMM): TPM2_Unseal refuses
     (TPM_RC_POLICY_FAIL: PCR 7 differs); halt 0x13, nothing committed.
  6. A whose TPM lost the epoch counter (tpm2_nvundefine on a copy of its state): the key unseals, but
     TPM2_NV_Increment is refused; halt 0x14 (QEMU exit 41), nothing committed.
Prints the TPM steps' costs from the log: TSC ticks, and milliseconds at the rate the enclave measured.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
sys.path.insert(0, os.path.join(ROOT, "test", "boot"))

from aether_harness import machine, provision, record, tpm  # noqa: E402
from boot_case import AETHER_RUN, check_key_secret, fail, image_files  # noqa: E402

AETHER_PROVISION = os.path.join(ROOT, "scripts", "aether-provision")
EXIT_DEVICE_KEY = 39  # halt code 0x13
EXIT_BOOT_EPOCH = 41  # halt code 0x14
TPM_RC_POLICY_FAIL = 0x99D
UNSEAL_LINE = re.compile(r"tpm: key unsealed \(PCR 7 policy\), (\d+) TSC ticks")
EPOCH_LINE = re.compile(r"tpm: epoch (\d+) from NV counter 0x01800ae0, (\d+) TSC ticks")
TSC_RATE = re.compile(r"TSC (\d+) Hz")


def run(argv):
        print("tpm_boot_case: " + " ".join(argv), flush=True)
        return subprocess.run(argv).returncode


def boot(args, name, device, secure_boot, expect_failure=None, expect_exit=EXIT_DEVICE_KEY):
        """One aether-run of device; returns (report, log text, uplink file)."""
        report, log, region = (os.path.join(args.work, name + suffix) for suffix in (".json", ".log", ".uplink"))
        argv = [sys.executable, AETHER_RUN, "--image", args.image, "--device", device, "--report", report,
                "--qemu-log", log, "--keep-uplink", region]
        if secure_boot:
                argv.append("--secure-boot")
        if expect_failure is None:
                argv += ["--wake", "0x20:pressure=0.12,dose=1250"]
        else:
                argv += ["--expect-boot-failure", expect_failure, "--expect-exit", str(expect_exit)]
        if run(argv) != 0:
                fail("boot %s failed" % name)
        with open(report) as handle, open(log, encoding="utf-8", errors="replace") as log_handle:
                return json.load(handle), log_handle.read(), region


def epoch_of(name, log_text, report):
        match = EPOCH_LINE.search(log_text)
        if match is None or report.get("epoch") != int(match.group(1)):
                fail("boot %s: no 'tpm: epoch N from NV counter' line matching the report's epoch %s"
                     % (name, report.get("epoch")))
        return int(match.group(1))


def copy_device(source, name, work):
        """A copy of device folder source, to boot with one part changed."""
        target = os.path.join(work, name)
        shutil.copytree(source, target)
        return target


def report_costs(log_text):
        """The unseal's and the NV increment's cost, from the log of a successful boot."""
        unseal, epoch, rate = UNSEAL_LINE.search(log_text), EPOCH_LINE.search(log_text), TSC_RATE.search(log_text)
        if unseal is None or epoch is None:
                fail("the log lacks the TPM cost lines")
        for what, ticks in (("unseal (Load .. FlushContext)", int(unseal.group(1))),
                            ("epoch (NV_Increment + NV_Read)", int(epoch.group(2)))):
                milliseconds = " = %.1f ms" % (ticks * 1000.0 / int(rate.group(1))) if rate else ""
                print("tpm_boot_case: cost of the %s: %d TSC ticks%s" % (what, ticks, milliseconds), flush=True)


def main():
        parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
        parser.add_argument("--image", required=True)
        parser.add_argument("--verify", required=True)
        parser.add_argument("--work", required=True)
        parser.add_argument("--secure-boot", action="store_true")
        args = parser.parse_args()
        shutil.rmtree(args.work, ignore_errors=True)
        os.makedirs(args.work)

        device_a = os.path.join(args.work, "device-a")
        argv = [AETHER_PROVISION, "--device", device_a, "--key-source", "tpm", "--image", args.image]
        if run(argv + (["--secure-boot"] if args.secure_boot else [])) != 0:
                fail("aether-provision failed")
        key_file = os.path.join(device_a, provision.DEVICE_KEY)

        # 1: proofs verify with the keyring line; flags; the key nowhere.
        first, log_text, region = boot(args, "boot1", device_a, args.secure_boot)
        verified = subprocess.run([args.verify, "--keyring", os.path.join(device_a, provision.DEVICE_KEYRING),
                                   os.path.join(args.work, "boot1.json")], capture_output=True, text=True)
        print(verified.stdout, end="", flush=True)
        if verified.returncode != 0:
                fail("aether-verify --keyring rejected boot 1's report")
        flags = record.BOOT_FLAG_KEY_TPM | record.BOOT_FLAG_EPOCH_TPM
        for wake in first["wakes"]:
                if wake.get("boot_flags", 0) & flags != flags:
                        fail("boot 1: a record's boot flags 0x%x lack key-tpm and epoch-tpm" % wake.get("boot_flags", 0))
        if not UNSEAL_LINE.search(log_text):
                fail("boot 1: no 'tpm: key unsealed (PCR 7 policy)' line")
        check_key_secret(key_file, image_files(args.image) + [os.path.join(args.work, "boot1" + suffix)
                                                                for suffix in (".json", ".log", ".uplink")])
        report_costs(log_text)
        epoch = epoch_of("1", log_text, first)
        kept_vars = os.path.join(args.work, "boot1-OVMF_VARS.fd")
        shutil.copyfile(os.path.join(device_a, provision.DEVICE_VARS), kept_vars)

        # 2 and 3: the counter goes on, whatever the VARS say.
        second, log_text, _ = boot(args, "boot2", device_a, args.secure_boot)
        if epoch_of("2", log_text, second) != epoch + 1:
                fail("boot 2: epoch %d after %d" % (second["epoch"], epoch))
        shutil.copyfile(kept_vars, os.path.join(device_a, provision.DEVICE_VARS))
        third, log_text, _ = boot(args, "boot3", device_a, args.secure_boot)
        if epoch_of("3", log_text, third) != epoch + 2:
                fail("boot 3, on boot 1's VARS: epoch %d, expected %d (the TPM counter)" % (third["epoch"], epoch + 2))
        print("tpm_boot_case: epochs %d, %d, then %d on boot 1's VARS" % (epoch, epoch + 1, epoch + 2), flush=True)

        # 4: another device's TPM.
        device_b_tpm = os.path.join(args.work, "device-b-tpm")
        tpm.provision_tpm(device_b_tpm)
        mixed = copy_device(device_a, "device-a-with-b-tpm", args.work)
        shutil.rmtree(os.path.join(mixed, tpm.DEVICE_TPM_STATE))
        shutil.copytree(device_b_tpm, os.path.join(mixed, tpm.DEVICE_TPM_STATE))
        _, log_text, _ = boot(args, "boot4", mixed, args.secure_boot,
                              expect_failure=r"device key unavailable \(key-source tpm\): TPM2_Load refused: "
                                             r"TPM response code 0x[0-9a-f]+")
        if not tpm.PCR7_LOG_LINE.search(log_text):
                fail("boot 4: PCR 7 not logged with the refusal")

        # 5: Secure Boot off, so PCR 7 differs.
        if args.secure_boot:
                off = copy_device(device_a, "device-a-secure-boot-off", args.work)
                shutil.copyfile(machine.OVMF_VARS_TEMPLATE, os.path.join(off, provision.DEVICE_VARS))
                manifest = provision.load_device(off)
                manifest["secure_boot"] = False  # so aether-run boots the firmware without Secure Boot
                with open(os.path.join(off, provision.DEVICE_MANIFEST), "w") as handle:
                        json.dump(manifest, handle)
                boot(args, "boot5", off, False,
                     expect_failure=r"device key unavailable \(key-source tpm\): TPM2_Unseal refused: TPM response "
                                    r"code 0x%x" % TPM_RC_POLICY_FAIL)
        # 6: no epoch counter.
        no_counter = copy_device(device_a, "device-a-no-counter", args.work)
        with tpm.Swtpm(os.path.join(no_counter, tpm.DEVICE_TPM_STATE), for_qemu=False) as swtpm:
                swtpm.tools("tpm2_nvundefine", "-C", "o", "0x%08x" % tpm.EPOCH_NV_INDEX)
        boot(args, "boot6", no_counter, args.secure_boot,
             expect_failure=r"boot epoch: TPM NV counter not advanced: TPM2_NV_Increment refused: TPM response code "
                            r"0x[0-9a-f]+; refusing to run", expect_exit=EXIT_BOOT_EPOCH)
        print("tpm_boot_case: PASS", flush=True)


if __name__ == "__main__":
        main()
