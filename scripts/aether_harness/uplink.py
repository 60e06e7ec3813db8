# SPDX-License-Identifier: AGPL-3.0-or-later
# uplink.py: reading the enclave's uplink region (the ivshmem host file) from outside.

import collections
import struct

from .record import RECORD_SIZE, TELEMETRY_MAX

UPLINK_SIZE = 1 << 20
UPLINK_MAGIC = b"AETHUPL1"
LAYOUT_VERSION = 2
SNAPSHOT_SIZE = 0x288

STATE_BOOTING = 0
STATE_DORMANT = 1
STATE_RUNNING = 2
STATE_HALTED = 3
STATE_NAMES = {STATE_BOOTING: "booting", STATE_DORMANT: "dormant",
               STATE_RUNNING: "running", STATE_HALTED: "halted"}

_RECORD_OFFSET = 0x040
_TELEMETRY_OFFSET = 0x100
_HEADER = struct.Struct("<8sIIQIIIIQQII")
_LAYOUT_OFFSET = 0x200
_LAYOUT = struct.Struct("<QQQQQQQQQ")  # memory/stack location, TSC timing, user VA range
_LOSSES_OFFSET = 0x248
_LOSSES = struct.Struct("<QQ16s")  # dropped wakes, rejected frames (live), the device ID
_TIMER_OFFSET = 0x268
_TIMER = struct.Struct("<QQQQ")  # the calibration: LAPIC timer in use and measured, TSC, reference
TIMER_REFERENCES = {0: "none", 1: "ACPI PM timer", 2: "HPET"}

class Uplink(collections.namedtuple("Uplink", (
                "magic", "layout_version", "state", "commit_count", "tag_lo", "tag_hi",
                "record_len", "telemetry_len", "boot_epoch", "dormant_count",
                "last_stack_bytes", "last_memory_bytes", "record", "telemetry",
                "linear_memory_base", "linear_memory_cap", "cycle_stack_base",
                "cycle_stack_bytes", "wake_to_commit_tsc", "wake_to_scrubbed_tsc",
                "boot_to_dormant_tsc", "user_va_base", "user_va_limit",
                "lapic_timer_hz", "lapic_timer_measured_hz", "tsc_hz", "timer_reference",
                "dropped_wakes", "rejected_frames", "device_id"))):
        """One snapshot of the uplink registers, record and telemetry."""
        __slots__ = ()

        @property
        def tag(self):
                return self.tag_lo | self.tag_hi << 32

        @property
        def magic_ok(self):
                return self.magic == UPLINK_MAGIC and self.layout_version == LAYOUT_VERSION

        @property
        def state_name(self):
                return STATE_NAMES.get(self.state, "unknown(%d)" % self.state)

        @property
        def timer(self):
                """The boot's calibration, as the report gives it."""
                return {"lapic_timer_hz": self.lapic_timer_hz, "lapic_timer_measured_hz": self.lapic_timer_measured_hz,
                        "tsc_hz": self.tsc_hz,
                        "reference": TIMER_REFERENCES.get(self.timer_reference, "unknown(%d)" % self.timer_reference)}


def parse_uplink(data):
        """Decode the registers of a raw uplink dump (at least 0x288 bytes).

        The telemetry is cut to TELEMETRY_LEN, clamped to 256 bytes."""
        if len(data) < SNAPSHOT_SIZE:
                raise ValueError("uplink dump must be at least 0x%x bytes, got %d"
                                 % (SNAPSHOT_SIZE, len(data)))
        fields = _HEADER.unpack_from(data, 0)
        telemetry_len = min(fields[7], TELEMETRY_MAX)
        record = bytes(data[_RECORD_OFFSET:_RECORD_OFFSET + RECORD_SIZE])
        telemetry = bytes(data[_TELEMETRY_OFFSET:_TELEMETRY_OFFSET + telemetry_len])
        return Uplink(*fields, record, telemetry, *_LAYOUT.unpack_from(data, _LAYOUT_OFFSET),
                      *_TIMER.unpack_from(data, _TIMER_OFFSET),
                      *_LOSSES.unpack_from(data, _LOSSES_OFFSET))


def read_uplink(path):
        """Snapshot the uplink host file; None while it is missing or still short."""
        try:
                with open(path, "rb") as handle:
                        data = handle.read(SNAPSHOT_SIZE)
        except FileNotFoundError:
                return None
        if len(data) < SNAPSHOT_SIZE:
                return None
        return parse_uplink(data)
