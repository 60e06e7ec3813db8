#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# wake_cli_case.py: a person's session: QEMU's wake sockets driven by scripts/aether-wake alone, proofs checked.
"""Usage:
  wake_cli_case.py --image BOOTX64.EFI --key KEYFILE

Boots the image on the harness's machine without the harness on the wake lines,
waits for dormancy, then runs scripts/aether-wake twice: one wake on vector
0x20's socket, then a wake and the shutdown frame on vector 0x21's. After each
wake the uplink's record must carry the values sent and its proof must verify
with the key; the run must end with exit 33.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

from aether_harness import machine, record, siphash, uplink  # noqa: E402

AETHER_WAKE = os.path.join(ROOT, "scripts", "aether-wake")
TIMEOUT_S = 120


def fail(message):
    print("wake_cli_case: FAIL: " + message, flush=True)
    sys.exit(1)


def wait_for(qemu, what, ready):
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        snapshot = uplink.read_uplink(qemu.uplink_path)
        if snapshot is not None and snapshot.magic_ok and ready(snapshot):
            return snapshot
        if not qemu.alive():
            fail("QEMU exited (%s) while waiting for %s" % (qemu.process.returncode, what))
        time.sleep(0.01)
    fail("timed out waiting for " + what)


def aether_wake(*args):
    command = [sys.executable, AETHER_WAKE] + list(args)
    print("wake_cli_case: " + " ".join(["aether-wake"] + list(args)), flush=True)
    if subprocess.run(command).returncode != 0:
        fail("aether-wake failed")


def check_commit(snapshot, key, seq, vector, pressure, dose):
    rec = record.parse_record(snapshot.record)
    if siphash.siphash24(key, snapshot.record) != snapshot.tag:
        fail("wake %d: the proof does not verify" % seq)
    sent = (seq, vector, record.f32_bits(pressure), dose)
    got = (rec.seq, rec.vector, rec.pressure_bits, rec.dose)
    if got != sent:
        fail("wake %d: the record holds seq, vector, pressure bits, dose %s, sent %s" % (seq, got, sent))
    print("wake_cli_case: wake %d on vector 0x%x committed, proof 0x%016x verified" % (seq, vector, snapshot.tag),
          flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--image", required=True)
    parser.add_argument("--key", required=True)
    args = parser.parse_args()
    key = record.load_key(args.key)
    with tempfile.TemporaryDirectory(prefix="aether-wake-cli-") as workdir:
        run(args.image, key, workdir)
    print("wake_cli_case: PASS", flush=True)


def run(image, key, workdir):
    esp, vars_path = os.path.join(workdir, "esp.img"), os.path.join(workdir, "OVMF_VARS.fd")
    machine.build_esp(image, esp)
    machine.prepare_vars(vars_path)
    qemu = machine.Machine(workdir, esp, vars_path, os.path.join(workdir, "debugcon.log"))
    qemu.start()
    try:
        wait_for(qemu, "dormancy", lambda s: s.state == uplink.STATE_DORMANT)
        aether_wake("--socket", qemu.lines[0x20].path, "--wake", "pressure=0.12,dose=1250")
        check_commit(wait_for(qemu, "commit 1", lambda s: s.commit_count == 1), key, 1, 0x20, 0.12, 1250)
        aether_wake("--socket", qemu.lines[0x21].path, "--wake", "pressure=1.0,dose=40", "--shutdown")
        code = qemu.wait_exit(time.monotonic() + TIMEOUT_S)
        check_commit(uplink.read_uplink(qemu.uplink_path), key, 2, 0x21, 1.0, 40)
        if code != machine.ISA_DEBUG_EXIT_PASS:
            fail("QEMU exited with %d, expected %d" % (code, machine.ISA_DEBUG_EXIT_PASS))
    finally:
        qemu.close()


if __name__ == "__main__":
    main()
