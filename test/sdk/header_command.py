#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# header_command.py: runs the compile command of payload/aether_guest.h's header comment verbatim, and checks its module is accepted.
"""Usage:
  header_command.py --header aether_guest.h --readme README.md --payload FILE.c --checker aether-wasm-check --work DIR

Takes the `clang ...` line of the header's "Build a payload" comment, and runs it with bash in DIR (emptied first),
where payload.c is a copy of FILE.c and aether_guest.h a copy of the header; payload.wasm must then
be accepted by aether-wasm-check at the default cap (16 pages). The header's claim that -Wl,--export=memory
fails is checked too: the same command with it must fail with wasm-ld's message. README.md must show the same
command, on a line of its own.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys


def fail(message):
    print("header_command: FAIL: " + message, flush=True)
    sys.exit(1)


def main():
    parser = argparse.ArgumentParser()
    for option in ("--header", "--readme", "--payload", "--checker", "--work"):
        parser.add_argument(option, required=True)
    args = parser.parse_args()
    with open(args.header) as handle:
        text = handle.read()
    match = re.search(r"/\* Build a payload[^\n]*\n \*   (clang [^\n]*)\n", text)
    if not match:
        fail("%s has no \"Build a payload\" comment with a clang command on the next line" % args.header)
    command = match.group(1)
    with open(args.readme) as handle:
        if command not in handle.read().splitlines():
            fail("%s does not show the header's command on a line of its own: %s" % (args.readme, command))
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    shutil.copy(args.payload, os.path.join(args.work, "payload.c"))
    shutil.copy(args.header, os.path.join(args.work, "aether_guest.h"))
    print("header_command: $ " + command, flush=True)
    if subprocess.run(["bash", "-c", command], cwd=args.work).returncode != 0:
        fail("the header's command failed: " + command)
    checked = subprocess.run([args.checker, "--max-pages", "16", os.path.join(args.work, "payload.wasm")],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(checked.stdout, end="", flush=True)
    if checked.returncode != 0:
        fail("aether-wasm-check rejects the module the header's command built")
    exported = subprocess.run(["bash", "-c", command + " -Wl,--export=memory"], cwd=args.work,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if exported.returncode == 0 or "symbol exported via --export not found: memory" not in exported.stdout:
        fail("the header says -Wl,--export=memory fails with \"symbol exported via --export not found: memory\"; "
             "it gave (exit %d):\n%s" % (exported.returncode, exported.stdout))
    print("header_command: PASS", flush=True)


if __name__ == "__main__":
    main()
