# SPDX-License-Identifier: AGPL-3.0-or-later
# test_aether_run.py: self-tests of scripts/aether-run (SipHash, frames, uplink, records, CLI, wake loop).

import contextlib
import hashlib
import io
import json
import os
import re
import struct
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))

from aether_harness import frame, machine, record, run, siphash, uplink  # noqa: E402

# The SipHash-2-4 reference vectors (vectors_sip64 of the reference implementation):
# key 00..0f, message 00 01 .. (i-1) of length i, tag as its 8 little-endian bytes.
SIP64_VECTORS = """
310e0edd47db6f72 fd67dc93c539f874 5a4fa9d909806c0d 2d7efbd796666785
b7877127e09427cf 8da699cd64557618 cee3fe586e46c9cb 37d1018bf50002ab
6224939a79f5f593 b0e4a90bdf82009e f3b9dd94c5bb5d7a a7ad6b22462fb3f4
fbe50e86bc8f1e75 903d84c02756ea14 eef27a8e90ca23f7 e545be4961ca29a1
db9bc2577fcc2a3f 9447be2cf5e99a69 9cd38d96f0b3c14b bd6179a71dc96dbb
98eea21af25cd6be c7673b2eb0cbf2d0 883ea3e395675393 c8ce5ccd8c030ca8
94af49f6c650adb8 eab8858ade92e1bc f315bb5bb835d817 adcf6b0763612e2f
a5c91da7acaa4dde 716595876650a2a6 28ef495c53a387ad 42c341d8fa92d832
ce7cf2722f512771 e37859f94623f3a7 381205bb1ab0e012 ae97a10fd434e015
b4a31508beff4d31 81396229f0907902 4d0cf49ee5d4dcca 5c73336a76d8bf9a
d0a704536ba93e0e 925958fcd6420cad a915c29bc8067318 952b79f3bc0aa6d4
f21df2e41d4535f9 87577519048f53a9 10a56cf5dfcd9adb eb75095ccd986cd0
51a9cb9ecba312e6 96afadfc2ce666c7 72fe52975a4364ee 5a1645b276d592a1
b274cb8ebf87870a 6f9bb4203de7b381 eaecb2a30b22a87f 9924a43cc1315724
bd838d3aafbf8db7 0b1a2a3265d51aea 135079a3231ce660 932b2846e4d70666
e1915f5cb1eca46c f325965ca16d629f 575ff28e60381be5 724506eb4c328a95
""".split()

DEV_KEY = bytes(range(16))


def crc8_bitwise(data):
        """CRC-8 (poly x^8+x^2+x+1) as polynomial division over the message bits, MSB first."""
        bits = []
        for byte in data:
                bits += [(byte >> (7 - i)) & 1 for i in range(8)]
        bits += [0] * 8
        poly = [1, 0, 0, 0, 0, 0, 1, 1, 1]
        for i in range(len(bits) - 8):
                if bits[i]:
                        for j, p in enumerate(poly):
                                bits[i + j] ^= p
        return int("".join(map(str, bits[-8:])), 2)


DEV_ID = hashlib.sha256(b"aether-device-id-v1" + DEV_KEY).digest()[:16]


def make_record(vector=0x20, outcome=0, epoch=1, seq=1, status=3, pressure_bits=0x3DF5C28F,
                dose=1250, telemetry=b"", uplink_words=(0, 0), payload=b"\x11" * 32, device=DEV_ID,
                dropped=0, rejected=0, flags=1):
        return (b"AEPR" + struct.pack("<HBBQQiIiIII", 2, vector, outcome, epoch, seq, status,
                                      pressure_bits, dose, len(telemetry), *uplink_words)
                + hashlib.sha256(telemetry).digest() + payload + device
                + struct.pack("<QQQ", dropped, rejected, flags))


def make_uplink(state=1, commits=0, dormancies=1, rec=None, tag=None, telemetry=b"", epoch=1,
                magic=b"AETHUPL1", dropped=0, rejected=0):
        region = bytearray(uplink.UPLINK_SIZE)
        rec = rec if rec is not None else bytes(152)
        tag = tag if tag is not None else siphash.siphash24(DEV_KEY, rec)
        struct.pack_into("<8sIIQIIIIQQ", region, 0, magic, 2, state, commits, tag & 0xFFFFFFFF,
                         tag >> 32, 152, len(telemetry), epoch, dormancies)
        region[0x40:0x40 + 152] = rec
        region[0x100:0x100 + len(telemetry)] = telemetry
        struct.pack_into("<QQ16s", region, 0x248, dropped, rejected, DEV_ID)
        return region


class SipHashTest(unittest.TestCase):
        def test_reference_vectors(self):
                self.assertEqual(len(SIP64_VECTORS), 64)
                message = bytes(range(64))
                for length, expected in enumerate(SIP64_VECTORS):
                        with self.subTest(length=length):
                                tag = siphash.siphash24(DEV_KEY, message[:length])
                                self.assertEqual(tag.to_bytes(8, "little").hex(), expected)

        def test_key_length_checked(self):
                with self.assertRaises(ValueError):
                        siphash.siphash24(bytes(15), b"")


class FrameTest(unittest.TestCase):
        def test_wake_frame_matches_spec_example(self):
                data = frame.wake_frame(record.f32_bits(0.12), 1250)
                body = bytes.fromhex("A5 57 08 8F C2 F5 3D E2 04 00 00")
                self.assertEqual(record.f32_bits(0.12), 0x3DF5C28F)
                self.assertEqual(len(data), 12)
                self.assertEqual(data[:11], body)
                self.assertEqual(data[11], crc8_bitwise(body[1:]))

        def test_shutdown_frame(self):
                data = frame.shutdown_frame()
                self.assertEqual(data[:3], bytes([0xA5, 0x51, 0x00]))
                self.assertEqual(data[3], crc8_bitwise(data[1:3]))
                self.assertEqual(len(data), 4)

        def test_crc_agrees_with_bitwise_on_many_inputs(self):
                for n in range(64):
                        sample = bytes((n * 37 + i * 11) & 0xFF for i in range(n % 13))
                        self.assertEqual(frame.crc8_smbus(sample), crc8_bitwise(sample))
                # CRC-8/SMBUS check value of "123456789".
                self.assertEqual(frame.crc8_smbus(b"123456789"), 0xF4)

        def test_bad_crc_frame(self):
                for dose in range(300):
                        good, bad = frame.wake_frame(0, dose), frame.bad_crc_wake_frame(0, dose)
                        self.assertEqual(good[:11], bad[:11])
                        self.assertNotEqual(bad[11], crc8_bitwise(bad[1:11]))
                        self.assertNotEqual(bad[11], frame.SYNC)

        def test_negative_dose_is_twos_complement(self):
                data = frame.wake_frame(0, -2)
                self.assertEqual(data[7:11], b"\xfe\xff\xff\xff")


class UplinkTest(unittest.TestCase):
        def setUp(self):
                self.dir = tempfile.TemporaryDirectory()
                self.path = os.path.join(self.dir.name, "uplink")

        def tearDown(self):
                self.dir.cleanup()

        def test_parse_synthetic_region(self):
                telemetry = bytes(range(40))
                rec = make_record(telemetry=telemetry, epoch=7, seq=3)
                with open(self.path, "wb") as handle:
                        handle.write(make_uplink(state=2, commits=3, dormancies=4, rec=rec,
                                                 tag=0x0123456789ABCDEF, telemetry=telemetry, epoch=7))
                self.assertEqual(os.path.getsize(self.path), 1 << 20)
                snap = uplink.read_uplink(self.path)
                self.assertTrue(snap.magic_ok)
                self.assertEqual(snap.state, uplink.STATE_RUNNING)
                self.assertEqual(snap.state_name, "running")
                self.assertEqual((snap.commit_count, snap.dormant_count, snap.boot_epoch), (3, 4, 7))
                self.assertEqual(snap.tag, 0x0123456789ABCDEF)
                self.assertEqual((snap.tag_lo, snap.tag_hi), (0x89ABCDEF, 0x01234567))
                self.assertEqual(snap.record, rec)
                self.assertEqual(snap.telemetry, telemetry)
                self.assertEqual(snap.record_len, 152)
                self.assertEqual((snap.dropped_wakes, snap.rejected_frames, snap.device_id), (0, 0, DEV_ID))

        def test_zero_file_is_booting(self):
                with open(self.path, "wb") as handle:
                        handle.truncate(1 << 20)
                snap = uplink.read_uplink(self.path)
                self.assertFalse(snap.magic_ok)
                self.assertEqual(snap.state, uplink.STATE_BOOTING)

        def test_missing_or_short_file(self):
                self.assertIsNone(uplink.read_uplink(self.path))
                with open(self.path, "wb") as handle:
                        handle.write(b"AETHUPL1")
                self.assertIsNone(uplink.read_uplink(self.path))
                with self.assertRaises(ValueError):
                        uplink.parse_uplink(bytes(0x1FF))

        def test_telemetry_length_clamped(self):
                region = make_uplink(telemetry=b"\xaa" * 256)
                struct.pack_into("<I", region, 0x24, 0xFFFFFFFF)
                snap = uplink.parse_uplink(region)
                self.assertEqual(snap.telemetry_len, 0xFFFFFFFF)
                self.assertEqual(len(snap.telemetry), 256)

        def test_wrong_magic(self):
                self.assertFalse(uplink.parse_uplink(make_uplink(magic=b"AETHUPL2")).magic_ok)


class RecordTest(unittest.TestCase):
        def test_fields(self):
                rec = record.parse_record(make_record(vector=0x21, outcome=0, epoch=9, seq=4, status=-5,
                                                      dose=-1, telemetry=b"xy",
                                                      uplink_words=(1, 2)))
                self.assertEqual((rec.magic, rec.version, rec.vector), (b"AEPR", 2, 0x21))
                self.assertEqual((rec.device_id, rec.dropped_wakes, rec.rejected_frames, rec.boot_flags),
                                 (DEV_ID, 0, 0, 1))
                self.assertEqual(record.device_id(DEV_KEY).hex(), "4fe0f94cd4c6d74097657433fe3813bd")
                self.assertEqual((rec.epoch, rec.seq, rec.status, rec.dose), (9, 4, -5, -1))
                self.assertEqual((rec.telemetry_len, rec.uplink_lo, rec.uplink_hi), (2, 1, 2))
                self.assertEqual(rec.telemetry_sha256, hashlib.sha256(b"xy").digest())
                self.assertEqual(record.record_problems(rec), [])

        def test_problems(self):
                cases = {
                        "bad record magic": make_record()[:3] + b"X" + make_record()[4:],
                        "status 3 with a fault outcome": make_record(outcome=8),
                        "outcome 11 outside the fault enum": make_record(outcome=11, status=0),
                        "vector 0x22 is not 0x20/0x21": make_record(vector=0x22),
                        "zero epoch/seq": make_record(seq=0),
                        "boot flags 0x4": make_record(flags=4),
                        "boot flags 0x8": make_record(flags=8),
                        "boot flags 0x80": make_record(flags=0x80),
                        "boot flags 0x11": make_record(flags=0x11),
                        "boot flags 0x50": make_record(flags=0x50),
                }
                for problem, data in cases.items():
                        with self.subTest(problem=problem):
                                self.assertIn(problem, record.record_problems(record.parse_record(data)))
                for flags in (0, 0x2, 0xb, 0x16, 0x6e):  # ARCHITECTURE.md 7.4 allows these
                        with self.subTest(flags=flags):
                                self.assertEqual(record.record_problems(record.parse_record(make_record(flags=flags))), [])
                with self.assertRaises(ValueError):
                        record.parse_record(bytes(111))

        def test_fault_names_follow_enum(self):
                self.assertEqual(record.fault_name(0), "ok")
                self.assertEqual(record.fault_name(8), "watchdog")
                self.assertEqual(record.fault_name(9), "host_call")
                self.assertEqual(record.fault_name(10), "isolation")
                self.assertEqual(record.fault_name(11), "unknown(11)")

        def test_f32_report_value(self):
                self.assertEqual(record.f32_value(0x3DF5C28F), 0.12)
                self.assertEqual(record.f32_value(record.f32_bits(-3.5)), -3.5)
                self.assertEqual(record.f32_value(record.f32_bits(1e-7)), 1e-7)


class KeyFileTest(unittest.TestCase):
        KEY = "000102030405060708090a0b0c0d0e0f"

        def test_valid(self):
                for text in (self.KEY, self.KEY + "\n", self.KEY.upper() + "\r\n",
                             "# development key\n# never in the field\n" + self.KEY + "\n"):
                        with self.subTest(text=text):
                                self.assertEqual(record.parse_key_text(text), DEV_KEY)

        def test_malformed(self):
                cases = {
                        "": "line 1: missing key",
                        "# only a comment\n": "line 2: missing key",
                        self.KEY[:31] + "\n": "line 1: 31 hex digits, expected 32",
                        self.KEY + "0\n": "line 1: 33 hex digits, expected 32",
                        "# c\n" + self.KEY[:5] + "g" + self.KEY[6:]: "line 2, column 6: not a hexadecimal",
                        self.KEY + "\n\n": "line 2: trailing data",
                        self.KEY + "\nff\n": "line 2: trailing data",
                        self.KEY + " \n": "line 1, column 33",
                        self.KEY + "\r": "line 1, column 33",
                        "\n" + self.KEY + "\n": "line 1: missing key",
                }
                for text, message in cases.items():
                        with self.subTest(text=text):
                                with self.assertRaises(record.KeyFileError) as caught:
                                        record.parse_key_text(text)
                                self.assertIn(message, str(caught.exception))
                                self.assertNotIn("0a0b0c", str(caught.exception))

        def test_load_reports_file(self):
                with tempfile.TemporaryDirectory() as directory:
                        path = os.path.join(directory, "bad.key")
                        with open(path, "w") as handle:
                                handle.write("zz\n")
                        with self.assertRaises(record.KeyFileError) as caught:
                                record.load_key(path)
                        self.assertIn("bad.key: line 1, column 1", str(caught.exception))
                        with self.assertRaises(record.KeyFileError):
                                record.load_key(os.path.join(directory, "missing.key"))


class WakeArgumentTest(unittest.TestCase):
        def parse_error(self, argv):
                stderr = io.StringIO()
                with contextlib.redirect_stderr(stderr), self.assertRaises(SystemExit) as caught:
                        run.parse_args(argv)
                self.assertEqual(caught.exception.code, 2)
                return stderr.getvalue()

        def test_valid(self):
                args = run.parse_args(["--wake", "0x20:pressure=0.12,dose=1250",
                                       "--wake", "33:dose=-7,pressure=-3.5"])
                first, second = args.wake
                self.assertEqual(first, run.WakeRequest(0x20, 0.12, 0x3DF5C28F, 1250))
                self.assertEqual((second.vector, second.pressure, second.dose), (0x21, -3.5, -7))
                self.assertEqual(run.parse_args([]).wake, [])

        def test_bad_frames_keep_their_place(self):
                args = run.parse_args(["--bad-frame", "0x21", "--wake", "0x20:pressure=1,dose=2",
                                       "--bad-frame", "32", "--bad-frame", "0x21"])
                self.assertEqual(args.bad_frames, [(0, 0x21), (1, 0x20), (1, 0x21)])
                self.assertIn("--bad-frame needs --wake", self.parse_error(["--bad-frame", "0x20"]))
                self.assertIn("no wake line", self.parse_error(["--wake", "0x20:pressure=1,dose=2",
                                                                 "--bad-frame", "0x22"]))

        def test_vector_0x22_rejected(self):
                message = self.parse_error(["--wake", "0x22:pressure=0.12,dose=1250"])
                self.assertIn("argument --wake", message)
                self.assertIn("vector 0x22 has no wake line", message)

        def test_other_errors(self):
                cases = {
                        "0x20": "expected VEC:pressure=P,dose=D",
                        "zz:pressure=1,dose=1": "bad vector",
                        "0x20:pressure=1": "missing dose",
                        "0x20:dose=1": "missing pressure",
                        "0x20:pressure=1,dose=1,dose=2": "dose given twice",
                        "0x20:pressure=1,dose=1,speed=2": "is not pressure=P or dose=D",
                        "0x20:pressure=abc,dose=1": "is not a 32-bit float",
                        "0x20:pressure=1e39,dose=1": "is not a 32-bit float",
                        "0x20:pressure=1,dose=1.5": "is not an integer",
                        "0x20:pressure=1,dose=2147483648": "does not fit an i32",
                }
                for text, expected in cases.items():
                        with self.subTest(text=text):
                                self.assertIn(expected, self.parse_error(["--wake", text]))


class FakeProcess:
        returncode = None


class FakeMachine:
        """Stands in for QEMU + enclave: answers wake frames by committing to an uplink file."""

        def __init__(self, directory, tamper=None):
                self.uplink_path = os.path.join(directory, "uplink")
                self.debugcon_log = os.path.join(directory, "debugcon.log")
                self.options = machine.MachineOptions()  # with isa-debug-exit, as the stock board
                self.process = FakeProcess()
                self.tamper = tamper or {}
                self.seq = 0
                self.rejected = 0
                self.region = make_uplink(state=1, commits=0, dormancies=1)
                self.flush()

        def flush(self):
                with open(self.uplink_path, "wb") as handle:
                        handle.write(self.region)

        def alive(self):
                return self.process.returncode is None

        def send(self, vector, data):
                if data[1] == ord("Q"):
                        struct.pack_into("<I", self.region, 0x0C, uplink.STATE_HALTED)
                        self.process.returncode = 33
                        self.flush()
                        return
                if data[11] != crc8_bitwise(data[1:11]):
                        self.rejected += 1 - self.tamper.get("ignore_bad_frames", 0)
                        struct.pack_into("<Q", self.region, 0x250, self.rejected)
                        self.flush()
                        return
                self.assertFrame(data)
                pressure_bits, dose = struct.unpack_from("<Ii", data, 3)
                self.seq += 1
                seq = self.seq + self.tamper.get("seq_offset", 0)
                telemetry = b"T%d" % seq
                rec = make_record(vector=vector, seq=seq, pressure_bits=pressure_bits,
                                  dose=dose + self.tamper.get("dose_offset", 0), telemetry=telemetry,
                                  rejected=self.rejected, flags=self.tamper.get("flags", 1))
                tag = siphash.siphash24(DEV_KEY, rec) ^ self.tamper.get("tag_xor", 0)
                commits = self.seq + self.tamper.get("extra_commits", 0)
                region = make_uplink(state=1, commits=commits, dormancies=self.seq + 1, rec=rec,
                                     tag=tag, telemetry=telemetry, rejected=self.rejected)
                self.region[:0x268] = region[:0x268]
                self.flush()

        @staticmethod
        def assertFrame(data):
                assert data[0] == 0xA5 and data[1] == ord("W") and data[2] == 8 and len(data) == 12
                assert data[11] == crc8_bitwise(data[1:11])

        def wait_exit(self, deadline):
                if self.process.returncode is None:
                        raise TimeoutError("waiting for QEMU to exit")
                return self.process.returncode

        def connect_lines(self, deadline):
                pass

        killed = False
        refusal = None

        def close(self, keep_ram=None):
                pass


class WakeLoopTest(unittest.TestCase):
        WAKES = ["--wake", "0x20:pressure=0.12,dose=1250", "--wake", "0x21:pressure=-3.5,dose=-7"]

        def run_harness(self, tamper=None, timeout=5, extra=(), wakes=None):
                directory = tempfile.TemporaryDirectory()
                self.addCleanup(directory.cleanup)
                job = run.Run(run.parse_args((wakes or self.WAKES) + ["--timeout", str(timeout)] + list(extra)))
                job.key = DEV_KEY
                job.machine = FakeMachine(directory.name, tamper)
                with contextlib.redirect_stdout(io.StringIO()):
                        job.harness()
                return job

        def test_good_run(self):
                job = self.run_harness()
                self.assertEqual(job.problems, [])
                self.assertEqual(job.report["exit_code"], 33)
                self.assertEqual(job.report["epoch"], 1)
                wakes = job.report["wakes"]
                self.assertEqual([w["seq"] for w in wakes], [1, 2])
                self.assertEqual([w["vector"] for w in wakes], ["0x20", "0x21"])
                self.assertEqual(wakes[0]["pressure"], 0.12)
                self.assertEqual(wakes[1]["dose"], -7)
                self.assertTrue(all(w["proof_verified"] for w in wakes))
                self.assertEqual(wakes[0]["telemetry"], b"T1".hex())
                self.assertEqual(len(wakes[0]["record"]), 304)
                self.assertEqual(wakes[0]["device_id"], DEV_ID.hex())
                self.assertEqual((wakes[1]["dropped_wakes"], wakes[1]["rejected_frames"], wakes[1]["boot_flags"]),
                                 (0, 0, 1))
                self.assertEqual(job.report["rejected_frames"], 0)
                self.assertEqual(int(wakes[0]["proof"], 16),
                                 siphash.siphash24(DEV_KEY, bytes.fromhex(wakes[0]["record"])))

        def test_bad_frames_counted(self):
                wakes = ["--bad-frame", "0x21", self.WAKES[0], self.WAKES[1], "--bad-frame", "0x20", self.WAKES[2],
                         self.WAKES[3], "--bad-frame", "0x21"]
                job = self.run_harness(wakes=wakes)
                self.assertEqual(job.problems, [])
                self.assertEqual([w["rejected_frames"] for w in job.report["wakes"]], [1, 2])
                self.assertEqual(job.report["rejected_frames"], 3)

        def test_bad_frame_not_counted_times_out(self):
                with self.assertRaisesRegex(run.StepTimeout, "waiting for bad frame 1 to be rejected"):
                        self.run_harness({"ignore_bad_frames": 1}, timeout=0.3, extra=["--bad-frame", "0x20"])

        def test_proof_stream_and_uplink_kept(self):
                stream = os.path.join(tempfile.gettempdir(), "aether-test-%d.aepr" % os.getpid())
                dump = stream + ".uplink"
                self.addCleanup(lambda: [os.unlink(p) for p in (stream, dump) if os.path.exists(p)])
                job = self.run_harness(extra=["--proof-stream", stream, "--keep-uplink", dump])
                job.close()
                with open(stream, "rb") as handle:
                        data = handle.read()
                self.assertEqual(len(data), 2 * (152 + 8))
                for i, wake in enumerate(job.report["wakes"]):
                        entry = data[i * 160:(i + 1) * 160]
                        self.assertEqual(entry[:152].hex(), wake["record"])
                        self.assertEqual(struct.unpack("<Q", entry[152:])[0], int(wake["proof"], 16))
                with open(dump, "rb") as handle:
                        self.assertEqual(uplink.parse_uplink(handle.read()).commit_count, 2)

        def test_secure_boot_flags_checked(self):
                secure = record.BOOT_FLAG_SECURE_BOOT_KNOWN | record.BOOT_FLAG_SECURE_BOOT_ON
                job = self.run_harness({"flags": 1 | secure}, extra=["--secure-boot"])
                self.assertEqual(job.problems, [])
                for flags in (1, 1 | record.BOOT_FLAG_SECURE_BOOT_KNOWN,
                              1 | secure | record.BOOT_FLAG_SETUP_MODE):
                        with self.subTest(flags=flags):
                                job = self.run_harness({"flags": flags}, extra=["--secure-boot"])
                                self.assertIn("wake 1: boot flags 0x%x under --secure-boot: want secure-boot-known "
                                              "and secure-boot-on, without setup-mode" % flags, job.problems)

        def test_firmware_refusal_named(self):
                line = 'BdsDxe: failed to load Boot0001 "UEFI QEMU HARDDISK QM00001 " from X: Access Denied'
                directory = tempfile.TemporaryDirectory()
                self.addCleanup(directory.cleanup)
                job = run.Run(run.parse_args(self.WAKES + ["--secure-boot"]))
                job.machine = FakeMachine(directory.name)
                job.machine.refusal = line
                job.machine.process.returncode = -15  # the machine stopped QEMU
                for wait in (lambda: job.wait_uplink("waiting for dormancy", lambda snapshot: False),
                             lambda: job.wait_exit("waiting for QEMU to exit (bench mode)")):
                        with self.assertRaisesRegex(run.FirmwareRefused, "the firmware refused the image "
                                                    r"\(Secure Boot\): " + re.escape(line)):
                                wait()
                self.assertEqual(job.report["firmware_refusal"], line)

                class Refused(run.Run):
                        def execute(self, workdir):
                                self.report["firmware_refusal"] = line
                                raise run.FirmwareRefused("the firmware refused the image (Secure Boot): " + line)

                report = os.path.join(directory.name, "report.json")
                with contextlib.redirect_stdout(io.StringIO()) as out:
                        status = run.main(["--secure-boot", "--report", report], make_run=Refused)
                self.assertEqual(status, run.EXIT_REFUSED)
                self.assertIn("aether-run: REFUSED: the firmware refused the image (Secure Boot): " + line,
                              out.getvalue())
                with open(report) as handle:
                        self.assertEqual(json.load(handle)["firmware_refusal"], line)

        def test_bad_tag_fails(self):
                job = self.run_harness({"tag_xor": 1 << 40})
                self.assertFalse(job.report["wakes"][0]["proof_verified"])
                self.assertTrue(any("proof mismatch" in p for p in job.problems))

        def test_wrong_key_fails(self):
                directory = tempfile.TemporaryDirectory()
                self.addCleanup(directory.cleanup)
                job = run.Run(run.parse_args(self.WAKES))
                job.key = bytes(16)
                job.machine = FakeMachine(directory.name)
                with contextlib.redirect_stdout(io.StringIO()):
                        job.harness()
                self.assertFalse(any(w["proof_verified"] for w in job.report["wakes"]))

        def test_sensor_mismatch_fails(self):
                job = self.run_harness({"dose_offset": 1})
                self.assertIn("wake 1: dose 1251, sent 1250", job.problems)

        def test_sequence_gap_fails(self):
                job = self.run_harness({"seq_offset": 1})
                self.assertIn("wake 1: sequence number 2, expected 1", job.problems)

        def test_extra_commit_is_fatal(self):
                with self.assertRaisesRegex(run.RunFailure, "lost/extra commit"):
                        self.run_harness({"extra_commits": 1})

        def test_no_commit_times_out(self):
                started = time.monotonic()
                with self.assertRaisesRegex(run.StepTimeout, "waiting for the commit of wake 1"):
                        self.run_harness({"extra_commits": -1}, timeout=0.3)
                self.assertLess(time.monotonic() - started, 3)


if __name__ == "__main__":
        unittest.main()
