# SPDX-License-Identifier: AGPL-3.0-or-later
# frame.py: the sensor frames the harness sends to the enclave over a UART line.

import struct

SYNC = 0xA5
TYPE_WAKE = ord("W")
TYPE_SHUTDOWN = ord("Q")
WAKE_PAYLOAD_LEN = 8


def crc8_smbus(data):
        """CRC-8/SMBUS: poly 0x07, init 0, no reflection, no xorout."""
        crc = 0
        for byte in data:
                crc ^= byte
                for _ in range(8):
                        crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
        return crc


def _frame(frame_type, payload):
        body = bytes([frame_type, len(payload)]) + payload
        return bytes([SYNC]) + body + bytes([crc8_smbus(body)])


def wake_frame(pressure_bits, dose):
        """The 12-byte wake frame: raw f32 bits of the pressure, then the i32 dose."""
        return _frame(TYPE_WAKE, struct.pack("<Ii", pressure_bits, dose))


def shutdown_frame():
        """The 4-byte shutdown frame."""
        return _frame(TYPE_SHUTDOWN, b"")


def bad_crc_wake_frame(pressure_bits, dose):
        """A wake frame whose CRC is wrong: the enclave rejects and counts it. The wrong byte is
        never SYNC, so the parser does not take it for the start of the next frame."""
        data = bytearray(wake_frame(pressure_bits, dose))
        data[-1] ^= 0x01 if data[-1] ^ 0x01 != SYNC else 0x02
        return bytes(data)
