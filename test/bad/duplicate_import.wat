;; expect: import aether\.commit_uplink appears twice \(imports 0 and 1\)
(module
  (import "aether" "commit_uplink" (func (param i32 i32)))
  (import "aether" "commit_uplink" (func (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "evaluate_limits") (result i32) i32.const 0))
