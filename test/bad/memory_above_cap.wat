;; expect: memory 0 has a minimum of 17 pages \(1088 KiB\), above the cap of 16 pages \(1024 KiB\); its maximum is 32 pages
(module
  (memory (export "memory") 17 32)
  (func (export "evaluate_limits") (result i32) i32.const 0))
