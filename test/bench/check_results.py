#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# check_results.py: bench.quick: runs scripts/aether-bench --quick and checks its results.json is complete and sane.
"""No timing thresholds: every required key is present, every figure is a
positive number, a peer that could not run is null with a note naming it,
and every engine of a workload agreed on its checksum."""

import argparse
import json
import math
import subprocess
import sys

REQUIRED = {
        "guest_compute.fir": ("native_ns", "guard_ns", "bounds_ns", "v8_ns", "interp_ns", "checksum",
                              "native_insns", "guard_insns", "bounds_insns"),
        "guest_compute.int": ("native_ns", "guard_ns", "bounds_ns", "v8_ns", "interp_ns", "checksum",
                              "native_insns", "guard_insns", "bounds_insns"),
        "wake_cycle": ("enclave_ns", "v8_fresh_instance_ns", "floor_ns"),
        "image": ("wake_to_commit_insns", "wake_to_scrubbed_insns", "boot_to_dormant_insns",
                  "hello_boot_insns", "bootx64_bytes", "hello_bytes", "v1_ring0_wake_to_commit_insns",
                  "v1_ring0_wake_to_scrubbed_insns"),
        "gate": ("per_call_insns", "bare_loop_insns", "net_per_call_insns"),
}
# Peers that may be missing on a machine (null, and a note naming the key);
# the enclave's own figures never may.
OPTIONAL_PEERS = ("v8_ns", "interp_ns", "v8_fresh_instance_ns", "native_insns", "guard_insns", "bounds_insns")
# A's engines: each one's figure has a per-round ratio to native beside it.
COMPUTE_ENGINES = ("guard", "bounds", "v8", "interp")


def lookup(results, dotted):
        """results["a"]["b"] for "a.b", or None when any step is missing."""
        value = results
        for part in dotted.split("."):
                value = value.get(part) if isinstance(value, dict) else None
        return value


def compute_problems(name, workload):
        """A workload's ratios are min <= median <= max, positive, present with their time,
        and its engines all reported the agreed checksum."""
        problems = []
        for engine in COMPUTE_ENGINES:
                figure = workload.get(engine + "_to_native")
                if (workload.get(engine + "_ns") is None) != (figure is None):
                        problems.append("%s.%s_to_native: present without its time, or missing beside it"
                                        % (name, engine))
                elif figure is not None and not (isinstance(figure, dict) and all(
                                is_positive(figure.get(k)) for k in ("min", "median", "max"))
                                and figure["min"] <= figure["median"] <= figure["max"]):
                        problems.append("%s.%s_to_native: %r is not a positive min <= median <= max"
                                        % (name, engine, figure))
        checksums = workload.get("checksums")
        if not isinstance(checksums, dict) or "native" not in checksums or "guard" not in checksums:
                problems.append("%s.checksums: missing, or without native and guard" % name)
        elif any(value != workload.get("checksum") for value in checksums.values()):
                problems.append("%s.checksums: the engines disagree: %r" % (name, checksums))
        return problems


def is_positive(value):
        return not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value) and value > 0


def problems_in(results):
        problems = []
        notes = results.get("notes")
        if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
                problems.append("notes: missing or not a list of strings")
                notes = []
        for section, keys in REQUIRED.items():
                values = lookup(results, section)
                if not isinstance(values, dict):
                        problems.append("%s: missing" % section)
                        continue
                for key in keys:
                        where = "%s.%s" % (section, key)
                        if key not in values:
                                problems.append(where + ": missing")
                                continue
                        value = values[key]
                        if value is None:
                                if key not in OPTIONAL_PEERS:
                                        problems.append(where + ": null, but the enclave's own figure must exist")
                                elif not any(key in note for note in notes):
                                        problems.append(where + ": null without a note explaining it")
                        elif not is_positive(value):
                                problems.append("%s: %r is not a positive number" % (where, value))
                if section.startswith("guest_compute."):
                        problems += compute_problems(section, values)
        image = results.get("image", {})
        if isinstance(image, dict) and all(isinstance(image.get(k), int) for k in
                                           ("wake_to_commit_insns", "wake_to_scrubbed_insns")):
                if image["wake_to_scrubbed_insns"] <= image["wake_to_commit_insns"]:
                        problems.append("image: the scrub cannot end before the commit is written")
        if isinstance(image, dict) and image.get("proof_matches_host_build") is False:
                problems.append("image: the booted image's proof differs from the host build's")
        gate = results.get("gate", {})
        if isinstance(gate, dict) and all(is_positive(gate.get(k)) for k in ("per_call_insns", "bare_loop_insns")):
                if gate["bare_loop_insns"] >= gate["per_call_insns"]:
                        problems.append("gate: a call through the gate cannot cost less than a load")
        return problems


def checker_blind_spots(results):
        """The checker must reject damaged copies of a good file, or its PASS means nothing."""
        if problems_in(results):
                return []
        damaged = {
                "a missing key": lambda r: r["image"].pop("hello_bytes"),
                "a negative time": lambda r: r["guest_compute"]["int"].update(native_ns=-1.0),
                "an unexplained null": lambda r: r["wake_cycle"].update(enclave_ns=None),
                "a missing workload": lambda r: r["guest_compute"].pop("fir"),
                "disagreeing checksums": lambda r: r["guest_compute"]["int"]["checksums"].update(
                        guard=r["guest_compute"]["int"]["checksum"] ^ 1),
                "an inverted ratio range": lambda r: r["guest_compute"]["fir"]["guard_to_native"].update(
                        min=r["guest_compute"]["fir"]["guard_to_native"]["max"] + 1),
                "a missing gate figure": lambda r: r["gate"].pop("net_per_call_insns"),
                "a missing instruction count": lambda r: r["guest_compute"]["fir"].pop("guard_insns"),
        }
        blind = []
        for what, damage in damaged.items():
                copy = json.loads(json.dumps(results))
                damage(copy)
                if not problems_in(copy):
                        blind.append("checker accepts results with " + what)
        return blind


def main():
        parser = argparse.ArgumentParser(description=__doc__)
        parser.add_argument("--run", metavar="AETHER_BENCH", help="run this aether-bench with --quick first")
        parser.add_argument("--build", help="build directory passed to aether-bench")
        parser.add_argument("--results", required=True, help="results.json to check (and --out for the run)")
        args = parser.parse_args()
        if args.run:
                command = [sys.executable, args.run, "--quick", "--out", args.results]
                if args.build:
                        command += ["--build", args.build]
                if subprocess.run(command).returncode != 0:
                        print("FAIL: aether-bench --quick failed")
                        return 1
        try:
                with open(args.results) as handle:
                        results = json.load(handle)
        except (OSError, ValueError) as error:
                print("FAIL: %s: %s" % (args.results, error))
                return 1
        problems = problems_in(results)
        problems += checker_blind_spots(results)
        for problem in problems:
                print("FAIL: " + problem)
        if problems:
                return 1
        print("PASS: %s is complete (%d notes)" % (args.results, len(results["notes"])))
        return 0


if __name__ == "__main__":
        sys.exit(main())
