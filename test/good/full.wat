;; Every import and optional export, a maximum above the cap, other exports ignored.
;; header: AETHER_PAYLOAD_HAS_DIAGNOSTIC 1
;; header: AETHER_PAYLOAD_HAS_PAYLOAD_VERSION 1
;; header: AETHER_PAYLOAD_IMPORTS_READ_ATMOSPHERIC_PRESSURE 1
;; header: AETHER_PAYLOAD_IMPORTS_READ_RADIATION_DOSIMETER 1
;; header: AETHER_PAYLOAD_IMPORTS_COMMIT_TELEMETRY_VECTOR 1
;; header: AETHER_PAYLOAD_IMPORTS_COMMIT_UPLINK 1
;; header: AETHER_PAYLOAD_MEMORY_MIN_PAGES 16
;; header: AETHER_PAYLOAD_MEMORY_MAX_PAGES 256
(module
  (import "aether" "commit_uplink" (func $uplink (param i32 i32)))
  (import "aether" "read_atmospheric_pressure" (func $pressure (result f32)))
  (import "aether" "commit_telemetry_vector" (func $telemetry (param i32 i32)))
  (import "aether" "read_radiation_dosimeter" (func $dose (result i32)))
  (memory (export "memory") 16 256)
  (table (export "__indirect_function_table") 1 funcref)
  (global (export "__stack_pointer") (mut i32) (i32.const 65536))
  (func (export "evaluate_limits") (result i32)
    (call $telemetry (i32.const 0) (i32.const 8))
    (call $uplink (i32.const 8) (i32.const 8))
    (i32.add (call $dose) (i32.trunc_f32_s (call $pressure))))
  (func (export "diagnostic") (result i32) i32.const 7)
  (export "payload_version" (func $dose))
  (func (export "helper") (param i64) (result i64) local.get 0))
