;; expect: the module defines no memory: the Aether runtime needs exactly one memory
(module
  (func (export "evaluate_limits") (result i32) i32.const 0))
