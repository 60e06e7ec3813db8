;; SPDX-License-Identifier: AGPL-3.0-or-later
;; residue.wat: sprays a dose-derived pattern over linear memory, the cycle stack and XMM registers.
;; The words are w = dose * 0x9e3779b1 ^ 0x5bd1e995, ~w, w ^ 0x12345678, rotl(w, 7)
;; (scripts/aether_harness/residue.py looks for them from outside). The payload first checks
;; that its memory reads zero, grows it to the 16-page cap, checks the new pages too, fills
;; all of it with the pattern, then recurses 64 deep holding the pattern in i64 and f64 locals.
;; An odd dose traps (`unreachable`) at the bottom of the recursion; an even one commits the
;; pattern as telemetry and (w, ~w) as uplink words, and returns 1000 + flags, where flag 1 =
;; memory not zero at entry, 2 = memory.grow did not give the cap, 4 = grown pages not zero.
(module
  (import "aether" "read_radiation_dosimeter" (func $dose (result i32)))
  (import "aether" "commit_telemetry_vector" (func $telemetry (param i32 i32)))
  (import "aether" "commit_uplink" (func $uplink (param i32 i32)))
  (memory (export "memory") 1)
  (func $end (result i32) (i32.mul (memory.size) (i32.const 65536)))
  (func $nonzero (result i32)
    (local $p i32)
    (block $done
      (loop $scan
        (br_if $done (i32.ge_u (local.get $p) (call $end)))
        (if (i64.ne (i64.load (local.get $p)) (i64.const 0)) (then (return (i32.const 1))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $scan)))
    (i32.const 0))
  (func $spray (param $a i64) (param $b i64)
    (local $p i32)
    (block $done
      (loop $fill
        (br_if $done (i32.ge_u (local.get $p) (call $end)))
        (i64.store (local.get $p) (local.get $a))
        (i64.store offset=8 (local.get $p) (local.get $b))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $fill))))
  (func $pair (param $lo i32) (param $hi i32) (result i64)
    (i64.or (i64.extend_i32_u (local.get $lo)) (i64.shl (i64.extend_i32_u (local.get $hi)) (i64.const 32))))
  (func $deep (param $n i32) (param $trap i32) (param $a i64) (param $b i64) (result i64)
    (local $fa f64) (local $fb f64) (local $r i64)
    (local.set $fa (f64.reinterpret_i64 (local.get $a)))
    (local.set $fb (f64.reinterpret_i64 (local.get $b)))
    (if (i32.eqz (local.get $n))
      (then
        (if (local.get $trap) (then unreachable))
        (return (i64.xor (local.get $a) (local.get $b)))))
    (local.set $r (call $deep (i32.sub (local.get $n) (i32.const 1)) (local.get $trap)
                              (i64.load (i32.const 0)) (i64.load (i32.const 8))))
    (i64.add (local.get $r)
      (i64.xor (i64.reinterpret_f64 (f64.add (local.get $fa) (local.get $fb)))
               (i64.reinterpret_f64 (f64.mul (local.get $fa) (local.get $fb))))))
  (func (export "evaluate_limits") (result i32)
    (local $d i32) (local $w i32) (local $flags i32) (local $r i64)
    (local.set $d (call $dose))
    (local.set $w (i32.xor (i32.mul (local.get $d) (i32.const 0x9e3779b1)) (i32.const 0x5bd1e995)))
    (if (call $nonzero) (then (local.set $flags (i32.const 1))))
    (if (i32.ne (memory.grow (i32.const 15)) (i32.const 1))
      (then (local.set $flags (i32.or (local.get $flags) (i32.const 2)))))
    (if (call $nonzero) (then (local.set $flags (i32.or (local.get $flags) (i32.const 4)))))
    (call $spray (call $pair (local.get $w) (i32.xor (local.get $w) (i32.const -1)))
                 (call $pair (i32.xor (local.get $w) (i32.const 0x12345678)) (i32.rotl (local.get $w) (i32.const 7))))
    (local.set $r (call $deep (i32.const 64) (i32.and (local.get $d) (i32.const 1))
                              (i64.load (i32.const 0)) (i64.load (i32.const 8))))
    (i64.store (i32.const 16) (local.get $r))
    (call $telemetry (i32.const 0) (i32.const 24))
    (call $uplink (local.get $w) (i32.xor (local.get $w) (i32.const -1)))
    (i32.add (i32.const 1000) (local.get $flags))))
