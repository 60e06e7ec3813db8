;; SPDX-License-Identifier: AGPL-3.0-or-later
;; call_indirect.wat: call_indirect through table slot `dose` with argument 1000, type (i32) -> i32.
;; Slot 0 adds 1, slot 3 doubles; slot 1 is null, slot 2 has another signature, and slot 4
;; or any negative dose is outside the 4-slot table: each of those traps as `call_indirect`.
(module
  (import "aether" "read_radiation_dosimeter" (func $dose (result i32)))
  (type $unary (func (param i32) (result i32)))
  (memory (export "memory") 1 1)
  (table 4 4 funcref)
  (elem (i32.const 0) $add1)
  (elem (i32.const 2) $binary $double)
  (func $add1 (type $unary) (i32.add (local.get 0) (i32.const 1)))
  (func $double (type $unary) (i32.shl (local.get 0) (i32.const 1)))
  (func $binary (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "evaluate_limits") (result i32)
    (call_indirect (type $unary) (i32.const 1000) (call $dose))))
