#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# tool_help.py: cli.help: every tool answers -h and --help with its usage on stdout and exit status 0.
"""Finds the tools itself, so that a new one without -h fails the test: every
executable named aether-* at the top of the build tree (the ground station's,
the simulator, the build's own), every executable in scripts/, and every
Python file of the source tree that runs as a program (`if __name__ ==
"__main__"`; a module of a package runs with -m). Each is run with -h, then
--help: it must exit 0 and print a line starting with "usage:" on stdout."""
import argparse
import os
import stat
import subprocess
import sys

# Tools that must be found: an empty or broken discovery fails instead of passing.
REQUIRED = ["aether-verify", "aether-sim", "aether-wasm-check", "aether-board-check", "aether-embed",
            "aether-guest-pack", "scripts/aether-run", "scripts/aether-wake", "scripts/aether-bench",
            "scripts/aether-fuzz", "scripts/install-deps", "enclave/tools/aether_wasm2c_rewrite.py"]


def executable(path):
    mode = os.stat(path).st_mode
    return stat.S_ISREG(mode) and mode & stat.S_IXUSR


def built_tools(build):
    return [(name, [os.path.join(build, name)], build) for name in sorted(os.listdir(build))
            if name.startswith("aether-") and executable(os.path.join(build, name))]


def scripts(source):
    folder = os.path.join(source, "scripts")
    return [("scripts/" + name, [os.path.join(folder, name)], source) for name in sorted(os.listdir(folder))
            if executable(os.path.join(folder, name))]


def python_programs(source):
    """(name, command, cwd) of each Python program of the source tree; build trees are skipped."""
    found = []
    for folder, dirs, files in os.walk(source):
        dirs[:] = sorted(d for d in dirs if d not in (".git", "__pycache__")
                         and not os.path.exists(os.path.join(folder, d, "CMakeCache.txt")))
        for name in sorted(files):
            path = os.path.join(folder, name)
            if not name.endswith(".py"):
                continue
            with open(path, encoding="utf-8", errors="replace") as handle:
                if 'if __name__ == "__main__":' not in handle.read():
                    continue
            relative = os.path.relpath(path, source)
            if os.path.exists(os.path.join(folder, "__init__.py")):
                package = os.path.basename(folder)
                command = [sys.executable, "-m", package + "." + name[:-3]]
                found.append((relative, command, os.path.dirname(folder)))
            else:
                found.append((relative, [sys.executable, path], folder))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", required=True, help="the source tree")
    parser.add_argument("--build", required=True, help="its build tree")
    args = parser.parse_args()
    source, build = os.path.abspath(args.source), os.path.abspath(args.build)
    tools = built_tools(build) + scripts(source) + python_programs(source)
    names = [name for name, _, _ in tools]
    failures = ["%s was not found" % name for name in REQUIRED if name not in names]
    for name, command, cwd in tools:
        for option in ("-h", "--help"):
            proc = subprocess.run(command + [option], cwd=cwd, capture_output=True, text=True, timeout=60,
                                  stdin=subprocess.DEVNULL)
            usage = [line for line in proc.stdout.splitlines() if line.startswith("usage:")]
            if proc.returncode != 0 or not usage:
                failures.append("%s %s: exit %d, %s\n    stdout: %r\n    stderr: %r"
                                % (name, option, proc.returncode, "a usage line" if usage else "no usage: line",
                                   proc.stdout[:300], proc.stderr[:300]))
            else:
                print("tool_help: %-45s %-6s %s" % (name, option, usage[0][:60]), flush=True)
    if failures:
        print("tool_help: FAIL:\n  " + "\n  ".join(failures), flush=True)
        return 1
    print("tool_help: PASS (%d tools, -h and --help each)" % len(tools), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
