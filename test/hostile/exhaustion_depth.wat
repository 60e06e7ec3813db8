;; SPDX-License-Identifier: AGPL-3.0-or-later
;; exhaustion_depth.wat: recursion `dose` calls deep with small frames; past the 500-call bound it is `exhaustion`.
;; status = the depth reached (dose, for dose < 500).
(module
  (import "aether" "read_radiation_dosimeter" (func $dose (result i32)))
  (memory (export "memory") 1 1)
  (func $down (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (call $down (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))))
  (func (export "evaluate_limits") (result i32) (call $down (call $dose))))
