#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# sdk_template.py: installs the SDK, builds payload/template as an outside project against it and runs it in aether-sim; or boots its image.
"""Usage:
  sdk_template.py --build DIR --template DIR --work DIR
  sdk_template.py --boot BOOTX64.EFI --prefix DIR --work DIR

Without --boot: `cmake --install` of the build tree into WORK/prefix; the template copied to WORK/my-payload,
configured (-DCMAKE_PREFIX_PATH=WORK/prefix) and built; its my_payload_sim target must print the three wakes the
template's CMakeLists.txt names with their statuses (3, 0, 2), every proof verified, and the installed aether-verify
must accept the report. The installation is then moved and its aether-sim must still find its runtime.
With --boot: the installed aether-run under the prefix boots the template's image (built by its
my_payload_image target) with the same wakes: the same statuses, every proof verified.
Figures (seconds) are printed as "sdk_template: time ...".
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

WAKES = ["0x20:pressure=0.12,dose=1250", "0x21:pressure=1.0,dose=40", "0x20:pressure=0.8,dose=2400"]
STATUSES = [3, 0, 2]


def fail(message):
    print("sdk_template: FAIL: " + message, flush=True)
    sys.exit(1)


def run(command, what, env=None, cwd=None):
    """Runs command, prints its output, returns it; fails naming `what` if it exits non-zero."""
    started = time.monotonic()
    proc = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=cwd)
    print("sdk_template: $ %s\n%s" % (" ".join(command), proc.stdout), flush=True)
    if proc.returncode != 0:
        fail("%s failed (exit %d)" % (what, proc.returncode))
    print("sdk_template: time %s: %.2f s" % (what, time.monotonic() - started), flush=True)
    return proc.stdout


def check_sim_output(output, where):
    lines = re.findall(r"^aether-sim: wake (\d+): vector (0x2[01]) .* -> ok status (\d+) telemetry 8 bytes, "
                       r"proof 0x[0-9a-f]{16} verified$", output, re.M)
    got = [(int(seq), vector, int(status)) for seq, vector, status in lines]
    want = [(i + 1, wake.split(":")[0], status) for i, (wake, status) in enumerate(zip(WAKES, STATUSES))]
    if got != want:
        fail("%s: expected the wakes %s, got %s" % (where, want, got))
    if not re.search(r"^aether-sim: 3 wakes in [0-9.]+ ms, every proof verified", output, re.M):
        fail("%s: no summary line with every proof verified" % where)


def simulate(args, env):
    prefix = os.path.join(args.work, "prefix")
    project = os.path.join(args.work, "my-payload")
    build = os.path.join(project, "build")
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    run(["cmake", "--install", args.build, "--prefix", prefix], "install")
    shutil.copytree(args.template, project)
    run(["cmake", "-S", project, "-B", build, "-G", "Ninja", "-DCMAKE_PREFIX_PATH=" + prefix], "configure template")
    run(["cmake", "--build", build], "build template")
    if not os.path.exists(os.path.join(build, "my_payload_iface.h")):
        fail("the default target did not validate the payload (no my_payload_iface.h)")
    check_sim_output(run(["cmake", "--build", build, "--target", "my_payload_sim"], "simulate template", env=env),
                     "my_payload_sim")
    report = os.path.join(build, "my_payload_sim.json")
    key = os.path.join(prefix, "share/aether-enclave/source/enclave/keys/development.key")
    verdict = run([os.path.join(prefix, "bin/aether-verify"), "--key", key, report], "verify the report")
    if "3 valid, 0 invalid" not in verdict:
        fail("aether-verify did not find the report's 3 records valid")

    # An installation is relocatable: aether-sim finds its runtime where it now is.
    moved = os.path.join(args.work, "moved")
    shutil.copytree(prefix, moved, symlinks=True)
    output = run([os.path.join(moved, "bin/aether-sim"), os.path.join(build, "my_payload.wasm")] +
                 [arg for wake in WAKES for arg in ("--wake", wake)], "simulate with a moved installation", env=env)
    check_sim_output(output, "the moved installation")
    if moved + "/share/aether-enclave/source/enclave/keys/development.key" not in output:
        fail("the moved aether-sim did not use its own development key")


def boot(args, env):
    os.makedirs(args.work, exist_ok=True)
    report = os.path.join(args.work, "boot.json")
    run([os.path.join(args.prefix, "bin/aether-run"), "--image", args.boot, "--report", report, "--quiet"] +
        [arg for wake in WAKES for arg in ("--wake", wake)], "boot the template's image", env=env)
    with open(report) as handle:
        data = json.load(handle)
    statuses = [wake["status"] for wake in data["wakes"]]
    if statuses != STATUSES:
        fail("the booted image gave statuses %s, expected %s" % (statuses, STATUSES))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", required=True)
    for option in ("--build", "--template", "--boot", "--prefix"):
        parser.add_argument(option)
    args = parser.parse_args()
    args.work = os.path.abspath(args.work)
    # aether-sim installed keeps its cache in the user's: here, the test's own.
    env = dict(os.environ, XDG_CACHE_HOME=os.path.join(args.work, "cache"))
    if args.boot:
        boot(args, env)
    else:
        simulate(args, env)
    print("sdk_template: PASS", flush=True)


if __name__ == "__main__":
    main()
