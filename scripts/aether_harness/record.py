# SPDX-License-Identifier: AGPL-3.0-or-later
# record.py: the 152-byte proof record v2, the device ID, the device key file, and the fault names.

import collections
import hashlib
import math
import struct

RECORD_SIZE = 152
RECORD_V1_SIZE = 112          # obsolete version 1: only its size is still needed
RECORD_MAGIC = b"AEPR"
RECORD_VERSION = 2
TELEMETRY_MAX = 256
WAKE_VECTORS = (0x20, 0x21)
DEVICE_ID_PREFIX = b"aether-device-id-v1"

# Boot flags (ARCHITECTURE.md 7.4), in bit order with their printed names.
BOOT_FLAG_DEVELOPMENT_KEY = 0x1
BOOT_FLAG_SECURE_BOOT_KNOWN = 0x2
BOOT_FLAG_SECURE_BOOT_ON = 0x4
BOOT_FLAG_SETUP_MODE = 0x8
BOOT_FLAG_KEY_UEFI_VARIABLE = 0x10
BOOT_FLAG_KEY_TPM = 0x20
BOOT_FLAG_EPOCH_TPM = 0x40
BOOT_FLAG_NAMES = ((BOOT_FLAG_DEVELOPMENT_KEY, "development-key"),
                   (BOOT_FLAG_SECURE_BOOT_KNOWN, "secure-boot-known"),
                   (BOOT_FLAG_SECURE_BOOT_ON, "secure-boot-on"),
                   (BOOT_FLAG_SETUP_MODE, "setup-mode"),
                   (BOOT_FLAG_KEY_UEFI_VARIABLE, "key-uefi-variable"),
                   (BOOT_FLAG_KEY_TPM, "key-tpm"),
                   (BOOT_FLAG_EPOCH_TPM, "epoch-tpm"))
DEVELOPMENT_KEY = bytes(range(16))

# enclave/fault.h, in enum order; the values are part of the record format.
FAULT_NAMES = ("ok", "oob", "int_overflow", "div_by_zero", "invalid_conversion",
               "unreachable", "call_indirect", "exhaustion", "watchdog", "host_call", "isolation")

_LAYOUT = struct.Struct("<4sHBBQQiIiIII32s32s16sQQQ")
assert _LAYOUT.size == RECORD_SIZE

ProofRecord = collections.namedtuple("ProofRecord", (
        "magic", "version", "vector", "outcome", "epoch", "seq", "status",
        "pressure_bits", "dose", "telemetry_len", "uplink_lo", "uplink_hi",
        "telemetry_sha256", "payload_sha256", "device_id", "dropped_wakes",
        "rejected_frames", "boot_flags"))


def device_id(key):
        """The device ID of a 16-byte key: SHA-256("aether-device-id-v1" || key)[0:16]."""
        return hashlib.sha256(DEVICE_ID_PREFIX + bytes(key)).digest()[:16]


def pack_record(vector, outcome, epoch, seq, status, pressure_bits, dose, telemetry, uplink_lo,
                uplink_hi, payload_sha256, device, dropped_wakes, rejected_frames, boot_flags):
        """The 152 record bytes of these fields (telemetry as bytes)."""
        return _LAYOUT.pack(RECORD_MAGIC, RECORD_VERSION, vector, outcome, epoch, seq, status,
                            pressure_bits, dose, len(telemetry), uplink_lo, uplink_hi,
                            hashlib.sha256(telemetry).digest(), payload_sha256, device,
                            dropped_wakes, rejected_frames, boot_flags)


def parse_record(data):
        """Split 112 record bytes into their fields (no validation)."""
        if len(data) != RECORD_SIZE:
                raise ValueError("proof record must be %d bytes, got %d" % (RECORD_SIZE, len(data)))
        return ProofRecord(*_LAYOUT.unpack(data))


def record_problems(record):
        """The format rules a record breaks (empty list when well formed)."""
        problems = []
        if record.magic != RECORD_MAGIC:
                problems.append("bad record magic")
        if record.version != RECORD_VERSION:
                problems.append("unknown record version %d" % record.version)
        if record.outcome >= len(FAULT_NAMES):
                problems.append("outcome %d outside the fault enum" % record.outcome)
        if record.vector not in WAKE_VECTORS:
                problems.append("vector 0x%02x is not 0x20/0x21" % record.vector)
        if record.telemetry_len > TELEMETRY_MAX:
                problems.append("telemetry length %d > %d" % (record.telemetry_len, TELEMETRY_MAX))
        if record.outcome != 0 and record.status != 0:
                problems.append("status %d with a fault outcome" % record.status)
        if record.epoch == 0 or record.seq == 0:
                problems.append("zero epoch/seq")
        if boot_flags_problem(record.boot_flags):
                problems.append("boot flags 0x%x" % record.boot_flags)
        return problems


def boot_flags_problem(flags):
        """Whether a record's boot flags break their rule: an undefined bit, a Secure Boot
        state bit without secure-boot-known, more than one key source, or the TPM epoch
        without the TPM key."""
        defined = 0
        for bit, _ in BOOT_FLAG_NAMES:
                defined |= bit
        key_sources = [bit for bit in (BOOT_FLAG_DEVELOPMENT_KEY, BOOT_FLAG_KEY_UEFI_VARIABLE, BOOT_FLAG_KEY_TPM)
                       if flags & bit]
        return bool(flags & ~defined
                    or (flags & (BOOT_FLAG_SECURE_BOOT_ON | BOOT_FLAG_SETUP_MODE)
                        and not flags & BOOT_FLAG_SECURE_BOOT_KNOWN)
                    or len(key_sources) > 1
                    or (flags & BOOT_FLAG_EPOCH_TPM and not flags & BOOT_FLAG_KEY_TPM))


def fault_name(outcome):
        return FAULT_NAMES[outcome] if outcome < len(FAULT_NAMES) else "unknown(%d)" % outcome


def f32_bits(value):
        """The IEEE-754 binary32 bits of a Python float (OverflowError if out of range)."""
        return struct.unpack("<I", struct.pack("<f", value))[0]


def f32_value(bits):
        """The shortest decimal float that rounds to these binary32 bits, for reports."""
        (value,) = struct.unpack("<f", struct.pack("<I", bits))
        if not math.isfinite(value):
                return value
        for digits in range(1, 10):
                candidate = float("%.*g" % (digits, value))
                if f32_bits(candidate) == bits:
                        return candidate
        return value


class KeyFileError(ValueError):
        """A malformed key file; the message names the line, never the key material."""


def parse_key_text(text):
        """The 16 key bytes of a key file's text: '#' comment lines, then exactly
        32 hex digits, then at most one line end ("\\n" or "\\r\\n")."""
        lines = text.split("\n")
        index = 0
        while index < len(lines) - 1 and lines[index].startswith("#"):
                index += 1
        number = index + 1
        line = lines[index]
        if index < len(lines) - 1 and line.endswith("\r"):
                line = line[:-1]
        if line == "" or line.startswith("#"):
                raise KeyFileError("line %d: missing key (expected 32 hex digits)" % number)
        for column, char in enumerate(line, 1):
                if char not in "0123456789abcdefABCDEF":
                        raise KeyFileError("line %d, column %d: not a hexadecimal digit"
                                           % (number, column))
        if len(line) != 32:
                raise KeyFileError("line %d: %d hex digits, expected 32" % (number, len(line)))
        if lines[index + 1:] not in ([], [""]):
                raise KeyFileError("line %d: trailing data after the key" % (number + 1))
        return bytes.fromhex(line)


def load_key(path):
        """Read and parse a key file; KeyFileError names the file and line."""
        try:
                with open(path, "rb") as handle:
                        raw = handle.read()
        except OSError as error:
                raise KeyFileError("%s: cannot read key file: %s" % (path, error.strerror)) from None
        try:
                text = raw.decode("ascii")
        except UnicodeDecodeError:
                raise KeyFileError("%s: key file is not ASCII text" % path) from None
        try:
                return parse_key_text(text)
        except KeyFileError as error:
                raise KeyFileError("%s: %s" % (path, error)) from None
