// The one loader every page shares: boot Pyodide from this folder, install
// wasmcanvas, load the Rust module, then hand over to the page's Python app
// (named by <body data-app="package.module">, whose main() draws the page).
// Contract kept by every page: body[data-status] goes "loading" -> "ready",
// or "error" with the message shown in #status; window.pyodide is exposed;
// window.wasmcanvasBoot holds the stages and how long each took.
// Every URL is relative to this file, so the site works from any sub-path.
import { loadPyodide } from "./pyodide.mjs";

let instances = 0;

/** An argument that is a freed wasm-bindgen object. Rust would refuse it
 * ("null pointer passed to rust") by throwing through its own frames, which
 * skips the release of the receiver's borrow and leaves that object locked
 * for good; refusing it here keeps the receiver usable. */
function freedArgument(args) {
  const index = args.findIndex((arg) => arg !== null && typeof arg === "object" && arg.__wbg_ptr === 0);
  if (index < 0) return null;
  const error = new Error(`argument ${index + 1} is a rust_image object that was already freed`);
  error.name = "ReferenceError";
  return error;
}

/** Wrap every export so that a trap (WebAssembly.RuntimeError) marks the
 * instance broken: every later call then throws at once, instead of running
 * on state the trap may have left half-changed. */
function guardExports(exports) {
  const state = { broken: "" };
  const guard = (run) => {
    const guarded = function (...args) {
      if (state.broken) throw new Error(`rust_image is broken (${state.broken}); reload it`);
      const freed = freedArgument(args);
      if (freed) throw freed;
      try {
        return run.apply(this, args);
      } catch (error) {
        if (error instanceof WebAssembly.RuntimeError) state.broken = `${error.name}: ${error.message}`;
        throw error;
      }
    };
    guarded.wrapped = run; // the glue function, for introspection (parameter names)
    return guarded;
  };
  const wrapMembers = (target, skip) => {
    for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(target))) {
      if (skip.includes(name)) continue;
      if (typeof descriptor.value === "function") descriptor.value = guard(descriptor.value);
      if (descriptor.get) descriptor.get = guard(descriptor.get);
      if (descriptor.set) descriptor.set = guard(descriptor.set);
      Object.defineProperty(target, name, descriptor);
    }
  };
  const guarded = { brokenReason: () => state.broken };
  for (const [name, value] of Object.entries(exports)) {
    if (typeof value === "function" && /^[A-Z]/.test(name)) {
      wrapMembers(value.prototype, ["constructor"]);
      wrapMembers(value, ["length", "name", "prototype"]);
      const construct = guard((args, newTarget) => Reflect.construct(value, args, newTarget));
      guarded[name] = new Proxy(value, { construct: (_target, args, newTarget) => construct(args, newTarget) });
    } else {
      guarded[name] = typeof value === "function" ? guard(value) : value;
    }
  }
  return guarded;
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
  const { default: _init, initSync: _initSync, ...exports } = glue;
  pyodide.registerJsModule("rust_image", { ...guardExports(exports), memory: instance.memory });
  pyodide.registerJsModule("rust_image_loader", { reload: () => loadRustImage(pyodide, glueUrl), instances: () => instances });
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
  ["packages", "Installing wasmcanvas", async ({ pyodide }) => {
    await pyodide.loadPackage("micropip", { messageCallback: () => {} });
    await pyodide.pyimport("micropip").install("wasmcanvas");
  }],
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
