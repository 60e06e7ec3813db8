;; expect: export memory is missing: the payload's memory must be exported as "memory"
(module
  (memory 1)
  (func (export "evaluate_limits") (result i32) i32.const 0))
