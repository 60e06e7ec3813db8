#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# boot_loss.py: makes a device lose events (bad frames, a wake its one-wake queue drops) and checks that its records, the report and aether-verify all show them.
"""Usage:
  boot_loss.py --image BOOTX64.EFI --key KEYFILE --verify AETHER_VERIFY --report OUT.json

The image is built for a board with `wake-queue 1`. One boot, through aether-run's harness:

  wake 1  0x20           committed; nothing lost yet
  --bad-frame 0x21, --bad-frame 0x20 (wrong CRCs: rejected, counted)
  wake 2  0x21           committed; rejected 2
  wake 3  0x21, with a wake on 0x20 completed at the same moment: the CPU is stopped (QMP
          stop) while the last byte of both frames reaches its UART, so on `cont` both
          interrupts are pending. The LAPIC takes the higher vector first: 0x21's wake is
          queued, 0x20's finds the queue full and is dropped. Committed: dropped 1, rejected 2
  wake 4  0x20           committed; dropped 1, rejected 2
  --bad-frame 0x21 after the last wake: only the live uplink registers see it (rejected 3)

Then the report's per-wake counters, its final ones, the enclave's log, and aether-verify on
the report, the proof stream (--json) and the final uplink dump must all show the same losses.
"""
import argparse
import fcntl
import json
import os
import struct
import subprocess
import sys
import termios
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import boot_case  # noqa: E402
from aether_harness import frame, qmp, record, run, uplink  # noqa: E402

WAKES = ["0x20:pressure=0.12,dose=1250", "0x21:pressure=1.0,dose=40", "0x21:pressure=0.9,dose=5000",
         "0x20:pressure=0.5,dose=1000"]
PAIRED = 3                                          # wake 3 arrives with ...
DROPPED = run.parse_wake("0x20:pressure=0.3,dose=10")  # ... this one, which the queue drops
# (dropped wakes, rejected frames) in each record, and in the uplink at the end.
EXPECTED_RECORDS = [(0, 0), (0, 2), (1, 2), (1, 2)]
EXPECTED_FINAL = (1, 3)
DRAIN_SECONDS = 5.0
SETTLE_SECONDS = 1.0  # the idle enclave takes a byte from its UART within microseconds; a loaded host is slower


def unsent(line):
    """Bytes the harness wrote to a UART line that QEMU has not read yet (SIOCOUTQ)."""
    return struct.unpack("i", fcntl.ioctl(line.sock.fileno(), termios.TIOCOUTQ, b"\0\0\0\0"))[0]


class LossRun(run.Run):
    """aether-run's harness mode, except that wake PAIRED arrives together with DROPPED."""

    def wait_read(self, lines, what):
        deadline = time.monotonic() + DRAIN_SECONDS
        while any(unsent(line) for line in lines):
            if time.monotonic() >= deadline:
                raise run.RunFailure("QEMU did not read %s within %.0f s" % (what, DRAIN_SECONDS))
            time.sleep(0.001)

    def send_wake(self, seq, wake):
        if seq != PAIRED:
            return super().send_wake(seq, wake)
        if wake.vector == DROPPED.vector:
            raise run.RunFailure("the paired wakes must be on different lines")
        before = uplink.read_uplink(self.machine.uplink_path)
        kept, dropped = frame.wake_frame(wake.pressure_bits, wake.dose), \
            frame.wake_frame(DROPPED.pressure_bits, DROPPED.dose)
        lines = [self.machine.lines[wake.vector], self.machine.lines[DROPPED.vector]]
        run.say("wake %d on 0x%02x with a wake on 0x%02x, completed together" % (seq, wake.vector, DROPPED.vector))
        lines[0].send(kept[:-1])
        lines[1].send(dropped[:-1])
        self.wait_read(lines, "the first 11 bytes of both frames")
        time.sleep(SETTLE_SECONDS)
        if self.qmp_client is None:
            self.qmp_client = qmp.QmpClient(self.machine.qmp_path, timeout=self.remaining())
        self.qmp_client.hmp("stop")
        try:
            lines[0].send(kept[-1:])
            lines[1].send(dropped[-1:])
            # With the CPU stopped, QEMU reads each last byte into its (empty) FIFO and raises both lines.
            self.wait_read(lines, "the last byte of both frames while the CPU is stopped (a UART still full?)")
        finally:
            self.qmp_client.hmp("cont")
        self.expected_dropped += 1

        def settled(s):
            if s.commit_count > before.commit_count + 1:
                raise run.RunFailure("wake %d: both paired wakes were committed: the board's wake queue is not 1"
                                     % seq)
            return (s.commit_count == before.commit_count + 1 and s.dormant_count == before.dormant_count + 1
                    and s.state == uplink.STATE_DORMANT and s.dropped_wakes == self.expected_dropped)
        return self.wait_uplink("waiting for wake %d's commit and the other's drop" % seq, settled)


def verify(verifier, key, inputs, extra=()):
    command = [verifier, "--key", key] + list(extra) + inputs
    proc = subprocess.run(command, capture_output=True, text=True)
    print("boot_loss: $ %s\n%s%s" % (" ".join(command), proc.stdout, proc.stderr), flush=True)
    if proc.returncode != 0:
        boot_case.fail("aether-verify exited %d" % proc.returncode)
    return proc.stdout


def main():
    parser = argparse.ArgumentParser()
    for option in ("--image", "--device", "--key", "--verify", "--report"):
        parser.add_argument(option, required=True)
    args = parser.parse_args()
    stream, dump, log = args.report[:-5] + ".aepr", args.report[:-5] + "-uplink.bin", args.report + ".log"

    argv = ["--image", args.image, "--key", args.key] + boot_case.device_args(args.device) + [
            "--report", args.report, "--proof-stream", stream,
            "--keep-uplink", dump, "--qemu-log", log, "--wake", WAKES[0], "--bad-frame", "0x21", "--bad-frame",
            "0x20"]
    for wake in WAKES[1:]:
        argv += ["--wake", wake]
    argv += ["--bad-frame", "0x21"]
    if run.main(argv, make_run=LossRun) != 0:
        boot_case.fail("aether-run failed")

    with open(args.report) as handle:
        report = json.load(handle)
    got = [(w["dropped_wakes"], w["rejected_frames"]) for w in report["wakes"]]
    if got != EXPECTED_RECORDS or [w["seq"] for w in report["wakes"]] != [1, 2, 3, 4]:
        boot_case.fail("the records' (dropped, rejected): %s, expected %s" % (got, EXPECTED_RECORDS))
    if (report.get("dropped_wakes"), report.get("rejected_frames")) != EXPECTED_FINAL:
        boot_case.fail("the uplink's final (dropped, rejected): (%s, %s), expected %s"
                       % (report.get("dropped_wakes"), report.get("rejected_frames"), EXPECTED_FINAL))
    print("boot_loss: the records say (dropped, rejected) %s, the uplink at the end %s" % (got, EXPECTED_FINAL),
          flush=True)
    boot_case.check_log(log, [r"frame rejected on vector 0x21: bad_crc", r"frame rejected on vector 0x20: bad_crc",
                              r"end: shutdown requested after 4 wakes \(1 dropped, 3 bad frames\)"], [])
    boot_case.check_key_secret(args.key, boot_case.image_files(args.image) + [args.report, log, dump, stream])

    text = verify(args.verify, args.key, [args.report])
    for i, (dropped, rejected) in enumerate(EXPECTED_RECORDS):
        if " seq=%d vector=" % (i + 1) not in text or \
                ("#%d: valid " % i) not in text or (" dropped=%d rejected=%d " % (dropped, rejected)) not in \
                text.splitlines()[i]:
            boot_case.fail("aether-verify's line %d does not show dropped=%d rejected=%d" % (i, dropped, rejected))
    objects = [json.loads(line) for line in verify(args.verify, args.key, [stream], ["--json"]).splitlines()]
    if [(o["dropped_wakes"], o["rejected_frames"]) for o in objects[:-1]] != EXPECTED_RECORDS or \
            objects[-1]["summary"] != {"valid": 4, "invalid": 0, "missing": 0, "missing_boots": 0}:
        boot_case.fail("aether-verify --json on the proof stream: %s" % objects)
    text = verify(args.verify, args.key, [dump])
    if " epoch=1 seq=4 " not in text or " dropped=1 rejected=2 " not in text:
        boot_case.fail("aether-verify on the final uplink dump does not show commit 4's losses")
    print("boot_loss: PASS", flush=True)


if __name__ == "__main__":
    main()
