;; expect: uses feature threads \(atomic instructions or shared memory\), not supported by the Aether runtime \(wasm-validate: offset 0x[0-9a-f]+: unexpected opcode: 0xfe
(module
  (memory (export "memory") 1 1)
  (func (export "evaluate_limits") (result i32) i32.const 0 i32.atomic.load))
