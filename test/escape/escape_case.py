#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# escape_case.py: boots the escape guest, aims its attempts at host addresses found from outside, checks every wake.
"""Usage:
  escape_case.py --image BOOTX64.EFI --report OUT.json --key KEYFILE [--device DIR] [--verify AETHER_VERIFY]
                 [--secret-key] [--forbid-log RE]...

The image runs test/escape/escape_guest.c in ring 3 (-DAETHER_TEST_GUEST). One
boot: once the enclave is dormant, the targets are computed from outside (QMP
'info registers' and 'info pci', the guest RAM file, the image's board file),
then each attempt of ATTEMPTS is sent as one wake (dose = attempt | shift << 8,
pressure bits = target >> shift), each followed by a healthy wake (dose 0) on
the other line. Every wake must have its expected outcome and committed uplink
words, no telemetry unless it ended `ok`, and the CPU exception the enclave
logged for it (a #PF at the target address itself where there is one). The
linear memory region must read zero after each wake, the page tables walked
from outside after boot and after the last wake must show no user page outside
the guest's range and no writable executable page (CR0.WP, EFER.NXE, CR4.SMEP
and CR4.SMAP on), and QEMU must exit 33. --device boots a provisioned device
(aether-run --device), whose key the image reads from its UEFI variable.
With --secret-key, the device key (its bytes, its hex in either case, or half
of either) must appear neither in the image nor its esp.img, the report, the
enclave's log or the uplink region, and no copy of it may lie in the physical
pages behind the guest's user mappings.
"""
import argparse
import collections
import json
import mmap
import os
import re
import signal
import struct
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "test", "boot"))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import boot_case  # noqa: E402
from aether_harness import machine, qmp, record, residue, run, uplink  # noqa: E402

# CPU exceptions the enclave names in its "guest <fault>: vector V in ring 3" log line.
DB, UD, GP, PF = 1, 6, 13, 14

# One attempt of escape_guest.c: its number there, what it does, the name of
# the address it needs (find_targets), the outcome (boot_case's --expect
# syntax) and the CPU exceptions the enclave may log for it (one of them, once;
# none when the gate itself ends the wake).
Attempt = collections.namedtuple("Attempt", "number what target expect exceptions")

# escape_guest.c's statuses and telemetry.
HEALTHY_STATUS = 7
AC_KEPT = 0x100
WILD_RSP = 0x200
ESCAPED_STATUS = 0x0E5C0000  # | attempt
STALE_STATUS = 0x57A10000    # | stale bits
STALE_BITS = ((1, "data"), (2, "bss"), (4, "window"), (8, "user stack"))
HEALTHY_TELEMETRY = b"contained, fresh"
AC_TELEMETRY = b"AC set, gate ok."

ATTEMPTS = (
        Attempt(1, "read the device key", "key", "isolation", (PF,)),
        Attempt(2, "read the host stack", "host_stack", "isolation", (PF,)),
        Attempt(3, "read the gate stack", "gate_stack", "isolation", (PF,)),
        Attempt(4, "read the IDT", "idt", "isolation", (PF,)),
        Attempt(5, "read the PML4", "pml4", "isolation", (PF,)),
        Attempt(6, "read the uplink MMIO BAR", "uplink_bar", "isolation", (PF,)),
        Attempt(7, "read the LAPIC MMIO", "lapic", "isolation", (PF,)),
        Attempt(8, "read address 0", "null", "isolation", (PF,)),
        Attempt(9, "read a non-canonical address", "non_canonical", "isolation", (GP,)),
        Attempt(10, "write the GDT", "gdt", "isolation", (PF,)),
        Attempt(11, "write IDT gate 0x81", "idt_gate_0x81", "isolation", (PF,)),
        Attempt(12, "write PML4 entry 511", "pml4_entry_511", "isolation", (PF,)),
        Attempt(13, "call a host ISR", "host_code", "isolation", (PF,)),
        Attempt(14, "call into linear memory", None, "isolation", (PF,)),
        Attempt(15, "call onto its own stack", None, "isolation", (PF,)),
        Attempt(16, "call into its own .data", None, "isolation", (PF,)),
        Attempt(17, "call into its own .rodata", None, "isolation", (PF,)),
        Attempt(18, "write its own text", None, "isolation", (PF,)),
        Attempt(19, "cli", None, "isolation", (GP,)),
        Attempt(20, "hlt", None, "isolation", (GP,)),
        Attempt(21, "in from port 0x3f8", None, "isolation", (GP,)),
        Attempt(22, "out to port 0xf4 (isa-debug-exit)", None, "isolation", (GP,)),
        Attempt(23, "wrmsr", None, "isolation", (GP,)),
        Attempt(24, "mov to CR3", "cr3", "isolation", (GP,)),
        Attempt(25, "int $0x20", None, "isolation", (GP,)),
        Attempt(26, "int3", None, "isolation", (GP,)),
        Attempt(27, "syscall", None, "isolation", (UD,)),
        Attempt(28, "sysenter", None, "isolation", (GP, UD)),  # #UD: AMD in long mode (-cpu max)
        Attempt(29, "rdtsc", None, "isolation", (GP,)),
        Attempt(30, "sgdt", None, "isolation", (GP,)),
        Attempt(31, "load the ring-0 data selector", None, "isolation", (GP,)),
        Attempt(32, "far jump to ring-0 code", None, "isolation", (GP,)),
        Attempt(33, "ud2", None, "isolation", (UD,)),
        Attempt(34, "single-step (RFLAGS.TF)", None, "isolation", (DB,)),
        Attempt(35, "TF, mov to SS, then the gate", None, "isolation", (DB,)),
        Attempt(36, "RFLAGS.AC, then the gate", None, str(HEALTHY_STATUS | AC_KEPT), ()),
        Attempt(37, "the gate with a non-canonical rsp", None, str(HEALTHY_STATUS | WILD_RSP), ()),
        Attempt(38, "gate operation 99", None, "isolation", ()),
        Attempt(39, "gate operation 7", None, "isolation", ()),
        Attempt(40, "gate operation 2^40 + 2", None, "isolation", ()),
        Attempt(41, "gate operation 2^32", None, "isolation", ()),
        Attempt(42, "TRAP kind 0", None, "isolation", ()),
        Attempt(43, "TRAP kind 7", None, "isolation", ()),
        Attempt(44, "TRAP kind 1000", None, "isolation", ()),
        Attempt(45, "TRAP kind 2^32 + 5 (u32: unreachable)", None, "unreachable", ()),
        Attempt(46, "COMMIT_TELEMETRY at memory.size", None, "host_call", ()),
        Attempt(47, "COMMIT_TELEMETRY of 257 bytes", None, "host_call", ()),
        Attempt(48, "COMMIT_TELEMETRY at 0xffffffff", None, "host_call", ()),
        Attempt(49, "MEMORY_GROW by 0xffffffff", None, "-1", ()),
        Attempt(50, "popf clearing IF, raising IOPL, then spin", None, "watchdog", ()),
        Attempt(51, "an AVX instruction", None, "isolation", (UD,)),
        Attempt(52, "wrgsbase", None, "isolation", (UD,)),
        Attempt(53, "swapgs", None, "isolation", (GP,)),
        Attempt(54, "lidt", None, "isolation", (GP,)),
        Attempt(55, "COMMIT_TELEMETRY at the key's address", "key", "host_call", ()),
        Attempt(56, "grow memory to the cap, write every page", None, str(HEALTHY_STATUS), ()),
        Attempt(57, "read the cap's last page, mapped two wakes ago", None, "oob", (PF,)),
)

# One wake of the plan: the attempt it carries (None: the healthy wake) and its line.
Step = collections.namedtuple("Step", "attempt vector")

# enclave/hw/usermode.c: "guest F: #PF in ring 3 at rip=.. cr2=.. flags=.." or "guest F: vector V in ring 3 at rip=..".
GUEST_LINE = re.compile(r"\[AETHER\] guest (\w+): (?:#PF in ring 3 at rip=0x[0-9a-f]+ cr2=0x([0-9a-f]+)"
                        r"|vector (\d+) in ring 3 at rip=0x[0-9a-f]+)")
WAKE_LINE = re.compile(r"\[AETHER\] wake seq=(\d+) ")
# QEMU 7.2 HMP: "IDT=     000000001dec6d30 00000fff", "TR =0028 000000001dec6cc0 00000067 ...".
TABLE_BASE = re.compile(r"^(GDT|IDT)=\s+([0-9a-f]{16}) ", re.MULTILINE)
TR_BASE = re.compile(r"^TR =[0-9a-f]{4} ([0-9a-f]{16}) ", re.MULTILINE)
REGISTER = re.compile(r"\b(RSP|CR3)=([0-9a-f]{16})\b")
# QEMU 7.2 'info pci': "PCI device 1af4:1110", then "BAR2: 64 bit prefetchable memory at 0x...".
PCI_DEVICE = re.compile(r"PCI device ([0-9a-f]{4}):([0-9a-f]{4})")
PCI_BAR = re.compile(r"BAR(\d): (?:\d+ bit )?(?:prefetchable )?memory at (0x[0-9a-f]+)")
BOARD_LAPIC = re.compile(r"^\s*lapic\s+(\S+)", re.MULTILINE)
BOARD_UPLINK = re.compile(r"^\s*uplink\s+pci\s+(\S+)\s+(\S+)\s+bar\s+(\d+)", re.MULTILINE)


def wake_plan():
        """A healthy wake, then each attempt followed by a healthy wake on the other line."""
        plan = [Step(None, 0x21)]
        for i, attempt in enumerate(ATTEMPTS):
                line = (0x20, 0x21)[i % 2]
                plan += [Step(attempt, line), Step(None, line ^ 1)]
        return plan


def encode(number, target):
        """(dose, pressure bits) carrying the attempt and its target address."""
        shift = max(0, target.bit_length() - 32)
        if target & ((1 << shift) - 1):
                raise ValueError("attempt %d: target 0x%x does not fit 32 bits << a shift" % (number, target))
        return number | shift << 8, target >> shift


def first_match(pattern, text, what):
        match = pattern.search(text)
        if match is None:
                raise run.RunFailure("no %s found" % what)
        return match


def ram_qword(view, address):
        return struct.unpack_from("<Q", view, address)[0]


def uplink_bar(pci_text, vendor, device, bar):
        """The address QEMU assigned to that BAR of that PCI function ('info pci')."""
        for block in pci_text.split("Bus ")[1:]:
                ids = PCI_DEVICE.search(block)
                if ids and (int(ids.group(1), 16), int(ids.group(2), 16)) == (vendor, device):
                        for number, address in PCI_BAR.findall(block):
                                if int(number) == bar:
                                        return int(address, 16)
        raise run.RunFailure("'info pci' shows no memory BAR%d for %04x:%04x" % (bar, vendor, device))


class EscapeRun(run.Run):
        """aether-run's harness mode, with the wakes' targets filled in once the enclave is dormant."""

        def __init__(self, args, plan, board_path):
                super().__init__(args)
                self.plan = plan
                self.board_path = board_path
                self.targets = {}
                self.key_copies = {}
                self.uplink_region = b""

        def find_targets(self):
                registers = self.info_registers()
                tables = {name: int(base, 16) for name, base in TABLE_BASE.findall(registers)}
                values = {name: int(value, 16) for name, value in REGISTER.findall(registers)}
                tss = int(first_match(TR_BASE, registers, "TR base in 'info registers'").group(1), 16)
                with open(self.board_path) as handle:
                        board = handle.read()
                lapic = int(first_match(BOARD_LAPIC, board, "lapic in %s" % self.board_path).group(1), 0)
                link = first_match(BOARD_UPLINK, board, "pci uplink in %s" % self.board_path)
                bar = uplink_bar(self.qmp_client.hmp("info pci"), int(link.group(1), 0), int(link.group(2), 0),
                                 int(link.group(3)))
                pml4 = values["CR3"] & ~0xFFF
                with open(self.machine.ram_path, "rb") as handle, \
                                mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
                        gate_0x80 = view[tables["IDT"] + 0x80 * 16:tables["IDT"] + 0x81 * 16]
                        low, _, mid, high = struct.unpack_from("<HIHI", gate_0x80)
                        handler = low | mid << 16 | high << 32
                        gate_stack = ram_qword(view, tss + 4) - 8  # TSS.RSP0, the top of the gate stack
                        # The zero qwords the write attempts would store zero into: harmless had they worked.
                        for name, address in (("GDT null descriptor", tables["GDT"]),
                                              ("IDT gate 0x81", tables["IDT"] + 0x81 * 16),
                                              ("PML4 entry 511", pml4 + 0xFF8)):
                                if ram_qword(view, address):
                                        raise run.RunFailure("%s at 0x%x is not zero" % (name, address))
                self.key_copies["after boot"] = residue.scan_file(self.machine.ram_path, [self.key])
                # The image's copy: the one nearest its IDT (both are in the loaded image).
                key = min(self.key_copies["after boot"], key=lambda hit: abs(hit - tables["IDT"]), default=None)
                if key is None or abs(key - tables["IDT"]) > 1 << 20:
                        raise run.RunFailure("no copy of the device key within 1 MiB of the IDT in guest RAM")
                self.targets = {
                        "key": key, "host_stack": values["RSP"] & ~0xF, "gate_stack": gate_stack,
                        "idt": tables["IDT"], "pml4": pml4, "uplink_bar": bar, "lapic": lapic,
                        "null": 0, "non_canonical": 1 << 47, "gdt": tables["GDT"],
                        "idt_gate_0x81": tables["IDT"] + 0x81 * 16, "pml4_entry_511": pml4 + 0xFF8,
                        "host_code": handler, "cr3": values["CR3"],
                }
                run.say("dormant: the targets, from outside")
                for name, address in sorted(self.targets.items(), key=lambda item: item[1]):
                        run.say("target %-15s 0x%x" % (name, address))
                self.report["escape_targets"] = {name: "0x%x" % address for name, address in self.targets.items()}

        def harness(self):
                self.wait_uplink("waiting for dormancy", lambda s: s.magic_ok and s.state == uplink.STATE_DORMANT)
                self.find_targets()
                wakes = []
                for step in self.plan:
                        dose, bits = 0, record.f32_bits(1.0)
                        if step.attempt is not None:
                                target = self.targets[step.attempt.target] if step.attempt.target else 0
                                dose, bits = encode(step.attempt.number, target)
                        wakes.append(run.WakeRequest(step.vector, record.f32_value(bits), bits, dose))
                self.args.wake = wakes
                super().harness()
                # QEMU has exited; its files stay until close().
                with open(self.machine.uplink_path, "rb") as handle:
                        self.uplink_region = handle.read()
                self.key_copies["after the run"] = residue.scan_file(self.machine.ram_path, [self.key])


def run_escape(args, plan):
        """Boots the image and runs the plan; returns (the report, the Run)."""
        with open(os.path.join(os.path.dirname(os.path.abspath(args.image)), run.BUILD_INFO)) as handle:
                board = json.load(handle)["board"]
        # One --wake per step gives aether-run's harness mode and its checks; EscapeRun
        # replaces them with the real doses and pressures once the targets are known.
        planned = ["--wake=0x%02x:pressure=0,dose=0" % step.vector for step in plan]
        run_args = run.parse_args(["--image", args.image, "--key", args.key] + boot_case.device_args(args.device) +
                                  ["--qemu-log", args.report + ".log",
                                   "--check-zero-memory", "--check-page-tables", "--require-smep-smap"] + planned)
        escape = EscapeRun(run_args, plan, board)
        # ctest's timeout sends SIGTERM: unwind, so that close() stops QEMU.
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        try:
                with tempfile.TemporaryDirectory(prefix="aether-escape-") as workdir:
                        try:
                                escape.execute(workdir)
                        except (run.RunFailure, qmp.QmpError, machine.MachineError, OSError) as error:
                                escape.problems.append(str(error))
                                escape.print_tails()
                        finally:
                                escape.close()
        finally:
                escape.report["duration_s"] = round(time.monotonic() - escape.started, 3)
                if escape.problems:
                        escape.report["problems"] = escape.problems
                run.write_report(args.report, escape.report)
        return escape.report, escape


def guest_exceptions(log_path):
        """{wake seq: [(fault name, vector, cr2)]} from the enclave's log."""
        found, pending = {}, []
        with open(log_path, encoding="utf-8", errors="replace") as handle:
                for line in handle:
                        guest = GUEST_LINE.search(line)
                        if guest:
                                if guest.group(2) is not None:
                                        pending.append((guest.group(1), PF, int(guest.group(2), 16)))
                                else:
                                        pending.append((guest.group(1), int(guest.group(3)), 0))
                        wake = WAKE_LINE.search(line)
                        if wake:
                                found[int(wake.group(1))] = pending
                                pending = []
        return found


def describe_status(status):
        if status & 0xFFFF0000 == ESCAPED_STATUS:
                return "0x%x (attempt %d came back: NOT contained)" % (status, status & 0xFF)
        if status & 0xFFFF0000 == STALE_STATUS:
                return "0x%x (the wake did not start fresh: %s)" % (
                        status, ", ".join(name for bit, name in STALE_BITS if status & bit))
        return "%d" % status


def wake_problems(seq, step, wake, logged, targets):
        """What is wrong with one wake (empty when it went as planned)."""
        attempt = step.attempt
        outcome, status = boot_case.expected_outcome(attempt.expect if attempt else str(HEALTHY_STATUS))
        problems = []
        if (wake["outcome"], wake["status"]) != (outcome, status):
                problems.append("outcome %s status %s, expected %s status %d"
                                % (wake["outcome"], describe_status(wake["status"]), outcome, status))
        if wake["seq"] != seq or not wake["proof_verified"]:
                problems.append("seq %d, proof_verified %s" % (wake["seq"], wake["proof_verified"]))
        telemetry = bytes.fromhex(wake["telemetry"])
        words = (wake["uplink_lo"], wake["uplink_hi"])
        if attempt is None:
                expected_telemetry, expected_words, expected_log = HEALTHY_TELEMETRY, (0, 0), ()
        else:
                target = targets[attempt.target] if attempt.target else 0
                expected_telemetry = AC_TELEMETRY if attempt.number == 36 else b""
                expected_words = (attempt.number, target & 0xFFFFFFFF)
                expected_log = attempt.exceptions
        if telemetry != expected_telemetry:
                problems.append("telemetry %r, expected %r" % (telemetry, expected_telemetry))
        if words != expected_words:
                problems.append("uplink words (%d, 0x%x), expected (%d, 0x%x): it did not reach this attempt"
                                % (words + expected_words))
        got = [(name, vector) for name, vector, _ in logged]
        if got not in ([[(outcome, vector)] for vector in expected_log] or [[]]):
                expected = " or ".join("%s (vector %d)" % (outcome, vector) for vector in expected_log)
                problems.append("the enclave logged %s, expected %s" % (
                        ", ".join("%s (vector %d)" % (name, vector) for name, vector in got) or "no exception",
                        expected or "no exception"))
        elif got == [(outcome, PF)] and attempt.target and logged[0][2] != target:
                problems.append("#PF at cr2=0x%x, not at the target 0x%x" % (logged[0][2], target))
        return problems


def check_wakes(report, plan, targets, log_path):
        """Checks every wake, printing one line per attempt that went as planned; returns what went wrong."""
        exceptions = guest_exceptions(log_path)
        failed = []
        for seq, (step, wake) in enumerate(zip(plan, report["wakes"]), 1):
                problems = wake_problems(seq, step, wake, exceptions.get(seq, []), targets)
                name = "healthy" if step.attempt is None else "attempt %d, %s" % (step.attempt.number,
                                                                                 step.attempt.what)
                if problems:
                        failed.append("wake %d (%s): %s" % (seq, name, "; ".join(problems)))
                elif step.attempt is not None:
                        logged = exceptions.get(seq, [])
                        result = wake["outcome"] if wake["outcome"] != "ok" else "ok status %d" % wake["status"]
                        if logged:
                                _, vector, cr2 = logged[0]
                                result += " (vector %d%s)" % (vector, ", cr2=0x%x" % cr2 if vector == PF else "")
                        print("escape_case: wake %d (%s): %s as expected" % (seq, name, result), flush=True)
        if len(report["wakes"]) != len(plan):
                failed.append("%d wakes in the report, %d planned" % (len(report["wakes"]), len(plan)))
        if not failed:
                print("escape_case: every attempt ended as expected, each committing its own uplink words and no "
                      "telemetry it should not have; every healthy wake after it started fresh", flush=True)
        return failed


def check_key_secret(escape, image, report_path, log_path):
        boot_case.check_key_secret(escape.args.key, boot_case.image_files(image) + [report_path, log_path])
        if any(needle in escape.uplink_region for needle in boot_case.key_needles(escape.key)):
                boot_case.fail("the device key (bytes or hex) appears in the uplink region")
        # The user stack, the guest program and linear memory lie together in the arena (enclave/layout.h).
        layout = escape.report["layout"]
        low = int(layout["cycle_stack_base"], 16)
        high = int(layout["linear_memory_base"], 16) + layout["linear_memory_cap"]
        for when, hits in escape.key_copies.items():
                inside = [hit for hit in hits if low <= hit < high]
                if inside:
                        boot_case.fail("%s: a copy of the device key at 0x%x, in the guest's pages [0x%x, 0x%x)"
                                       % (when, inside[0], low, high))
        print("escape_case: the key appears in none of the image, the report, the log and the uplink region, and its %d "
              "copies in RAM lie outside the guest's pages [0x%x, 0x%x)"
              % (len(escape.key_copies["after boot"]), low, high), flush=True)


def main():
        parser = argparse.ArgumentParser()
        parser.add_argument("--image", required=True)
        parser.add_argument("--report", required=True)
        parser.add_argument("--key", required=True)
        parser.add_argument("--device", help="a provisioned device to boot (scripts/aether-provision)")
        parser.add_argument("--verify")
        parser.add_argument("--secret-key", action="store_true")
        parser.add_argument("--forbid-log", action="append", default=[],
                            help="a regex the enclave's log must not match")
        args = parser.parse_args()

        plan = wake_plan()
        print("escape_case: %d attempts, %d wakes in one boot" % (len(ATTEMPTS), len(plan)), flush=True)
        report, escape = run_escape(args, plan)
        log = args.report + ".log"
        failed = check_wakes(report, plan, escape.targets, log) if escape.targets else []
        failed += ["aether-run: " + problem for problem in escape.problems]
        if report.get("exit_code") != 33:
                failed.append("QEMU exit code %s, expected 33" % report.get("exit_code"))
        for problem in failed:
                print("escape_case: NOT AS EXPECTED: " + problem, flush=True)
        if failed:
                boot_case.fail("%d problems (above)" % len(failed))
        if args.verify:
                boot_case.run_verifier(args.verify, args.key, [args.report], summary_only=True)
        if args.secret_key:
                check_key_secret(escape, args.image, args.report, log)
        boot_case.check_log(log, [], args.forbid_log)
        print("escape_case: PASS (%d wakes, exit 33, %.1f s)" % (len(plan), report["duration_s"]), flush=True)


if __name__ == "__main__":
        main()
