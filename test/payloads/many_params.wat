;; SPDX-License-Identifier: AGPL-3.0-or-later
;; many_params.wat: signatures of 20 and 24 parameters and results, called directly and through call_indirect.
;; wasm2c registers each signature with the runtime; the runtime once held at most 16 types per signature and
;; panicked at boot. Status = sum(dose + i, i = 0..19) + 3 * (sum of the 4 results) = 20 dose + 190 + 12 dose.
(module
  (import "aether" "read_radiation_dosimeter" (func $dose (result i32)))
  (type $wide (func (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (type $wider (func (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32 i32 i32 i32)))
  (table 2 funcref)
  (elem (i32.const 0) $sum $four)
  (memory (export "memory") 1)
  (func $sum (type $wide)
      local.get 0
      local.get 1 i32.add
      local.get 2 i32.add
      local.get 3 i32.add
      local.get 4 i32.add
      local.get 5 i32.add
      local.get 6 i32.add
      local.get 7 i32.add
      local.get 8 i32.add
      local.get 9 i32.add
      local.get 10 i32.add
      local.get 11 i32.add
      local.get 12 i32.add
      local.get 13 i32.add
      local.get 14 i32.add
      local.get 15 i32.add
      local.get 16 i32.add
      local.get 17 i32.add
      local.get 18 i32.add
      local.get 19 i32.add)
  (func $four (type $wider)
      local.get 0 local.get 0 local.get 0 local.get 0)
  (func (export "evaluate_limits") (result i32)
      (call $dose) (i32.const 0) i32.add
      (call $dose) (i32.const 1) i32.add
      (call $dose) (i32.const 2) i32.add
      (call $dose) (i32.const 3) i32.add
      (call $dose) (i32.const 4) i32.add
      (call $dose) (i32.const 5) i32.add
      (call $dose) (i32.const 6) i32.add
      (call $dose) (i32.const 7) i32.add
      (call $dose) (i32.const 8) i32.add
      (call $dose) (i32.const 9) i32.add
      (call $dose) (i32.const 10) i32.add
      (call $dose) (i32.const 11) i32.add
      (call $dose) (i32.const 12) i32.add
      (call $dose) (i32.const 13) i32.add
      (call $dose) (i32.const 14) i32.add
      (call $dose) (i32.const 15) i32.add
      (call $dose) (i32.const 16) i32.add
      (call $dose) (i32.const 17) i32.add
      (call $dose) (i32.const 18) i32.add
      (call $dose) (i32.const 19) i32.add
      (call_indirect (type $wide) (i32.const 0))
      (call $dose) (i32.const 0) i32.add
      (call $dose) (i32.const 1) i32.add
      (call $dose) (i32.const 2) i32.add
      (call $dose) (i32.const 3) i32.add
      (call $dose) (i32.const 4) i32.add
      (call $dose) (i32.const 5) i32.add
      (call $dose) (i32.const 6) i32.add
      (call $dose) (i32.const 7) i32.add
      (call $dose) (i32.const 8) i32.add
      (call $dose) (i32.const 9) i32.add
      (call $dose) (i32.const 10) i32.add
      (call $dose) (i32.const 11) i32.add
      (call $dose) (i32.const 12) i32.add
      (call $dose) (i32.const 13) i32.add
      (call $dose) (i32.const 14) i32.add
      (call $dose) (i32.const 15) i32.add
      (call $dose) (i32.const 16) i32.add
      (call $dose) (i32.const 17) i32.add
      (call $dose) (i32.const 18) i32.add
      (call $dose) (i32.const 19) i32.add
      (call_indirect (type $wider) (i32.const 1))
      i32.add i32.add i32.add
      i32.const 3 i32.mul
      i32.add))
