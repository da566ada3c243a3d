// The one loader every page shares: boot Pyodide from this folder, install
// wasmcanvas and the site's applications (wasmcanvas_site, a wheel of its
// own), load the Rust module, then hand over to the page's Python app (named
// by <body data-app="package.module">, whose main() draws the page).
// Contract kept by every page: body[data-status] goes "loading" -> "ready",
// or "error" with the message shown in #status; window.pyodide is exposed;
// window.wasmcanvasBoot holds the stages and how long each took.
// Every URL is relative to this file, so the site works from any sub-path.
import { loadPyodide } from "./pyodide.mjs";
import guardRustImage from "./rust_guard.js";

let instances = 0;
let codecInstances = 0;

/** A fresh instance of the picture-codecs module, which Python asks for
 * (`await wasmcanvas.load_codecs()`) only when it reads or writes a file. */
async function loadCodecs(glueUrl = "./pkg/rust_image_codecs.js") {
  const glue = await import(`${glueUrl}${codecInstances ? `?instance=${codecInstances}` : ""}`);
  codecInstances += 1;
  const instance = await glue.default();
  return { exports: glue, memory: instance.memory };
}

/** Instantiate the wasm-bindgen module and register it for Python as
 * `rust_image`, with the instance's linear `memory` beside its exports, and
 * `rust_image_loader.reload()` to make a fresh instance after a trap. */
export async function loadRustImage(pyodide, glueUrl = "./pkg/rust_image.js") {
  // A new module record (query string) gives a new instance; the .wasm
  // itself comes from the browser's cache.
  const glue = await import(`${glueUrl}${instances ? `?instance=${instances}` : ""}`);
  instances += 1;
  const instance = await glue.default();
  pyodide.registerJsModule("rust_image", guardRustImage(glue, instance.memory));
  pyodide.registerJsModule("rust_image_loader", {
    reload: () => loadRustImage(pyodide, glueUrl),
    instances: () => instances,
    codecs: () => loadCodecs(),
  });
  return instance;
}

/** Import the ES modules a page lists in <body data-js-modules="name=./path
 * other=./path"> and register each for Python under its name. */
async function loadPageModules(pyodide) {
  const entries = (document.body.dataset.jsModules ?? "").split(/\s+/).filter(Boolean);
  for (const entry of entries) {
    const [name, path] = entry.split("=");
    pyodide.registerJsModule(name, await import(new URL(path, import.meta.url).href));
  }
}

const STAGES = [
  ["runtime", "Loading the Python runtime", (state) => loadPyodide().then((pyodide) => (state.pyodide = pyodide))],
  // The site's own lock file lists both wheels, so Pyodide installs them
  // without loading micropip first (what a page elsewhere uses:
  // examples/plain.html).
  ["packages", "Installing wasmcanvas", ({ pyodide }) =>
    pyodide.loadPackage(["wasmcanvas", "wasmcanvas-site"], { messageCallback: () => {} })],
  ["module", "Loading the Rust module", ({ pyodide }) => loadRustImage(pyodide).then(() => loadPageModules(pyodide))],
  ["app", "Starting the app", ({ pyodide, app }) => pyodide.pyimport(app).main()],
];

function show(text, fraction) {
  const status = document.getElementById("status");
  if (status) status.textContent = text;
  const bar = document.getElementById("boot-progress");
  if (bar) bar.value = fraction;
}

async function boot(app) {
  const body = document.body;
  body.dataset.status = "loading";
  const record = (window.wasmcanvasBoot = { stages: [], started: performance.now() });
  const state = { app };
  let current = "";
  try {
    for (const [index, [key, label, run]] of STAGES.entries()) {
      current = label;
      show(`${label}… (${index + 1}/${STAGES.length})`, index / STAGES.length);
      const began = performance.now();
      await run(state);
      if (key === "runtime") window.pyodide = state.pyodide;
      record.stages.push({ key, label, ms: performance.now() - began });
    }
    record.readyAt = performance.now();
    record.total = record.readyAt - record.started;
    const parts = record.stages.map(({ key, ms }) => `${key} ${(ms / 1000).toFixed(1)} s`);
    show(`Ready in ${(record.total / 1000).toFixed(1)} s (${parts.join(", ")}).`, 1);
    body.dataset.status = "ready";
  } catch (error) {
    body.dataset.status = "error";
    show(`Failed at "${current}": ${error.message ?? error}`, 0);
    document.getElementById("status")?.classList.add("error");
    console.error(error);
  }
}

const app = document.body?.dataset.app;
if (app) boot(app);
