// Runs Pillow's test modules inside Pyodide in Node, with `PIL` an alias of
// wasmcanvas, and writes each test's outcome as JSON:
//   node run_in_node.mjs <dist> <pillow sdist root> <results.json> <module>...
// Pyodide and the wheels come from the built site (dist/, its lock file);
// the sdist appears in Python's file system as /pillow.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [dist, sdist, results, ...modules] = process.argv.slice(2);
if (!dist || !sdist || !results || modules.length === 0) {
  console.error("usage: node run_in_node.mjs <dist> <pillow sdist root> <results.json> <module>...");
  process.exit(2);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const { loadPyodide } = await import(pathToFileURL(path.resolve(dist, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: path.resolve(dist) + "/", stdout: () => {}, stderr: () => {} });
await pyodide.loadPackage(["wasmcanvas", "pytest", "packaging"], { messageCallback: () => {} });
pyodide.FS.mkdirTree("/pillow");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.resolve(sdist) }, "/pillow");
pyodide.FS.mkdirTree("/suite");
for (const name of ["inside_pyodide.py", "pil_alias.py", "outcomes.py"]) {
  pyodide.FS.writeFile(`/suite/${name}`, fs.readFileSync(path.join(here, name)));
}
pyodide.globals.set("modules", pyodide.toPy(modules));
try {
  const outcomes = await pyodide.runPythonAsync(`
import sys
sys.path.insert(0, "/suite")
import inside_pyodide
inside_pyodide.run(list(modules))
`);
  fs.writeFileSync(results, outcomes);
} catch (error) {
  // Python's traceback, not the minified runtime around it.
  console.error(String(error.message ?? error));
  process.exit(1);
}
