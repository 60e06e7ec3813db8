;; expect: imports wasi_snapshot_preview1\.fd_write \(\(i32, i32, i32, i32\) -> i32\), env\.malloc \(\(i32\) -> i32\), aether\.read_radiation_dosimeter_twice \(\(\) -> i32\), wasi_snapshot_preview1\.proc_exit \(\(i32\) -> nil\), env\.__stack_chk_fail \(\(\) -> nil\) are not provided by the Aether runtime, which provides only aether\.read_atmospheric_pressure: \(\) -> f32.*\. A payload links no libc and no WASI: with clang, build with --target=wasm32 -nostdlib, call no libc function, and declare host functions with __attribute__\(\(import_module\("aether"\)\)\) as aether_guest\.h does; with Rust, write #!\[no_std\] with crate-type = \["cdylib"\] and build for --target wasm32-unknown-unknown, not wasm32-wasi
;; A C or Rust payload built against libc or WASI: every foreign import is
;; named in one rejection (an accepted aether import among them is not), with
;; what to change for clang and for Rust.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (import "env" "malloc" (func (param i32) (result i32)))
  (import "aether" "read_radiation_dosimeter" (func (result i32)))
  (import "aether" "read_radiation_dosimeter_twice" (func (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
  (import "env" "__stack_chk_fail" (func))
  (memory (export "memory") 1)
  (func (export "evaluate_limits") (result i32) i32.const 0))
