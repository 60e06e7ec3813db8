;; expect: export diagnostic has type \(i32\) -> i32, expected \(\) -> i32
(module
  (memory (export "memory") 1)
  (func (export "evaluate_limits") (result i32) i32.const 0)
  (func (export "diagnostic") (param i32) (result i32) local.get 0))
