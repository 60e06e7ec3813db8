# SPDX-License-Identifier: AGPL-3.0-or-later
"""A device's TPM: swtpm bound to sockets in its state directory, and factory provisioning with tpm2-tools.

ARCHITECTURE.md 15 ("The TPM key source and epoch") is the specification: the SRK at 0x81000001, the
epoch counter at NV index 0x01800ae0, the sealed-key file (TPM2B_PUBLIC then TPM2B_PRIVATE) and
its policy, PolicyPCR(sha256:7).
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SRK_HANDLE = 0x81000001
EPOCH_NV_INDEX = 0x01800AE0
# The TCG storage root key template (TCG TPM v2.0 Provisioning Guidance 7.5.1): ECC NIST P-256,
# AES-128-CFB, restricted decryption key, not subject to dictionary-attack lockout.
SRK_ATTRIBUTES = "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|noda|restricted|decrypt"
EPOCH_NV_ATTRIBUTES = "nt=counter|authread|authwrite|no_da"
# A TPM device's folder (scripts/aether-provision --key-source tpm) holds these beside the VARS.
DEVICE_TPM_STATE = "tpm"  # swtpm's state directory: the device's TPM
SEALED_KEY_FILE = "sealed-key.bin"  # copied to \EFI\aether\sealed-key.bin on the ESP
# The sealed object: keyedhash data only the policy releases (no userwithauth: the empty password
# cannot unseal it), bound to this TPM (fixedtpm, fixedparent).
SEALED_ATTRIBUTES = "fixedtpm|fixedparent|noda"
# What the image logs when it finds no sealed key (uefi/tpm2.c).
PCR7_LOG_LINE = re.compile(r"tpm: PCR 7 \(sha256\) = ([0-9a-f]{64})")
SOCKET_WAIT_S = 5.0


class TpmError(Exception):
        """A swtpm or tpm2-tools step failed; the message names the step."""


def _run(argv, env=None):
        result = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
                raise TpmError("%s failed (exit %d): %s" % (argv[0], result.returncode, result.stdout.strip()))
        return result.stdout


def create_state(state_dir):
        """A fresh TPM: manufactured by swtpm_setup with only the SHA-256 PCR bank active (the
        one the policy reads; the firmware then extends one bank, not four)."""
        os.makedirs(state_dir, exist_ok=True)
        _run(["swtpm_setup", "--tpm2", "--tpmstate", state_dir, "--pcr-banks", "sha256", "--overwrite"])


class Swtpm:
        """One swtpm process on state_dir, for QEMU or for tpm2-tools. Its sockets live in a fresh
        directory under $TMPDIR (a UNIX socket's path has at most 107 bytes; a build tree's can be
        longer), removed by stop().

        for_qemu: only the control socket swtpm.sock, which QEMU's tpm-crb (through -tpmdev
        emulator) connects to; the firmware sends TPM2_Startup. Otherwise the command socket
        tpm.sock and its control socket tpm.sock.ctrl, started up already, for the TCTI tcti()."""

        def __init__(self, state_dir, for_qemu):
                self.state_dir = os.path.abspath(state_dir)
                self.for_qemu = for_qemu
                self.process = None
                self.socket_dir = None
                self.socket = None
                self.log_path = os.path.join(self.state_dir, "swtpm.log")

        def start(self):
                if not os.path.exists(os.path.join(self.state_dir, "tpm2-00.permall")):
                        raise TpmError("%s holds no TPM state (tpm2-00.permall): provision the device first"
                                       % self.state_dir)
                self.socket_dir = tempfile.mkdtemp(prefix="aether-swtpm-")
                if self.for_qemu:
                        self.socket = os.path.join(self.socket_dir, "swtpm.sock")
                        channels = ["--ctrl", "type=unixio,path=" + self.socket]
                else:
                        self.socket = os.path.join(self.socket_dir, "tpm.sock")
                        channels = ["--server", "type=unixio,path=" + self.socket,
                                    "--ctrl", "type=unixio,path=" + self.socket + ".ctrl",
                                    "--flags", "not-need-init,startup-clear"]
                self.process = subprocess.Popen(
                        ["swtpm", "socket", "--tpm2", "--tpmstate", "dir=" + self.state_dir,
                         "--log", "file=" + self.log_path] + channels,
                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                deadline = time.monotonic() + SOCKET_WAIT_S
                while not os.path.exists(self.socket):
                        if self.process.poll() is not None or time.monotonic() > deadline:
                                self.stop()
                                raise TpmError("swtpm on %s did not open %s (see %s)"
                                               % (self.state_dir, self.socket, self.log_path))
                        time.sleep(0.02)
                return self

        def stop(self):
                if self.process is not None:
                        if self.process.poll() is None:
                                self.process.terminate()
                                self.process.wait(timeout=5)
                        self.process = None
                if self.socket_dir is not None:
                        shutil.rmtree(self.socket_dir, ignore_errors=True)
                        self.socket_dir = None

        def __enter__(self):
                return self.start()

        def __exit__(self, *exc):
                self.stop()

        def tcti(self):
                return "swtpm:path=" + self.socket

        def qemu_arguments(self):
                """QEMU's TPM: a CRB interface backed by this swtpm."""
                return ["-chardev", "socket,id=chrtpm,path=" + self.socket,
                        "-tpmdev", "emulator,id=tpm0,chardev=chrtpm",
                        "-device", "tpm-crb,tpmdev=tpm0"]

        def tools(self, *argv):
                """A tpm2-tools command against this TPM; its output."""
                env = dict(os.environ, TPM2TOOLS_TCTI=self.tcti())
                return _run(list(argv), env)


def provision_tpm(state_dir):
        """The factory's TPM step: a fresh state, the SRK made persistent at SRK_HANDLE and the
        epoch counter defined at EPOCH_NV_INDEX (both under the owner hierarchy, empty auth)."""
        create_state(state_dir)
        with Swtpm(state_dir, for_qemu=False) as tpm, tempfile.TemporaryDirectory() as work:
                srk = os.path.join(work, "srk.ctx")
                tpm.tools("tpm2_createprimary", "-Q", "-C", "o", "-g", "sha256", "-G", "ecc256:aes128cfb",
                          "-a", SRK_ATTRIBUTES, "-c", srk)
                tpm.tools("tpm2_evictcontrol", "-Q", "-C", "o", "-c", srk, "0x%08x" % SRK_HANDLE)
                tpm.tools("tpm2_nvdefine", "-Q", "-C", "o", "-s", "8", "-a", EPOCH_NV_ATTRIBUTES,
                          "0x%08x" % EPOCH_NV_INDEX)


def pcr7_from_log(text):
        """PCR 7 as the image logged it when it found no sealed key; TpmError if absent."""
        match = PCR7_LOG_LINE.search(text)
        if match is None:
                raise TpmError("the boot log has no 'tpm: PCR 7 (sha256) = ...' line")
        return bytes.fromhex(match.group(1))


def seal_key(state_dir, key, pcr7, blob_path):
        """Seals key under the SRK to PolicyPCR(sha256:7 = pcr7) and writes the sealed-key file:
        TPM2B_PUBLIC then TPM2B_PRIVATE, as tpm2_create writes them."""
        with Swtpm(state_dir, for_qemu=False) as tpm, tempfile.TemporaryDirectory() as work:
                pcr_file = os.path.join(work, "pcr7.bin")
                policy = os.path.join(work, "policy.digest")
                key_file = os.path.join(work, "key.bin")
                public, private = os.path.join(work, "key.pub"), os.path.join(work, "key.priv")
                with open(pcr_file, "wb") as handle:
                        handle.write(pcr7)
                tpm.tools("tpm2_createpolicy", "-Q", "--policy-pcr", "-l", "sha256:7", "-f", pcr_file,
                          "-L", policy)
                fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as handle:
                        handle.write(key)
                try:
                        tpm.tools("tpm2_create", "-Q", "-C", "0x%08x" % SRK_HANDLE, "-g", "sha256",
                                  "-a", SEALED_ATTRIBUTES, "-L", policy, "-i", key_file,
                                  "-u", public, "-r", private)
                finally:
                        with open(key_file, "r+b") as handle:
                                handle.write(bytes(len(key)))
                with open(public, "rb") as handle_public, open(private, "rb") as handle_private, \
                                open(blob_path, "wb") as out:
                        out.write(handle_public.read() + handle_private.read())



def provision_device(folder, key, image, secure_boot):
        """key-source tpm for a device folder that already holds its VARS, key file and manifest:
        the TPM (provision_tpm), one boot of image to read PCR 7 as the firmware leaves it for this
        device (the image finds no sealed key, logs PCR 7 and halts with 0x13: QEMU exit 39), then
        the key sealed to that value. Returns the lines that say what was created."""
        state_dir = os.path.join(folder, DEVICE_TPM_STATE)
        provision_tpm(state_dir)
        log_path = os.path.join(folder, "provision-boot.log")
        aether_run = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "aether-run")
        argv = [sys.executable, aether_run, "--image", image, "--device", folder, "--qemu-log", log_path,
                "--expect-boot-failure", "no sealed key", "--expect-exit", "39"]
        if secure_boot:
                argv.append("--secure-boot")
        result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
                raise TpmError("the PCR 7 boot of %s failed:\n%s" % (image, result.stdout.strip()))
        with open(log_path, encoding="utf-8", errors="replace") as handle:
                pcr7 = pcr7_from_log(handle.read())
        seal_key(state_dir, key, pcr7, os.path.join(folder, SEALED_KEY_FILE))
        return ["%s/: swtpm state: SRK 0x%08x (ECC P-256), epoch counter at NV index 0x%08x"
                % (DEVICE_TPM_STATE, SRK_HANDLE, EPOCH_NV_INDEX),
                "%s: PCR 7 read by one boot of %s: %s" % (os.path.basename(log_path), image, pcr7.hex()),
                "%s: the key sealed under the SRK to PolicyPCR(sha256:7 = %s...)"
                % (SEALED_KEY_FILE, pcr7.hex()[:16])]
