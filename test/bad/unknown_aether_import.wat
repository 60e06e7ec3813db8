;; expect: import aether\.read_temperature \(\(\) -> f32\) is not provided by the Aether runtime
(module
  (import "aether" "read_temperature" (func (result f32)))
  (memory (export "memory") 1)
  (func (export "evaluate_limits") (result i32) i32.const 0))
