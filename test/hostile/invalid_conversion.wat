;; SPDX-License-Identifier: AGPL-3.0-or-later
;; invalid_conversion.wat: a NaN pressure converted to an integer traps as `invalid_conversion`.
;; dose >= 0: status = trunc_s(pressure * 100) as i32; dose < 0: the same through f64 -> i64.
(module
  (import "aether" "read_atmospheric_pressure" (func $pressure (result f32)))
  (import "aether" "read_radiation_dosimeter" (func $dose (result i32)))
  (memory (export "memory") 1 1)
  (func (export "evaluate_limits") (result i32)
    (if (result i32) (i32.lt_s (call $dose) (i32.const 0))
      (then (i32.wrap_i64 (i64.trunc_f64_s (f64.mul (f64.promote_f32 (call $pressure)) (f64.const 100)))))
      (else (i32.trunc_f32_s (f32.mul (call $pressure) (f32.const 100)))))))
