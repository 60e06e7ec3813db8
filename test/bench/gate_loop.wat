;; SPDX-License-Identifier: AGPL-3.0-or-later
;; gate_loop.wat: aether-bench's gate probe: N = the dose, then N more calls to read_radiation_dosimeter (or none).
;; Every wake reads the dose once (N) and the pressure once (the variant). Pressure >= 0.5:
;; N more read_radiation_dosimeter calls, each one trip through the gate. Pressure < 0.5:
;; the same loop with the call replaced by a load at an address the hash picks (the
;; dependency keeps the compiler from folding or vectorising the loop), so that the
;; difference between the two variants is the calls alone, less one load.
;; scripts/aether-bench boots the image with both variants at dose 0 and dose 10000 and
;; divides the difference of the instruction counts by 10000. status = 1000000 + (the
;; hash & 0xffff): always seven digits, so the wake's log line does not depend on it.
(module
  (import "aether" "read_atmospheric_pressure" (func $pressure (result f32)))
  (import "aether" "read_radiation_dosimeter" (func $dose (result i32)))
  (memory (export "memory") 1 1)
  (func (export "evaluate_limits") (result i32)
    (local $n i32) (local $i i32) (local $hash i32)
    (local.set $n (call $dose))
    (if (f32.ge (call $pressure) (f32.const 0.5))
      (then
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $hash (i32.add (i32.mul (local.get $hash) (i32.const 31)) (call $dose)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next))))
      (else
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $hash (i32.add (i32.mul (local.get $hash) (i32.const 31))
                                     (i32.load (i32.and (local.get $hash) (i32.const 0xfffc)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))))
    (i32.add (i32.const 1000000) (i32.and (local.get $hash) (i32.const 0xffff)))))
