;; expect: export evaluate_limits is missing: every payload exports evaluate_limits: \(\) -> i32
(module
  (memory (export "memory") 1)
  (func (export "evaluate") (result i32) i32.const 0))
