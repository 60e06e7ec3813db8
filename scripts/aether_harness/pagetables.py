# SPDX-License-Identifier: AGPL-3.0-or-later
# pagetables.py: walks x86-64 4-level page tables in the guest RAM file and checks W^X and the user ranges.
"""Usage: python3 -m aether_harness.pagetables RAMFILE --cr3 X --efer X [--user-range LO-HI]...

Reads only the tables (file offset = physical address); leaves may point anywhere, MMIO
included. Prints the mapped ranges by rights and the violations; exits 1 on violations,
2 when the tables cannot be walked."""

import argparse
import collections
import mmap
import struct
import sys

PAGE = 4096
_ENTRIES = struct.Struct("<512Q")

PRESENT = 1 << 0
WRITABLE = 1 << 1
USER = 1 << 2
PAGE_SIZE = 1 << 7
NO_EXECUTE = 1 << 63
TABLE_ADDRESS = 0x000FFFFFFFFFF000

CR0_WP = 1 << 16
CR4_LA57 = 1 << 12
CR4_SMEP = 1 << 20
CR4_SMAP = 1 << 21
EFER_NXE = 1 << 11

# Per level, from CR3 down: the table's name, the bytes one entry maps, and the mask of a
# leaf's physical address at that level (None: the level holds no leaves).
_LEVELS = (("PML4", 1 << 39, None),
           ("PDPT", 1 << 30, 0x000FFFFFC0000000),
           ("PD", 1 << 21, 0x000FFFFFFFE00000),
           ("PT", 1 << 12, TABLE_ADDRESS))
_LEAF_PAGES = {"PDPT": "1G", "PD": "2M", "PT": "4K"}

# One mapped page: its virtual range, physical address, the table holding it, effective rights.
Leaf = collections.namedtuple("Leaf", "start size phys level writable user executable")
# Virtually contiguous leaves with the same rights.
Range = collections.namedtuple("Range", "start end writable user executable")
# kind "w+x" or "user" (a leaf outside the allowed user ranges): contiguous leaves of one
# level, physically contiguous too; kind "nxe": EFER.NXE clear (no range).
Violation = collections.namedtuple("Violation", "kind start end phys level")
NXE_CLEAR = Violation("nxe", None, None, None, None)


class PageTableError(ValueError):
        """The tables cannot be walked: one lies outside the RAM file."""


class Check(collections.namedtuple("Check", "classes ranges violations")):
        """classes: {rights name: {"pages_4k", "pages_2m", "pages_1g", "bytes"}}; ranges: [Range]."""
        __slots__ = ()

        @property
        def user_ranges(self):
                return [r for r in self.ranges if r.user]


def rights_name(writable, user, executable):
        """'supervisor r-x', 'user rw-', ..."""
        return "%s r%s%s" % ("user" if user else "supervisor", "w" if writable else "-",
                             "x" if executable else "-")


def _canonical(address):
        return address | 0xFFFF000000000000 if address & (1 << 47) else address


def _leaves(view, table, depth, base, rights, nxe, via):
        """The present leaves under one table, in address order; rights: the AND of the levels above."""
        name, span, leaf_mask = _LEVELS[depth]
        if table + PAGE > len(view):
                raise PageTableError("%s at 0x%x (%s) lies outside the 0x%x-byte RAM file"
                                     % (name, table, via, len(view)))
        for index, entry in enumerate(_ENTRIES.unpack_from(view, table)):
                if not entry & PRESENT:
                        continue
                start = _canonical(base + index * span)
                writable, user, executable = rights
                here = (writable and bool(entry & WRITABLE), user and bool(entry & USER),
                        executable and not (nxe and entry & NO_EXECUTE))
                if leaf_mask is not None and (depth == len(_LEVELS) - 1 or entry & PAGE_SIZE):
                        yield Leaf(start, span, entry & leaf_mask, name, *here)
                else:
                        yield from _leaves(view, entry & TABLE_ADDRESS, depth + 1, start, here, nxe,
                                           "%s entry %d at 0x%x, VA 0x%x" % (name, index, table, start))


def _extend(found, leaf, kind):
        """Add leaf to the last violation of its kind in found if it continues it, else open one."""
        last = found[-1] if found else None
        if (last is not None and last.level == leaf.level and last.end == leaf.start
                        and last.phys + (last.end - last.start) == leaf.phys):
                found[-1] = last._replace(end=leaf.start + leaf.size)
        else:
                found.append(Violation(kind, leaf.start, leaf.start + leaf.size, leaf.phys, leaf.level))


def check(ram_path, cr3, efer, user_ranges):
        """Walk the tables CR3 points at, in the RAM file at ram_path. user_ranges: [(start, end)],
        the only virtual ranges user pages may lie in. Returns a Check; PageTableError if a
        table lies outside the file."""
        nxe = bool(efer & EFER_NXE)
        classes, ranges, wx, user = {}, [], [], []
        with open(ram_path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
                for leaf in _leaves(view, cr3 & TABLE_ADDRESS, 0, 0, (True, True, True), nxe, "from CR3"):
                        rights = (leaf.writable, leaf.user, leaf.executable)
                        counts = classes.setdefault(rights_name(*rights), {"pages_4k": 0, "pages_2m": 0,
                                                                           "pages_1g": 0, "bytes": 0})
                        counts["pages_" + _LEAF_PAGES[leaf.level].lower()] += 1
                        counts["bytes"] += leaf.size
                        if ranges and ranges[-1].end == leaf.start and ranges[-1][2:] == rights:
                                ranges[-1] = ranges[-1]._replace(end=leaf.start + leaf.size)
                        else:
                                ranges.append(Range(leaf.start, leaf.start + leaf.size, *rights))
                        if leaf.writable and leaf.executable:
                                _extend(wx, leaf, "w+x")
                        if leaf.user and not any(low <= leaf.start and leaf.start + leaf.size <= high
                                                 for low, high in user_ranges):
                                _extend(user, leaf, "user")
        return Check(classes, ranges, ([] if nxe else [NXE_CLEAR]) + wx + user)


def describe(violation):
        """One line naming the violation, its virtual range, physical address and level."""
        if violation.kind == "nxe":
                return "EFER.NXE is clear: no page is protected from execution"
        what = "writable and executable" if violation.kind == "w+x" else \
                "user-accessible outside the allowed user ranges"
        return "[0x%x, 0x%x) %s (phys 0x%x, %s pages in the %s)" % (
                violation.start, violation.end, what, violation.phys, _LEAF_PAGES[violation.level],
                violation.level)


def _violation_json(violation):
        entry = {"kind": violation.kind}
        if violation.kind != "nxe":
                entry.update(start="0x%x" % violation.start, end="0x%x" % violation.end,
                             phys="0x%x" % violation.phys, level=violation.level)
        entry["message"] = describe(violation)
        return entry


def to_json(result):
        """The report form of a Check: classes, ranges and violations, addresses in hex."""
        return {
                "classes": result.classes,
                "ranges": [{"start": "0x%x" % r.start, "end": "0x%x" % r.end, "rights": rights_name(*r[2:])}
                           for r in result.ranges],
                "violations": [_violation_json(v) for v in result.violations],
        }


def _number(text):
        return int(text, 0)


def _user_range(text):
        low, dash, high = text.partition("-")
        try:
                start, end = int(low, 0), int(high, 0)
        except ValueError:
                raise argparse.ArgumentTypeError("%r: expected START-END (e.g. 0x8000000000-0x10000000000)"
                                                 % text) from None
        if start >= end:
                raise argparse.ArgumentTypeError("%r: expected START-END with START < END" % text)
        return start, end


def main(argv=None):
        parser = argparse.ArgumentParser(
                prog="python3 -m aether_harness.pagetables",
                description="Walk x86-64 4-level page tables in a guest RAM file (offset = physical "
                            "address); report the mapped ranges and W^X and user-range violations.")
        parser.add_argument("ram", metavar="RAMFILE", help="guest RAM file (aether-run --keep-ram)")
        parser.add_argument("--cr3", type=_number, required=True, help="CR3 (the PML4's address)")
        parser.add_argument("--efer", type=_number, required=True, help="EFER (bit 11: NXE)")
        parser.add_argument("--user-range", type=_user_range, action="append", default=[],
                            metavar="START-END", help="a virtual range user pages may lie in "
                            "(repeatable; none: no user page is allowed)")
        args = parser.parse_args(argv)
        try:
                result = check(args.ram, args.cr3, args.efer, args.user_range)
        except (PageTableError, OSError) as error:
                print("pagetables: %s" % error, file=sys.stderr)
                return 2
        print("ranges:")
        for r in result.ranges:
                print("  [0x%016x, 0x%016x) %s" % (r.start, r.end, rights_name(*r[2:])))
        print("classes:")
        for name, counts in sorted(result.classes.items()):
                print("  %-15s %6d x 4K %6d x 2M %4d x 1G  %d bytes" % (
                        name, counts["pages_4k"], counts["pages_2m"], counts["pages_1g"], counts["bytes"]))
        print("violations: %d" % len(result.violations))
        for violation in result.violations:
                print("  " + describe(violation))
        return 1 if result.violations else 0


if __name__ == "__main__":
        sys.exit(main())
