;; A minimal payload: evaluate_limits and an exported memory, nothing else.
;; header: AETHER_PAYLOAD_HAS_DIAGNOSTIC 0
;; header: AETHER_PAYLOAD_HAS_PAYLOAD_VERSION 0
;; header: AETHER_PAYLOAD_IMPORTS_READ_ATMOSPHERIC_PRESSURE 0
;; header: AETHER_PAYLOAD_IMPORTS_READ_RADIATION_DOSIMETER 0
;; header: AETHER_PAYLOAD_IMPORTS_COMMIT_TELEMETRY_VECTOR 0
;; header: AETHER_PAYLOAD_IMPORTS_COMMIT_UPLINK 0
;; header: AETHER_PAYLOAD_MEMORY_MIN_PAGES 1
;; header: AETHER_PAYLOAD_MEMORY_MAX_PAGES 0xffffffff
(module
  (memory (export "memory") 1)
  (func (export "evaluate_limits") (result i32) i32.const 0))
