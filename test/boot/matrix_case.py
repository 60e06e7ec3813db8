#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# matrix_case.py: the stock image on one machine of the matrix (q35 or pc, CPUs, RAM, uplink behind a bridge).
"""Usage:
  matrix_case.py --image BOOTX64.EFI --report OUT.json --machine q35|pc --smp N --memory SIZE
                 [--bridge] [--acpi-fixture FILE] [--wake SPEC]... [--expect E]...
                 [--verify AETHER_VERIFY --key KEYFILE]

Boots the image on that machine with the wakes, walks its page tables and reads
its linear memory from outside after the last wake, has every proof verified
(by the harness and by aether-verify) and the run end with exit 33. The log must
show the platform found through ACPI, the uplink where the machine put it
(behind its bridge with --bridge; through ECAM on q35, configuration ports on
pc) and the calibration. With --acpi-fixture the ACPI tables are read from the
guest RAM (from the RSDP the log names) and must equal the fixture's, address
and bytes: test/fixtures/acpi is what QEMU really gives.
"""
import argparse
import mmap
import os
import re
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "test", "boot"))
sys.path.insert(0, os.path.join(ROOT, "test", "fixtures", "acpi"))

import boot_case  # noqa: E402
import dump_acpi  # noqa: E402

RSDP_LINE = re.compile(r"\[AETHER\] acpi: RSDP 0x([0-9a-f]+) revision")


def check_log(path, machine, bridge):
    with open(path, encoding="utf-8", errors="replace") as handle:
        text = handle.read()
    where = "behind " if bridge else "at 00:"
    method = "ECAM" if machine == "q35" else "configuration ports"
    patterns = [RSDP_LINE.pattern,
                r"platform: local APIC 0xfee00000 \(xAPIC\) from ACPI",
                r"platform: wake 0x20: ISA IRQ 4 is GSI 4, edge, active high",
                r"uplink: PCI 1af4:1110 [^\n]*%s[^\n]*\(through %s\)" % (where, method),
                r"timer: LAPIC timer [0-9]+ Hz, TSC [0-9]+ Hz, measured over 10 ms against the HPET"]
    boot_case.check_log(path, patterns, [])
    return text


def compare_acpi(ram, log_text, fixture):
    rsdp = int(RSDP_LINE.search(log_text).group(1), 16)
    with open(ram, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
        live = dump_acpi.read_blocks(view, rsdp)
    fixture_rsdp, blocks = dump_acpi.read_fixture(fixture)
    if rsdp != fixture_rsdp or live != blocks:
        changed = sorted(set(live) ^ set(blocks)) + [a for a in live if a in blocks and live[a] != blocks[a]]
        boot_case.fail("the ACPI tables differ from %s (RSDP 0x%x, fixture's 0x%x; blocks at %s): regenerate it "
                       "with test/fixtures/acpi/dump_acpi.py" % (fixture, rsdp, fixture_rsdp,
                                                                 ", ".join("0x%x" % a for a in changed)))
    print("boot_case: the guest's ACPI tables equal %s (%d blocks from RSDP 0x%x)"
          % (os.path.basename(fixture), len(live), rsdp), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--image", required=True)
    parser.add_argument("--report", required=True)
    parser.add_argument("--machine", required=True, choices=("q35", "pc"))
    parser.add_argument("--smp", required=True)
    parser.add_argument("--memory", required=True)
    parser.add_argument("--bridge", action="store_true")
    parser.add_argument("--acpi-fixture")
    parser.add_argument("--wake", action="append", default=[])
    parser.add_argument("--expect", action="append", default=[])
    parser.add_argument("--verify")
    parser.add_argument("--key")
    args = parser.parse_args()

    log = args.report + ".log"
    extra = ["--qemu-log", log, "--key", args.key, "--machine", args.machine, "--smp", args.smp,
             "--memory", args.memory, "--check-page-tables", "--require-smep-smap", "--check-zero-memory"]
    if args.bridge:
        extra.append("--uplink-behind-bridge")
    with tempfile.TemporaryDirectory(prefix="aether-matrix-") as scratch:
        ram = os.path.join(scratch, "ram")
        if args.acpi_fixture:
            extra += ["--keep-ram", ram]
        report = boot_case.run_harness(args.image, args.report, args.wake, extra)
        boot_case.check_report(report, args.expect)
        boot_case.run_verifier(args.verify, args.key, [args.report])
        text = check_log(log, args.machine, args.bridge)
        if args.acpi_fixture:
            compare_acpi(ram, text, args.acpi_fixture)
    print("boot_case: PASS on %s" % report.get("machine"), flush=True)


if __name__ == "__main__":
    main()
