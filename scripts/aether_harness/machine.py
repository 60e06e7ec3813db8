# SPDX-License-Identifier: AGPL-3.0-or-later
# machine.py: the QEMU q35 + OVMF machine the enclave runs in: ESP, command line, UART lines.

import os
import shutil
import socket
import subprocess
import threading
import time

from . import uplink

OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS_TEMPLATE = "/usr/share/OVMF/OVMF_VARS_4M.fd"
RAM_SIZE = "512M"
UPLINK_SIZE = "1M"  # uplink.UPLINK_SIZE bytes
ESP_MIN_KIB = 16 * 1024
ISA_DEBUG_EXIT_PASS = 33  # outb 0xf4, 0x10 -> (0x10 << 1) | 1

# The UART line (and its I/O port / IRQ) that carries each wake vector's frames.
UART_LINES = {0x20: ("wake20", 0x3F8, 4), 0x21: ("wake21", 0x2F8, 3)}


class MachineError(RuntimeError):
        """Setting up or driving QEMU failed (a tool, a socket, the process)."""


def _run_tool(argv, env=None):
        result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
        if result.returncode != 0:
                raise MachineError("%s failed (exit %d): %s" % (
                        argv[0], result.returncode, result.stdout.decode(errors="replace").strip()))


def build_esp(image, esp_path):
        """A FAT image holding image as EFI/BOOT/BOOTX64.EFI (the removable-media path)."""
        size_kib = max(ESP_MIN_KIB, 2 * os.path.getsize(image) // 1024 + 4096)
        _run_tool(["mkfs.vfat", "-C", "-n", "AETHER", esp_path, str(size_kib)])
        env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
        _run_tool(["mmd", "-i", esp_path, "::/EFI", "::/EFI/BOOT"], env)
        _run_tool(["mcopy", "-i", esp_path, image, "::/EFI/BOOT/BOOTX64.EFI"], env)


def prepare_vars(path):
        """Make sure the OVMF variable store exists (a copy of the stock template)."""
        if not os.path.exists(path):
                shutil.copyfile(OVMF_VARS_TEMPLATE, path)


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

        def __init__(self, name, path):
                self.name = name
                self.path = path
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

        def send(self, data):
                self.sock.sendall(data)

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

        def __init__(self, workdir, esp, vars_path, debugcon_log, mode=None, icount=None):
                """mode: the boot mode passed through fw_cfg opt/org.aether/mode (None: normal)."""
                tag = "aether-%d" % os.getpid()
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
                self.lines = {vector: UartLine(name, os.path.join(workdir, name + ".sock"))
                              for vector, (name, _, _) in UART_LINES.items()}
                self.process = None
                self.killed = False

        def command(self):
                argv = [
                        "qemu-system-x86_64",
                        "-machine", "q35,memory-backend=ram", "-m", RAM_SIZE,
                        "-object", "memory-backend-file,id=ram,size=%s,mem-path=%s,share=on"
                        % (RAM_SIZE, self.ram_path),
                        "-accel", "tcg",
                        # Every feature TCG emulates (NX, SMEP, SMAP, UMIP, PKU), so the
                        # enclave can turn its protections on.
                        "-cpu", "max",
                        "-nodefaults", "-display", "none", "-no-reboot",
                        "-drive", "if=pflash,format=raw,readonly=on,file=" + OVMF_CODE,
                        "-drive", "if=pflash,format=raw,file=" + self.vars_path,
                        "-drive", "format=raw,file=" + self.esp,
                        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                        "-debugcon", "file:" + self.debugcon_log,
                        "-global", "isa-debugcon.iobase=0x402",
                ]
                for vector, (name, port, irq) in sorted(UART_LINES.items()):
                        argv += ["-chardev", "socket,id=%s,path=%s,server=on,wait=off"
                                 % (name, self.lines[vector].path),
                                 "-device", "isa-serial,chardev=%s,iobase=0x%x,irq=%d"
                                 % (name, port, irq)]
                argv += [
                        "-object", "memory-backend-file,id=uplink,size=%s,mem-path=%s,share=on"
                        % (UPLINK_SIZE, self.uplink_path),
                        "-device", "ivshmem-plain,memdev=uplink",
                        "-qmp", "unix:%s,server=on,wait=off" % self.qmp_path,
                ]
                if self.mode is not None:
                        argv += ["-fw_cfg", "name=opt/org.aether/mode,string=%s" % self.mode]
                if self.icount is not None:
                        argv += ["-icount", "shift=%d,sleep=off" % self.icount]
                return argv

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
