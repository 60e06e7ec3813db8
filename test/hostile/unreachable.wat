;; SPDX-License-Identifier: AGPL-3.0-or-later
;; unreachable.wat: `unreachable` three calls deep traps as `unreachable`.
;; dose >= 0: status = dose * 2 + 1; dose < 0: unreachable.
(module
  (import "aether" "read_radiation_dosimeter" (func $dose (result i32)))
  (memory (export "memory") 1 1)
  (func $check (param $d i32) (result i32)
    (if (i32.lt_s (local.get $d) (i32.const 0)) (then unreachable))
    (i32.add (i32.shl (local.get $d) (i32.const 1)) (i32.const 1)))
  (func $middle (param $d i32) (result i32) (call $check (local.get $d)))
  (func (export "evaluate_limits") (result i32) (call $middle (call $dose))))
