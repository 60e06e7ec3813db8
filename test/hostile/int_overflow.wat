;; SPDX-License-Identifier: AGPL-3.0-or-later
;; int_overflow.wat: INT_MIN / -1 and a float-to-int conversion out of range trap as `int_overflow`.
;; status = INT_MIN / dose + trunc_s(pressure * 1000): dose -1 overflows the division,
;; pressure >= 2147484 overflows the conversion; dose 0 would be div_by_zero.
(module
  (import "aether" "read_atmospheric_pressure" (func $pressure (result f32)))
  (import "aether" "read_radiation_dosimeter" (func $dose (result i32)))
  (memory (export "memory") 1 1)
  (func (export "evaluate_limits") (result i32)
    (i32.add
      (i32.div_s (i32.const 0x80000000) (call $dose))
      (i32.trunc_f32_s (f32.mul (call $pressure) (f32.const 1000))))))
