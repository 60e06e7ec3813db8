# SPDX-License-Identifier: AGPL-3.0-or-later
# test_pagetables.py: self-tests of the page-table walker on synthetic RAM files, the control-register parser and --check-page-tables.

import contextlib
import io
import os
import struct
import sys
import tempfile
import types
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))

from aether_harness import cpu_state, pagetables, run, uplink  # noqa: E402
from aether_harness.pagetables import NO_EXECUTE as NX, PAGE_SIZE as PS, PRESENT as P  # noqa: E402
from aether_harness.pagetables import USER as US, WRITABLE as RW, Range, Violation  # noqa: E402

# HMP "info registers" of the dormant enclave, captured from QEMU 7.2 (-cpu max, TCG) through
# QMP, which returns it with CRLF line ends (trailing blanks stripped).
INFO_REGISTERS = """
CPU#0
RAX=0000000000000000 RBX=000000e000000000 RCX=0000000000000001 RDX=0000000000000000
RSI=0000000000001000 RDI=000000001dd86f70 RBP=000000001dec8e80 RSP=000000001dd86f60
R8 =0000000000000000 R9 =0000000000000000 R10=0000000000000000 R11=0000000000000000
R12=0000000000000000 R13=000000001dd85000 R14=000000001dd86f70 R15=000000001dec8e80
RIP=000000001dec0e2b RFL=00000246 [---Z-P-] CPL=0 II=0 A20=1 SMM=0 HLT=1
ES =0010 0000000000000000 00000000 00009300 DPL=0 DS   [-WA]
CS =0008 0000000000000000 00000000 00209a00 DPL=0 CS64 [-R-]
SS =0010 0000000000000000 00000000 00009300 DPL=0 DS   [-WA]
DS =0010 0000000000000000 00000000 00009300 DPL=0 DS   [-WA]
FS =0010 0000000000000000 00000000 00009300 DPL=0 DS   [-WA]
GS =0010 0000000000000000 00000000 00009300 DPL=0 DS   [-WA]
LDT=0000 0000000000000000 0000ffff 00008200 DPL=0 LDT
TR =0018 000000001dec7c80 00000067 00008900 DPL=0 TSS64-avl
GDT=     000000001dec7c50 00000027
IDT=     000000001dec7cf0 00000fff
CR0=80010033 CR2=0000000000000000 CR3=000000001dd56000 CR4=00000668
DR0=0000000000000000 DR1=0000000000000000 DR2=0000000000000000 DR3=0000000000000000
DR6=00000000ffff0ff0 DR7=0000000000000400
EFER=0000000000000d00
FCW=037f FSW=0000 [ST=0] FTW=00 MXCSR=00001f80
FPR0=0000000000000000 0000 FPR1=0000000000000000 0000
FPR2=0000000000000000 0000 FPR3=0000000000000000 0000
FPR4=0000000000000000 0000 FPR5=0000000000000000 0000
FPR6=8000000000000000 4007 FPR7=8000000000000000 4007
XMM00=0000000000000000 0000000000000000 XMM01=0000000000000000 0000000000000000
XMM02=0000000000000000 0000000000000000 XMM03=0000000000000000 0000000000000000
XMM04=0000000000000000 0000000000000000 XMM05=0000000000000000 0000000000000000
XMM06=0000000000000000 0000000000000000 XMM07=0000000000000000 0000000000000000
XMM08=0000000000000000 0000000000000000 XMM09=0000000000000000 0000000000000000
XMM10=0000000000000000 0000000000000000 XMM11=0000000000000000 0000000000000000
XMM12=0000000000000000 0000000000000000 XMM13=0000000000000000 0000000000000000
XMM14=0000000000000000 0000000000000000 XMM15=0000000000000000 0000000000000000
""".replace("\n", "\r\n")

EFER = 0xD00        # LME, LMA, NXE
EFER_NO_NXE = 0x500
RAM_SIZE = 0x10000
# Table pages of the synthetic layout (physical addresses in the RAM file).
PML4, PDPT, PD, PT = 0x1000, 0x2000, 0x3000, 0x4000
USER_PDPT, USER_PD, USER_PT, HIGH_PDPT, SPARE_PT, SPARE_PDPT = 0x8000, 0x9000, 0xA000, 0xB000, 0xC000, 0xD000
USER_BASE, USER_LIMIT = 0x8000000000, 0x10000000000       # PML4 entry 1
ALLOWED = [(USER_BASE, USER_LIMIT)]
UPPER = P | RW | US     # upper levels that leave the decision to the leaves

# The clean layout's ranges: identity-mapped supervisor pages, a 1 GiB MMIO window (its leaf
# lies beyond the RAM file), two user pages, and a kernel image in the top 2 GiB.
CLEAN_RANGES = [
        Range(0x1000, 0x2000, False, False, True),
        Range(0x2000, 0x4000, True, False, False),
        Range(0x4000, 0x5000, False, False, False),
        Range(0x200000, 0x400000, False, False, False),
        Range(0x40000000, 0x80000000, True, False, False),
        Range(USER_BASE, USER_BASE + 0x1000, True, True, False),
        Range(USER_BASE + 0x1000, USER_BASE + 0x2000, False, True, True),
        Range(0xFFFFFFFF80000000, 0xFFFFFFFFC0000000, False, False, True),
]


class SyntheticRam:
        """A RAM file holding a small set of tables; the clean layout unless changed with set()."""

        def __init__(self, directory):
                self.path = os.path.join(directory, "ram")
                self.ram = bytearray(RAM_SIZE)
                self.set(PML4, 0, PDPT | UPPER)
                self.set(PDPT, 0, PD | UPPER)
                self.set(PD, 0, PT | UPPER)
                self.set(PT, 1, 0x100000 | P)                      # code: r-x
                self.set(PT, 2, 0x101000 | P | RW | NX)            # data: rw-, two pages, one range
                self.set(PT, 3, 0x180000 | P | RW | NX)
                self.set(PT, 4, 0x102000 | P | NX)                 # constants: r--
                self.set(PD, 1, 0x200000 | P | PS | NX)            # 2 MiB r--
                self.set(PDPT, 1, 0xFC0000000 | P | PS | RW | NX)  # 1 GiB MMIO rw-
                self.set(PML4, 1, USER_PDPT | UPPER)
                self.set(USER_PDPT, 0, USER_PD | UPPER)
                self.set(USER_PD, 0, USER_PT | UPPER)
                self.set(USER_PT, 0, 0x300000 | P | RW | US | NX)  # user data: rw-
                self.set(USER_PT, 1, 0x301000 | P | US)            # user code: r-x
                self.set(PML4, 511, HIGH_PDPT | P | RW)
                self.set(HIGH_PDPT, 510, 0 | P | PS)               # kernel image at -2 GiB: r-x

        def set(self, table, index, entry):
                struct.pack_into("<Q", self.ram, table + 8 * index, entry)

        def write(self):
                with open(self.path, "wb") as handle:
                        handle.write(self.ram)
                return self.path


class WalkerTest(unittest.TestCase):
        def setUp(self):
                directory = tempfile.TemporaryDirectory()
                self.addCleanup(directory.cleanup)
                self.tables = SyntheticRam(directory.name)

        def walk(self, efer=EFER, allowed=ALLOWED, cr3=PML4):
                return pagetables.check(self.tables.write(), cr3, efer, allowed)

        def test_clean_layout_passes(self):
                result = self.walk()
                self.assertEqual(result.violations, [])
                self.assertEqual(result.ranges, CLEAN_RANGES)
                self.assertEqual(result.user_ranges, CLEAN_RANGES[5:7])
                self.assertEqual(result.classes, {
                        "supervisor r-x": {"pages_4k": 1, "pages_2m": 0, "pages_1g": 1, "bytes": 0x40001000},
                        "supervisor rw-": {"pages_4k": 2, "pages_2m": 0, "pages_1g": 1, "bytes": 0x40002000},
                        "supervisor r--": {"pages_4k": 1, "pages_2m": 1, "pages_1g": 0, "bytes": 0x201000},
                        "user rw-": {"pages_4k": 1, "pages_2m": 0, "pages_1g": 0, "bytes": 0x1000},
                        "user r-x": {"pages_4k": 1, "pages_2m": 0, "pages_1g": 0, "bytes": 0x1000},
                })

        def test_wx_4k_page(self):
                self.tables.set(PT, 5, 0x123000 | P | RW)
                self.assertEqual(self.walk().violations, [Violation("w+x", 0x5000, 0x6000, 0x123000, "PT")])

        def test_wx_2m_page(self):
                self.tables.set(PD, 2, 0x400000 | P | PS | RW)
                self.assertEqual(self.walk().violations,
                                 [Violation("w+x", 0x400000, 0x600000, 0x400000, "PD")])

        def test_wx_1g_page(self):
                self.tables.set(PDPT, 2, 0x80000000 | P | PS | RW)
                self.assertEqual(self.walk().violations,
                                 [Violation("w+x", 0x80000000, 0xC0000000, 0x80000000, "PDPT")])

        def test_read_only_upper_level_wins(self):
                self.tables.set(PD, 3, SPARE_PT | P)               # no R/W above a writable leaf
                self.tables.set(SPARE_PT, 0, 0x500000 | P | RW)
                result = self.walk()
                self.assertEqual(result.violations, [])
                self.assertIn(Range(0x600000, 0x601000, False, False, True), result.ranges)

        def test_nx_at_an_upper_level(self):
                self.tables.set(PD, 3, SPARE_PT | P | RW | NX)     # NX above an executable leaf
                self.tables.set(SPARE_PT, 0, 0x500000 | P | RW)
                result = self.walk()
                self.assertEqual(result.violations, [])
                self.assertIn(Range(0x600000, 0x601000, True, False, False), result.ranges)

        def test_user_page_outside_the_allowed_ranges(self):
                self.tables.set(PT, 6, 0x106000 | P | US | NX)
                self.assertEqual(self.walk().violations, [Violation("user", 0x6000, 0x7000, 0x106000, "PT")])

        def test_user_page_straddling_the_allowed_end(self):
                violations = self.walk(allowed=[(USER_BASE, USER_BASE + 0x1800)]).violations
                self.assertEqual(violations, [Violation("user", USER_BASE + 0x1000, USER_BASE + 0x2000,
                                                        0x301000, "PT")])

        def test_no_allowed_range_forbids_every_user_page(self):
                # The two user pages are contiguous, physically too: one violation.
                self.assertEqual(self.walk(allowed=[]).violations,
                                 [Violation("user", USER_BASE, USER_BASE + 0x2000, 0x300000, "PT")])

        def test_user_leaf_under_a_supervisor_level_is_not_user(self):
                self.tables.set(PML4, 2, SPARE_PDPT | P | RW)      # no U/S above a user leaf
                self.tables.set(SPARE_PDPT, 0, 0 | P | PS | US | NX)
                result = self.walk()
                self.assertEqual(result.violations, [])
                self.assertIn(Range(0x10000000000, 0x10040000000, False, False, False), result.ranges)
                self.assertEqual(result.user_ranges, CLEAN_RANGES[5:7])

        def test_nxe_clear(self):
                # Without NXE the NX bits do not count: every writable page is also executable.
                result = self.walk(efer=EFER_NO_NXE)
                self.assertEqual(result.violations, [
                        pagetables.NXE_CLEAR,
                        Violation("w+x", 0x2000, 0x3000, 0x101000, "PT"),
                        Violation("w+x", 0x3000, 0x4000, 0x180000, "PT"),
                        Violation("w+x", 0x40000000, 0x80000000, 0xFC0000000, "PDPT"),
                        Violation("w+x", USER_BASE, USER_BASE + 0x1000, 0x300000, "PT"),
                ])
                self.assertTrue(all(r.executable for r in result.ranges))

        def test_contiguous_violations_merge(self):
                for index in range(8, 12):                          # physically contiguous
                        self.tables.set(PT, index, (0x200000 + index * 0x1000) | P | RW)
                self.tables.set(PT, 12, 0x900000 | P | RW)          # physically apart
                result = self.walk()
                self.assertEqual(result.violations, [Violation("w+x", 0x8000, 0xC000, 0x208000, "PT"),
                                                     Violation("w+x", 0xC000, 0xD000, 0x900000, "PT")])
                self.assertIn(Range(0x8000, 0xD000, True, False, True), result.ranges)

        def test_table_beyond_the_file(self):
                self.tables.set(PD, 4, 0x20000 | P | RW)
                with self.assertRaisesRegex(pagetables.PageTableError,
                                            r"PT at 0x20000 \(PD entry 4 at 0x3000, VA 0x800000\) lies "
                                            r"outside the 0x10000-byte RAM file"):
                        self.walk()
                with self.assertRaisesRegex(pagetables.PageTableError, r"PML4 at 0x7f000 \(from CR3\)"):
                        self.walk(cr3=0x7F018)                      # PCD|PWT bits ignored

        def test_report_form(self):
                self.tables.set(PT, 5, 0x123000 | P | RW)
                report = pagetables.to_json(self.walk(efer=EFER_NO_NXE, allowed=[]))
                self.assertEqual(report["ranges"][0], {"start": "0x1000", "end": "0x2000",
                                                       "rights": "supervisor r-x"})
                self.assertEqual(report["violations"][0]["kind"], "nxe")
                self.assertIn({"kind": "w+x", "start": "0x5000", "end": "0x6000", "phys": "0x123000",
                               "level": "PT", "message": "[0x5000, 0x6000) writable and executable "
                               "(phys 0x123000, 4K pages in the PT)"}, report["violations"])


class CommandLineTest(unittest.TestCase):
        def setUp(self):
                directory = tempfile.TemporaryDirectory()
                self.addCleanup(directory.cleanup)
                self.tables = SyntheticRam(directory.name)

        def main(self, *argv):
                out, err = io.StringIO(), io.StringIO()
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                        code = pagetables.main([self.tables.write(), "--cr3", "0x1000", *argv])
                return code, out.getvalue(), err.getvalue()

        def test_clean(self):
                code, out, _ = self.main("--efer", "0xd00", "--user-range", "0x8000000000-0x10000000000")
                self.assertEqual(code, 0)
                self.assertIn("[0xffffffff80000000, 0xffffffffc0000000) supervisor r-x", out)
                self.assertIn("violations: 0", out)

        def test_violations_exit_1(self):
                code, out, _ = self.main("--efer", "0xd00")
                self.assertEqual(code, 1)
                self.assertIn("violations: 1", out)
                self.assertIn("user-accessible outside the allowed user ranges", out)

        def test_unwalkable_exits_2(self):
                self.tables.set(PML4, 3, 0x40000 | P)
                code, _, err = self.main("--efer", "0xd00")
                self.assertEqual(code, 2)
                self.assertIn("PDPT at 0x40000", err)

        def test_bad_user_range(self):
                for text in ("0x2000-0x1000", "0x1000", "a-b"):
                        with self.subTest(text=text), self.assertRaises(SystemExit):
                                self.main("--efer", "0xd00", "--user-range", text)


class ControlRegisterTest(unittest.TestCase):
        def test_parses_the_captured_qemu_7_2_text(self):
                self.assertEqual(cpu_state.parse_control_registers(INFO_REGISTERS),
                                 {"CR0": 0x80010033, "CR2": 0, "CR3": 0x1DD56000, "CR4": 0x668, "EFER": 0xD00})

        def test_general_registers_still_parse(self):
                values = cpu_state.parse_registers(INFO_REGISTERS)
                self.assertEqual(len(values), 32)
                self.assertEqual(values["RDI"], 0x1DD86F70)


class PageTableOptionTest(unittest.TestCase):
        """Run.check_page_tables against a synthetic RAM file and a doctored 'info registers'."""

        def setUp(self):
                directory = tempfile.TemporaryDirectory()
                self.addCleanup(directory.cleanup)
                self.tables = SyntheticRam(directory.name)

        def check(self, base=USER_BASE, limit=USER_LIMIT, cr0=0x80010033, cr4=0x300668, extra=()):
                job = run.Run(run.parse_args(["--check-page-tables", *extra]))
                job.machine = types.SimpleNamespace(ram_path=self.tables.write(),
                                                    ram_offset=lambda physical, length: physical)
                text = INFO_REGISTERS.replace("CR3=000000001dd56000", "CR3=%016x" % PML4)
                text = text.replace("CR0=80010033", "CR0=%08x" % cr0).replace("CR4=00000668", "CR4=%08x" % cr4)
                job.info_registers = lambda: text
                region = bytearray(uplink.SNAPSHOT_SIZE)
                struct.pack_into("<QQ", region, 0x238, base, limit)
                with contextlib.redirect_stdout(io.StringIO()):
                        job.check_page_tables("after_boot", uplink.parse_uplink(bytes(region)))
                return job

        def test_clean_tables_pass_and_are_reported(self):
                job = self.check(extra=["--require-smep-smap"])
                self.assertEqual(job.problems, [])
                found = job.report["page_tables"]["after_boot"]
                self.assertEqual({key: found[key] for key in ("cr3", "cr0_wp", "cr4_smep", "cr4_smap",
                                                             "efer_nxe", "violations")},
                                 {"cr3": "0x1000", "cr0_wp": True, "cr4_smep": True, "cr4_smap": True,
                                  "efer_nxe": True, "violations": []})
                self.assertEqual(len(found["ranges"]), len(CLEAN_RANGES))

        def test_user_range_registers_at_zero_allow_no_user_page(self):
                job = self.check(base=0, limit=0)
                self.assertEqual(job.problems, ["after boot: [0x8000000000, 0x8000002000) user-accessible "
                                                "outside the allowed user ranges (phys 0x300000, 4K "
                                                "pages in the PT)"])

        def test_inverted_user_range_is_a_problem(self):
                job = self.check(base=USER_LIMIT, limit=USER_BASE)
                self.assertIn("after boot: uplink USER_VA_BASE 0x10000000000 is not below USER_VA_LIMIT "
                              "0x8000000000", job.problems)

        def test_write_protect_clear_fails(self):
                self.assertEqual(self.check(cr0=0x80000033).problems,
                                 ["after boot: CR0.WP is clear: the enclave can write through read-only pages"])

        def test_smep_smap_fail_only_when_required(self):
                self.assertEqual(self.check(cr4=0x668).problems, [])
                self.assertEqual(self.check(cr4=0x668, extra=["--require-smep-smap"]).problems,
                                 ["after boot: CR4.SMEP is clear", "after boot: CR4.SMAP is clear"])

        def test_unwalkable_tables_stop_the_run(self):
                self.tables.set(PML4, 3, 0x40000 | P)
                with self.assertRaisesRegex(run.RunFailure, "after boot: page tables: PDPT at 0x40000"):
                        self.check()

        def test_five_level_paging_stops_the_run(self):
                with self.assertRaisesRegex(run.RunFailure, "after boot: CR4.LA57 is set"):
                        self.check(cr4=0x1668)

        def test_options(self):
                stderr = io.StringIO()
                for argv in (["--require-smep-smap"],
                             ["--check-page-tables", "--fw-mode", "host-fault-pf", "--expect-exit", "93"]):
                        with self.subTest(argv=argv), contextlib.redirect_stderr(stderr), \
                                        self.assertRaises(SystemExit):
                                run.parse_args(argv)

        def test_uplink_user_range_registers(self):
                region = bytearray(uplink.SNAPSHOT_SIZE)
                struct.pack_into("<QQ", region, 0x238, 0x1111000, 0x2222000)
                snapshot = uplink.parse_uplink(bytes(region))
                self.assertEqual((snapshot.user_va_base, snapshot.user_va_limit), (0x1111000, 0x2222000))


if __name__ == "__main__":
        unittest.main()
