# SPDX-License-Identifier: AGPL-3.0-or-later
# record.py: the 112-byte proof record v1, the device key file, and the fault names.

import collections
import math
import struct

RECORD_SIZE = 112
RECORD_MAGIC = b"AEPR"
RECORD_VERSION = 1
TELEMETRY_MAX = 256
WAKE_VECTORS = (0x20, 0x21)

# enclave/fault.h, in enum order; the values are part of the record format.
FAULT_NAMES = ("ok", "oob", "int_overflow", "div_by_zero", "invalid_conversion",
               "unreachable", "call_indirect", "exhaustion", "watchdog", "host_call", "isolation")

_LAYOUT = struct.Struct("<4sHBBQQiIiIII32s32s")
assert _LAYOUT.size == RECORD_SIZE

ProofRecord = collections.namedtuple("ProofRecord", (
        "magic", "version", "vector", "outcome", "epoch", "seq", "status",
        "pressure_bits", "dose", "telemetry_len", "uplink_lo", "uplink_hi",
        "telemetry_sha256", "payload_sha256"))


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
        return problems


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
