;; expect: uses feature multi-memory, not supported by the Aether runtime: the module defines 2 memories
(module
  (memory (export "memory") 1)
  (memory 1)
  (func (export "evaluate_limits") (result i32) i32.const 0))
