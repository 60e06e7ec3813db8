;; SPDX-License-Identifier: AGPL-3.0-or-later
;; memory_grow.wat: memory.grow is bounded by the 16-page cap: past it -1, never a trap, never success.
;; No declared maximum, so only the enclave's cap limits it. Grows by dose pages, then by 1,
;; by 0 and by 0xffffffff pages, writes the last byte of the memory it has, and returns the
;; four results' low bytes (first in bits 0-7).
(module
  (import "aether" "read_radiation_dosimeter" (func $dose (result i32)))
  (memory (export "memory") 1)
  (func $byte (param $value i32) (param $shift i32) (result i32)
    (i32.shl (i32.and (local.get $value) (i32.const 255)) (local.get $shift)))
  (func (export "evaluate_limits") (result i32)
    (local $a i32) (local $b i32) (local $c i32) (local $e i32)
    (local.set $a (memory.grow (call $dose)))
    (local.set $b (memory.grow (i32.const 1)))
    (local.set $c (memory.grow (i32.const 0)))
    (local.set $e (memory.grow (i32.const -1)))
    (i32.store8 (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 1)) (i32.const 0xaa))
    (i32.or (i32.or (call $byte (local.get $a) (i32.const 0)) (call $byte (local.get $b) (i32.const 8)))
            (i32.or (call $byte (local.get $c) (i32.const 16)) (call $byte (local.get $e) (i32.const 24))))))
