;; SPDX-License-Identifier: AGPL-3.0-or-later
;; oob.wat: out-of-bounds loads and stores at the end of linear memory and past 4 GiB trap as `oob`.
;; dose >= 0: healthy, uses the last valid word of memory, returns dose * 2 + 1.
;; dose -1: an i32 load straddling the end; -2: a load at 0xffffffff; -3: an i64 store straddling the end.
(module
  (import "aether" "read_radiation_dosimeter" (func $dose (result i32)))
  (memory (export "memory") 1 1)
  (func $end (result i32) (i32.mul (memory.size) (i32.const 65536)))
  (func (export "evaluate_limits") (result i32)
    (local $d i32)
    (local.set $d (call $dose))
    (if (i32.eq (local.get $d) (i32.const -1))
      (then (drop (i32.load (i32.sub (call $end) (i32.const 2))))))
    (if (i32.eq (local.get $d) (i32.const -2))
      (then (drop (i32.load8_u (i32.const -1)))))
    (if (i32.eq (local.get $d) (i32.const -3))
      (then (i64.store (i32.sub (call $end) (i32.const 4)) (i64.const -1))))
    (i32.store (i32.sub (call $end) (i32.const 4)) (i32.add (i32.shl (local.get $d) (i32.const 1)) (i32.const 1)))
    (i32.load (i32.sub (call $end) (i32.const 4)))))
