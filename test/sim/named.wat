;; SPDX-License-Identifier: AGPL-3.0-or-later
;; named.wat: named functions, each ending a wake its own way, so that a test sees aether-sim name the wasm function.
;; dose 0: ok, status 7; 1: unreachable in $check (small: clang inlines it); 2: oob in $load; 3: exhaustion
;; in $deep (the call-depth bound); 4: host_call in $send; 5: watchdog in $spin.
(module
  (import "aether" "read_radiation_dosimeter" (func $dose (result i32)))
  (import "aether" "commit_telemetry_vector" (func $commit (param i32 i32)))
  (memory (export "memory") 1 1)
  (func $check (param $d i32) (result i32)
    (if (i32.eq (local.get $d) (i32.const 1)) (then unreachable))
    (local.get $d))
  (func $middle (param $d i32) (result i32) (call $check (local.get $d)))
  (func $load (param $d i32) (result i32) (i32.load (i32.add (local.get $d) (i32.const 65534))))
  (func $deep (param $n i32) (result i32)
    (i32.add (call $deep (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))
  (func $send (call $commit (i32.const 65530) (i32.const 100)))
  (func $spin (loop (br 0)))
  (func (export "evaluate_limits") (result i32)
    (local $d i32)
    (local.set $d (call $dose))
    (if (i32.eq (local.get $d) (i32.const 2)) (then (return (call $load (local.get $d)))))
    (if (i32.eq (local.get $d) (i32.const 3)) (then (return (call $deep (i32.const 0)))))
    (if (i32.eq (local.get $d) (i32.const 4)) (then (call $send)))
    (if (i32.eq (local.get $d) (i32.const 5)) (then (call $spin)))
    (i32.add (call $middle (local.get $d)) (i32.const 7))))
