#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# readme_commands.py: runs the commands of a README section verbatim, in a checkout whose build tree is `build`.
"""Usage:
  readme_commands.py --readme README.md --section TITLE --source DIR --build DIR --work DIR [--copy ENTRY]...

Takes every command of the ```sh blocks under the heading "## TITLE" or "### TITLE" and runs each with bash, in
order, in DIR (emptied first), where every top-level entry of the source tree is linked, and `build` holds a link
to each entry of the build tree but Testing: the commands see what they would see in a clone configured with
`cmake -S . -B build`, and a ctest they run keeps its logs apart from the suite's. An entry given with --copy is
copied instead, for commands that write inside it. Each command must exit 0; its output is shown. (A command that
configures does not belong there: CMake would move the tree to the copy.)
"""
import argparse
import os
import re
import shutil
import subprocess
import sys


def fail(message):
    print("readme_commands: FAIL: " + message, flush=True)
    sys.exit(1)


def section_commands(readme, title):
    with open(readme) as handle:
        text = handle.read()
    # "## TITLE" up to the next "## "; "### TITLE" up to the next "## " or "### ".
    match = re.search(r"^(##|###) %s\n" % re.escape(title), text, re.M)
    if not match:
        fail("%s has no section \"## %s\" or \"### %s\"" % (readme, title, title))
    end = re.compile(r"^#{2,%d} " % len(match.group(1)), re.M).search(text, match.end())
    body = text[match.end():end.start() if end else len(text)]
    commands = []
    for block in re.findall(r"^```sh\n(.*?)^```", body, re.M | re.S):
        for line in block.replace("\\\n", " ").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                commands.append(line)
    if not commands:
        fail("the section \"%s\" has no ```sh command" % title)
    return commands


def link_checkout(source, build, work, copy=()):
    """Makes work (emptied first) look like a clone of source configured with `cmake -S . -B build`: every
    top-level entry of source linked, and in `build` every entry of the build tree linked but Testing, where
    ctest writes its logs (a ctest run in the suite would overwrite the suite's own)."""
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "build"))
    for entry in os.listdir(source):
        if entry in copy:
            shutil.copytree(os.path.join(source, entry), os.path.join(work, entry), symlinks=True)
        elif entry not in ("build", ".git"):
            os.symlink(os.path.join(os.path.abspath(source), entry), os.path.join(work, entry))
    for entry in os.listdir(build):
        if entry != "Testing":
            os.symlink(os.path.join(os.path.abspath(build), entry), os.path.join(work, "build", entry))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for option in ("--readme", "--section", "--source", "--build", "--work"):
        parser.add_argument(option, required=True)
    parser.add_argument("--copy", action="append", default=[])
    args = parser.parse_args()
    commands = section_commands(args.readme, args.section)
    link_checkout(args.source, args.build, args.work, args.copy)
    for command in commands:
        print("readme_commands: $ " + command, flush=True)
        if subprocess.run(["bash", "-c", command], cwd=args.work).returncode != 0:
            fail("the README command failed: " + command)
    print("readme_commands: PASS (%d commands of \"%s\")" % (len(commands), args.section), flush=True)


if __name__ == "__main__":
    main()
