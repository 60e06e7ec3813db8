;; A subset of the imports, a maximum within the cap.
;; header: AETHER_PAYLOAD_IMPORTS_READ_ATMOSPHERIC_PRESSURE 0
;; header: AETHER_PAYLOAD_IMPORTS_READ_RADIATION_DOSIMETER 1
;; header: AETHER_PAYLOAD_IMPORTS_COMMIT_TELEMETRY_VECTOR 0
;; header: AETHER_PAYLOAD_IMPORTS_COMMIT_UPLINK 1
;; header: AETHER_PAYLOAD_HAS_DIAGNOSTIC 0
;; header: AETHER_PAYLOAD_HAS_PAYLOAD_VERSION 1
;; header: AETHER_PAYLOAD_MEMORY_MIN_PAGES 2
;; header: AETHER_PAYLOAD_MEMORY_MAX_PAGES 4
(module
  (import "aether" "read_radiation_dosimeter" (func $dose (result i32)))
  (import "aether" "commit_uplink" (func $uplink (param i32 i32)))
  (memory (export "memory") 2 4)
  (func (export "evaluate_limits") (result i32) call $dose)
  (func (export "payload_version") (result i32) i32.const 3))
