#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
# overrun_gen.py: writes the stack-overrun payloads (C frames of 2 to 78 KiB in wasm2c's output) as .wat at build time.
"""Usage:
  overrun_gen.py --eval FRAME [--callee FRAME]... [--spin] -o OUT.wat      (FRAME: spill:BYTES or call:N)

A wasm function can have a C frame (in wasm2c's output) far larger than a
guard page. Each payload this writes has such frames, in evaluate_limits itself
(--eval) and in callees (--callee), and uses the dose to choose between a
healthy wake and one that overruns the 64 KiB user stack. FRAME is one of:

  spill:BYTES  BYTES/8 i64 locals, each loaded from memory the payload sprayed
               with the residue pattern (scripts/aether_harness/residue.py),
               all live across the function's calls (imports and recursion),
               so clang -O2 spills every one: a frame of about BYTES, written
               from its top down. Their sum is checked afterwards against the
               memory (a changed local is damage). clang's register allocator
               is quadratic in the live values: 2048 locals (16 KiB) take
               about 2 s to compile, 8192 (64 KiB) 30 s, and twice that with
               AETHER_MEMCHECK=bounds, so bigger frames come from:
  call:N       a call_indirect passing N funcrefs (null) and receiving N back
               (multi-value): a funcref is a 24-byte struct, passed in memory,
               and the N results come back as a struct in the caller's frame,
               so the caller's frame is about 80 * N bytes (measured: N = 1000,
               78 KiB), and its first writes are the arguments, at its very
               bottom: without stack probes they land that far below its top,
               past any guard page. The call is indirect so clang cannot
               inline it. N is at most 1000, aether-wasm-check's limit on a
               signature's parameters and results (the JS API's), so 78 KiB is
               the largest frame of this kind; each signature also uses 2 * N
               entries of the runtime's type pool (AETHER_CFG_FUNC_TYPE_POOL).

The dose (read through read_radiation_dosimeter) chooses the behaviour:

  0 <= dose < 1000   healthy. evaluate_limits sprays the memory its frames
                     load, calls both imports while its frame is live and
                     makes its big call (if any); from dose 500 on, it also
                     calls each spill callee of at most 20 KiB as many frames
                     deep as fit in 20 KiB, and the cycle below once through.
                     Status = dose * 2 + 1, plus 100000 for each frame whose
                     values came back changed. (Each wake has the watchdog's
                     budget, and TCG translates a function's straight-line
                     code the first time it runs, about 1 ms per thousand
                     instructions: the first wake of a boot should not run
                     every fat function.)
  1000 + 100 * IMP + S
                     hostile: scenario S with IMP choosing what every fat frame
                     calls while it is live: 0 nothing but the recursion, 1
                     read_radiation_dosimeter, 2 commit_uplink(0xF4A7, frames
                     entered so far; the last call is in the record even after
                     a fault), 3 both. S = 1: evaluate_limits recurses into
                     itself (a global depth counter) until the stack is
                     exhausted. S = 2, 3, ...: the callees, in the order given,
                     each recursing into itself until the stack is exhausted;
                     the last S (with two or more spill callees of at most 20
                     KiB): a recursion that cycles through those. Expected:
                     exhaustion.
  2000 (--spin)      calibration: evaluate_limits recurses into itself to fill
                     about 48 KiB of the stack, then a chain of small frames
                     ($thin, 64 bytes) descends until the stack is exhausted.
                     Each level calls commit_uplink(0xCA11B, level) before it
                     goes deeper, so the record says how deep the chain got:
                     the last level that fit with that call.
  3000 + K (--spin)  the same descent, each level calling commit_uplink(0x5914,
                     level), down to chain level K, which calls nothing and
                     spins in (loop (br 0)) until the watchdog fires. With K
                     the calibrated last level (or a few above it), the
                     watchdog interrupt arrives while the stack is full to
                     within a few small frames. Expected: watchdog.

Other doses return -1. Everything here is deterministic: the same dose gives
the same frames, depths and status on every wake.
"""
import argparse
import os
import sys

WASM_PAGE = 65536
SPRAY_BYTES = WASM_PAGE          # the payload's one page: the most a spill frame can load
MAX_CALL_VALUES = 1000           # aether-wasm-check: parameters, and results, of one signature
HEALTHY_LIMIT = 1000
HEALTHY_CALLEES = 500            # healthy doses from here on also call the spill callees
HOSTILE_BASE = 1000
CALIBRATE_DOSE = 2000
SPIN_BASE = 3000
DAMAGE = 100000
UPLINK_FRAME = 0xF4A7            # commit_uplink(UPLINK_FRAME, frames entered) while a fat frame is live
UPLINK_CALIBRATE = 0xCA11B       # commit_uplink(UPLINK_CALIBRATE, level) at each calibration level
UPLINK_SPIN = 0x5914             # commit_uplink(UPLINK_SPIN, K) just before the spin
SPIN_BULK_BYTES = 48 * 1024      # what the spin scenarios fill with evaluate_limits frames first: the
                                 # rest, in 64-byte frames, stays under the 500-call bound
THIN_LOCALS = 4                  # i64 values live across each $thin level's calls: 64-byte frames, the
                                 # same in the image and in aether-sim (hosted, they differ without them)
# A healthy wake calls each spill callee as many frames deep as fit in this (2 KiB
# frames ten deep, 16 KiB ones one), well inside the 64 KiB stack; bigger ones not at all.
HEALTHY_SPILL_BUDGET = 20 * 1024


def frame(text):
    kind, _, size = text.partition(":")
    if kind not in ("spill", "call") or not size.isdigit() or int(size) < 1:
        raise argparse.ArgumentTypeError("%r: expected spill:BYTES or call:N" % text)
    if kind == "spill" and not 64 <= int(size) <= SPRAY_BYTES:
        raise argparse.ArgumentTypeError("%r: a spill frame loads 64 to %d sprayed bytes" % (text, SPRAY_BYTES))
    if kind == "call" and int(size) > MAX_CALL_VALUES:
        raise argparse.ArgumentTypeError("%r: at most %d values each way" % (text, MAX_CALL_VALUES))
    return kind, int(size)


def frame_bytes(frame):
    kind, size = frame
    return size if kind == "spill" else 80 * size


def describe(frame):
    kind, size = frame
    if kind == "spill":
        return "%d live i64, a frame of about %d bytes" % (size // 8, size)
    return "a call with %d funcrefs each way, a frame of about %d bytes" % (size, frame_bytes(frame))


class Module:
    def __init__(self, main, callees, spin):
        self.main = main
        self.callees = callees
        self.spin = spin
        # The spill callees small enough for healthy wakes: called there, and cycled through by the mixed scenario.
        self.spill_callees = [i for i, (kind, size) in enumerate(callees)
                              if kind == "spill" and size <= HEALTHY_SPILL_BUDGET]
        self.mixed = len(self.spill_callees) >= 2
        frames = [main] + callees
        self.calls = sorted({size for kind, size in frames if kind == "call"})
        # The spray covers what the loads read (the spill frames' words, $thin's), 16-byte aligned.
        loaded = [size for kind, size in frames if kind == "spill"] + [8 * THIN_LOCALS]
        self.spray_bytes = (max(loaded) + 15) // 16 * 16
        self.lines = []

    def emit(self, text=""):
        self.lines.append(text)

    # ---- pieces ---------------------------------------------------------------

    def header(self, argv):
        self.emit(";; SPDX-License-Identifier: AGPL-3.0-or-later")
        self.emit(";; Generated by test/hostile/overrun_gen.py %s: do not edit, do not commit." % " ".join(argv))
        self.emit(";; A stack-overrun payload: see overrun_gen.py for the dose protocol. Its frames:")
        self.emit(";;   evaluate_limits: %s" % describe(self.main))
        self.emit(";;   dose 1000 + 100 * IMP + 1: evaluate_limits recurses into itself until the stack is exhausted")
        for s, (kind, size) in enumerate(self.callees, 2):
            self.emit(";;   dose 1000 + 100 * IMP + %d: $%s_%d (%s) recurses until exhausted"
                      % (s, kind, size, describe((kind, size))))
        if self.mixed:
            self.emit(";;   dose 1000 + 100 * IMP + %d: a recursion cycling through %s"
                      % (self.mixed_scenario(), ", ".join(self.fat_name(i) for i in self.spill_callees)))
        if self.spin:
            self.emit(";;   dose %d: calibration; dose %d + K: spin at chain level K until the watchdog fires"
                      % (CALIBRATE_DOSE, SPIN_BASE))

    def mixed_scenario(self):
        return 2 + len(self.callees)

    def fat_name(self, index):
        kind, size = self.callees[index]
        return "$%s_%d" % (kind, size)

    def module_start(self):
        self.emit("(module")
        self.emit('  (import "aether" "read_radiation_dosimeter" (func $dose (result i32)))')
        self.emit('  (import "aether" "commit_uplink" (func $uplink (param i32 i32)))')
        self.emit('  (memory (export "memory") 1 1)')
        self.emit("  ;; evaluate_limits' own depth, and every fat frame entered this wake (reported by commit_uplink)")
        self.emit("  (global $depth (mut i32) (i32.const 0))")
        self.emit("  (global $frames (mut i32) (i32.const 0))")
        self.emit("  ;; every callee with a fat frame: (depth left, IMP, cycle?) -> frames found damaged")
        self.emit("  (type $fat (func (param i32 i32 i32) (result i32)))")
        for count in self.calls:
            funcrefs = " ".join(["funcref"] * count)
            self.emit("  ;; %d funcrefs each way: about %d bytes of the caller's frame" % (count, frame_bytes(("call", count))))
            self.emit("  (type $call_%d_t (func (param %s) (result %s)))" % (count, funcrefs, funcrefs))
        if self.calls:
            self.emit("  (table %d %d funcref)" % (len(self.calls), len(self.calls)))
            self.emit("  (elem (i32.const 0) %s)" % " ".join("$nulls_%d" % count for count in self.calls))

    def spray(self):
        self.emit("  ;; The residue pattern of the dose (as residue.wat) over the first %d bytes: w, ~w, w ^ 0x12345678," % self.spray_bytes)
        self.emit("  ;; rotl(w, 7), repeated.")
        self.emit("  (func $spray (param $d i32)")
        self.emit("    (local $w i32) (local $p i32)")
        self.emit("    (local.set $w (i32.xor (i32.mul (local.get $d) (i32.const 0x9e3779b1)) (i32.const 0x5bd1e995)))")
        self.emit("    (loop $fill")
        self.emit("      (i32.store (local.get $p) (local.get $w))")
        self.emit("      (i32.store offset=4 (local.get $p) (i32.xor (local.get $w) (i32.const -1)))")
        self.emit("      (i32.store offset=8 (local.get $p) (i32.xor (local.get $w) (i32.const 0x12345678)))")
        self.emit("      (i32.store offset=12 (local.get $p) (i32.rotl (local.get $w) (i32.const 7)))")
        self.emit("      (local.set $p (i32.add (local.get $p) (i32.const 16)))")
        self.emit("      (br_if $fill (i32.lt_u (local.get $p) (i32.const %d)))))" % self.spray_bytes)
        self.emit("  ;; What a spill frame's locals must add up to: the sum of the words they were loaded from.")
        self.emit("  (func $fold (param $count i32) (result i64)")
        self.emit("    (local $p i32) (local $acc i64)")
        self.emit("    (block $done (loop $next")
        self.emit("      (br_if $done (i32.ge_u (local.get $p) (i32.shl (local.get $count) (i32.const 3))))")
        self.emit("      (local.set $acc (i64.add (local.get $acc) (i64.load (local.get $p))))")
        self.emit("      (local.set $p (i32.add (local.get $p) (i32.const 8)))")
        self.emit("      (br $next)))")
        self.emit("    (local.get $acc))")
        self.emit("  ;; The imports a fat frame calls while it is live: IMP bit 0 the dose, bit 1 the uplink.")
        self.emit("  (func $imports (param $imp i32)")
        self.emit("    (if (i32.and (local.get $imp) (i32.const 1)) (then (drop (call $dose))))")
        self.emit("    (if (i32.and (local.get $imp) (i32.const 2)) (then (call $uplink (i32.const 0x%X) (global.get $frames)))))"
                  % UPLINK_FRAME)

    def spill_locals(self, count):
        self.emit("    " + " ".join("(local $l%d i64)" % i for i in range(count)))

    def spill_loads(self, count):
        self.emit("    ;; %d words of the spray, one load each: every one stays live across the calls below" % count)
        for i in range(count):
            self.emit("    i32.const 0 i64.load offset=%d local.set $l%d" % (8 * i, i))

    def spill_check(self, count):
        self.emit("    ;; add all %d up and compare with the sum of the memory they came from: 1 if any changed" % count)
        self.emit("    i64.const 0")
        for i in range(count):
            self.emit("    local.get $l%d i64.add" % i)
        self.emit("    (call $fold (i32.const %d))" % count)
        self.emit("    i64.ne")

    def null_funcrefs(self, count, indent):
        for start in range(0, count, 16):
            self.emit(indent + " ".join(["ref.null func"] * min(16, count - start)))

    def call_frame(self, count):
        self.emit("    ;; %d null funcrefs out and %d back: both in this frame; the last one back is checked"
                  % (count, count))
        self.null_funcrefs(count, "    ")
        self.emit("    (call_indirect (type $call_%d_t) (i32.const %d))" % (count, self.calls.index(count)))
        self.emit("    " + " ".join(["drop"] * (count - 1)))
        self.emit("    ref.is_null i32.eqz")

    def producers(self):
        for count in self.calls:
            self.emit("  ;; the callee of those calls: takes N funcrefs, returns N null ones")
            self.emit("  (func $nulls_%d (type $call_%d_t)" % (count, count))
            self.null_funcrefs(count, "    ")
            self.emit("  )")

    def callee(self, index):
        kind, size = self.callees[index]
        name = self.fat_name(index)
        if index in self.spill_callees:
            position = self.spill_callees.index(index)
            successor = self.fat_name(self.spill_callees[(position + 1) % len(self.spill_callees)])
        else:
            successor = name
        self.emit("  ;; %s: %s. Recurses while $n != 0 (a negative $n: until the stack"
                  % (name, describe((kind, size))))
        self.emit("  ;; is exhausted), into itself, or with $mix into %s." % successor)
        self.emit("  (func %s (type $fat) (param $n i32) (param $imp i32) (param $mix i32) (result i32)" % name)
        self.emit("    (local $bad i32)")
        count = size // 8
        if kind == "spill":
            self.spill_locals(count)
        self.emit("    (global.set $frames (i32.add (global.get $frames) (i32.const 1)))")
        if kind == "spill":
            self.spill_loads(count)
        self.emit("    (call $imports (local.get $imp))")
        if kind == "call":
            self.call_frame(size)
            self.emit("    local.set $bad")
        self.emit("    (if (local.get $n) (then")
        self.emit("      (local.set $bad (i32.add (local.get $bad)")
        self.emit("        (if (result i32) (local.get $mix)")
        self.emit("          (then (call %s (i32.sub (local.get $n) (i32.const 1)) (local.get $imp) (local.get $mix)))"
                  % successor)
        self.emit("          (else (call %s (i32.sub (local.get $n) (i32.const 1)) (local.get $imp) (local.get $mix))))))))"
                  % name)
        if kind == "spill":
            self.spill_check(count)
            self.emit("    local.get $bad i32.add)")
        else:
            self.emit("    local.get $bad)")

    def thin(self):
        self.emit("  ;; One level of the spin scenarios' descent, a small frame (%d live i64): level $stop spins and"
                  % THIN_LOCALS)
        self.emit("  ;; calls nothing; any other calls commit_uplink(calibrating ? 0x%X : 0x%X, level), then goes one"
                  % (UPLINK_CALIBRATE, UPLINK_SPIN))
        self.emit("  ;; level deeper.")
        self.emit("  (func $thin (param $level i32) (param $stop i32) (result i32)")
        self.emit("    " + " ".join("(local $t%d i64)" % i for i in range(THIN_LOCALS)))
        for i in range(THIN_LOCALS):
            self.emit("    i32.const 0 i64.load offset=%d local.set $t%d" % (8 * i, i))
        self.emit("    (if (i32.eq (local.get $level) (local.get $stop)) (then (loop $spin (br $spin))))")
        self.emit("    (call $uplink (select (i32.const 0x%X) (i32.const 0x%X) (i32.eq (local.get $stop) (i32.const -1)))"
                  % (UPLINK_CALIBRATE, UPLINK_SPIN))
        self.emit("                  (local.get $level))")
        self.emit("    (call $thin (i32.add (local.get $level) (i32.const 1)) (local.get $stop))")
        for i in range(THIN_LOCALS):
            self.emit("    (i32.wrap_i64 (local.get $t%d)) i32.add" % i)
        self.emit("  )")


    def evaluate_limits(self):
        kind, size = self.main
        count = size // 8
        self.emit("  ;; evaluate_limits: %s." % describe(self.main))
        self.emit('  (func $evaluate_limits (export "evaluate_limits") (result i32)')
        self.emit("    (local $d i32) (local $s i32) (local $imp i32) (local $bad i32) (local $status i32)")
        if kind == "spill":
            self.spill_locals(count)
        self.emit("    (global.set $depth (i32.add (global.get $depth) (i32.const 1)))")
        self.emit("    (global.set $frames (i32.add (global.get $frames) (i32.const 1)))")
        self.emit("    (local.set $d (call $dose))")
        self.emit("    (call $spray (local.get $d))")
        if kind == "spill":
            self.spill_loads(count)
        self.emit("    (local.set $status (i32.const -1))")
        self.emit("    (local.set $s (i32.rem_u (i32.sub (local.get $d) (i32.const %d)) (i32.const 100)))" % HOSTILE_BASE)
        self.emit("    (local.set $imp (i32.div_u (i32.sub (local.get $d) (i32.const %d)) (i32.const 100)))" % HOSTILE_BASE)
        # healthy
        self.emit("    (if (i32.lt_u (local.get $d) (i32.const %d)) (then" % HEALTHY_LIMIT)
        self.emit("      ;; healthy: both imports while this frame is live, then what fits")
        self.emit("      (call $imports (i32.const 3))")
        if kind == "call":
            self.call_frame(size)
            self.emit("      local.set $bad")
        if self.spill_callees:
            self.emit("      (if (i32.ge_u (local.get $d) (i32.const %d)) (then" % HEALTHY_CALLEES)
            for index in self.spill_callees:
                callee_size = self.callees[index][1]
                depth = max(0, HEALTHY_SPILL_BUDGET // callee_size - 1)
                self.emit("        (local.set $bad (i32.add (local.get $bad) (call %s (i32.const %d) (i32.const 3) (i32.const 0))))"
                          % (self.fat_name(index), depth))
            if self.mixed:
                self.emit("        (local.set $bad (i32.add (local.get $bad) (call %s (i32.const %d) (i32.const 3) (i32.const 1))))"
                          % (self.fat_name(self.spill_callees[0]), len(self.spill_callees)))
            self.emit("      ))")
        self.emit("      (local.set $status (i32.add (i32.add (i32.shl (local.get $d) (i32.const 1)) (i32.const 1))")
        self.emit("                                  (i32.mul (local.get $bad) (i32.const %d))))))" % DAMAGE)
        # hostile
        self.emit("    (if (i32.and (i32.ge_u (local.get $d) (i32.const %d)) (i32.lt_u (local.get $imp) (i32.const 4))) (then"
                  % HOSTILE_BASE)
        self.emit("      (call $imports (local.get $imp))")
        self.emit("      ;; S = 1: evaluate_limits into itself: the inner call reads the same dose, so it goes on")
        self.emit("      (if (i32.eq (local.get $s) (i32.const 1))")
        self.emit("        (then (local.set $status (call $evaluate_limits))))")
        for s, index in enumerate(range(len(self.callees)), 2):
            self.emit("      (if (i32.eq (local.get $s) (i32.const %d))" % s)
            self.emit("        (then (local.set $status (call %s (i32.const -1) (local.get $imp) (i32.const 0)))))"
                      % self.fat_name(index))
        if self.mixed:
            self.emit("      (if (i32.eq (local.get $s) (i32.const %d))" % self.mixed_scenario())
            self.emit("        (then (local.set $status (call %s (i32.const -1) (local.get $imp) (i32.const 1)))))"
                      % self.fat_name(self.spill_callees[0]))
        self.emit("    ))")
        if self.spin:
            stop = "(select (i32.const -1) (i32.sub (local.get $d) (i32.const %d)) (i32.eq (local.get $d) (i32.const %d)))" \
                % (SPIN_BASE, CALIBRATE_DOSE)
            self.emit("    (if (i32.or (i32.eq (local.get $d) (i32.const %d))" % CALIBRATE_DOSE)
            self.emit("                (i32.lt_u (i32.sub (local.get $d) (i32.const %d)) (i32.const 1000))) (then"
                      % SPIN_BASE)
            bulk = max(1, SPIN_BULK_BYTES // frame_bytes(self.main))
            self.emit("      ;; calibration and spin: %d evaluate_limits frames (about %d bytes), then $thin"
                      % (bulk, bulk * frame_bytes(self.main)))
            self.emit("      (if (i32.lt_u (global.get $depth) (i32.const %d))" % bulk)
            self.emit("        (then (local.set $status (call $evaluate_limits)))")
            self.emit("        (else (local.set $status (call $thin (i32.const 1) %s))))))" % stop)
        if kind == "spill":
            self.spill_check(count)
            self.emit("    (i32.mul (i32.const %d)) local.get $status i32.add)" % DAMAGE)
        else:
            self.emit("    local.get $status)")

    def build(self, argv):
        self.header(argv)
        self.module_start()
        self.spray()
        self.producers()
        for index in range(len(self.callees)):
            self.callee(index)
        if self.spin:
            self.thin()
        self.evaluate_limits()
        self.emit(")")
        return "\n".join(self.lines) + "\n"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=frame, required=True, metavar="FRAME",
                        help="evaluate_limits' own frame")
    parser.add_argument("--callee", type=frame, action="append", default=[], metavar="FRAME",
                        help="a callee with a fat frame (repeatable; scenario 2, 3, ... in order)")
    parser.add_argument("--spin", action="store_true", help="the calibration and watchdog-spin scenarios")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args(argv)
    if len(args.callee) > 96:
        parser.error("at most 96 callees (scenarios 2..97)")
    if len(set(args.callee)) != len(args.callee):
        parser.error("the same callee twice")
    text = Module(args.eval, args.callee, args.spin).build(argv)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output + ".tmp", "w") as out:
        out.write(text)
    os.replace(args.output + ".tmp", args.output)


if __name__ == "__main__":
    main(sys.argv[1:])
