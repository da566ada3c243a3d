// Compiles what dist/ serves to Pyodide (its standard library's zip, the
// wheels) to bytecode with Pyodide's own CPython (pyodide_bytecode.py):
//   node pyodide_bytecode.mjs <pyodide dir> <output dir> <zip or wheel>...
// Each output keeps its input's name; one newer than its input (and than
// these two tools) is kept; an output with no input is removed.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [pyodideDir, outputDir, ...inputs] = process.argv.slice(2);
if (!pyodideDir || !outputDir || inputs.length === 0) {
  console.error("usage: node pyodide_bytecode.mjs <pyodide dir> <output dir> <zip or wheel>...");
  process.exit(2);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const program = path.join(here, "pyodide_bytecode.py");
const toolTime = Math.max(fs.statSync(program).mtimeMs, fs.statSync(fileURLToPath(import.meta.url)).mtimeMs);
fs.mkdirSync(outputDir, { recursive: true });
const names = new Set(inputs.map((input) => path.basename(input)));
for (const name of fs.readdirSync(outputDir)) {
  if (!names.has(name)) fs.rmSync(path.join(outputDir, name));
}
const stale = inputs.filter((input) => {
  const output = path.join(outputDir, path.basename(input));
  if (!fs.existsSync(output)) return true;
  const outputTime = fs.statSync(output).mtimeMs;
  return outputTime < fs.statSync(input).mtimeMs || outputTime < toolTime;
});
if (stale.length === 0) process.exit(0);

const { loadPyodide } = await import(pathToFileURL(path.resolve(pyodideDir, "pyodide.mjs")).href);
// Without the column ranges of each instruction (only traceback carets use
// them): the standard library's zip 3.5 MB rather than 4.5 (2.5 as sources).
const options = { indexURL: path.resolve(pyodideDir) + "/", env: { PYTHONNODEBUGRANGES: "1" } };
// When only wheels changed, this boot takes the compiled standard library.
const compiledStdlib = path.resolve(outputDir, "python_stdlib.zip");
if (fs.existsSync(compiledStdlib) && !stale.some((input) => path.basename(input) === "python_stdlib.zip")) {
  options.stdLibURL = compiledStdlib;
}
const pyodide = await loadPyodide(options);
pyodide.FS.mkdirTree("/bytecode/in");
pyodide.FS.mkdirTree("/bytecode/out");
const jobs = stale.map((input) => {
  const name = path.basename(input);
  pyodide.FS.writeFile(`/bytecode/in/${name}`, fs.readFileSync(input));
  return [`/bytecode/in/${name}`, `/bytecode/out/${name}`];
});
pyodide.FS.writeFile("/bytecode/pyodide_bytecode.py", fs.readFileSync(program));
pyodide.globals.set("jobs", pyodide.toPy(jobs));
try {
  const lines = pyodide.runPython(`
import sys
sys.path.insert(0, "/bytecode")
import pyodide_bytecode
pyodide_bytecode.main([tuple(job) for job in jobs])
`).toJs();
  for (const [input] of jobs) {
    const name = path.basename(input);
    fs.writeFileSync(path.join(outputDir, name), pyodide.FS.readFile(`/bytecode/out/${name}`));
  }
  for (const line of lines) console.log(line);
} catch (error) {
  console.error(String(error.message ?? error));
  process.exit(1);
}
