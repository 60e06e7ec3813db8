#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# configure_check.py: -DAETHER_PAYLOAD_WASM= with a missing file, a relative path or a rejected module stops configure with the message alone.
"""Usage:
  configure_check.py --source DIR --work DIR --tools BUILD --wat2wasm WAT2WASM --rejected CASE.wat
                     --accepted GOOD.wat --expect-name NAME...

Configures DIR three times, each in a fresh build folder under WORK: with a path that does not exist, with a
relative path (given as a STRING: CMake makes a relative FILEPATH absolute), and with CASE.wat assembled. Each must fail (exit 1) with exactly one error on stderr, CMake's
header line for the top-level CMakeLists.txt and then the one-line message (no call stack):
  CMake Error at CMakeLists.txt:N (message):
     <message>
The rejected module's message must name every NAME. The missing file's configure compiles the configure-time
aether-wasm-check; the others borrow BUILD's (AETHER_HOST_TOOLS_DIR), as the test suite's sub-builds do.
Last, a payload that changes after configure is still checked at build time: configured with GOOD.wat assembled,
then replaced by CASE.wat's module, the image build must stop with the rejection.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys


def fail(message):
    print("configure_check: FAIL: " + message, flush=True)
    sys.exit(1)


def configure(args, name, definition, extra=()):
    """Configures a fresh build folder; returns the one message line, after checking the output's shape."""
    build = os.path.join(args.work, name)
    shutil.rmtree(build, ignore_errors=True)
    proc = subprocess.run(["cmake", "-S", args.source, "-B", build, "-G", "Ninja", definition]
                          + list(extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    print("configure_check: %s: exit %d, stderr:\n%s" % (name, proc.returncode, proc.stderr), flush=True)
    if proc.returncode != 1:
        fail("%s: configure exited %d, expected 1" % (name, proc.returncode))
    match = re.fullmatch(r"CMake Error at CMakeLists\.txt:\d+ \(message\):\n   ([^\n]+)\n\n\n", proc.stderr)
    if not match:
        fail("%s: stderr is not CMake's header line and the message alone" % name)
    if "\n-- Configuring incomplete, errors occurred!\n" not in proc.stdout:
        fail("%s: stdout lacks CMake's \"Configuring incomplete\"" % name)
    return match.group(1)


def main():
    parser = argparse.ArgumentParser()
    for option in ("--source", "--work", "--wat2wasm", "--rejected", "--accepted", "--tools"):
        parser.add_argument(option, required=True)
    parser.add_argument("--expect-name", action="append", required=True)
    args = parser.parse_args()
    args.work = os.path.abspath(args.work)
    os.makedirs(args.work, exist_ok=True)
    tools = "-DAETHER_HOST_TOOLS_DIR=" + args.tools

    missing = os.path.join(args.work, "no-such.wasm")
    message = configure(args, "missing", "-DAETHER_PAYLOAD_WASM=" + missing)
    expected = "Aether payload rejected: %s: no such file (set AETHER_PAYLOAD_WASM to the absolute path of a .wasm)" \
        % missing
    if message != expected:
        fail("missing: the message is\n  %s\nexpected\n  %s" % (message, expected))

    # A FILEPATH given relative on the command line is made absolute by CMake; as a STRING it stays relative.
    message = configure(args, "relative", "-DAETHER_PAYLOAD_WASM:STRING=payload.wasm", [tools])
    if message != "AETHER_PAYLOAD_WASM must be an absolute path, got 'payload.wasm'":
        fail("relative: unexpected message: " + message)

    wasm = os.path.join(args.work, "rejected.wasm")
    if subprocess.run([args.wat2wasm, args.rejected, "-o", wasm]).returncode != 0:
        fail("wat2wasm failed on " + args.rejected)
    message = configure(args, "rejected", "-DAETHER_PAYLOAD_WASM=" + wasm, [tools])
    if not message.startswith("Aether payload rejected: %s: imports " % wasm):
        fail("rejected: unexpected message: " + message)
    for name in args.expect_name:
        if name not in message:
            fail("rejected: the message does not name " + name)

    # The build-time check stays, for a payload that changes after configure.
    later = os.path.join(args.work, "later.wasm")
    if subprocess.run([args.wat2wasm, args.accepted, "-o", later]).returncode != 0:
        fail("wat2wasm failed on " + args.accepted)
    build = os.path.join(args.work, "later")
    shutil.rmtree(build, ignore_errors=True)
    if subprocess.run(["cmake", "-S", args.source, "-B", build, "-G", "Ninja", "-DAETHER_PAYLOAD_WASM=" + later, tools],
                      stdout=subprocess.DEVNULL).returncode != 0:
        fail("later: configure with the accepted module %s failed" % args.accepted)
    shutil.copy(wasm, later)
    proc = subprocess.run(["cmake", "--build", build, "--target", "image"], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    if proc.returncode == 0 or "Aether payload rejected: %s: imports " % later not in proc.stdout:
        fail("later: the build of a payload rejected after configure did not stop with the rejection:\n" + proc.stdout)
    print("configure_check: PASS", flush=True)


if __name__ == "__main__":
    main()
