# SPDX-License-Identifier: AGPL-3.0-or-later
# vectors.py: derives the proof record v2 test vectors of ARCHITECTURE.md 7.5 with struct, hashlib and the harness's own SipHash.
"""python3 -m aether_harness.vectors [--check ARCHITECTURE.md]

Prints the test vectors' two markdown tables: the fields, then the record bytes,
tag and device ID. With --check, the tables in that file must be these, byte for
byte (exit 1 otherwise). Nothing here comes from the C code."""

import argparse
import hashlib
import sys

from . import record, siphash

DEV_KEY = bytes(range(16))
KEY_3 = bytes.fromhex("f0e1d2c3b4a5968778695a4b3c2d1e0f")

# (key, vector, outcome, epoch, seq, status, pressure bits, dose, telemetry, uplink lo, uplink hi,
#  payload SHA-256, dropped wakes, rejected frames, boot flags), with their descriptions.
VECTORS = [
        ((DEV_KEY, 0x20, 0, 1, 1, 3, 0x447D5000, 42, b"", 0, 0, hashlib.sha256(b"abc").digest(), 0, 0, 0x1),
         ("0x447d5000 (1013.25f)", "0: empty", 'SHA-256("abc")')),
        ((DEV_KEY, 0x21, 1, 7, 3, 0, 0x7FC00000, -5, bytes(range(16)), 0xDEADBEEF, 0x01234567, b"\xa5" * 32,
          2, 5, 0x1),
         ("0x7fc00000 (quiet NaN)", "16: 00 01 .. 0f", "32 bytes 0xa5")),
        ((KEY_3, 0x20, 8, 0x0123456789ABCDEF, 0xFEDCBA9876543210, 0, 0xC2F60000, -2147483648,
          bytes((7 * i + 3) % 256 for i in range(256)), 0xFFFFFFFF, 0x80000000, bytes(range(32)),
          0x0102030405060708, 0xFFFFFFFFFFFFFFFE, 0x6),
         ("0xc2f60000 (-123.0f)", "256: byte i = (7 i + 3) mod 256", "bytes 00 01 .. 1f")),
]


def vector_rows():
        """The two tables' rows, as ARCHITECTURE.md prints them."""
        fields = ["| # | key | vector | outcome | epoch | seq | status | pressure bits | dose | "
                  "telemetry (length: bytes) | uplink lo | uplink hi | payload SHA-256 | dropped | rejected | flags |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        results = ["| # | record (152 bytes, hex) | tag | device ID |", "|---|---|---|---|"]
        for number, (values, (pressure, telemetry, payload)) in enumerate(VECTORS, 1):
                (key, vector, outcome, epoch, seq, status, bits, dose, tele, lo, hi, payload_sha, dropped,
                 rejected, flags) = values
                device = record.device_id(key)
                data = record.pack_record(vector, outcome, epoch, seq, status, bits, dose, tele, lo, hi,
                                          payload_sha, device, dropped, rejected, flags)
                tag = siphash.siphash24(key, data)

                def number_text(value):
                        return str(value) if value < 1 << 32 else "0x%016x" % value
                fields.append("| %d | `%s` | 0x%02x | %d %s | %s | %s | %d | %s | %d | %s | 0x%08x | 0x%08x | %s "
                              "| %s | %s | 0x%x |"
                              % (number, key.hex(), vector, outcome, record.FAULT_NAMES[outcome],
                                 number_text(epoch), number_text(seq), status, pressure, dose, telemetry, lo, hi,
                                 payload, number_text(dropped), number_text(rejected), flags))
                results.append("| %d | `%s` | `0x%016x` | `%s` |" % (number, data.hex(), tag, device.hex()))
        return fields, results


def main(argv=None):
        parser = argparse.ArgumentParser(prog="python3 -m aether_harness.vectors")
        parser.add_argument("--check", metavar="ARCHITECTURE.md",
                            help="the file whose tables must be exactly these")
        args = parser.parse_args(argv)
        fields, results = vector_rows()
        if not args.check:
                print("\n".join(fields) + "\n\n" + "\n".join(results))
                return 0
        with open(args.check, encoding="utf-8") as handle:
                text = handle.read().splitlines()
        missing = [row for row in fields + results if row not in text]
        for row in missing:
                print("not in %s: %s" % (args.check, row))
        print("vectors: %d rows derived, %d not in %s" % (len(fields) + len(results), len(missing), args.check))
        return 1 if missing else 0


if __name__ == "__main__":
        sys.exit(main())
