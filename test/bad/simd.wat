;; expect: uses feature SIMD, not supported by the Aether runtime \(wasm-validate: offset 0x[0-9a-f]+: unexpected opcode: 0xfd
(module
  (memory (export "memory") 1)
  (func (export "evaluate_limits") (result i32)
    v128.const i32x4 1 2 3 4
    i32x4.extract_lane 0))
