;; SPDX-License-Identifier: AGPL-3.0-or-later
;; soak.wat: the soak payload; dose mod 4 picks one of four behaviours, each with its own
;; memory and stack use: 0 healthy (status dose * 2 + 1, 2 pages), 1 div_by_zero (3 pages),
;; 2 oob (4 pages), 3 unreachable 20 calls deep (5 pages). Doses are non-negative.
(module
  (import "aether" "read_radiation_dosimeter" (func $dose (result i32)))
  (memory (export "memory") 1)
  (func $down (param $n i32) (result i32)
    (if (i32.eqz (local.get $n)) (then unreachable))
    (i32.add (call $down (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))
  (func (export "evaluate_limits") (result i32)
    (local $d i32) (local $kind i32)
    (local.set $d (call $dose))
    (local.set $kind (i32.and (local.get $d) (i32.const 3)))
    (drop (memory.grow (i32.add (local.get $kind) (i32.const 1))))
    (i32.store (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4)) (local.get $d))
    (if (i32.eq (local.get $kind) (i32.const 1))
      (then (drop (i32.div_u (local.get $d) (i32.and (local.get $d) (i32.const 2))))))
    (if (i32.eq (local.get $kind) (i32.const 2))
      (then (drop (i32.load (i32.mul (memory.size) (i32.const 65536))))))
    (if (i32.eq (local.get $kind) (i32.const 3))
      (then (drop (call $down (i32.const 20)))))
    (i32.add (i32.shl (local.get $d) (i32.const 1)) (i32.const 1))))
