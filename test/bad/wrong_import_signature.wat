;; expect: import aether\.read_radiation_dosimeter has type \(i32\) -> i32, expected \(\) -> i32
(module
  (import "aether" "read_radiation_dosimeter" (func (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "evaluate_limits") (result i32) i32.const 0))
