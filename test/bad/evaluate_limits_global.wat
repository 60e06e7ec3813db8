;; expect: export evaluate_limits is a global, expected a function \(\) -> i32
(module
  (memory (export "memory") 1)
  (global (export "evaluate_limits") i32 (i32.const 0)))
