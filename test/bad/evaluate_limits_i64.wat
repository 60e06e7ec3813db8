;; expect: export evaluate_limits has type \(\) -> i64, expected \(\) -> i32
(module
  (memory (export "memory") 1)
  (func (export "evaluate_limits") (result i64) i64.const 0))
