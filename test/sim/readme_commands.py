#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# readme_commands.py: runs the commands of a README section verbatim, in a checkout whose build tree is `build`.
"""Usage:
  readme_commands.py --readme README.md --section TITLE --source DIR --build DIR --work DIR [--copy ENTRY]...
                     [--check-shown-output]

Takes every command of the ```sh blocks under the heading "## TITLE" or "### TITLE" and runs each with bash, in
order, in DIR (emptied first), where every top-level entry of the source tree is linked, and `build` holds a link
to each entry of the build tree but Testing: the commands see what they would see in a clone configured with
`cmake -S . -B build`, and a ctest they run keeps its logs apart from the suite's. An entry given with --copy is
copied instead, for commands that write inside it. Each command must exit 0; its output is shown. (A command that
configures does not belong there: CMake would move the tree to the copy.)

With --check-shown-output, every line of the section's plain ``` blocks (the output README shows) must be a line
that one of the commands printed, where "…" in the shown line stands for any text: README cannot show output that
the commands no longer print.
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


def fenced_blocks(body):
    """The ``` blocks of a Markdown text, in order, as (language, text)."""
    blocks, language, lines = [], None, []
    for line in body.splitlines(keepends=True):
        if line.startswith("```"):
            if language is None:
                language, lines = line[3:].strip(), []
            else:
                blocks.append((language, "".join(lines)))
                language = None
        elif language is not None:
            lines.append(line)
    return blocks


def section_commands(readme, title):
    with open(readme) as handle:
        text = handle.read()
    # "## TITLE" up to the next "## "; "### TITLE" up to the next "## " or "### ".
    match = re.search(r"^(##|###) %s\n" % re.escape(title), text, re.M)
    if not match:
        fail("%s has no section \"## %s\" or \"### %s\"" % (readme, title, title))
    end = re.compile(r"^#{2,%d} " % len(match.group(1)), re.M).search(text, match.end())
    body = text[match.end():end.start() if end else len(text)]
    commands, shown = [], []
    for language, block in fenced_blocks(body):
        if language == "sh":
            for line in block.replace("\\\n", " ").splitlines():
                if line.strip() and not line.lstrip().startswith("#"):
                    commands.append(line)
        elif language == "":
            shown.extend(line for line in block.splitlines() if line.strip())
    if not commands:
        fail("the section \"%s\" has no ```sh command" % title)
    return commands, shown


def check_shown_output(shown, printed):
    """Every shown line must match a printed line; "…" matches any text."""
    for line in shown:
        pattern = re.compile(".*".join(re.escape(part) for part in line.split("\u2026")))
        if not any(pattern.fullmatch(out) for out in printed):
            fail("README shows a line no command printed: " + line)
    print("readme_commands: the %d lines README shows were printed" % len(shown), flush=True)


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
    parser.add_argument("--check-shown-output", action="store_true")
    args = parser.parse_args()
    commands, shown = section_commands(args.readme, args.section)
    if args.check_shown_output and not shown:
        fail("the section \"%s\" shows no output to check" % args.section)
    link_checkout(args.source, args.build, args.work, args.copy)
    printed = []
    for command in commands:
        print("readme_commands: $ " + command, flush=True)
        result = subprocess.run(["bash", "-c", command], cwd=args.work, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, errors="replace")
        sys.stdout.write(result.stdout)
        printed.extend(result.stdout.splitlines())
        if result.returncode != 0:
            fail("the README command failed: " + command)
    if args.check_shown_output:
        check_shown_output(shown, printed)
    print("readme_commands: PASS (%d commands of \"%s\")" % (len(commands), args.section), flush=True)


if __name__ == "__main__":
    main()
