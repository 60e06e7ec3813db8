# SPDX-License-Identifier: AGPL-3.0-or-later
# run.py: aether-run's command line and run sequence (boot, wake, verify, report).

import argparse
import collections
import hashlib
import json
import math
import os
import re
import shlex
import signal
import struct
import sys
import tempfile
import time

from . import cpu_state, frame, machine, pagetables, provision, qmp, record, residue, siphash, tpm, uplink

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_IMAGE = os.path.join(REPO_ROOT, "build", "BOOTX64.EFI")
DEFAULT_KEY = os.path.join(REPO_ROOT, "enclave", "keys", "development.key")
BUILD_INFO = "aether-build.json"
POLL_SECONDS = 0.001
QUIET_PROGRESS_EVERY = 100

# What the image's bench mode injects by itself (board fw_cfg opt/org.aether/mode=bench).
BENCH_VECTOR = 0x20
BENCH_PRESSURE = 0.12
BENCH_DOSE = 1250
BENCH_STATUS = 3
HOST_FAULT_MODES = ("host-fault-de", "host-fault-ud", "host-fault-gp", "host-fault-pf")
EXCEPTION_LINE = re.compile(r"\[AETHER\] CPU exception [^\n]*")
HALT_LINE = re.compile(r"\[AETHER\] halt: [^\n]*")
HALT_CODE = re.compile(r"\[AETHER\] halt: .*\(exit code 0x([0-9a-f]+)\)")
BOOT_FAILURE_EXIT = 37  # halt code 0x12
EXIT_REFUSED = 3        # aether-run's exit status when the firmware refused the image (ARCHITECTURE.md 11.2)
# The boot flag each board key-source sets (ARCHITECTURE.md 7.4); a record carries exactly one.
KEY_SOURCE_FLAGS = {"development": record.BOOT_FLAG_DEVELOPMENT_KEY,
                    "uefi-variable": record.BOOT_FLAG_KEY_UEFI_VARIABLE,
                    "tpm": record.BOOT_FLAG_KEY_TPM}
BENCH_LINE = re.compile(r"\[AETHER\] cycle success \u2014 guest=(-?\d+) proof=0x([0-9a-f]{16}) "
                        r"vector=0x([0-9a-f]{2}) \u2014 self-annihilation")

WakeRequest = collections.namedtuple("WakeRequest", "vector pressure pressure_bits dose")


def say(message):
        print("aether-run: " + message, flush=True)


def parse_wake(text):
        """--wake VEC:pressure=P,dose=D -> WakeRequest; ArgumentTypeError explains a bad one."""
        vector_text, colon, settings = text.partition(":")
        if not colon:
                raise argparse.ArgumentTypeError(
                        "%r: expected VEC:pressure=P,dose=D (e.g. 0x20:pressure=0.12,dose=1250)" % text)
        try:
                vector = int(vector_text, 0)
        except ValueError:
                raise argparse.ArgumentTypeError("%r: bad vector %r" % (text, vector_text)) from None
        if vector not in record.WAKE_VECTORS:
                raise argparse.ArgumentTypeError(
                        "%r: vector 0x%x has no wake line (only 0x20 and 0x21)" % (text, vector))
        return WakeRequest(vector, *parse_sensor_values(text, settings))


def parse_sensor_values(text, settings):
        """pressure=P,dose=D (settings, from the argument text) -> (pressure, pressure bits, dose);
        ArgumentTypeError explains a bad one. scripts/aether-wake takes the same values."""
        values = {}
        for item in settings.split(","):
                name, equals, value = item.partition("=")
                if not equals or name not in ("pressure", "dose"):
                        raise argparse.ArgumentTypeError(
                                "%r: %r is not pressure=P or dose=D" % (text, item))
                if name in values:
                        raise argparse.ArgumentTypeError("%r: %s given twice" % (text, name))
                values[name] = value
        missing = [name for name in ("pressure", "dose") if name not in values]
        if missing:
                raise argparse.ArgumentTypeError("%r: missing %s" % (text, " and ".join(missing)))
        try:
                pressure = float(values["pressure"])
                pressure_bits = record.f32_bits(pressure)
        except (ValueError, OverflowError):
                raise argparse.ArgumentTypeError(
                        "%r: pressure %r is not a 32-bit float" % (text, values["pressure"])) from None
        try:
                dose = int(values["dose"], 0)
        except ValueError:
                raise argparse.ArgumentTypeError("%r: dose %r is not an integer"
                                                 % (text, values["dose"])) from None
        if not -2**31 <= dose < 2**31:
                raise argparse.ArgumentTypeError("%r: dose %d does not fit an i32" % (text, dose))
        return pressure, pressure_bits, dose


def parse_vector(text):
        """A wake vector (0x20 or 0x21) -> int; ArgumentTypeError explains a bad one."""
        try:
                vector = int(text, 0)
        except ValueError:
                raise argparse.ArgumentTypeError("bad vector %r" % text) from None
        if vector not in record.WAKE_VECTORS:
                raise argparse.ArgumentTypeError("vector 0x%x has no wake line (only 0x20 and 0x21)" % vector)
        return vector


class BadFrameAction(argparse.Action):
        """--bad-frame VEC: remembered with the number of --wake before it, so it goes out in order."""

        def __call__(self, parser, namespace, vector, option_string=None):
                namespace.bad_frames = namespace.bad_frames + [(len(namespace.wake), vector)]


def parse_args(argv):
        parser = argparse.ArgumentParser(
                prog="aether-run",
                description="Boot the Aether Enclave under QEMU (q35 or pc, OVMF, TCG), wake it, "
                            "and verify every committed proof with an independent SipHash-2-4.")
        parser.add_argument("--image", default=DEFAULT_IMAGE,
                            help="BOOTX64.EFI to boot (default: build/BOOTX64.EFI)")
        parser.add_argument("--wake", action="append", type=parse_wake, default=[],
                            metavar="VEC:pressure=P,dose=D",
                            help="send one wake frame (repeatable, in order); none = bench mode")
        parser.add_argument("--report", metavar="FILE.json", help="write a JSON report")
        parser.add_argument("--bad-frame", action=BadFrameAction, type=parse_vector, default=[],
                            dest="bad_frames", metavar="VEC",
                            help="send a wake frame with a wrong CRC on that line, in its place among the "
                                 "--wake (repeatable); the enclave must reject and count it, commit nothing")
        parser.add_argument("--keep-uplink", metavar="FILE",
                            help="keep the final uplink region (a dump aether-verify reads)")
        parser.add_argument("--proof-stream", metavar="FILE",
                            help="write every commit of the run as a proof stream (each record and its "
                                 "tag, 8 bytes little-endian), which aether-verify reads")
        parser.add_argument("--keep-ram", metavar="FILE",
                            help="keep the guest RAM image (file offset = physical address)")
        parser.add_argument("--timeout", type=float, default=120.0, metavar="S",
                            help="bound on the whole run in seconds (default 120)")
        parser.add_argument("--device", metavar="DIR",
                            help="boot a provisioned device (scripts/aether-provision): its OVMF_VARS.fd, "
                                 "in place, and its device.key to verify the proofs")
        parser.add_argument("--key", metavar="KEYFILE",
                            help="device key (default: the --device's, else enclave/keys/development.key)")
        parser.add_argument("--vars", metavar="OVMF_VARS_FILE",
                            help="persistent OVMF variable store (created from the stock "
                                 "template if missing); default: a fresh copy per run")
        parser.add_argument("--qemu-log", metavar="FILE",
                            help="keep the guest's debugcon log (port 0x402) in FILE")
        parser.add_argument("--icount", type=int, metavar="SHIFT",
                            help="deterministic instruction counting: -icount shift=SHIFT,sleep=off")
        parser.add_argument("--dump-registers", action="store_true",
                            help="record HMP 'info registers' after each wake (harness mode)")
        parser.add_argument("--residue-spray", action="store_true",
                            help="after each wake, scan the guest RAM file for the spray pattern "
                                 "a residue test payload derives from the wake's dose")
        parser.add_argument("--check-zero-memory", action="store_true",
                            help="after each wake, the linear memory region (uplink "
                                 "LINEAR_MEMORY_BASE/CAP) must read all zero in the RAM file")
        parser.add_argument("--check-registers", action="store_true",
                            help="after each wake, no register (QMP 'info registers') may hold "
                                 "a spray word, and XMM0-15 must be zero (needs --residue-spray)")
        parser.add_argument("--check-page-tables", action="store_true",
                            help="once dormant after boot and after the last wake, walk the page "
                                 "tables from outside: no W+X page, user pages only inside uplink "
                                 "USER_VA_BASE/LIMIT, CR0.WP and EFER.NXE set (harness mode)")
        parser.add_argument("--require-smep-smap", action="store_true",
                            help="with --check-page-tables, CR4.SMEP and CR4.SMAP must be set too")
        parser.add_argument("--fw-mode", choices=HOST_FAULT_MODES,
                            help="boot with this fw_cfg mode: a deliberate CPU exception in host "
                                 "code once dormant; checks the exit code and the report on debugcon")
        parser.add_argument("--expect-exit", type=int, metavar="CODE",
                            help="the QEMU exit code --fw-mode must end with (e.g. 93 for #PF)")
        machine_group = parser.add_argument_group("the machine")
        machine_group.add_argument("--machine", choices=machine.MACHINE_TYPES, default="q35",
                                   help="QEMU machine type (default q35; pc is the i440fx)")
        machine_group.add_argument("--smp", type=int, default=1, metavar="N", help="CPUs (default 1)")
        machine_group.add_argument("--memory", default=machine.DEFAULT_MEMORY, metavar="SIZE",
                                   help="guest RAM, e.g. 256M or 4G (default %s)" % machine.DEFAULT_MEMORY)
        machine_group.add_argument("--uplink-behind-bridge", action="store_true",
                                   help="put the uplink behind a pcie-root-port (q35) or a pci-bridge (pc)")
        machine_group.add_argument("--no-hpet", action="store_true",
                                   help="no HPET: the enclave calibrates against the ACPI PM timer")
        machine_group.add_argument("--no-exit-device", action="store_true",
                                   help="no isa-debug-exit (as on a board whose file has no `exit`): the "
                                        "enclave ends in cli; hlt, and the run ends when the uplink says halted")
        machine_group.add_argument("--no-uplink", action="store_true",
                                   help="no uplink device; use with --expect-boot-failure")
        machine_group.add_argument("--secure-boot", action="store_true",
                                   help="boot the Secure Boot OVMF (SMM on) with a copy of the snakeoil VARS "
                                        "(Secure Boot on, the snakeoil certificate in db) unless --vars gives one; "
                                        "every record must say secure-boot-on; a refused image ends the run "
                                        "at once with exit status %d" % EXIT_REFUSED)
        machine_group.add_argument("--expect-boot-failure", metavar="REGEX",
                                   help="the enclave must stop before dormancy (exit 37, or halt code 0x12; "
                                        "another with --expect-exit) with REGEX in its log and on the "
                                        "firmware console (COM1), and commit nothing")
        parser.add_argument("--quiet", action="store_true",
                            help="a progress line every %d wakes instead of one per wake"
                                 % QUIET_PROGRESS_EVERY)
        parser.add_argument("--verbose", action="store_true", help="print the QEMU command line")
        args = parser.parse_args(argv)
        if args.timeout <= 0:
                parser.error("--timeout must be positive")
        if args.icount is not None and not 0 <= args.icount <= 10:
                parser.error("--icount SHIFT must be 0..10")
        residue_checks = args.residue_spray or args.check_zero_memory or args.check_registers
        if residue_checks and not args.wake:
                parser.error("--residue-spray, --check-zero-memory and --check-registers need --wake")
        if args.bad_frames and not args.wake:
                parser.error("--bad-frame needs --wake (harness mode)")
        if args.check_registers and not args.residue_spray:
                parser.error("--check-registers needs --residue-spray (the values it looks for)")
        if args.expect_exit is not None and args.fw_mode is None and args.expect_boot_failure is None:
                parser.error("--expect-exit goes with --fw-mode or --expect-boot-failure")
        if args.fw_mode is not None and args.expect_exit is None:
                parser.error("--fw-mode needs --expect-exit")
        if args.device and args.vars:
                parser.error("--device boots the device's own OVMF_VARS.fd: no --vars")
        if args.fw_mode is not None and args.wake:
                parser.error("--fw-mode halts the enclave once dormant: no --wake")
        if args.fw_mode is not None and args.check_page_tables:
                parser.error("--fw-mode halts the enclave once dormant: no --check-page-tables")
        if args.require_smep_smap and not args.check_page_tables:
                parser.error("--require-smep-smap needs --check-page-tables")
        try:
                machine.memory_bytes(args.memory)
        except ValueError as error:
                parser.error("--memory: %s" % error)
        if not 1 <= args.smp <= 16:
                parser.error("--smp must be 1..16")
        if args.no_uplink and args.expect_boot_failure is None:
                parser.error("--no-uplink needs --expect-boot-failure (the enclave cannot run without one)")
        if args.expect_boot_failure is not None and (args.wake or args.fw_mode or args.check_page_tables):
                parser.error("--expect-boot-failure: the enclave never gets dormant; no --wake, --fw-mode "
                             "or --check-page-tables")
        if args.secure_boot and args.machine != "q35":
                parser.error("--secure-boot needs --machine q35: the Secure Boot OVMF requires SMM, "
                             "which it supports on q35 only")
        if args.no_uplink and args.uplink_behind_bridge:
                parser.error("--no-uplink and --uplink-behind-bridge contradict each other")
        return args


class RunFailure(Exception):
        """The run cannot go on (bad input, QEMU died, a protocol violation)."""


class StepTimeout(RunFailure):
        """The overall --timeout ran out during a named step."""


class FirmwareRefused(RunFailure):
        """The firmware would not start the image (Secure Boot): its console said so on COM1."""


class Interrupted(BaseException):
        """SIGINT/SIGTERM: stop, clean up, report."""


def _interrupt(signum, _frame):
        raise Interrupted(signal.Signals(signum).name)


def json_float(value):
        return value if math.isfinite(value) else str(value)


class Run:
        """One aether-run invocation; collects the report as it goes."""

        def __init__(self, args):
                self.args = args
                self.started = time.monotonic()
                self.deadline = self.started + args.timeout
                self.problems = []
                self.report = {"image_sha256": None, "exit_code": None, "epoch": None, "wakes": []}
                self.key = None
                self.board = None           # machine.board_facts of the image's board, when its build info names it
                self.payload_sha256 = None
                self.proof_stream = []      # every commit: the record and its tag, as aether-verify reads them
                self.bad_frames_sent = 0    # the enclave must have rejected (and counted) each
                self.expected_dropped = 0   # wakes the enclave must have dropped (a driver that makes it do so says)
                self.machine = None
                self.qmp_client = None
                self.swtpm = None

        # -- setup -------------------------------------------------------------

        def load_inputs(self):
                image = os.path.abspath(self.args.image)
                if not os.path.isfile(image):
                        raise RunFailure("image %s not found" % image)
                self.image = image
                build_info = {}
                info_path = os.path.join(os.path.dirname(image), BUILD_INFO)
                if os.path.exists(info_path):
                        try:
                                with open(info_path) as handle:
                                        build_info = json.load(handle)
                        except (OSError, ValueError) as error:
                                raise RunFailure("%s: %s" % (info_path, error)) from None
                else:
                        say("no %s next to the image: payload identity not checked" % BUILD_INFO)
                self.payload_sha256 = build_info.get("payload_sha256")
                if build_info.get("board"):
                        try:
                                self.board = machine.board_facts(build_info["board"])
                        except (OSError, ValueError) as error:
                                raise RunFailure("board %s: %s" % (build_info["board"], error)) from None
                if self.args.device:
                        try:
                                device = provision.load_device(self.args.device)
                        except provision.ProvisionError as error:
                                raise RunFailure(str(error)) from None
                        # The device's store enrols the Secure Boot keys or it does not: the firmware follows it.
                        if device["secure_boot"] and not self.args.secure_boot:
                                say("device %s was provisioned for Secure Boot: booting with --secure-boot"
                                    % self.args.device)
                                self.args.secure_boot = True
                        elif self.args.secure_boot and not device["secure_boot"]:
                                raise RunFailure("--secure-boot: device %s was provisioned without --secure-boot, "
                                                 "its variable store enrols no Secure Boot keys" % self.args.device)
                if self.args.key:
                        key_path = self.args.key
                elif self.args.device:
                        key_path = os.path.join(self.args.device, provision.DEVICE_KEY)
                else:
                        key_path = DEFAULT_KEY
                try:
                        self.key = record.load_key(key_path)
                except record.KeyFileError as error:
                        raise RunFailure(str(error)) from None
                self.report["device_id"] = record.device_id(self.key).hex()
                say("key file %s (device %s)" % (key_path, self.report["device_id"]))

        def build_esp(self, workdir):
                with open(self.image, "rb") as handle:
                        digest = hashlib.sha256(handle.read()).hexdigest()
                self.report["image_sha256"] = digest
                esp = os.path.join(workdir, "esp.img")
                say("building ESP with %s (sha256 %s)" % (self.image, digest))
                sealed_key = None
                if self.args.device and os.path.exists(os.path.join(self.args.device, tpm.SEALED_KEY_FILE)):
                        sealed_key = os.path.join(self.args.device, tpm.SEALED_KEY_FILE)
                        say("device sealed key %s as \\EFI\\aether\\sealed-key.bin" % sealed_key)
                try:
                        machine.build_esp(self.image, esp, sealed_key)
                except (machine.MachineError, OSError) as error:
                        raise RunFailure("ESP: %s" % error) from None
                return esp

        def vars_file(self, workdir, template):
                if self.args.device:
                        path = os.path.join(os.path.abspath(self.args.device), provision.DEVICE_VARS)
                        if not os.path.isfile(path):
                                raise RunFailure("%s: the device has no variable store" % path)
                        say("device %s: variable store %s" % (self.report["device_id"], path))
                        return path
                path = os.path.abspath(self.args.vars) if self.args.vars else \
                        os.path.join(workdir, "OVMF_VARS.fd")
                if not os.path.exists(path):
                        say("new OVMF variable store %s (a copy of %s)" % (path, template))
                machine.prepare_vars(path, template)
                return path

        # -- waiting -----------------------------------------------------------

        def remaining(self):
                return max(0.0, self.deadline - time.monotonic())

        def qemu_ended(self, step):
                """QEMU is gone while step: FirmwareRefused if the firmware refused the image
                (the machine stopped QEMU then), else RunFailure with QEMU's exit status."""
                if self.machine.refusal is not None:
                        self.report["firmware_refusal"] = self.machine.refusal
                        raise FirmwareRefused("the firmware refused the image (Secure Boot): %s"
                                              % self.machine.refusal)
                code = self.machine.process.returncode
                self.report["exit_code"] = code
                raise RunFailure("QEMU exited (code %d) while %s" % (code, step))

        def wait_uplink(self, step, ready):
                """Poll the uplink file until ready(snapshot) is true; fail if QEMU ends or time runs out."""
                while True:
                        snapshot = uplink.read_uplink(self.machine.uplink_path)
                        if snapshot is not None and ready(snapshot):
                                return snapshot
                        if not self.machine.alive():
                                self.qemu_ended(step)
                        if time.monotonic() >= self.deadline:
                                raise StepTimeout("timed out while %s" % step)
                        time.sleep(POLL_SECONDS)

        def wait_exit(self, step, expected=machine.ISA_DEBUG_EXIT_PASS):
                """Wait for the end of the run and check it ended with the expected code: QEMU's exit
                status through isa-debug-exit, or, on a machine without one, the enclave's own
                `halt: ... (exit code 0xNN)` line once it sits in cli; hlt (QEMU's status would be
                (NN << 1) | 1). Either way the report gets `end` and `halt_code`."""
                if not self.machine.options.exit_device:
                        return self.wait_halted(step, expected)
                try:
                        code = self.machine.wait_exit(self.deadline)
                except TimeoutError:
                        raise StepTimeout("timed out while %s" % step) from None
                if self.machine.refusal is not None:
                        self.qemu_ended(step)
                self.report["exit_code"] = code
                self.report["end"] = "isa-debug-exit"
                halted = HALT_CODE.search(self.debugcon_text())
                self.report["halt_code"] = int(halted.group(1), 16) if halted else None
                say("QEMU exited with code %d after %.1f s" % (code, time.monotonic() - self.started))
                self.check(code == expected, "QEMU exit code %d, expected %d" % (code, expected))
                return code

        def wait_halted(self, step, expected):
                """No isa-debug-exit: the enclave's end is cli; hlt. It is recognised by its halt line
                in the log and, when the uplink was set up, STATE = halted; then QEMU is stopped."""
                while True:
                        halted = HALT_CODE.search(self.debugcon_text())
                        if halted:
                                break
                        if not self.machine.alive():
                                self.qemu_ended(step)
                        if time.monotonic() >= self.deadline:
                                raise StepTimeout("timed out while %s" % step)
                        time.sleep(POLL_SECONDS)
                code = int(halted.group(1), 16)
                snapshot = uplink.read_uplink(self.machine.uplink_path)
                if snapshot is not None and snapshot.magic_ok:
                        self.wait_uplink(step + " (uplink STATE halted)", lambda s: s.state == uplink.STATE_HALTED)
                self.report["end"] = "halted"
                self.report["halt_code"] = code
                say("the enclave halted with code 0x%x (cli; hlt, no isa-debug-exit) after %.1f s"
                    % (code, time.monotonic() - self.started))
                self.machine.kill()
                status = (code << 1) | 1
                self.check(status == expected, "halt code 0x%x (QEMU would exit %d), expected exit %d"
                           % (code, status, expected))
                return status

        # -- verification --------------------------------------------------------

        def check(self, condition, problem):
                if not condition:
                        self.problems.append(problem)
                        say("check failed: " + problem)
                return condition

        def verify_commit(self, snapshot, expected, seq):
                """Check one committed record against what was sent; returns its report entry."""
                where = "wake %d" % seq
                try:
                        rec = record.parse_record(snapshot.record)
                except ValueError as error:
                        raise RunFailure("%s: %s" % (where, error)) from None
                for problem in record.record_problems(rec):
                        self.check(False, "%s: malformed record: %s" % (where, problem))
                tag = siphash.siphash24(self.key, snapshot.record)
                verified = self.check(tag == snapshot.tag, "%s: proof mismatch: uplink 0x%016x, "
                                      "recomputed 0x%016x" % (where, snapshot.tag, tag))
                self.check(snapshot.record_len == record.RECORD_SIZE,
                           "%s: RECORD_LEN %d" % (where, snapshot.record_len))
                self.check(snapshot.telemetry_len == rec.telemetry_len,
                           "%s: TELEMETRY_LEN %d != record's %d"
                           % (where, snapshot.telemetry_len, rec.telemetry_len))
                self.check(snapshot.boot_epoch == rec.epoch, "%s: BOOT_EPOCH %d != record's %d"
                           % (where, snapshot.boot_epoch, rec.epoch))
                device = record.device_id(self.key)
                self.check(rec.device_id == device == snapshot.device_id,
                           "%s: device ID %s in the record, %s in the uplink, the key's is %s"
                           % (where, rec.device_id.hex(), snapshot.device_id.hex(), device.hex()))
                development = self.key == record.DEVELOPMENT_KEY
                self.check(bool(rec.boot_flags & record.BOOT_FLAG_DEVELOPMENT_KEY) == development,
                           "%s: boot flags 0x%x, and the key is %sthe development key"
                           % (where, rec.boot_flags, "" if development else "not "))
                if self.args.secure_boot:
                        secure = record.BOOT_FLAG_SECURE_BOOT_KNOWN | record.BOOT_FLAG_SECURE_BOOT_ON
                        self.check(rec.boot_flags & (secure | record.BOOT_FLAG_SETUP_MODE) == secure,
                                   "%s: boot flags 0x%x under --secure-boot: want secure-boot-known and "
                                   "secure-boot-on, without setup-mode" % (where, rec.boot_flags))
                if self.board is not None:
                        source = self.board["key_source"]
                        self.check(rec.boot_flags & sum(KEY_SOURCE_FLAGS.values()) == KEY_SOURCE_FLAGS[source],
                                   "%s: boot flags 0x%x, and the board's key-source is %s"
                                   % (where, rec.boot_flags, source))
                self.check(rec.rejected_frames == self.bad_frames_sent,
                           "%s: %d rejected frames in the record, %d bad frames sent"
                           % (where, rec.rejected_frames, self.bad_frames_sent))
                self.check(rec.dropped_wakes == self.expected_dropped,
                           "%s: %d dropped wakes in the record, %d expected"
                           % (where, rec.dropped_wakes, self.expected_dropped))
                self.proof_stream.append(snapshot.record + struct.pack("<Q", snapshot.tag))
                self.check(hashlib.sha256(snapshot.telemetry).digest() == rec.telemetry_sha256,
                           "%s: telemetry does not match the record's SHA-256" % where)
                self.check(rec.vector == expected.vector, "%s: vector 0x%02x, sent 0x%02x"
                           % (where, rec.vector, expected.vector))
                self.check(rec.pressure_bits == expected.pressure_bits,
                           "%s: pressure bits 0x%08x, sent 0x%08x"
                           % (where, rec.pressure_bits, expected.pressure_bits))
                self.check(rec.dose == expected.dose, "%s: dose %d, sent %d"
                           % (where, rec.dose, expected.dose))
                self.check(rec.seq == seq, "%s: sequence number %d, expected %d" % (where, rec.seq, seq))
                if self.report["epoch"] is None:
                        self.report["epoch"] = rec.epoch
                self.check(rec.epoch == self.report["epoch"], "%s: epoch %d changed from %d"
                           % (where, rec.epoch, self.report["epoch"]))
                if self.payload_sha256:
                        self.check(rec.payload_sha256.hex() == self.payload_sha256.lower(),
                                   "%s: payload identity %s != build's %s"
                                   % (where, rec.payload_sha256.hex(), self.payload_sha256))
                pressure = expected.pressure if rec.pressure_bits == expected.pressure_bits \
                        else record.f32_value(rec.pressure_bits)
                entry = {
                        "vector": "0x%02x" % rec.vector,
                        "pressure": json_float(pressure),
                        "pressure_bits": "0x%08x" % rec.pressure_bits,
                        "dose": rec.dose,
                        "outcome": record.fault_name(rec.outcome),
                        "status": rec.status,
                        "telemetry": snapshot.telemetry.hex(),
                        "proof": "0x%016x" % snapshot.tag,
                        "proof_verified": verified,
                        "seq": rec.seq,
                        "epoch": rec.epoch,
                        "uplink_lo": rec.uplink_lo,
                        "uplink_hi": rec.uplink_hi,
                        "device_id": rec.device_id.hex(),
                        "payload_sha256": rec.payload_sha256.hex(),
                        "dropped_wakes": rec.dropped_wakes,
                        "rejected_frames": rec.rejected_frames,
                        "boot_flags": rec.boot_flags,
                        "record": snapshot.record.hex(),
                }
                self.report["wakes"].append(entry)
                if self.args.quiet:
                        if seq % QUIET_PROGRESS_EVERY == 0:
                                say("%d wakes committed and verified (%.1f s)"
                                    % (seq, time.monotonic() - self.started))
                        return entry
                say("wake %d: vector %s pressure=%s dose=%d -> %s status %d telemetry %d bytes, "
                    "proof %s %s" % (seq, entry["vector"], pressure, rec.dose, entry["outcome"],
                                     rec.status, len(snapshot.telemetry), entry["proof"],
                                     "verified" if verified else "NOT VERIFIED"))
                return entry

        # -- the two modes -------------------------------------------------------

        def bench(self):
                say("bench mode: waiting for the enclave's own wake and exit")
                self.wait_exit("waiting for QEMU to exit (bench mode)")
                for line in self.debugcon_text().splitlines():
                        say("enclave log: " + line)
                snapshot = uplink.read_uplink(self.machine.uplink_path)
                if snapshot is None or not snapshot.magic_ok:
                        raise RunFailure("uplink region has no AETHUPL1 header after bench run")
                if not self.check(snapshot.commit_count == 1,
                                  "bench: COMMIT_COUNT %d, expected 1" % snapshot.commit_count):
                        return
                expected = WakeRequest(BENCH_VECTOR, BENCH_PRESSURE,
                                       record.f32_bits(BENCH_PRESSURE), BENCH_DOSE)
                entry = self.verify_commit(snapshot, expected, 1)
                entry["timing"] = wake_timing(snapshot)
                self.report["boot_to_dormant_tsc"] = snapshot.boot_to_dormant_tsc
                self.report["timer"] = snapshot.timer
                self.check(entry["outcome"] == "ok", "bench: outcome %s" % entry["outcome"])
                self.check(entry["status"] == BENCH_STATUS, "bench: status %d, expected %d"
                           % (entry["status"], BENCH_STATUS))
                match = BENCH_LINE.search(self.debugcon_text())
                if not self.check(match is not None, "bench: no cycle success line on debugcon"):
                        entry["proof_verified"] = False
                        return
                printed = int(match.group(2), 16)
                entry["printed_proof"] = "0x%016x" % printed
                if not self.check(printed == snapshot.tag, "bench: printed proof 0x%016x != uplink "
                                  "0x%016x" % (printed, snapshot.tag)):
                        entry["proof_verified"] = False
                self.check(int(match.group(1)) == entry["status"], "bench: printed guest=%s != "
                           "status %d" % (match.group(1), entry["status"]))
                self.check(int(match.group(3), 16) == BENCH_VECTOR, "bench: printed vector 0x%s"
                           % match.group(3))

        def harness(self):
                dormant = self.wait_uplink("waiting for dormancy",
                                           lambda s: s.magic_ok and s.state == uplink.STATE_DORMANT)
                say("enclave dormant after %.1f s (epoch %d)"
                    % (time.monotonic() - self.started, dormant.boot_epoch))
                self.report["layout"] = {
                        "linear_memory_base": "0x%x" % dormant.linear_memory_base,
                        "linear_memory_cap": dormant.linear_memory_cap,
                        "cycle_stack_base": "0x%x" % dormant.cycle_stack_base,
                        "cycle_stack_bytes": dormant.cycle_stack_bytes,
                        "user_va_base": "0x%x" % dormant.user_va_base,
                        "user_va_limit": "0x%x" % dormant.user_va_limit,
                }
                self.report["boot_to_dormant_tsc"] = dormant.boot_to_dormant_tsc
                self.report["timer"] = dormant.timer
                say("timer: LAPIC %d Hz (measured %d Hz), TSC %d Hz, reference %s"
                    % (dormant.lapic_timer_hz, dormant.lapic_timer_measured_hz, dormant.tsc_hz,
                       dormant.timer["reference"]))
                if self.args.check_page_tables:
                        self.check_page_tables("after_boot", dormant)
                for seq, wake in enumerate(self.args.wake, 1):
                        self.send_bad_frames(seq - 1)
                        after = self.send_wake(seq, wake)
                        entry = self.verify_commit(after, wake, seq)
                        entry["stack_bytes"] = after.last_stack_bytes
                        entry["memory_bytes"] = after.last_memory_bytes
                        entry["timing"] = wake_timing(after)
                        if self.args.dump_registers:
                                entry["registers"] = self.info_registers()
                        checks = self.residue_checks(seq, after, wake.dose)
                        if checks:
                                entry["residue"] = checks
                if self.args.check_page_tables and self.args.wake:
                        self.check_page_tables("after_last_wake", after)
                self.send_bad_frames(len(self.args.wake))
                say("sending shutdown frame")
                self.machine.send(0x20, frame.shutdown_frame())
                self.wait_exit("waiting for QEMU to exit after the shutdown frame")
                final = uplink.read_uplink(self.machine.uplink_path)
                self.check(final is not None and final.state == uplink.STATE_HALTED,
                           "uplink STATE %s after shutdown, expected halted"
                           % (final.state_name if final else "unreadable"))
                self.check(final is None or final.commit_count == len(self.args.wake),
                           "COMMIT_COUNT %d after %d wakes"
                           % (final.commit_count if final else -1, len(self.args.wake)))
                if final is not None:
                        self.report["dropped_wakes"] = final.dropped_wakes
                        self.report["rejected_frames"] = final.rejected_frames
                        self.check((final.dropped_wakes, final.rejected_frames) ==
                                   (self.expected_dropped, self.bad_frames_sent),
                                   "uplink DROPPED_WAKES %d, REJECTED_FRAMES %d at the end, expected %d, %d"
                                   % (final.dropped_wakes, final.rejected_frames, self.expected_dropped,
                                      self.bad_frames_sent))

        def send_wake(self, seq, wake):
                """Sends wake seq's frame; returns the uplink once it is committed and the enclave
                dormant again. A driver may deliver some wakes otherwise."""
                before = uplink.read_uplink(self.machine.uplink_path)
                commits, dormancies = before.commit_count, before.dormant_count

                def committed(s):
                        if s.commit_count > commits + 1:
                                raise RunFailure("wake %d: lost/extra commit (COMMIT_COUNT "
                                                 "%d -> %d)" % (seq, commits, s.commit_count))
                        return (s.commit_count == commits + 1
                                and s.dormant_count == dormancies + 1
                                and s.state == uplink.STATE_DORMANT)

                self.machine.send(wake.vector, frame.wake_frame(wake.pressure_bits, wake.dose))
                return self.wait_uplink("waiting for the commit of wake %d" % seq, committed)

        def send_bad_frames(self, before_wake):
                """The --bad-frame given before that many --wake: each must be counted as rejected
                (uplink REJECTED_FRAMES), and nothing committed."""
                for index, vector in self.args.bad_frames:
                        if index != before_wake:
                                continue
                        commits = uplink.read_uplink(self.machine.uplink_path).commit_count
                        self.bad_frames_sent += 1
                        say("bad frame %d on vector 0x%02x (wrong CRC)" % (self.bad_frames_sent, vector))
                        self.machine.send(vector, frame.bad_crc_wake_frame(record.f32_bits(1.0), 0))
                        counted = self.wait_uplink("waiting for bad frame %d to be rejected" % self.bad_frames_sent,
                                                   lambda s: s.rejected_frames >= self.bad_frames_sent)
                        self.check(counted.rejected_frames == self.bad_frames_sent and counted.commit_count == commits,
                                   "bad frame %d: REJECTED_FRAMES %d, COMMIT_COUNT %d -> %d"
                                   % (self.bad_frames_sent, counted.rejected_frames, commits, counted.commit_count))

        def residue_checks(self, seq, snapshot, dose):
                """The residue checks asked for, run while the enclave is dormant after wake seq.

                Only this wake's spray is looked for: an earlier wake's was absent from RAM and
                registers when that wake was checked, and nothing can bring it back."""
                where = "wake %d" % seq
                found = {}
                if self.args.residue_spray:
                        hits = residue.scan_file(self.machine.ram_path, residue.spray_needles(dose))
                        found["ram_hits"] = len(hits)
                        if hits:
                                found["ram_hit_offsets"] = ["0x%x" % offset for offset in hits]
                        self.check(not hits, "%s: the spray is still in guest RAM at %s%s"
                                   % (where, ", ".join("0x%x" % offset for offset in hits[:4]),
                                      " ..." if len(hits) > 4 else ""))
                if self.args.check_zero_memory:
                        base, cap = snapshot.linear_memory_base, snapshot.linear_memory_cap
                        if not self.check(cap > 0, "%s: uplink LINEAR_MEMORY_CAP is 0" % where):
                                found["memory_zero"] = False
                        else:
                                try:
                                        # Below 4 GiB (where the arena is) the RAM file's offset is the
                                        # physical address on every machine; ram_offset says so or fails.
                                        offset = residue.first_nonzero(self.machine.ram_path,
                                                                       self.machine.ram_offset(base, cap), cap)
                                except ValueError as error:
                                        raise RunFailure("%s: LINEAR_MEMORY_BASE/CAP: %s" % (where, error)) from None
                                found["memory_zero"] = offset is None
                                self.check(offset is None, "%s: linear memory [0x%x, 0x%x) not zero at 0x%x"
                                           % (where, base, base + cap, offset or 0))
                if self.args.check_registers:
                        registers = cpu_state.parse_registers(self.info_registers())
                        if not self.check(len(registers) == 32, "%s: parsed %d of the 16 general and 16 "
                                          "XMM registers" % (where, len(registers))):
                                found["register_hits"] = None
                        else:
                                hits = residue.register_hits(registers, [dose])
                                found["register_hits"] = hits
                                self.check(not hits, "%s: registers hold a spray word while dormant: %s"
                                           % (where, ", ".join(hits)))
                                # The scrub zeroes xmm0-15 and no host code after it uses them.
                                dirty = [name for name, value in sorted(registers.items())
                                         if name.startswith("XMM") and value]
                                found["xmm_nonzero"] = dirty
                                self.check(not dirty, "%s: XMM registers not zero while dormant: %s"
                                           % (where, ", ".join(dirty)))
                return found

        def check_page_tables(self, when, snapshot):
                """Walk the page tables of the dormant enclave from outside (--check-page-tables) and
                put what was found in the report's page_tables[when]."""
                where = when.replace("_", " ")
                control = cpu_state.parse_control_registers(self.info_registers())
                missing = [name for name in ("CR0", "CR3", "CR4", "EFER") if name not in control]
                if missing:
                        raise RunFailure("%s: no %s in 'info registers'" % (where, ", ".join(missing)))
                if control["CR4"] & pagetables.CR4_LA57:
                        raise RunFailure("%s: CR4.LA57 is set: 5-level paging, which the page-table "
                                         "walk does not cover" % where)
                try:
                        if self.machine.ram_offset(control["CR3"] & pagetables.TABLE_ADDRESS, 0x1000) != \
                                        control["CR3"] & pagetables.TABLE_ADDRESS:
                                raise ValueError("CR3 0x%x is above the RAM below the PCI hole" % control["CR3"])
                except ValueError as error:
                        raise RunFailure("%s: the walk reads tables at RAM file offset = physical address: %s"
                                         % (where, error)) from None
                base, limit = snapshot.user_va_base, snapshot.user_va_limit
                # Both zero (an image that publishes no user range): no user page is allowed.
                allowed = [(base, limit)] if base < limit else []
                self.check(base < limit or base == limit == 0, "%s: uplink USER_VA_BASE 0x%x is not "
                           "below USER_VA_LIMIT 0x%x" % (where, base, limit))
                try:
                        result = pagetables.check(self.machine.ram_path, control["CR3"], control["EFER"],
                                                  allowed)
                except (pagetables.PageTableError, OSError) as error:
                        raise RunFailure("%s: page tables: %s" % (where, error)) from None
                found = {"cr3": "0x%x" % control["CR3"], "cr0_wp": bool(control["CR0"] & pagetables.CR0_WP),
                         "cr4_smep": bool(control["CR4"] & pagetables.CR4_SMEP),
                         "cr4_smap": bool(control["CR4"] & pagetables.CR4_SMAP),
                         "efer_nxe": bool(control["EFER"] & pagetables.EFER_NXE)}
                found.update(pagetables.to_json(result))
                self.report.setdefault("page_tables", {})[when] = found
                say("%s: page tables at CR3 0x%x: %d ranges, %d violations; CR0.WP %d CR4.SMEP %d "
                    "CR4.SMAP %d EFER.NXE %d" % (where, control["CR3"], len(result.ranges),
                                                 len(result.violations), found["cr0_wp"],
                                                 found["cr4_smep"], found["cr4_smap"], found["efer_nxe"]))
                for violation in result.violations:
                        self.check(False, "%s: %s" % (where, pagetables.describe(violation)))
                self.check(found["cr0_wp"], "%s: CR0.WP is clear: the enclave can write through "
                           "read-only pages" % where)
                if self.args.require_smep_smap:
                        self.check(found["cr4_smep"], "%s: CR4.SMEP is clear" % where)
                        self.check(found["cr4_smap"], "%s: CR4.SMAP is clear" % where)

        def host_fault(self):
                mode, code = self.args.fw_mode, self.args.expect_exit
                say("mode %s: waiting for the enclave to halt with exit code %d" % (mode, code))
                self.wait_exit("waiting for QEMU to exit (mode %s)" % mode, expected=code)
                text = self.debugcon_text()
                exception, halted = EXCEPTION_LINE.search(text), HALT_LINE.search(text)
                self.report["host_fault"] = {"mode": mode,
                                             "exception": exception.group(0) if exception else None,
                                             "halt": halted.group(0) if halted else None}
                self.check(exception is not None, "%s: no CPU exception report on debugcon" % mode)
                self.check(halted is not None, "%s: no halt line on debugcon" % mode)
                if exception:
                        say("debugcon: " + exception.group(0))
                final = uplink.read_uplink(self.machine.uplink_path)
                self.check(final is not None and final.state == uplink.STATE_HALTED,
                           "uplink STATE %s after the exception, expected halted"
                           % (final.state_name if final else "unreadable"))
                self.check(final is None or final.commit_count == 0,
                           "COMMIT_COUNT %d with no wake" % (final.commit_count if final else -1))

        def boot_failure(self):
                """--expect-boot-failure: the enclave stops before dormancy with exit 37 (or halt code
                0x12; --expect-exit another), commits nothing, and the pattern is both in its log and on the firmware console, which OVMF
                mirrors to COM1 (the wake line 0x20, whose bytes the harness drains)."""
                pattern = re.compile(self.args.expect_boot_failure)
                say("waiting for the boot to fail with /%s/" % pattern.pattern)
                expected = BOOT_FAILURE_EXIT if self.args.expect_exit is None else self.args.expect_exit
                self.wait_exit("waiting for the boot failure", expected=expected)
                self.machine.kill()
                console_line = self.machine.lines[machine.FIRMWARE_CONSOLE_VECTOR]
                console_line.wait_closed()
                console = " ".join(machine.console_text(console_line.tail).split())
                self.report["firmware_console"] = console[-1000:]
                final = uplink.read_uplink(self.machine.uplink_path)
                self.check(final is None or final.state != uplink.STATE_DORMANT,
                           "the enclave went dormant: the boot did not fail")
                self.check(final is None or (final.commit_count == 0 and not any(final.record)),
                           "the failed boot committed: COMMIT_COUNT %d" % (final.commit_count if final else 0))
                self.check(pattern.search(self.debugcon_text()) is not None,
                           "the enclave's log does not match /%s/" % pattern.pattern)
                self.check(pattern.search(console) is not None,
                           "the firmware console (COM1) does not match /%s/; its tail: %s"
                           % (pattern.pattern, console[-300:]))

        def info_registers(self):
                if self.qmp_client is None:
                        self.qmp_client = qmp.QmpClient(self.machine.qmp_path, timeout=self.remaining())
                return self.qmp_client.hmp("info registers")

        def debugcon_text(self):
                try:
                        with open(self.machine.debugcon_log, "rb") as handle:
                                return handle.read().decode("utf-8", errors="replace")
                except OSError:
                        return ""

        def print_tails(self):
                if self.machine is None:
                        return
                lines = self.debugcon_text().splitlines()[-20:]
                say("debugcon log tail (%d lines):" % len(lines))
                for line in lines:
                        print("    " + line, flush=True)
                stderr = self.machine.stderr_text().strip()
                if stderr:
                        say("QEMU stderr:")
                        for line in stderr.splitlines()[-20:]:
                                print("    " + line, flush=True)

        # -- the whole run -------------------------------------------------------

        def execute(self, workdir):
                self.load_inputs()
                esp = self.build_esp(workdir)
                debugcon = os.path.abspath(self.args.qemu_log) if self.args.qemu_log else \
                        os.path.join(workdir, "debugcon.log")
                # --check-page-tables needs the dormant enclave: harness mode, even with no wake.
                bench = (not self.args.wake and self.args.fw_mode is None
                         and not self.args.check_page_tables and self.args.expect_boot_failure is None)
                board = self.board or {"exit": True, "fw_cfg": True, "log": ("debugcon", 0x402)}
                if bench and not board["fw_cfg"]:
                        raise RunFailure("the image's board has no fw-cfg, so no bench mode: give --wake")
                log_kind, log_port = board["log"]
                options = machine.MachineOptions(
                        self.args.machine, self.args.smp, self.args.memory,
                        "none" if self.args.no_uplink else "bridge" if self.args.uplink_behind_bridge else "root",
                        hpet=not self.args.no_hpet, exit_device=board["exit"] and not self.args.no_exit_device,
                        log_uart=log_port if log_kind == "uart" else None, secure_boot=self.args.secure_boot)
                vars_path = self.vars_file(workdir, options.firmware()[1])
                self.report["machine"] = options.describe()
                if not self.args.wake and self.args.dump_registers:
                        say("--dump-registers needs harness mode (--wake): ignored")
                mode = "bench" if bench else self.args.fw_mode
                if self.args.device and os.path.isdir(os.path.join(self.args.device, tpm.DEVICE_TPM_STATE)):
                        self.swtpm = tpm.Swtpm(os.path.join(self.args.device, tpm.DEVICE_TPM_STATE), for_qemu=True)
                        try:
                                self.swtpm.start()
                        except tpm.TpmError as error:
                                raise RunFailure(str(error)) from None
                        say("device TPM: swtpm on %s (tpm-crb)" % self.swtpm.state_dir)
                self.machine = machine.Machine(workdir, esp, vars_path, debugcon, mode,
                                               self.args.icount, options, self.swtpm)
                if self.args.verbose:
                        say("command: " + shlex.join(self.machine.command()))
                say("booting QEMU (%s, OVMF, TCG%s, %s mode)"
                    % (options.describe(),
                       ", icount shift=%d" % self.args.icount if self.args.icount is not None else "",
                       mode or "harness"))
                self.machine.start()
                # Connect at once: the drain threads keep OVMF's console noise from blocking
                # QEMU, and the lines are ready before the enclave can go dormant.
                try:
                        self.machine.connect_lines(self.deadline)
                except TimeoutError as error:
                        raise StepTimeout("timed out while %s" % error) from None
                if bench:
                        self.bench()
                elif self.args.expect_boot_failure is not None:
                        self.boot_failure()
                elif self.args.fw_mode is not None:
                        self.host_fault()
                else:
                        self.harness()

        def close(self):
                if self.qmp_client is not None:
                        self.qmp_client.close()
                if self.swtpm is not None:
                        if self.machine is not None:
                                self.machine.kill()  # QEMU first: it holds the TPM's socket
                        self.swtpm.stop()
                if self.args.proof_stream:
                        with open(self.args.proof_stream, "wb") as handle:
                                handle.write(b"".join(self.proof_stream))
                        say("%d commits kept in the proof stream %s" % (len(self.proof_stream), self.args.proof_stream))
                if self.machine is not None and self.args.keep_uplink and os.path.exists(self.machine.uplink_path):
                        with open(self.machine.uplink_path, "rb") as handle:
                                region = handle.read()
                        with open(self.args.keep_uplink, "wb") as handle:
                                handle.write(region)
                        say("final uplink region kept in %s" % self.args.keep_uplink)
                if self.machine is not None:
                        self.machine.close(keep_ram=self.args.keep_ram)
                        if self.machine.killed:
                                self.report["exit_code"] = None
                        if self.args.keep_ram and os.path.exists(self.args.keep_ram):
                                say("guest RAM kept in %s" % self.args.keep_ram)


def wake_timing(snapshot):
        """The last wake's TSC deltas (instructions x 2^N under --icount N)."""
        return {"wake_to_commit_tsc": snapshot.wake_to_commit_tsc,
                "wake_to_scrubbed_tsc": snapshot.wake_to_scrubbed_tsc}


def write_report(path, report):
        tmp = path + ".tmp"
        with open(tmp, "w") as handle:
                json.dump(report, handle, indent=2)
                handle.write("\n")
        os.replace(tmp, path)


def main(argv=None, make_run=Run):
        """aether-run; make_run(args) gives the Run (a driver's subclass delivers some wakes its own way)."""
        args = parse_args(sys.argv[1:] if argv is None else argv)
        previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
        run = make_run(args)
        error = None
        interrupted = False
        refused = False
        try:
                with tempfile.TemporaryDirectory(prefix="aether-run-") as workdir:
                        try:
                                run.execute(workdir)
                        except FirmwareRefused as refusal:
                                error = str(refusal)
                                refused = True
                                say("REFUSED: " + error)
                        except (RunFailure, qmp.QmpError, machine.MachineError, OSError) as failure:
                                error = str(failure)
                                run.print_tails()
                        except Interrupted as signame:
                                error = "interrupted (%s)" % signame
                                interrupted = True
                        finally:
                                run.close()
        finally:
                for sig, handler in previous.items():
                        signal.signal(sig, handler)
        seconds = time.monotonic() - run.started
        problems = run.problems + ([error] if error is not None else [])
        if problems:
                error = problems[-1] if error is not None else problems[0]
                if len(problems) > 1:
                        error += " (and %d more problems)" % (len(problems) - 1)
        run.report["duration_s"] = round(seconds, 3)
        if error is not None:
                run.report["error"] = error
                run.report["problems"] = problems
        if args.report:
                try:
                        write_report(args.report, run.report)
                except OSError as failure:
                        error = error or "cannot write report %s: %s" % (args.report, failure.strerror)
        if error is not None:
                say("FAIL: " + error)
                return 130 if interrupted else EXIT_REFUSED if refused else 1
        end = "exit %d" % run.report["exit_code"] if run.report.get("end") == "isa-debug-exit" else \
                "halted with code 0x%x" % run.report["halt_code"]
        say("PASS (%d wakes, %s, %.1f s)" % (len(run.report["wakes"]), end, seconds))
        return 0
