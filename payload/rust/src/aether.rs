// SPDX-License-Identifier: AGPL-3.0-or-later
//! aether.rs: what a payload written in Rust sees of the enclave (payload/aether_guest.h's twin): the four imports and the status bits.
//!
//! The host functions are imported from module `aether` (ARCHITECTURE.md,
//! section 6, "Host imports"). On wasm32 an `extern "C"` `f32` is a wasm f32,
//! and `i32`, `u32`, `usize` and a pointer are each a wasm i32, so the
//! declarations below have exactly the signatures the enclave accepts. Nothing
//! survives a wake: each wake runs a fresh instance of the module.

/// `evaluate_limits()` returns a bitmask of these.
pub const STATUS_PRESSURE_LOW: i32 = 1 << 0;
pub const STATUS_DOSE_HIGH: i32 = 1 << 1;

/// At most this many bytes of telemetry per wake.
pub const TELEMETRY_MAX: usize = 256;

mod sys {
    #[link(wasm_import_module = "aether")]
    extern "C" {
        pub fn read_atmospheric_pressure() -> f32;
        pub fn read_radiation_dosimeter() -> i32;
        pub fn commit_telemetry_vector(ptr: *const u8, len: usize);
        pub fn commit_uplink(lo: i32, hi: i32);
    }
}

/// The pressure (atm) latched when the wake's interrupt arrived, bit-exact;
/// the same value for every call within one wake.
pub fn read_atmospheric_pressure() -> f32 {
    // SAFETY: no arguments; the host returns the latched value.
    unsafe { sys::read_atmospheric_pressure() }
}

/// The dose latched with the pressure.
pub fn read_radiation_dosimeter() -> i32 {
    // SAFETY: as above.
    unsafe { sys::read_radiation_dosimeter() }
}

/// Copies `bytes` as the wake's telemetry, covered by the proof. More than
/// TELEMETRY_MAX bytes end the wake with the `host_call` fault. A later call
/// replaces an earlier one.
pub fn commit_telemetry_vector(bytes: &[u8]) {
    // SAFETY: the host reads `bytes.len()` bytes at the slice's address, all
    // of them in linear memory.
    unsafe { sys::commit_telemetry_vector(bytes.as_ptr(), bytes.len()) }
}

/// Two words the guest wants in the proof record; the last call wins, and a
/// wake that never calls it records 0, 0.
pub fn commit_uplink(lo: i32, hi: i32) {
    // SAFETY: two plain words.
    unsafe { sys::commit_uplink(lo, hi) }
}
