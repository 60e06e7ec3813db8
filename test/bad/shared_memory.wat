;; expect: uses feature threads \(shared memory\), not supported by the Aether runtime
(module
  (memory (export "memory") 1 2 shared)
  (func (export "evaluate_limits") (result i32) i32.const 0))
