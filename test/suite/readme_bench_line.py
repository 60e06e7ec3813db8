#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# readme_bench_line.py: docs.readme_bench_line: README's stock bench line is the one the stock image printed in boot.bench.
"""README's section "## The stock bench cycle" shows the line a fresh clone's
image prints in bench mode (the stock payload, the development key, a fresh
variable store: epoch 1, the first record). boot.bench boots that image
through scripts/aether-run and keeps its log (--qemu-log); the line of the log
that starts with `[AETHER] cycle success` must be README's, character for
character, proof included."""
import argparse
import re
import sys

PREFIX = "[AETHER] cycle success"


def fail(message):
    print("readme_bench_line: FAIL: " + message, flush=True)
    sys.exit(1)


def lines_with_prefix(text, what):
    found = [line.strip() for line in text.splitlines() if line.strip().startswith(PREFIX)]
    if len(found) != 1:
        fail("%s has %d lines starting with %r, not 1" % (what, len(found), PREFIX))
    return found[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--readme", required=True)
    parser.add_argument("--log", required=True, help="boot.bench's enclave log")
    args = parser.parse_args()
    with open(args.readme, encoding="utf-8") as handle:
        section = re.search(r"^## The stock bench cycle\n(.*?)(?=^## |\Z)", handle.read(), re.M | re.S)
    if not section:
        fail("%s has no section \"## The stock bench cycle\"" % args.readme)
    documented = lines_with_prefix(section.group(1), "README's stock bench section")
    with open(args.log, encoding="utf-8", errors="replace") as handle:
        printed = lines_with_prefix(handle.read(), args.log)
    if documented != printed:
        fail("README shows\n  %s\nbut the stock image printed\n  %s" % (documented, printed))
    print("readme_bench_line: PASS: README's line is the one printed: " + printed, flush=True)


if __name__ == "__main__":
    main()
