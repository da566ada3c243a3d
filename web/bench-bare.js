// Baseline of the boot benchmark: the bare runtime, nothing else.
import { loadPyodide } from "./pyodide.mjs";

await loadPyodide();
window.bareReadyAt = performance.now();
