# SPDX-License-Identifier: AGPL-3.0-or-later
# siphash.py: SipHash-2-4, written from the paper, independent of the image's C code.

import struct

_MASK = 0xFFFFFFFFFFFFFFFF


def _rotl(value, bits):
        return ((value << bits) | (value >> (64 - bits))) & _MASK


def _round(v0, v1, v2, v3):
        v0 = (v0 + v1) & _MASK
        v1 = _rotl(v1, 13) ^ v0
        v0 = _rotl(v0, 32)
        v2 = (v2 + v3) & _MASK
        v3 = _rotl(v3, 16) ^ v2
        v0 = (v0 + v3) & _MASK
        v3 = _rotl(v3, 21) ^ v0
        v2 = (v2 + v1) & _MASK
        v1 = _rotl(v1, 17) ^ v2
        v2 = _rotl(v2, 32)
        return v0, v1, v2, v3


def siphash24(key, message):
        """The SipHash-2-4 tag of message under the 16-byte key, as an int.

        k0/k1 are the little-endian words of key[0:8] and key[8:16]."""
        if len(key) != 16:
                raise ValueError("SipHash key must be 16 bytes")
        k0, k1 = struct.unpack("<QQ", key)
        v0 = k0 ^ 0x736F6D6570736575
        v1 = k1 ^ 0x646F72616E646F6D
        v2 = k0 ^ 0x6C7967656E657261
        v3 = k1 ^ 0x7465646279746573

        whole = len(message) - len(message) % 8
        for offset in range(0, whole, 8):
                (m,) = struct.unpack_from("<Q", message, offset)
                v3 ^= m
                for _ in range(2):
                        v0, v1, v2, v3 = _round(v0, v1, v2, v3)
                v0 ^= m

        tail = bytes(message[whole:]) + bytes(7 - len(message) % 8)
        last = ((len(message) & 0xFF) << 56) | int.from_bytes(tail, "little")
        v3 ^= last
        for _ in range(2):
                v0, v1, v2, v3 = _round(v0, v1, v2, v3)
        v0 ^= last

        v2 ^= 0xFF
        for _ in range(4):
                v0, v1, v2, v3 = _round(v0, v1, v2, v3)
        return v0 ^ v1 ^ v2 ^ v3
