# SPDX-License-Identifier: AGPL-3.0-or-later
# ground.py: a second ground-station verifier, written from ARCHITECTURE.md 7.6 alone; it must agree with aether-verify.
"""python3 -m aether_harness.ground: the same command line, output and exit status as
build/aether-verify, implemented again in Python from the specification (no code shared
with the C). The test suite runs both on the same inputs and compares them."""

import hashlib
import json
import os
import re
import struct
import sys

from . import record, siphash

PROGRAM = "aether-verify"
WINDOW_DEFAULT = 64
WINDOW_MAX = 65536
INPUT_MAX = 64 << 20
KEY_FILE_MAX = 4096
KEYRING_MAX = 1 << 20
STATE_MAX = 64 << 20
JSON_DEPTH_MAX = 64
STATE_HEADER = b"aether-verify state 2\n"
HEX = re.compile(r"[0-9a-fA-F]*\Z")
LOWER_HEX = re.compile(r"[0-9a-f]*\Z")
COUNTER = re.compile(rb"[1-9][0-9]*\Z")
TORN = "torn dump: taken during a commit"

# The wake members read, in the order of their checks (after "record" and "proof").
COPIES = ("device_id", "epoch", "seq", "vector", "outcome", "status", "pressure_bits", "pressure",
          "dose", "uplink_lo", "uplink_hi", "payload_sha256", "dropped_wakes", "rejected_frames",
          "boot_flags")


class InputError(Exception):
        """The run stops with status 2."""


def is_hex(text, digits=None):
        return isinstance(text, str) and HEX.match(text) is not None and (
                len(text) % 2 == 0 if digits is None else len(text) == digits)


# ---- records ------------------------------------------------------------------------

def record_reason(data):
        """Rules 1-4 for record bytes: (None, fields) or (reason, None)."""
        if len(data) < 6 or data[:4] != b"AEPR":
                return "malformed record", None
        (version,) = struct.unpack_from("<H", data, 4)
        if version == 1:
                return "obsolete version 1", None
        if version != 2:
                return "unknown version %d" % version, None
        if len(data) != record.RECORD_SIZE:
                return "malformed record: length %d" % len(data), None
        rec = record.parse_record(data)
        if rec.outcome >= len(record.FAULT_NAMES):
                return "malformed record: outcome", None
        if rec.vector not in (0x20, 0x21):
                return "malformed record: vector", None
        if rec.telemetry_len > 256:
                return "malformed record: telemetry length", None
        if rec.outcome != 0 and rec.status != 0:
                return "malformed record: status with a fault", None
        if rec.epoch == 0 or rec.seq == 0:
                return "malformed record: zero epoch/seq", None
        if record.boot_flags_problem(rec.boot_flags):
                return "malformed record: boot flags", None
        return None, rec


def json_text(value):
        """JSON as 7.6.8 writes it: no spaces; in strings only '"', '\\' and control characters escaped."""
        if value is None:
                return "null"
        if isinstance(value, int):
                return str(value)
        if isinstance(value, str):
                return '"' + "".join("\\" + c if c in '"\\' else "\\u%04x" % ord(c) if ord(c) < 0x20 else c
                                     for c in value) + '"'
        if isinstance(value, list):
                return "[" + ",".join(json_text(v) for v in value) + "]"
        return "{" + ",".join(json_text(k) + ":" + json_text(v) for k, v in value.items()) + "}"


def flag_names(flags):
        names = [name for bit, name in record.BOOT_FLAG_NAMES if flags & bit]
        return ",".join(names) if names else "none"


# ---- JSON ---------------------------------------------------------------------------

class Number:
        """A JSON number as written."""

        def __init__(self, text):
                self.text = text
                self.is_int = not any(c in text for c in ".eE")


class Pairs(list):
        """A JSON object as its members in order (a name may repeat)."""


def depth_ok(value, depth=0):
        if depth > JSON_DEPTH_MAX:
                return False
        if isinstance(value, Pairs):
                return all(depth_ok(v, depth + 1) for _, v in value)
        if isinstance(value, list):
                return all(depth_ok(v, depth + 1) for v in value)
        return True


def _refuse_constant(name):
        raise ValueError("not JSON: " + name)


def parse_json(data):
        text = data.decode("utf-8", errors="surrogateescape")
        try:
                value = json.loads(text, object_pairs_hook=Pairs, parse_float=Number, parse_int=Number,
                                   parse_constant=_refuse_constant)
        except (ValueError, RecursionError):
                return None, False
        if not depth_ok(value):
                return None, False
        return value, True


def members(pairs, name):
        return [value for key, value in pairs if key == name]


def integer_equal(value, field):
        return isinstance(value, Number) and value.is_int and int(value.text) == field


def f32_bits_rounded(value):
        """binary64 value to binary32 bits, round to nearest even, overflow to infinity."""
        try:
                return struct.unpack("<I", struct.pack("<f", value))[0]
        except OverflowError:
                return 0x7F800000 if value > 0 else 0xFF800000


def pressure_equal(value, bits):
        is_nan = bits & 0x7F800000 == 0x7F800000 and bits & 0x7FFFFF != 0
        if isinstance(value, str):
                return (value == "nan" and is_nan) or (value == "inf" and bits == 0x7F800000) or \
                        (value == "-inf" and bits == 0xFF800000)
        if not isinstance(value, Number):
                return False
        return f32_bits_rounded(float(value.text)) == bits


def hex_number_equal(value, digits, field):
        return isinstance(value, str) and len(value) == 2 + digits and value[:2] == "0x" and \
                is_hex(value[2:], digits) and int(value[2:], 16) == field


def hex_bytes_equal(value, field):
        return isinstance(value, str) and is_hex(value, 2 * len(field)) and bytes.fromhex(value) == field


def copy_equal(name, value, rec):
        if name == "device_id":
                return hex_bytes_equal(value, rec.device_id)
        if name == "payload_sha256":
                return hex_bytes_equal(value, rec.payload_sha256)
        if name == "vector":
                return hex_number_equal(value, 2, rec.vector)
        if name == "pressure_bits":
                return hex_number_equal(value, 8, rec.pressure_bits)
        if name == "outcome":
                return value == record.FAULT_NAMES[rec.outcome]
        if name == "pressure":
                return pressure_equal(value, rec.pressure_bits)
        return integer_equal(value, getattr(rec, name))


# ---- keyring and state -----------------------------------------------------------------

def parse_keyring(data):
        """{device id: key}; raises ValueError("line N: problem")."""
        devices, first_line = {}, {}
        lines = data.split(b"\n")
        problem = None
        for number, line in enumerate(lines, 1):
                if line.endswith(b"\r"):
                        line = line[:-1]
                words = line.replace(b"\t", b" ").split(b" ")
                words = [w for w in words if w]
                if not words or words[0].startswith(b"#"):
                        continue
                text = [w.decode("latin-1") for w in words]
                if not is_hex(text[0], 32):
                        problem = (number, "expected a device ID of 32 hexadecimal digits")
                elif len(text) < 2 or not is_hex(text[1], 32):
                        problem = (number, "expected a key of 32 hexadecimal digits after the device ID")
                elif len(text) > 2 and not text[2].startswith("#"):
                        problem = (number, "unexpected text after the key")
                elif record.device_id(bytes.fromhex(text[1])) != bytes.fromhex(text[0]):
                        problem = (number, "the device ID is not the one derived from the key")
                if problem:
                        break
                device = bytes.fromhex(text[0])
                if device in devices:
                        raise ValueError("line %d: device listed twice (first on line %d)"
                                         % (number, first_line[device]))
                devices[device] = bytes.fromhex(text[1])
                first_line[device] = number
        if problem:
                raise ValueError("line %d: %s" % problem)
        if not devices:
                raise ValueError("no device in the keyring")
        return devices


class Window:
        def __init__(self, epoch, top, gaps=()):
                self.epoch, self.top, self.gaps = epoch, top, [list(g) for g in gaps]


def parse_state(data):
        if not data.startswith(STATE_HEADER):
                if re.fullmatch(rb"[1-9][0-9]* [1-9][0-9]*\n", data):
                        raise ValueError('line 1: a version 1 state file ("epoch seq") names no device: '
                                         "start a new state file")
                raise ValueError('line 1: expected "aether-verify state 2"')
        windows, previous = {}, None
        body = data[len(STATE_HEADER):]
        number = 1
        while body:
                number += 1
                line, newline, body = body.partition(b"\n")
                if not newline:
                        raise ValueError("line %d: the last line has no newline" % number)
                words = line.split(b" ")
                device_text = words[0].decode("latin-1")
                if not LOWER_HEX.match(device_text) or len(device_text) != 32:
                        raise ValueError("line %d: expected a device ID" % number)
                device = bytes.fromhex(device_text)
                if previous is not None and device <= previous:
                        raise ValueError("line %d: devices must be in ascending order" % number)
                previous = device
                counters = words[1:3]
                if len(counters) < 2 or not all(COUNTER.match(c) and int(c) < 1 << 64 for c in counters):
                        raise ValueError("line %d: expected an epoch and a sequence number" % number)
                epoch, top = int(counters[0]), int(counters[1])
                gaps, floor = [], 1
                for word in words[3:]:
                        first_text, dots, last_text = word.partition(b"..")
                        parts = [first_text] + ([last_text] if dots else [])
                        if not all(COUNTER.match(p) and int(p) < 1 << 64 for p in parts):
                                raise ValueError("line %d: expected a gap" % number)
                        first, last = int(parts[0]), int(parts[-1])
                        if first < floor or last < first + bool(dots) or last >= top:
                                raise ValueError("line %d: gaps out of order" % number)
                        gaps.append((first, last))
                        floor = last + 2
                windows[device] = Window(epoch, top, gaps)
        return windows


def format_state(windows):
        lines = [STATE_HEADER.decode()]
        for device in sorted(windows):
                w = windows[device]
                gaps = "".join(" %d" % a if a == b else " %d..%d" % (a, b) for a, b in w.gaps)
                lines.append("%s %d %d%s\n" % (device.hex(), w.epoch, w.top, gaps))
        return "".join(lines).encode()


# ---- the verifier ---------------------------------------------------------------------

class Verifier:
        def __init__(self, keyring, windows, window, payloads, json_output, out):
                self.keyring, self.windows, self.window = keyring, windows, window
                self.payloads, self.json, self.out = payloads, json_output, out
                self.valid = self.invalid = self.missing_records = self.missing_boots = 0
                self.pending = []

        # -- missing ----------------------------------------------------------------------

        def seqs_missing(self, device, epoch, first, last):
                self.pending.append({"device": device, "epoch": epoch, "first_seq": first, "last_seq": last})
                self.missing_records = min(self.missing_records + last - first + 1, (1 << 64) - 1)

        def gaps_through(self, device, w, limit):
                while w.gaps and w.gaps[0][1] <= limit:
                        first, last = w.gaps.pop(0)
                        self.seqs_missing(device, w.epoch, first, last)

        def slide(self, device, w):
                if w.top > self.window:
                        self.gaps_through(device, w, w.top - self.window)

        # -- one record -------------------------------------------------------------------

        def window_verdict(self, rec):
                """None (accept, done), or the reason it is refused."""
                device, epoch, seq = rec.device_id, rec.epoch, rec.seq
                w = self.windows.get(device)
                if w is None:
                        self.windows[device] = Window(epoch, seq)
                        return None
                if epoch < w.epoch:
                        return "epoch went back"
                if epoch > w.epoch:
                        self.gaps_through(device, w, float("inf"))
                        if epoch > w.epoch + 1:
                                self.pending.append({"device": device, "first_epoch": w.epoch + 1,
                                                     "last_epoch": epoch - 1})
                                self.missing_boots = min(self.missing_boots + epoch - w.epoch - 1, (1 << 64) - 1)
                        w.epoch, w.top, w.gaps = epoch, seq, ([[1, seq - 1]] if seq > 1 else [])
                        self.slide(device, w)
                        return None
                if seq > w.top:
                        if seq > w.top + 1:
                                w.gaps.append([w.top + 1, seq - 1])
                        w.top = seq
                        self.slide(device, w)
                        return None
                if w.top >= self.window and seq <= w.top - self.window:
                        return "replay"
                for i, (first, last) in enumerate(w.gaps):
                        if first <= seq <= last:
                                pieces = ([[first, seq - 1]] if seq > first else []) + \
                                         ([[seq + 1, last]] if seq < last else [])
                                w.gaps[i:i + 1] = pieces
                                return None
                return "replay"

        def judge(self, name, index, data, tag, side=None, torn=False):
                reason, rec = record_reason(data)
                authentic = False
                if reason is None:
                        key = self.keyring.get(rec.device_id)
                        if key is None:
                                reason = "unknown device " + rec.device_id.hex()
                        elif siphash.siphash24(key, data) != tag:
                                reason = "bad tag"
                        else:
                                reason = side(rec) if side else None
                                authentic = reason is None
                if not authentic and torn:
                        reason = TORN
                elif authentic and self.payloads and rec.payload_sha256 not in self.payloads:
                        reason = "unexpected payload " + rec.payload_sha256[:6].hex()
                elif authentic:
                        reason = self.window_verdict(rec)
                if reason is None:
                        self.valid += 1
                        self.emit(name, index, "valid", None, rec, tag)
                else:
                        self.invalid += 1
                        self.emit(name, index, "invalid", reason)

        def reject(self, name, index, reason):
                self.invalid += 1
                self.emit(name, index, "invalid", reason)

        # -- output -----------------------------------------------------------------------

        def missing_text(self, m):
                def span(a, b):
                        return "%d" % a if a == b else "%d..%d" % (a, b)
                if "first_epoch" in m:
                        what = span(m["first_epoch"], m["last_epoch"])
                else:
                        what = "%d seq %s" % (m["epoch"], span(m["first_seq"], m["last_seq"]))
                return "missing: epoch %s (device %s)\n" % (what, m["device"].hex())

        def missing_json(self):
                return [dict(m, device=m["device"].hex()) for m in self.pending]

        def emit(self, name, index, verdict, reason, rec=None, tag=None):
                if self.json:
                        obj = {"input": name, "index": index, "verdict": verdict, "reason": reason}
                        fields = ("device", "epoch", "seq", "vector", "outcome", "status", "pressure_bits",
                                  "dose", "uplink_lo", "uplink_hi", "telemetry_len", "telemetry_sha256",
                                  "dropped_wakes", "rejected_frames", "boot_flags", "payload", "proof")
                        obj.update((f, None) for f in fields)
                        if rec is not None:
                                obj.update(device=rec.device_id.hex(), epoch=rec.epoch, seq=rec.seq,
                                           vector="0x%02x" % rec.vector, outcome=record.FAULT_NAMES[rec.outcome],
                                           status=rec.status, pressure_bits="0x%08x" % rec.pressure_bits,
                                           dose=rec.dose, uplink_lo=rec.uplink_lo, uplink_hi=rec.uplink_hi,
                                           telemetry_len=rec.telemetry_len,
                                           telemetry_sha256=rec.telemetry_sha256.hex(),
                                           dropped_wakes=rec.dropped_wakes, rejected_frames=rec.rejected_frames,
                                           boot_flags=rec.boot_flags, payload=rec.payload_sha256.hex(),
                                           proof="0x%016x" % tag)
                        obj["missing"] = self.missing_json()
                        self.out.append(json_text(obj) + "\n")
                else:
                        if verdict == "valid":
                                line = ("%s#%d: valid device=%s epoch=%d seq=%d vector=0x%02x outcome=%s status=%d "
                                        "dropped=%d rejected=%d flags=%s payload=%s proof=0x%016x\n"
                                        % (name, index, rec.device_id.hex(), rec.epoch, rec.seq, rec.vector,
                                           record.FAULT_NAMES[rec.outcome], rec.status, rec.dropped_wakes,
                                           rec.rejected_frames, flag_names(rec.boot_flags),
                                           rec.payload_sha256[:6].hex(), tag))
                        elif verdict == "invalid":
                                line = "%s#%d: INVALID (%s)\n" % (name, index, reason)
                        else:
                                line = "%s#%d: %s\n" % (name, index, reason)
                        self.out.append(line + "".join(self.missing_text(m) for m in self.pending))
                self.pending = []

        # -- inputs -----------------------------------------------------------------------

        def dump(self, name, data):
                if len(data) < 0x268:
                        return self.reject(name, 0, "malformed dump: truncated")
                (layout, state, commits, lo, hi, record_len, telemetry_len, boot_epoch) = \
                        struct.unpack_from("<IIQIIIIQ", data, 8)
                if layout != 2:
                        return self.reject(name, 0, "%s uplink layout %d" % ("obsolete" if layout == 1 else "unknown",
                                                                              layout))
                if commits == 0:
                        return self.emit(name, 0, "none", "no commit yet")
                if record_len != record.RECORD_SIZE:
                        return self.reject(name, 0, "malformed dump: RECORD_LEN %d" % record_len)

                def side(rec):
                        area = data[0x100:0x200]
                        if telemetry_len > 256 or hashlib.sha256(area[:telemetry_len]).digest() != \
                                        rec.telemetry_sha256 or any(area[telemetry_len:]):
                                return "telemetry does not match the record"
                        if data[0x258:0x268] != rec.device_id:
                                return "DEVICE_ID does not match the record"
                        if boot_epoch != rec.epoch:
                                return "BOOT_EPOCH does not match the record"
                        if commits != rec.seq:
                                return "COMMIT_COUNT does not match the record"
                        return None
                self.judge(name, 0, data[0x40:0x40 + record.RECORD_SIZE], lo | hi << 32, side, torn=state == 2)

        def stream(self, name, data):
                offset, index = 0, 0
                while offset < len(data):
                        left = data[offset:]
                        if len(left) < 6:
                                return self.reject(name, index, "malformed stream: truncated entry")
                        if left[:4] != b"AEPR":
                                return self.reject(name, index, "malformed stream: no record at byte %d" % offset)
                        (version,) = struct.unpack_from("<H", left, 4)
                        size = {1: record.RECORD_V1_SIZE, 2: record.RECORD_SIZE}.get(version)
                        if size is None:
                                return self.reject(name, index, "unknown version %d, rest of stream skipped" % version)
                        if len(left) < size + 8:
                                return self.reject(name, index, "malformed stream: truncated entry")
                        (tag,) = struct.unpack_from("<Q", left, size)
                        self.judge(name, index, left[:size], tag)
                        offset += size + 8
                        index += 1

        def report(self, name, data):
                value, ok = parse_json(data)
                if not ok:
                        raise InputError("%s: not valid JSON" % name)
                shape = "%s: a harness report is an object with one \"wakes\" array and at most one \"epoch\"" % name
                if not isinstance(value, Pairs):
                        raise InputError(shape)
                wakes, epochs = members(value, "wakes"), members(value, "epoch")
                if len(wakes) != 1 or type(wakes[0]) is not list or len(epochs) > 1:
                        raise InputError(shape)
                report_epoch = epochs[0] if epochs else None
                for index, wake in enumerate(wakes[0]):
                        self.wake(name, index, wake, report_epoch)

        def wake(self, name, index, wake, report_epoch):
                if not isinstance(wake, Pairs):
                        return self.reject(name, index, "malformed wake: not an object")
                found = {key: members(wake, key) for key in ("record", "proof", "telemetry") + COPIES}
                if len(found["record"]) != 1 or len(found["proof"]) != 1:
                        return self.reject(name, index, 'malformed wake: needs exactly one "record" and one "proof"')
                for key in ("telemetry",) + COPIES:
                        if len(found[key]) > 1:
                                return self.reject(name, index, 'malformed wake: "%s" given twice' % key)
                record_hex, proof = found["record"][0], found["proof"][0]
                if not is_hex(record_hex):
                        return self.reject(name, index, 'malformed record: "record" is not hexadecimal')
                if not (isinstance(proof, str) and len(proof) == 18 and proof[:2] == "0x" and is_hex(proof[2:], 16)):
                        return self.reject(name, index, 'malformed proof: "proof" is not 0x and 16 hexadecimal digits')

                def side(rec):
                        if found["telemetry"]:
                                telemetry = found["telemetry"][0]
                                if not is_hex(telemetry) or \
                                                hashlib.sha256(bytes.fromhex(telemetry)).digest() != rec.telemetry_sha256:
                                        return "telemetry does not match the record"
                        for key in COPIES:
                                if found[key] and not copy_equal(key, found[key][0], rec):
                                        return "%s does not match the record" % key
                        if report_epoch is not None and not integer_equal(report_epoch, rec.epoch):
                                return "report epoch does not match the record"
                        return None
                self.judge(name, index, bytes.fromhex(record_hex), int(proof[2:], 16), side)

        def input(self, name, data):
                if not data:
                        raise InputError("%s: empty input" % name)
                if data.startswith(b"AETHUPL1"):
                        self.dump(name, data)
                elif data.startswith(b"AEPR"):
                        self.stream(name, data)
                elif data.lstrip(b" \t\r\n").startswith(b"{"):
                        self.report(name, data)
                else:
                        raise InputError("%s: neither a harness report, an uplink dump nor a proof stream" % name)

        def finish(self, keep_open):
                for device in sorted(self.windows):
                        w = self.windows[device]
                        if keep_open:
                                self.slide(device, w)
                        else:
                                self.gaps_through(device, w, float("inf"))
                if self.json:
                        summary = {"summary": {"valid": self.valid, "invalid": self.invalid,
                                               "missing": self.missing_records, "missing_boots": self.missing_boots},
                                   "missing": self.missing_json()}
                        self.out.append(json_text(summary) + "\n")
                else:
                        self.out.append("".join(self.missing_text(m) for m in self.pending) +
                                        "%s: %d valid, %d invalid, %d missing, %d missing boots\n"
                                        % (PROGRAM, self.valid, self.invalid, self.missing_records,
                                           self.missing_boots))
                self.pending = []


# ---- the command line -------------------------------------------------------------------

def fail(message):
        sys.stderr.write("%s: %s\n" % (PROGRAM, message))


def read(path, limit, required=True):
        try:
                if path == "-":
                        data = sys.stdin.buffer.read(limit + 1)
                else:
                        with open(path, "rb") as handle:
                                data = handle.read(limit + 1)
        except FileNotFoundError:
                if not required:
                        return None
                raise InputError("%s: No such file or directory" % path) from None
        except OSError as error:
                raise InputError("%s: %s" % (path, error.strerror)) from None
        if len(data) > limit:
                raise InputError("%s: too large" % path)
        return data


def load_key(path):
        data = read(path, KEY_FILE_MAX)
        try:
                return record.parse_key_text(data.decode("latin-1"))
        except record.KeyFileError as error:
                raise InputError("%s: malformed key file: %s" % (path, error)) from None


def load_payload(arg):
        if len(arg) == 64 and is_hex(arg):
                return bytes.fromhex(arg)
        data = read(arg, INPUT_MAX)
        if data.startswith(b"\0asm"):
                return hashlib.sha256(data).digest()
        value, ok = parse_json(data)
        found = members(value, "payload_sha256") if ok and isinstance(value, Pairs) else []
        if len(found) == 1 and is_hex(found[0], 64):
                return bytes.fromhex(found[0])
        raise InputError("--payload %s: neither a SHA-256, a .wasm module nor an aether-build.json" % arg)


def parse_command_line(argv):
        options = {"payload": [], "inputs": [], "json": False}
        done, i = False, 0
        while i < len(argv):
                arg = argv[i]
                i += 1
                if done or not arg.startswith("-") or arg == "-":
                        if arg == "-" and "-" in options["inputs"]:
                                raise InputError("- (standard input) given twice")
                        options["inputs"].append(arg)
                elif arg == "--":
                        done = True
                elif arg == "--json":
                        options["json"] = True
                elif arg in ("--key", "--keyring", "--state", "--window", "--device-id", "--payload"):
                        if i == len(argv):
                                raise InputError("%s needs an argument" % arg)
                        name = arg[2:]
                        if name == "payload":
                                options["payload"].append(argv[i])
                        elif name in options:
                                raise InputError("%s given twice" % arg)
                        else:
                                options[name] = argv[i]
                        i += 1
                else:
                        raise InputError("unexpected option %s" % arg)
        if "device-id" in options:
                if set(options) - {"payload", "inputs", "json", "device-id"} or options["payload"] or \
                                options["inputs"] or options["json"]:
                        raise InputError("--device-id KEYFILE goes alone")
        elif ("key" in options) == ("keyring" in options):
                raise InputError("--key KEYFILE or --keyring FILE, one of them")
        elif not options["inputs"]:
                raise InputError("no INPUT given")
        return options


def main(argv=None):
        argv = sys.argv[1:] if argv is None else argv
        if {"-h", "--help"} & set(argv[:argv.index("--") if "--" in argv else len(argv)]):
                print("usage: %s (--key KEYFILE | --keyring FILE) [--state FILE] [--payload SHA256|FILE]... "
                      "[--window N] [--json] INPUT..." % PROGRAM)
                return 0
        try:
                options = parse_command_line(argv)
                if "device-id" in options:
                        sys.stdout.write(record.device_id(load_key(options["device-id"])).hex() + "\n")
                        return 0
                if "key" in options:
                        key = load_key(options["key"])
                        keyring = {record.device_id(key): key}
                else:
                        try:
                                keyring = parse_keyring(read(options["keyring"], KEYRING_MAX))
                        except ValueError as error:
                                raise InputError("%s: malformed keyring: %s" % (options["keyring"], error)) from None
                payloads = [load_payload(arg) for arg in options["payload"]]
                window = WINDOW_DEFAULT
                if "window" in options:
                        text = options["window"]
                        if not re.fullmatch(r"[1-9][0-9]*", text) or int(text) > WINDOW_MAX:
                                raise InputError("--window %s: expected 1 to %d" % (text, WINDOW_MAX))
                        window = int(text)
                windows = {}
                if "state" in options:
                        data = read(options["state"], STATE_MAX, required=False)
                        if data is not None:
                                try:
                                        windows = parse_state(data)
                                except ValueError as error:
                                        raise InputError("%s: malformed state file: %s"
                                                         % (options["state"], error)) from None
                out = []
                verifier = Verifier(keyring, windows, window, payloads, options["json"], out)
                for name in options["inputs"]:
                        verifier.input(name, read(name, INPUT_MAX))
                        sys.stdout.write("".join(out))
                        out.clear()
                verifier.finish("state" in options)
                sys.stdout.write("".join(out))
                sys.stdout.flush()
        except InputError as error:
                sys.stdout.write("".join(locals().get("out", [])))
                sys.stdout.flush()
                fail(str(error))
                return 2
        if "state" in options:
                tmp = options["state"] + ".tmp"
                with open(tmp, "wb") as handle:
                        handle.write(format_state(windows))
                os.replace(tmp, options["state"])
        if verifier.valid + verifier.invalid == 0:
                fail("no records read")
                return 1
        return 0 if verifier.invalid == 0 else 1


if __name__ == "__main__":
        sys.exit(main())
