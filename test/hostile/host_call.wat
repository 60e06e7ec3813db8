;; SPDX-License-Identifier: AGPL-3.0-or-later
;; host_call.wat: commit_telemetry_vector with a range outside linear memory or over 256 bytes is `host_call`.
;; dose >= 0: healthy: an empty vector at the very end of memory, then the last 256 bytes
;; (ending with the dose); status = dose * 2 + 1. Negative doses pick one bad (ptr, len):
;; -1 ptr+len wraps 32 bits, -2 len = -1, -3 len = 2^31-1, -4 len = 257, -5 one byte at
;; the end, -6 256 bytes one past the end, -7 an empty vector past the end.
(module
  (import "aether" "read_radiation_dosimeter" (func $dose (result i32)))
  (import "aether" "commit_telemetry_vector" (func $telemetry (param i32 i32)))
  (memory (export "memory") 1 1)
  (func $end (result i32) (i32.mul (memory.size) (i32.const 65536)))
  (func $bad (param $dose i32) (param $case i32) (param $ptr i32) (param $len i32)
    (if (i32.eq (local.get $dose) (local.get $case))
      (then (call $telemetry (local.get $ptr) (local.get $len)))))
  (func (export "evaluate_limits") (result i32)
    (local $d i32)
    (local.set $d (call $dose))
    (call $bad (local.get $d) (i32.const -1) (i32.const 0xfffffff0) (i32.const 0x20))
    (call $bad (local.get $d) (i32.const -2) (i32.const 0) (i32.const -1))
    (call $bad (local.get $d) (i32.const -3) (i32.const 0) (i32.const 0x7fffffff))
    (call $bad (local.get $d) (i32.const -4) (i32.const 0) (i32.const 257))
    (call $bad (local.get $d) (i32.const -5) (call $end) (i32.const 1))
    (call $bad (local.get $d) (i32.const -6) (i32.sub (call $end) (i32.const 255)) (i32.const 256))
    (call $bad (local.get $d) (i32.const -7) (i32.add (call $end) (i32.const 4096)) (i32.const 0))
    (i32.store (i32.sub (call $end) (i32.const 4)) (local.get $d))
    (call $telemetry (call $end) (i32.const 0))
    (call $telemetry (i32.sub (call $end) (i32.const 256)) (i32.const 256))
    (i32.add (i32.shl (local.get $d) (i32.const 1)) (i32.const 1))))
