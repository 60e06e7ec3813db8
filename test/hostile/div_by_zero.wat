;; SPDX-License-Identifier: AGPL-3.0-or-later
;; div_by_zero.wat: unsigned division and signed remainder by zero trap as `div_by_zero`.
;; status = 1000000 / dose (unsigned) + dose % (dose - 7) (signed): dose 0 and dose 7 trap.
(module
  (import "aether" "read_radiation_dosimeter" (func $dose (result i32)))
  (memory (export "memory") 1 1)
  (func (export "evaluate_limits") (result i32)
    (local $d i32)
    (local.set $d (call $dose))
    (i32.add
      (i32.div_u (i32.const 1000000) (local.get $d))
      (i32.rem_s (local.get $d) (i32.sub (local.get $d) (i32.const 7))))))
