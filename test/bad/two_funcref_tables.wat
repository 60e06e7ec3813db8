;; expect: table 1 is a second funcref table; the Aether runtime provides one table of each kind
;; two_funcref_tables.wat: reference types allow several tables; the runtime keeps one of each kind.
(module
  (table 1 funcref)
  (table 2 funcref)
  (memory (export "memory") 1)
  (func (export "evaluate_limits") (result i32) (i32.const 0)))
