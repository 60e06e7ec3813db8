;; expect: export memory is a function, expected memory 0
(module
  (memory 1)
  (func (export "memory") (result i32) i32.const 0)
  (func (export "evaluate_limits") (result i32) i32.const 0))
