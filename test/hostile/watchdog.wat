;; SPDX-License-Identifier: AGPL-3.0-or-later
;; watchdog.wat: guests that never return are preempted by the per-wake budget as `watchdog`.
;; dose >= 0: status = dose * 2 + 1; dose -1: (loop (br 0)); dose -2: a spin that keeps
;; the residue spray value for the dose (scripts/aether_harness/residue.py) in registers.
(module
  (import "aether" "read_radiation_dosimeter" (func $dose (result i32)))
  (memory (export "memory") 1 1)
  (func $spin (param $w i32)
    (local $x i64) (local $y i64)
    (local.set $x (i64.or (i64.extend_i32_u (local.get $w))
                          (i64.shl (i64.extend_i32_u (i32.xor (local.get $w) (i32.const -1))) (i64.const 32))))
    (local.set $y (local.get $x))
    (loop $forever
      (local.set $y (i64.xor (i64.rotl (local.get $y) (i64.const 13)) (local.get $x)))
      (br_if $forever (i64.ne (local.get $y) (i64.const 0x7fffffffffffffff)))
      (br $forever)))
  (func (export "evaluate_limits") (result i32)
    (local $d i32)
    (local.set $d (call $dose))
    (if (i32.eq (local.get $d) (i32.const -1))
      (then (loop (br 0))))
    (if (i32.eq (local.get $d) (i32.const -2))
      (then (call $spin (i32.xor (i32.mul (local.get $d) (i32.const 0x9e3779b1)) (i32.const 0x5bd1e995)))))
    (i32.add (i32.shl (local.get $d) (i32.const 1)) (i32.const 1))))
