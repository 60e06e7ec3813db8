#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""tpm.host_sequence: the image's TPM commands (enclave/tpm2_command.c, through tpm2-sequence) against a
real swtpm provisioned by scripts/aether_harness/tpm.py, as the factory does it.

Checks: the key sealed to PCR 7's value unseals, byte for byte; the epoch counter goes n, n+1, n+2;
after PCR 7 is extended the unseal is refused (TPM2_Unseal, TPM_RC_POLICY_FAIL) and no handle is left
loaded; device A's sealed key under device B's TPM is refused by TPM2_Load."""

import argparse
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from aether_harness import tpm  # noqa: E402

TPM_RC_POLICY_FAIL = 0x99D


def run_sequence(tool, swtpm, blob, expect_status):
        result = subprocess.run([tool, swtpm.socket, blob], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        print(result.stdout, end="")
        if result.returncode != expect_status:
                sys.exit("FAIL: tpm2-sequence exited %d, expected %d" % (result.returncode, expect_status))
        return dict(line.split(" ", 1) for line in result.stdout.splitlines())


def main():
        parser = argparse.ArgumentParser(description=__doc__)
        parser.add_argument("--tool", required=True, help="the tpm2-sequence program")
        args = parser.parse_args()
        with tempfile.TemporaryDirectory(prefix="aether-tpm-") as work:
                device_a, device_b = os.path.join(work, "a"), os.path.join(work, "b")
                key = os.urandom(16)
                for device in (device_a, device_b):
                        tpm.provision_tpm(device)
                blob = os.path.join(work, "sealed-key.bin")
                tpm.seal_key(device_a, key, bytes(32), blob)  # a started-up swtpm's PCR 7: zeros

                with tpm.Swtpm(device_a, for_qemu=False) as swtpm:
                        first = run_sequence(args.tool, swtpm, blob, 0)
                        if first["pcr7"] != "00" * 32 or first["key"] != key.hex():
                                sys.exit("FAIL: PCR 7 %s, key %s: expected zeros and %s"
                                         % (first["pcr7"], first["key"], key.hex()))
                        second = run_sequence(args.tool, swtpm, blob, 0)
                        if int(second["epoch"]) != int(first["epoch"]) + 1 or second["key"] != key.hex():
                                sys.exit("FAIL: second run: epoch %s after %s" % (second["epoch"], first["epoch"]))
                        swtpm.tools("tpm2_pcrextend", "7:sha256=" + "11" * 32)
                        refused = run_sequence(args.tool, swtpm, blob, 1)
                        if refused.get("refused") != "by TPM2_Unseal: rc 0x%x" % TPM_RC_POLICY_FAIL or "key" in refused:
                                sys.exit("FAIL: PCR 7 changed, yet no TPM_RC_POLICY_FAIL from TPM2_Unseal")
                        if int(refused["epoch"]) != int(first["epoch"]) + 2:
                                sys.exit("FAIL: third epoch %s" % refused["epoch"])
                        for kind in ("handles-transient", "handles-loaded-session"):
                                left = swtpm.tools("tpm2_getcap", kind).strip()
                                if left:
                                        sys.exit("FAIL: %s left after the runs: %s" % (kind, left))

                with tpm.Swtpm(device_b, for_qemu=False) as swtpm:
                        other = run_sequence(args.tool, swtpm, blob, 1)
                        if not re.fullmatch(r"by TPM2_Load: rc 0x[0-9a-f]+", other.get("refused", "")):
                                sys.exit("FAIL: device B's TPM did not refuse device A's sealed key at TPM2_Load")
        print("PASS: unsealed under PCR 7, epochs counted, refusals named")


if __name__ == "__main__":
        main()
