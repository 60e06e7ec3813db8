# SPDX-License-Identifier: AGPL-3.0-or-later
# machine.py: the QEMU machine (q35 or pc, OVMF) the enclave runs in: ESP, command line, UART lines, RAM layout.

import os
import re
import shutil
import socket
import subprocess
import threading
import time

from . import uplink

OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS_TEMPLATE = "/usr/share/OVMF/OVMF_VARS_4M.fd"
# Secure Boot (--secure-boot): the firmware built with it and SMM, and the VARS that
# enrol the public snakeoil certificate as PK, KEK and db, so Secure Boot is on.
OVMF_CODE_SECURE_BOOT = "/usr/share/OVMF/OVMF_CODE_4M.secboot.fd"
OVMF_VARS_SECURE_BOOT_TEMPLATE = "/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd"
MACHINE_TYPES = ("q35", "pc")
DEFAULT_MEMORY = "512M"
UPLINK_SIZE = "1M"  # uplink.UPLINK_SIZE bytes
UPLINK_PLACES = ("root", "bridge", "none")
LOG_UART_IRQ = 5  # the log UART's interrupt is never enabled; 5 is free on both machines
ESP_MIN_KIB = 16 * 1024
ISA_DEBUG_EXIT_PASS = 33  # outb 0xf4, 0x10 -> (0x10 << 1) | 1

# The UART line (and its I/O port / IRQ) that carries each wake vector's frames.
UART_LINES = {0x20: ("wake20", 0x3F8, 4), 0x21: ("wake21", 0x2F8, 3)}
FIRMWARE_CONSOLE_VECTOR = 0x20  # OVMF mirrors its console (ConOut) to COM1, the line of wake 0x20
ANSI_ESCAPE = re.compile(r"\x1b(\[[0-9;?=]*[A-Za-z]|[()][0-9A-Za-z])")
# OVMF's boot manager when the image's signature (or its absence) is refused:
# `BdsDxe: failed to load Boot0001 "UEFI QEMU HARDDISK QM00001 " from PciRoot(...)/...: Access Denied`.
FIRMWARE_REFUSAL = re.compile(r"BdsDxe: failed to load [^\r\n]*: (Access Denied|Security Violation)")


def console_text(data):
        """The firmware console's bytes as text: escape sequences dropped."""
        return ANSI_ESCAPE.sub("", data.decode("latin-1"))


class MachineError(RuntimeError):
        """Setting up or driving QEMU failed (a tool, a socket, the process)."""


def memory_bytes(text):
        """QEMU's -m size ("256M", "4G", a plain number of MiB) in bytes; ValueError if malformed."""
        units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
        text = text.strip().upper()
        if text[-1:] in units:
                value, scale = text[:-1], units[text[-1]]
        else:
                value, scale = text, 1 << 20
        if not value.isdigit() or int(value) == 0:
                raise ValueError("%r is not a memory size such as 256M or 4G" % text)
        return int(value) * scale


def ram_ranges(machine_type, size):
        """Where the RAM file's bytes appear in the guest's physical address space:
        [(physical, file_offset, length)]. Both machines put RAM below the PCI hole
        at file offset = physical address and the rest at 4 GiB (QEMU's
        pc_q35_init and pc_init1: q35 keeps 2 GiB low once RAM reaches 2.75 GiB,
        pc keeps 3 GiB low once it reaches 3.5 GiB)."""
        if machine_type == "q35":
                low = 0x80000000 if size >= 0xB0000000 else size
        else:
                low = 0xC0000000 if size >= 0xE0000000 else size
        ranges = [(0, 0, low)]
        if size > low:
                ranges.append((1 << 32, low, size - low))
        return ranges


def board_facts(path):
        """The directives of a board file that shape the machine and its records: {"exit": bool,
        "fw_cfg": bool, "log": ("debugcon" | "uart", port), "key_source": "development" |
        "uefi-variable" | "tpm"}. Only the first word of each line and the log and key-source
        lines' arguments are read; aether-board-check has validated the file at build time."""
        facts = {"exit": False, "fw_cfg": False, "log": ("debugcon", 0x402), "key_source": "development"}
        with open(path) as handle:
                for line in handle:
                        words = line.split("#", 1)[0].split()
                        if not words:
                                continue
                        if words[0] == "exit":
                                facts["exit"] = True
                        elif words[0] == "fw-cfg":
                                facts["fw_cfg"] = True
                        elif words[0] == "log" and len(words) == 3:
                                facts["log"] = (words[1], int(words[2], 0))
                        elif words[0] == "key-source" and len(words) == 2:
                                facts["key_source"] = words[1]
        return facts


class MachineOptions:
        """The shape of the machine: its type, CPUs and RAM, and where (or whether) its devices are."""

        def __init__(self, machine_type="q35", smp=1, memory=DEFAULT_MEMORY, uplink="root", hpet=True,
                     exit_device=True, log_uart=None, secure_boot=False):
                """uplink: "root" (on the root bus), "bridge" (behind a pcie-root-port on q35, a
                pci-bridge on pc) or "none". log_uart: the 16550 port of the enclave's log (the
                board's `log uart`), else the log is QEMU's debugcon. secure_boot: the Secure Boot
                firmware, with SMM and its flash secure (q35 only: OVMF's SMM needs it)."""
                if machine_type not in MACHINE_TYPES:
                        raise ValueError("machine %r: not one of %s" % (machine_type, ", ".join(MACHINE_TYPES)))
                if secure_boot and machine_type != "q35":
                        raise ValueError("Secure Boot needs q35: the Secure Boot OVMF requires SMM, which it "
                                         "supports on q35 only")
                if uplink not in UPLINK_PLACES:
                        raise ValueError("uplink %r: not one of %s" % (uplink, ", ".join(UPLINK_PLACES)))
                if not 1 <= smp <= 16:
                        raise ValueError("smp %d: 1..16" % smp)
                self.machine_type = machine_type
                self.smp = smp
                self.memory = memory
                self.memory_bytes = memory_bytes(memory)
                self.uplink = uplink
                self.hpet = hpet
                self.exit_device = exit_device
                self.log_uart = log_uart
                self.secure_boot = secure_boot

        def firmware(self):
                """The OVMF code and the template of a new VARS file for this machine."""
                if self.secure_boot:
                        return OVMF_CODE_SECURE_BOOT, OVMF_VARS_SECURE_BOOT_TEMPLATE
                return OVMF_CODE, OVMF_VARS_TEMPLATE

        def describe(self):
                parts = [self.machine_type, "-smp %d" % self.smp, "-m %s" % self.memory]
                if self.uplink != "root":
                        parts.append("uplink %s" % ("behind a bridge" if self.uplink == "bridge" else "absent"))
                if not self.hpet:
                        parts.append("no HPET")
                if not self.exit_device:
                        parts.append("no isa-debug-exit")
                if self.log_uart is not None:
                        parts.append("log on UART 0x%x" % self.log_uart)
                if self.secure_boot:
                        parts.append("Secure Boot")
                return ", ".join(parts)


def _run_tool(argv, env=None):
        result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
        if result.returncode != 0:
                raise MachineError("%s failed (exit %d): %s" % (
                        argv[0], result.returncode, result.stdout.decode(errors="replace").strip()))


def build_esp(image, esp_path, sealed_key=None):
        """A FAT image holding image as EFI/BOOT/BOOTX64.EFI (the removable-media path) and, given,
        a TPM device's sealed key as EFI/aether/sealed-key.bin (ARCHITECTURE.md 15.1)."""
        size_kib = max(ESP_MIN_KIB, 2 * os.path.getsize(image) // 1024 + 4096)
        _run_tool(["mkfs.vfat", "-C", "-n", "AETHER", esp_path, str(size_kib)])
        env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
        _run_tool(["mmd", "-i", esp_path, "::/EFI", "::/EFI/BOOT"], env)
        _run_tool(["mcopy", "-i", esp_path, image, "::/EFI/BOOT/BOOTX64.EFI"], env)
        if sealed_key is not None:
                _run_tool(["mmd", "-i", esp_path, "::/EFI/aether"], env)
                _run_tool(["mcopy", "-i", esp_path, sealed_key, "::/EFI/aether/sealed-key.bin"], env)


def prepare_vars(path, template=OVMF_VARS_TEMPLATE):
        """Make sure the OVMF variable store exists (else a copy of template)."""
        if not os.path.exists(path):
                shutil.copyfile(template, path)


def copy_sparse(source, destination, chunk=1 << 20):
        """Move source to destination, keeping the all-zero chunks of guest RAM as holes."""
        try:
                os.replace(source, destination)
                return
        except OSError:
                pass
        size = os.path.getsize(source)
        with open(source, "rb") as src, open(destination, "wb") as dst:
                while True:
                        block = src.read(chunk)
                        if not block:
                                break
                        if block.count(0) == len(block):
                                dst.seek(len(block), os.SEEK_CUR)
                        else:
                                dst.write(block)
                dst.truncate(size)
        os.unlink(source)


class UartLine:
        """The host end of one guest UART: frames go out, whatever the guest writes is drained."""

        TAIL_BYTES = 4096

        def __init__(self, name, path, watch=None):
                """watch(tail): called by the draining thread after each chunk received."""
                self.name = name
                self.path = path
                self.watch = watch
                self.sock = None
                self.received = 0
                self.tail = b""
                self._thread = None

        def connect(self, deadline, alive):
                """Retry until QEMU's listening socket accepts us; alive() False aborts."""
                while True:
                        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                        try:
                                sock.connect(self.path)
                                break
                        except (FileNotFoundError, ConnectionRefusedError):
                                sock.close()
                                if not alive():
                                        raise MachineError("QEMU exited before %s accepted" % self.path)
                                if time.monotonic() >= deadline:
                                        raise TimeoutError("connecting to %s" % self.path)
                                time.sleep(0.01)
                self.sock = sock
                self._thread = threading.Thread(target=self._drain, name="drain-" + self.name,
                                                daemon=True)
                self._thread.start()

        def _drain(self):
                while True:
                        try:
                                chunk = self.sock.recv(65536)
                        except OSError:
                                return
                        if not chunk:
                                return
                        self.received += len(chunk)
                        self.tail = (self.tail + chunk)[-self.TAIL_BYTES:]
                        if self.watch is not None:
                                self.watch(self.tail)

        def send(self, data):
                self.sock.sendall(data)

        def wait_closed(self, timeout=5.0):
                """Wait until QEMU's end of the line is closed and every byte it sent is in tail."""
                if self._thread is not None:
                        self._thread.join(timeout=timeout)

        def close(self):
                if self.sock is not None:
                        try:
                                self.sock.shutdown(socket.SHUT_RDWR)
                        except OSError:
                                pass
                        self.sock.close()
                if self._thread is not None:
                        self._thread.join(timeout=1.0)


class Machine:
        """One QEMU process: its files in workdir, its RAM and uplink in /dev/shm."""

        def __init__(self, workdir, esp, vars_path, debugcon_log, mode=None, icount=None, options=None, tpm=None):
                """debugcon_log: where the enclave's log goes (debugcon, or the log UART's file).
                mode: the boot mode passed through fw_cfg opt/org.aether/mode (None: normal).
                tpm: a started tpm.Swtpm for QEMU, or None (no TPM)."""
                self.tpm = tpm
                tag = "aether-%d" % os.getpid()
                self.options = options or MachineOptions()
                self.workdir = workdir
                self.esp = esp
                self.vars_path = vars_path
                self.debugcon_log = debugcon_log
                self.mode = mode
                self.icount = icount
                self.ram_path = "/dev/shm/%s-ram" % tag
                self.uplink_path = "/dev/shm/%s-uplink" % tag
                self.qmp_path = os.path.join(workdir, "qmp.sock")
                self.stderr_path = os.path.join(workdir, "qemu-stderr.txt")
                self.lines = {vector: UartLine(name, os.path.join(workdir, name + ".sock"),
                                               self._watch_console if vector == FIRMWARE_CONSOLE_VECTOR else None)
                              for vector, (name, _, _) in UART_LINES.items()}
                self.process = None
                self.killed = False
                self.refusal = None  # the firmware console's line refusing the image, once seen

        def _watch_console(self, tail):
                """The firmware refused the image: QEMU would wait in the boot manager for good.
                Keep the line and stop QEMU at once."""
                if self.refusal is not None:
                        return
                found = FIRMWARE_REFUSAL.search(console_text(tail))
                if found:
                        self.refusal = found.group(0)
                        self.kill()

        def ram_offset(self, physical, length):
                """The RAM file offset of [physical, physical + length); ValueError unless it lies
                inside one RAM range."""
                for base, offset, size in ram_ranges(self.options.machine_type, self.options.memory_bytes):
                        if base <= physical and physical + length <= base + size:
                                return offset + physical - base
                raise ValueError("[0x%x, 0x%x) is not in the guest's RAM as one range (%s)"
                                 % (physical, physical + length, ", ".join(
                                         "0x%x+0x%x" % (b, s) for b, _, s in ram_ranges(
                                                 self.options.machine_type, self.options.memory_bytes))))

        def command(self):
                o = self.options
                code, _ = o.firmware()
                argv = [
                        "qemu-system-x86_64",
                        "-machine", "%s,memory-backend=ram%s%s" % (o.machine_type, "" if o.hpet else ",hpet=off",
                                                                ",smm=on" if o.secure_boot else ""),
                        "-m", o.memory, "-smp", str(o.smp),
                        "-object", "memory-backend-file,id=ram,size=%s,mem-path=%s,share=on"
                        % (o.memory, self.ram_path),
                        "-accel", "tcg",
                        # Every feature TCG emulates (NX, SMEP, SMAP, UMIP, PKU), so the
                        # enclave can turn its protections on.
                        "-cpu", "max",
                        "-nodefaults", "-display", "none", "-no-reboot",
                        "-drive", "if=pflash,format=raw,readonly=on,file=" + code,
                        "-drive", "if=pflash,format=raw,file=" + self.vars_path,
                        "-drive", "format=raw,file=" + self.esp,
                ]
                if o.secure_boot:
                        # Only SMM code may write the flash: the variables Secure Boot trusts.
                        argv += ["-global", "driver=cfi.pflash01,property=secure,value=on"]
                if o.exit_device:
                        argv += ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
                if o.log_uart is None:
                        argv += ["-debugcon", "file:" + self.debugcon_log, "-global", "isa-debugcon.iobase=0x402"]
                else:
                        argv += ["-chardev", "file,id=aetherlog,path=" + self.debugcon_log,
                                 "-device", "isa-serial,chardev=aetherlog,iobase=0x%x,irq=%d"
                                 % (o.log_uart, LOG_UART_IRQ)]
                for vector, (name, port, irq) in sorted(UART_LINES.items()):
                        argv += ["-chardev", "socket,id=%s,path=%s,server=on,wait=off"
                                 % (name, self.lines[vector].path),
                                 "-device", "isa-serial,chardev=%s,iobase=0x%x,irq=%d"
                                 % (name, port, irq)]
                argv += self.uplink_arguments()
                if self.tpm is not None:
                        argv += self.tpm.qemu_arguments()
                argv += ["-qmp", "unix:%s,server=on,wait=off" % self.qmp_path]
                if self.mode is not None:
                        argv += ["-fw_cfg", "name=opt/org.aether/mode,string=%s" % self.mode]
                if self.icount is not None:
                        argv += ["-icount", "shift=%d,sleep=off" % self.icount]
                return argv

        def uplink_arguments(self):
                """The uplink device (ivshmem-plain over the host file), where the options put it."""
                o = self.options
                if o.uplink == "none":
                        return []
                argv = ["-object", "memory-backend-file,id=uplink,size=%s,mem-path=%s,share=on"
                        % (UPLINK_SIZE, self.uplink_path)]
                device = "ivshmem-plain,memdev=uplink"
                if o.uplink == "bridge" and o.machine_type == "q35":
                        argv += ["-device", "pcie-root-port,id=uplinkport,bus=pcie.0,chassis=1,slot=1"]
                        device += ",bus=uplinkport"
                elif o.uplink == "bridge":
                        argv += ["-device", "pci-bridge,id=uplinkbridge,bus=pci.0,chassis_nr=1"]
                        device += ",bus=uplinkbridge"
                return argv + ["-device", device]

        def start(self):
                """Start QEMU with a zeroed uplink file (STATE 0 until the enclave writes it)."""
                for path in (self.ram_path, self.uplink_path):
                        if os.path.exists(path):
                                os.unlink(path)
                with open(self.uplink_path, "wb") as handle:
                        handle.truncate(uplink.UPLINK_SIZE)
                with open(self.stderr_path, "wb") as stderr:
                        self.process = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL,
                                                        stdout=stderr, stderr=subprocess.STDOUT)

        def alive(self):
                return self.process is not None and self.process.poll() is None

        def connect_lines(self, deadline):
                for line in self.lines.values():
                        line.connect(deadline, self.alive)

        def send(self, vector, data):
                self.lines[vector].send(data)

        def wait_exit(self, deadline):
                """QEMU's exit status; TimeoutError if it is still running at the deadline."""
                try:
                        return self.process.wait(timeout=max(0.0, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                        raise TimeoutError("waiting for QEMU to exit") from None

        def kill(self):
                if self.alive():
                        self.killed = True
                        self.process.terminate()
                        try:
                                self.process.wait(timeout=5)
                        except subprocess.TimeoutExpired:
                                self.process.kill()
                                self.process.wait()

        def stderr_text(self):
                try:
                        with open(self.stderr_path, "rb") as handle:
                                return handle.read().decode(errors="replace")
                except OSError:
                        return ""

        def close(self, keep_ram=None):
                """Stop QEMU if needed, keep the RAM file if asked, delete the /dev/shm files."""
                try:
                        self.kill()
                finally:
                        for line in self.lines.values():
                                line.close()
                        if keep_ram and os.path.exists(self.ram_path):
                                copy_sparse(self.ram_path, keep_ram)
                        for path in (self.ram_path, self.uplink_path):
                                if os.path.exists(path):
                                        os.unlink(path)
