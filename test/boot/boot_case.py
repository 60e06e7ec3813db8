#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# boot_case.py: boots an image through scripts/aether-run and checks its report against expected wake outcomes.
"""Usage:
  boot_case.py --image BOOTX64.EFI --report OUT.json [--wake SPEC]... [--expect E]...
               [--verify AETHER_VERIFY --key KEYFILE] [--device DIR] [--secret-key] [--expect-exit N]
               [--expect-flags NAME,...] [-- extra aether-run args]

Each --expect is the outcome of the wake at the same position: a number is an
`ok` wake with that status, a name (oob, watchdog, ...) is that fault with
status 0. The harness must pass (exit 0), and with --verify the report must be
accepted by the ground-station verifier too. --device boots a provisioned
device (aether-run --device). With --secret-key, the key (its bytes, its hex
in either case, or half of either) must appear in none of the image, the
esp.img beside it, the report, the enclave's log and the final uplink region. The run
must end with QEMU exit status N (default 33): through isa-debug-exit, or, on a
machine without one, with the enclave's halt code whose status that would be.
With --expect-flags, every record's boot flags in the report are exactly those
named (ARCHITECTURE.md 7.4), and aether-verify prints them so.
"""
import argparse
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AETHER_RUN = os.path.join(ROOT, "scripts", "aether-run")
sys.path.insert(0, os.path.join(ROOT, "scripts"))

from aether_harness import record  # noqa: E402


def fail(message):
    print("boot_case: FAIL: " + message, flush=True)
    sys.exit(1)


def expected_outcome(text):
    try:
        return "ok", int(text, 0)
    except ValueError:
        return text, 0


def check_report(report, expects):
    wakes = report.get("wakes", [])
    if len(wakes) != len(expects):
        fail("%d wakes in the report, %d expected" % (len(wakes), len(expects)))
    for i, (wake, expect) in enumerate(zip(wakes, expects), 1):
        outcome, status = expected_outcome(expect)
        got = (wake.get("outcome"), wake.get("status"))
        if got != (outcome, status):
            fail("wake %d: got outcome %s status %s, expected %s status %s" % (i, got[0], got[1], outcome, status))
        if wake.get("seq") != i or not wake.get("proof_verified"):
            fail("wake %d: seq %s, proof_verified %s" % (i, wake.get("seq"), wake.get("proof_verified")))
        print("boot_case: wake %d %s: %s status %d as expected" % (i, wake.get("vector"), outcome, status), flush=True)


def check_end(report, expected_exit):
    """The run ended with expected_exit: QEMU's status, or (cli; hlt, no isa-debug-exit) the halt code's."""
    if report.get("end") == "halted":
        code = report.get("halt_code")
        if code is None or (code << 1) | 1 != expected_exit:
            fail("halted with code %s, expected the code of exit %d" % (code, expected_exit))
    elif report.get("exit_code") != expected_exit:
        fail("exit code %s, expected %d" % (report.get("exit_code"), expected_exit))


def run_harness(image, report_path, wakes, extra=(), expected_exit=33):
    """Runs scripts/aether-run with these wakes; it must pass and end with expected_exit. Returns the report."""
    command = [sys.executable, AETHER_RUN, "--image", image, "--report", report_path]
    for wake in wakes:
        command += ["--wake", wake]
    command += list(extra)
    print("boot_case: aether-run --image %s with %d wakes %s" % (image, len(wakes), " ".join(extra)), flush=True)
    if subprocess.run(command).returncode != 0:
        fail("aether-run failed")
    with open(report_path) as f:
        report = json.load(f)
    check_end(report, expected_exit)
    return report


def check_flags(report, names):
    """Every record of the report has exactly the boot flags named (comma-separated, 7.4's names)."""
    known = dict((name, bit) for bit, name in record.BOOT_FLAG_NAMES)
    unknown = [name for name in names.split(",") if name not in known]
    if unknown:
        fail("--expect-flags: %s not a boot flag (%s)" % (", ".join(unknown), ", ".join(known)))
    want = sum(known[name] for name in names.split(","))
    wakes = report.get("wakes", [])
    if not wakes:
        fail("--expect-flags: the report has no record")
    for wake in wakes:
        flags = record.parse_record(bytes.fromhex(wake["record"])).boot_flags
        if flags != want or wake.get("boot_flags") != flags:
            fail("wake %s: boot flags 0x%x (report 0x%x), expected 0x%x (%s)"
                 % (wake.get("seq"), flags, wake.get("boot_flags"), want, names))
    print("boot_case: every record's boot flags are %s (0x%x)" % (names, want), flush=True)


def run_verifier(verifier, key, reports, expect_ok=True, summary_only=False):
    proc = subprocess.run([verifier, "--key", key] + reports, capture_output=True, text=True)
    lines = proc.stdout.splitlines()
    print("\n".join(lines[-1:] if summary_only and (proc.returncode == 0) == expect_ok else lines), flush=True)
    if (proc.returncode == 0) != expect_ok:
        fail("aether-verify exited %d on %s (expected %s)" % (proc.returncode, " ".join(reports),
                                                               "success" if expect_ok else "failure"))
    return proc.stdout


def key_needles(key):
    """The byte strings that would betray the key: its bytes, its hex in either case, and half of each."""
    digits = key.hex()
    texts = [digits, digits[:16], digits[16:]]
    return [key, key[:8], key[8:]] + [text.encode() for text in texts] + [text.upper().encode() for text in texts]


def check_key_secret(key_file, paths):
    needles = key_needles(record.load_key(key_file))
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        if any(needle in data for needle in needles):
            fail("the device key (bytes or hex) appears in %s" % path)
    print("boot_case: the key appears in none of %s" % ", ".join(paths), flush=True)


def image_files(image):
    """The image and the esp.img its build made beside it (when there is one)."""
    esp = os.path.join(os.path.dirname(os.path.abspath(image)), "esp.img")
    return [image] + ([esp] if os.path.exists(esp) else [])


def device_args(device):
    """aether-run's arguments for a provisioned device (or none)."""
    return ["--device", device] if device else []


def check_log(path, expected, forbidden):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    for pattern in expected:
        if not re.search(pattern, text):
            fail("the enclave's log does not match /%s/" % pattern)
        print("boot_case: log matches /%s/" % pattern, flush=True)
    for pattern in forbidden:
        if re.search(pattern, text):
            fail("the enclave's log matches /%s/, which it must not" % pattern)
        print("boot_case: log does not match /%s/" % pattern, flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--image", required=True)
    parser.add_argument("--report", required=True)
    parser.add_argument("--wake", action="append", default=[])
    parser.add_argument("--expect", action="append", default=[])
    parser.add_argument("--verify")
    parser.add_argument("--key")
    parser.add_argument("--device", help="a provisioned device to boot (scripts/aether-provision)")
    parser.add_argument("--secret-key", action="store_true")
    parser.add_argument("--expect-log", action="append", default=[], help="a regex the enclave's log must match")
    parser.add_argument("--forbid-log", action="append", default=[], help="a regex the enclave's log must not match")
    parser.add_argument("--expect-exit", type=int, default=33, help="QEMU's exit status, or its halt-code equivalent")
    parser.add_argument("--expect-flags", metavar="NAME,...", help="every record's boot flags, by name")
    parser.add_argument("extra", nargs="*")
    args = parser.parse_args()

    log, uplink = args.report + ".log", args.report + ".uplink"
    extra = ["--qemu-log", log, "--keep-uplink", uplink] + (["--key", args.key] if args.key else [])
    report = run_harness(args.image, args.report, args.wake, extra + device_args(args.device) + args.extra,
                         args.expect_exit)
    if args.expect:
        check_report(report, args.expect)
    if args.expect_flags:
        check_flags(report, args.expect_flags)
    if args.verify and report.get("wakes"):
        printed = run_verifier(args.verify, args.key, [args.report])
        if args.expect_flags and printed.count(" flags=%s " % args.expect_flags) != len(report["wakes"]):
            fail("aether-verify does not print flags=%s for every record" % args.expect_flags)
    if args.secret_key:
        check_key_secret(args.key, image_files(args.image) + [args.report, log, uplink])
    check_log(log, args.expect_log, args.forbid_log)
    print("boot_case: PASS", flush=True)


if __name__ == "__main__":
    main()
