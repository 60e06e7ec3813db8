#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# secure_boot_refused.py: an image the Secure Boot firmware must refuse; aether-run must say so at once.
"""Usage:
  secure_boot_refused.py --image BOOTX64.EFI --report OUT.json [--flip-byte] [--within SECONDS]

Boots the image with `aether-run --secure-boot --timeout 120`. The firmware
must refuse it: aether-run must end with exit status 3 within SECONDS (default
60) of wall time, print the REFUSED line naming the firmware console's Access
Denied, and put that line in the report's firmware_refusal. With --flip-byte the image booted
is a copy of the given one with one byte changed: the first byte of its first
section, which the signature's hash covers.
"""
import argparse
import json
import re
import struct
import subprocess
import sys
import time

from boot_case import AETHER_RUN, fail

EXIT_REFUSED = 3
REFUSED_LINE = re.compile(r"^aether-run: REFUSED: the firmware refused the image \(Secure Boot\): "
                          r"(BdsDxe: failed to load Boot[0-9A-F]{4} .*: Access Denied)$", re.M)


def flip_first_section_byte(image, copy):
    """copy = image with the first byte of its first PE section's raw data inverted."""
    with open(image, "rb") as handle:
        data = bytearray(handle.read())
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    optional_size = struct.unpack_from("<H", data, pe + 20)[0]
    first_section = pe + 24 + optional_size
    raw = struct.unpack_from("<I", data, first_section + 20)[0]
    data[raw] ^= 0xFF
    with open(copy, "wb") as handle:
        handle.write(data)
    print("secure_boot_refused: %s is %s with byte 0x%x inverted" % (copy, image, raw), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--image", required=True)
    parser.add_argument("--report", required=True)
    parser.add_argument("--flip-byte", action="store_true")
    parser.add_argument("--within", type=float, default=60.0, metavar="SECONDS")
    args = parser.parse_args()

    image = args.image
    if args.flip_byte:
        image = args.report + ".EFI"
        flip_first_section_byte(args.image, image)
    command = [sys.executable, AETHER_RUN, "--secure-boot", "--image", image, "--report", args.report,
               "--timeout", "120"]
    started = time.monotonic()
    proc = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seconds = time.monotonic() - started
    print(proc.stdout, end="", flush=True)
    if proc.returncode != EXIT_REFUSED:
        fail("aether-run exited %d, expected %d (the firmware refused the image)" % (proc.returncode, EXIT_REFUSED))
    line = REFUSED_LINE.search(proc.stdout)
    if not line:
        fail("aether-run printed no REFUSED line naming the firmware's Access Denied")
    with open(args.report) as handle:
        report = json.load(handle)
    if report.get("firmware_refusal") != line.group(1):
        fail("the report's firmware_refusal is %r, not the line printed" % report.get("firmware_refusal"))
    if report.get("wakes"):
        fail("the report has %d records from a refused image" % len(report["wakes"]))
    if seconds >= args.within:
        fail("the refusal took %.1f s of wall time, not under %.0f s" % (seconds, args.within))
    print("secure_boot_refused: refused in %.1f s (under %.0f s): %s" % (seconds, args.within, line.group(1)),
          flush=True)
    print("secure_boot_refused: PASS", flush=True)


if __name__ == "__main__":
    main()
