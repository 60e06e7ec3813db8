;; expect: malformed module: offset 0x[0-9a-f]+: type mismatch in implicit return, expected \[i32\] but got \[i64\]
;; wat2wasm: --no-check
(module
  (memory (export "memory") 1)
  (func (export "evaluate_limits") (result i32) i64.const 0))
