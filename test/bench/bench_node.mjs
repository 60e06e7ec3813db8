// SPDX-License-Identifier: AGPL-3.0-or-later
// bench_node.mjs: the V8 peers of scripts/aether-bench: guest compute, and a fresh WebAssembly.Instance per wake.
//
//   node bench_node.mjs compute PAYLOAD.wasm ITERATIONS REPEATS PRESSURE DOSE
//     One instance; one untimed warm-up batch, then REPEATS batches of
//     bench_loop(ITERATIONS); nanoseconds per evaluate_limits call per batch.
//   node bench_node.mjs fresh PAYLOAD.wasm WAKES PRESSURE DOSE
//     The module compiled once; every wake a new WebAssembly.Instance (fresh
//     linear memory and globals), evaluate_limits, the telemetry copied out.
//     100 untimed warm-up wakes, then WAKES timed one by one. No proof and no
//     scrub: V8 frees the old instance whenever its GC runs.
// Prints one JSON object; the imports read the latched values like the enclave's.

import { readFileSync } from "node:fs";

function aetherImports(pressure, dose, state) {
        return {
                aether: {
                        read_atmospheric_pressure: () => pressure,
                        read_radiation_dosimeter: () => dose,
                        commit_telemetry_vector: (ptr, len) => {
                                if (len < 0 || len > 256 || ptr + len > state.memory.buffer.byteLength)
                                        throw new Error("host_call fault");
                                state.telemetry = new Uint8Array(state.memory.buffer, ptr, len).slice();
                        },
                        commit_uplink: () => {},
                },
        };
}

function quantile(samples, q) {
        const sorted = Float64Array.from(samples).sort();
        return sorted[Math.floor(q * (sorted.length - 1))];
}

function hex(bytes) {
        return Buffer.from(bytes ?? []).toString("hex");
}

function compute(module, iterations, repeats, pressure, dose) {
        const state = {};
        const instance = new WebAssembly.Instance(module, aetherImports(pressure, dose, state));
        state.memory = instance.exports.memory;
        const loop = instance.exports.bench_loop;
        const checksum = loop(iterations);
        const nsPerCall = [];
        for (let r = 0; r < repeats; r++) {
                const start = process.hrtime.bigint();
                const again = loop(iterations);
                nsPerCall.push(Number(process.hrtime.bigint() - start) / iterations);
                if (again !== checksum)
                        throw new Error(`checksum changed between batches: ${checksum} then ${again}`);
        }
        return { build: "v8", iterations, ns_per_call: nsPerCall, median_ns: quantile(nsPerCall, 0.5), checksum,
                 telemetry: hex(state.telemetry) };
}

function fresh(module, wakes, pressure, dose) {
        const state = {};
        const imports = aetherImports(pressure, dose, state);
        let status = 0;
        const wake = () => {
                const instance = new WebAssembly.Instance(module, imports);
                state.memory = instance.exports.memory;
                status = instance.exports.evaluate_limits();
        };
        for (let i = 0; i < 100; i++)
                wake();
        const samples = new Float64Array(wakes);
        for (let i = 0; i < wakes; i++) {
                const start = process.hrtime.bigint();
                wake();
                samples[i] = Number(process.hrtime.bigint() - start);
        }
        return { wakes, fresh_instance_ns: { median: quantile(samples, 0.5), p10: quantile(samples, 0.1),
                                             p90: quantile(samples, 0.9) },
                 status, telemetry: hex(state.telemetry) };
}

const [mode, path, ...rest] = process.argv.slice(2);
const module = new WebAssembly.Module(readFileSync(path));
const numbers = rest.map(Number);
let result;
if (mode === "compute" && numbers.length === 4)
        result = compute(module, ...numbers);
else if (mode === "fresh" && numbers.length === 3)
        result = fresh(module, ...numbers);
else {
        console.error("usage: bench_node.mjs compute WASM ITERATIONS REPEATS PRESSURE DOSE | fresh WASM WAKES PRESSURE DOSE");
        process.exit(2);
}
console.log(JSON.stringify(result));
