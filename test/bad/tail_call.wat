;; expect: uses feature tail calls, not supported by the Aether runtime
(module
  (memory (export "memory") 1)
  (func $zero (result i32) i32.const 0)
  (func (export "evaluate_limits") (result i32) return_call $zero))
