;; expect: uses feature memory64, not supported by the Aether runtime: memory 0 at offset 0x[0-9a-f]+ has 64-bit limits
(module
  (memory (export "memory") i64 1)
  (func (export "evaluate_limits") (result i32) i32.const 0))
