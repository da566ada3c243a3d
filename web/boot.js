// The one loader every page shares: boot Pyodide from this folder, install
// wasmcanvas, load the Rust module, then hand over to the page's Python app
// (named by <body data-app="package.module">, whose main() draws the page).
// Contract kept by every page: body[data-status] goes "loading" -> "ready",
// or "error" with the message shown in #status; window.pyodide is exposed.
import { loadPyodide } from "./pyodide.mjs";

/** Instantiate the wasm-bindgen module and register it for Python as
 * `rust_image`, with the instance's linear `memory` beside its exports. */
export async function loadRustImage(pyodide) {
  const glue = await import("./pkg/rust_image.js");
  const instance = await glue.default();
  const { default: _init, initSync: _initSync, ...exports } = glue;
  pyodide.registerJsModule("rust_image", { ...exports, memory: instance.memory });
  return instance;
}

function showStatus(text) {
  const status = document.getElementById("status");
  if (status) status.textContent = text;
}

async function boot(app) {
  document.body.dataset.status = "loading";
  const started = performance.now();
  let stage = "";
  const enter = (name) => {
    stage = name;
    showStatus(`${name}…`);
  };
  try {
    enter("Loading the Python runtime");
    const pyodide = await loadPyodide();
    window.pyodide = pyodide;

    enter("Installing wasmcanvas");
    await pyodide.loadPackage("micropip", { messageCallback: () => {} });
    await pyodide.pyimport("micropip").install("wasmcanvas");

    enter("Loading the Rust module");
    await loadRustImage(pyodide);

    enter("Starting the app");
    await pyodide.pyimport(app).main();

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    showStatus(`Ready in ${seconds} s.`);
    document.body.dataset.status = "ready";
  } catch (error) {
    document.body.dataset.status = "error";
    showStatus(`Failed at "${stage}": ${error.message ?? error}`);
    document.getElementById("status")?.classList.add("error");
    console.error(error);
  }
}

const app = document.body?.dataset.app;
if (app) boot(app);
