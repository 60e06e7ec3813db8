;; expect: import env\.memory is a memory, expected a function
(module
  (import "env" "memory" (memory 1))
  (export "memory" (memory 0))
  (func (export "evaluate_limits") (result i32) i32.const 0))
