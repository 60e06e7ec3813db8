#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# presets_case.py: docs.presets: CMakePresets.json parses, the quick test preset selects no test that boots, README lists every label.
"""In a checkout whose build/ is the tree under test (readme_commands.py's
link_checkout), runs `cmake --workflow --list-presets`, which must list the
workflow `default`, and `ctest --preset quick --show-only=json-v1`: the quick
preset must select tests (the fixtures they need included, as ctest would run
them), none of them labelled boot, build, fuzz or bench, and every test the
tree has with none of those labels. The table of README's section "## Tests"
must list exactly the labels `ctest --print-labels` lists."""
import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "sim"))
from readme_commands import link_checkout  # noqa: E402

SLOW = {"boot", "build", "fuzz", "bench"}


def fail(message):
    print("presets_case: FAIL: " + message, flush=True)
    sys.exit(1)


def run(command, cwd):
    print("presets_case: $ " + " ".join(command), flush=True)
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        fail("%s exited %d:\n%s%s" % (" ".join(command), proc.returncode, proc.stdout, proc.stderr))
    return proc.stdout


def labelled(tests):
    """{name: set of labels} of ctest's --show-only=json-v1 tests."""
    result = {}
    for test in tests:
        labels = [p["value"] for p in test.get("properties", []) if p["name"] == "LABELS"]
        result[test["name"]] = set(labels[0]) if labels else set()
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", required=True)
    parser.add_argument("--build", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--readme", required=True)
    args = parser.parse_args()
    link_checkout(args.source, args.build, args.work)
    workflows = run(["cmake", "--workflow", "--list-presets"], args.work)
    if '"default"' not in workflows:
        fail("no workflow preset \"default\":\n" + workflows)
    quick = labelled(json.loads(run(["ctest", "--preset", "quick", "--show-only=json-v1"], args.work))["tests"])
    build = os.path.join(args.work, "build")
    every = labelled(json.loads(run(["ctest", "--show-only=json-v1"], build))["tests"])
    slow = sorted(name for name, labels in quick.items() if labels & SLOW)
    if slow:
        fail("the quick preset selects %d slow tests: %s" % (len(slow), " ".join(slow)))
    left_out = sorted(name for name, labels in every.items() if not labels & SLOW and name not in quick)
    if left_out:
        fail("the quick preset leaves out tests that are not slow: " + " ".join(left_out))
    in_use = set(run(["ctest", "--print-labels"], build).split("All Labels:")[-1].split())
    with open(args.readme, encoding="utf-8") as handle:
        section = re.search(r"^## Tests\n(.*?)(?=^## |\Z)", handle.read(), re.M | re.S)
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", section.group(1) if section else "", re.M))
    if documented != in_use:
        fail("README's \"## Tests\" lists the labels %s; ctest --print-labels: %s"
             % (" ".join(sorted(documented)), " ".join(sorted(in_use))))
    print("presets_case: PASS (quick: %d of %d tests, none labelled %s; README lists the %d labels)"
          % (len(quick), len(every), ", ".join(sorted(SLOW)), len(in_use)), flush=True)


if __name__ == "__main__":
    main()
