;; expect: table 0 \(funcref\) has a minimum of 1025 elements, above the runtime's limit of 1024 \(AETHER_CFG_TABLE_CAP\)
;; table_above_cap.wat: a funcref table larger than the runtime's static table storage.
(module
  (table 1025 funcref)
  (memory (export "memory") 1)
  (func (export "evaluate_limits") (result i32) (i32.const 0)))
