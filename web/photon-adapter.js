// Loads photon-rs (npm @silvia-odwyer/photon, built for bundlers: its glue
// imports the .wasm as a module) in a plain browser, for the benchmarks only.
// build.sh points the glue's `import * as wasm from "./photon_rs_bg.wasm"` at
// this module's `wasm`; here the .wasm is instantiated with the glue's own
// import functions, looked up when called because the glue (which imports
// this module) has not run yet while this one does.
import * as glue from "./vendor/photon/photon_rs_bg.js";

const imports = new Proxy({}, { get: (_, name) => (...args) => glue[name](...args) });
const url = new URL("./vendor/photon/photon_rs_bg.wasm", import.meta.url);
const { instance } = await WebAssembly.instantiateStreaming(fetch(url), { "./photon_rs_bg.js": imports });

export const wasm = instance.exports;
