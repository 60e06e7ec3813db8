// SPDX-License-Identifier: AGPL-3.0-or-later
//! lib.rs: the stock mission logic in Rust (payload/stock_payload.c's twin): pressure and dose limits, and a telemetry frame.
//!
//! A `no_std` cdylib for wasm32-unknown-unknown: no allocator, no std, no
//! crates, only the `aether` imports (src/aether.rs). Exports
//! `evaluate_limits`, `diagnostic`, `payload_version` and `memory`.
#![no_std]

pub mod aether;

use aether::{STATUS_DOSE_HIGH, STATUS_PRESSURE_LOW};

// Thresholds (ARCHITECTURE.md, "The stock payload").
const PRESSURE_LOW_ATM: f32 = 0.5; // below: PRESSURE_LOW
const DOSE_HIGH: i32 = 1000; // above: DOSE_HIGH

const TELEMETRY_MAGIC: u32 = 0x4d4c_5441; // "ATLM" little-endian
const TELEMETRY_VERSION: u16 = 1;
const PAYLOAD_VERSION: i32 = 1;

/// The telemetry frame, 16 bytes little-endian: magic u32, version u16,
/// status u16, pressure f32 (its bits as read), dose i32.
fn telemetry_frame(status: u16, pressure: f32, dose: i32) -> [u8; 16] {
    let mut frame = [0; 16];
    frame[0..4].copy_from_slice(&TELEMETRY_MAGIC.to_le_bytes());
    frame[4..6].copy_from_slice(&TELEMETRY_VERSION.to_le_bytes());
    frame[6..8].copy_from_slice(&status.to_le_bytes());
    frame[8..12].copy_from_slice(&pressure.to_bits().to_le_bytes());
    frame[12..16].copy_from_slice(&dose.to_le_bytes());
    frame
}

#[no_mangle]
pub extern "C" fn evaluate_limits() -> i32 {
    let pressure = aether::read_atmospheric_pressure();
    let dose = aether::read_radiation_dosimeter();
    let mut status = 0;
    if pressure < PRESSURE_LOW_ATM {
        status |= STATUS_PRESSURE_LOW;
    }
    if dose > DOSE_HIGH {
        status |= STATUS_DOSE_HIGH;
    }
    aether::commit_telemetry_vector(&telemetry_frame(status as u16, pressure, dose));
    status
}

/// A self-test the ground can request: both thresholds classify their edges.
#[no_mangle]
pub extern "C" fn diagnostic() -> i32 {
    let ok = (0.49 < PRESSURE_LOW_ATM) && !(0.5 < PRESSURE_LOW_ATM) && (1001 > DOSE_HIGH) && !(1000 > DOSE_HIGH);
    if ok {
        0
    } else {
        1
    }
}

#[no_mangle]
pub extern "C" fn payload_version() -> i32 {
    PAYLOAD_VERSION
}

/// No unwinding in the guest (`panic = "abort"`): a panic traps, and the wake
/// ends with the `trap` fault.
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
