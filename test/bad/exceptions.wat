;; expect: uses feature exceptions, not supported by the Aether runtime: tag section \(id 13\) at offset 0x
(module
  (memory (export "memory") 1)
  (tag $overheat (param i32))
  (func (export "evaluate_limits") (result i32) i32.const 0))
