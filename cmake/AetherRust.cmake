# SPDX-License-Identifier: AGPL-3.0-or-later
# AetherRust.cmake: Rust payloads: a no_std crate built offline with Debian's cargo to a .wasm, its image booted, its records compared with C's.
#
# payload/rust is the stock payload in Rust (a cdylib for
# wasm32-unknown-unknown, no crates). It is built with Debian's rustc, cargo and
# libstd-rust-dev-wasm32 (scripts/install-deps), fully offline, and tested
# against the C stock payload: same wakes, same records but for the payload
# identity, booted and in aether-sim. Needs PAYLOAD_WASM (the C stock module),
# AETHER_MULTIWAKE_WAKES and the boot functions (AetherBootTests.cmake), and
# aether_sim_equivalence (AetherSim.cmake).

option(AETHER_RUST "Build payload/rust with cargo and test it (needs rustc, cargo, libstd-rust-dev-wasm32)" ON)
if(NOT AETHER_RUST)
  return()
endif()

# Debian's toolchain first: a rustup install may come earlier on PATH, and
# its cargo would run its own rustc. RUSTC below pins the compiler cargo runs.
find_program(AETHER_CARGO cargo HINTS /usr/bin)
find_program(AETHER_RUSTC rustc HINTS /usr/bin)
if(NOT AETHER_CARGO OR NOT AETHER_RUSTC)
  message(FATAL_ERROR "Rust payloads need cargo and rustc (found: cargo ${AETHER_CARGO}, rustc ${AETHER_RUSTC}): "
    "run scripts/install-deps (Debian's rustc, cargo and libstd-rust-dev-wasm32), or configure with -DAETHER_RUST=OFF")
endif()
execute_process(COMMAND ${AETHER_RUSTC} --version OUTPUT_VARIABLE rustc_version OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND ${AETHER_RUSTC} --print target-libdir --target wasm32-unknown-unknown
  OUTPUT_VARIABLE wasm32_libdir OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
file(GLOB wasm32_core "${wasm32_libdir}/libcore-*.rlib")
if(NOT wasm32_core)
  message(FATAL_ERROR "${AETHER_RUSTC} (${rustc_version}) has no core library for wasm32-unknown-unknown "
    "(none in '${wasm32_libdir}'): install Debian's libstd-rust-dev-wasm32 (scripts/install-deps), "
    "or configure with -DAETHER_RUST=OFF")
endif()

# `cmake -DAETHER_RUSTC=... -P AetherRust.cmake` runs the checks above alone
# (test rust.toolchain_check).
if(CMAKE_SCRIPT_MODE_FILE)
  return()
endif()

# What a cargo run of this build sees: its own CARGO_HOME (nothing of the
# user's ~/.cargo), Debian's rustc, and no flags from the environment, which
# would replace the crate's .cargo/config.toml (its target and memory limits).
set(AETHER_CARGO_ENV --unset=RUSTFLAGS --unset=CARGO_ENCODED_RUSTFLAGS --unset=CARGO_BUILD_RUSTFLAGS
  --unset=CARGO_BUILD_TARGET CARGO_HOME=${CMAKE_BINARY_DIR}/rust/cargo-home RUSTC=${AETHER_RUSTC})

# aether_rust_payload(OUT.wasm CRATE_DIR): builds the cdylib crate in CRATE_DIR
# at build time with cargo, offline and locked to its committed Cargo.lock,
# in CRATE_DIR (where cargo reads its .cargo/config.toml), into the build tree.
function(aether_rust_payload out_wasm crate)
  file(STRINGS ${crate}/Cargo.toml package_name REGEX "^name = \"[A-Za-z0-9_-]+\"$" LIMIT_COUNT 1)
  string(REGEX REPLACE "^name = \"(.*)\"$" "\\1" lib "${package_name}")
  string(REPLACE "-" "_" lib "${lib}") # cargo's file name for the library
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${crate}/src/*.rs)
  set(target_dir ${CMAKE_BINARY_DIR}/rust/target-${lib})
  file(RELATIVE_PATH shown ${PROJECT_SOURCE_DIR} ${crate})
  add_custom_command(
    OUTPUT ${out_wasm}
    COMMAND ${CMAKE_COMMAND} -E env ${AETHER_CARGO_ENV}
            ${AETHER_CARGO} build --release --offline --locked --quiet --target-dir ${target_dir}
    COMMAND ${CMAKE_COMMAND} -E copy ${target_dir}/wasm32-unknown-unknown/release/${lib}.wasm ${out_wasm}
    WORKING_DIRECTORY ${crate}
    DEPENDS ${sources} ${crate}/Cargo.toml ${crate}/Cargo.lock ${crate}/.cargo/config.toml
    COMMENT "cargo build (wasm32-unknown-unknown): ${shown}"
    VERBATIM)
endfunction()

set(AETHER_RUST_WASM ${CMAKE_BINARY_DIR}/rust/aether_stock_payload.wasm)
aether_rust_payload(${AETHER_RUST_WASM} ${PROJECT_SOURCE_DIR}/payload/rust)
add_custom_target(rust_payload ALL DEPENDS ${AETHER_RUST_WASM})

# ---- tests (label rust) ---------------------------------------------------------------

set(RUST_RECORDS ${PROJECT_SOURCE_DIR}/test/rust/rust_records.py)

# The Rust payload's image, booted with boot.multiwake's wakes (one boot);
# rust.records then compares its report with boot.multiwake's, record by
# record, and sim.equiv.rust replays it through aether-sim.
aether_payload_image(rust WASM ${AETHER_RUST_WASM})
aether_boot_test(rust IMAGE ${CMAKE_BINARY_DIR}/payload-images/rust/BOOTX64.EFI FIXTURES image.rust LABELS rust
  WAKES ${AETHER_MULTIWAKE_WAKES} EXPECT 3 0 1 2 0)
aether_sim_equivalence(rust ${CMAKE_BINARY_DIR}/payload-images/rust)
set_property(TEST sim.equiv.rust APPEND PROPERTY LABELS rust)
add_test(NAME rust.records
  COMMAND ${Python3_EXECUTABLE} ${RUST_RECORDS} --rust-wasm ${AETHER_RUST_WASM} --c-wasm ${PAYLOAD_WASM}
          --reports ${AETHER_REPORTS}/rust.json ${AETHER_REPORTS}/multiwake.json)
set_tests_properties(rust.records PROPERTIES LABELS "rust;boot" FIXTURES_REQUIRED "report.rust;report.multiwake")

# The same comparison in aether-sim, without a boot, with edge values added:
# a NaN pressure (no comparison holds), -0.0 and the extreme doses.
set(sim_wakes "")
foreach(wake ${AETHER_MULTIWAKE_WAKES} 0x20:pressure=nan,dose=-2147483648 0x21:pressure=-0.0,dose=2147483647
             0x21:pressure=0.49999997,dose=1001)
  list(APPEND sim_wakes --wake ${wake})
endforeach()
add_test(NAME rust.sim_records
  COMMAND ${Python3_EXECUTABLE} ${RUST_RECORDS} --rust-wasm ${AETHER_RUST_WASM} --c-wasm ${PAYLOAD_WASM}
          --sim $<TARGET_FILE:aether-sim> --work ${CMAKE_BINARY_DIR}/rust/sim-records ${sim_wakes})
set_tests_properties(rust.sim_records PROPERTIES LABELS "rust;sim" TIMEOUT 300)

# Configure stops, naming the package, when rustc lacks the wasm32 core.
add_test(NAME rust.toolchain_check
  COMMAND ${CMAKE_COMMAND} -DAETHER_RUSTC=${PROJECT_SOURCE_DIR}/test/rust/rustc-without-wasm32
          -P ${PROJECT_SOURCE_DIR}/cmake/AetherRust.cmake)
set_tests_properties(rust.toolchain_check PROPERTIES LABELS rust
  PASS_REGULAR_EXPRESSION "has no core[ \n]+library for wasm32-unknown-unknown.*libstd-rust-dev-wasm32")

# README's "Rust payloads", verbatim, in a copy of payload/ (cargo writes its
# target/ beside the crate), with Debian's toolchain first on PATH as on a
# Debian machine without rustup.
get_filename_component(cargo_dir ${AETHER_CARGO} DIRECTORY)
add_test(NAME rust.readme
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/test/sim/readme_commands.py --readme ${PROJECT_SOURCE_DIR}/README.md
          --section "Rust payloads" --source ${PROJECT_SOURCE_DIR} --build ${CMAKE_BINARY_DIR}
          --work ${CMAKE_BINARY_DIR}/rust/readme --copy payload)
set_tests_properties(rust.readme PROPERTIES LABELS "rust;docs;build" TIMEOUT 300
  ENVIRONMENT_MODIFICATION "PATH=path_list_prepend:${cargo_dir};CARGO_HOME=set:${CMAKE_BINARY_DIR}/rust/readme-cargo-home;RUSTC=unset:;RUSTFLAGS=unset:;CARGO_ENCODED_RUSTFLAGS=unset:;CARGO_BUILD_RUSTFLAGS=unset:;CARGO_BUILD_TARGET=unset:;CARGO_TARGET_DIR=unset:")
