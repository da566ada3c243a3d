// A worker of wasmcanvas's thread pool, appended to the threaded
// rust_image's glue (which defines `wasm_bindgen`) by pool.js. Its first
// message holds the compiled module and the shared memory; it then computes
// its share of each kernel in pool_serve(), which returns only by trapping:
// the pool is then told, so that the caller's kernel fails instead of
// waiting for this worker's band.
self.onmessage = ({ data: { module, memory } }) => {
  self.onmessage = null;
  try {
    wasm_bindgen.initSync({ module, memory });
  } catch (error) {
    self.postMessage({ error: `${error.name}: ${error.message}` });
    return;
  }
  self.postMessage({ started: true });
  try {
    wasm_bindgen.pool_serve();
  } catch (error) {
    wasm_bindgen.pool_worker_failed();
    self.postMessage({ failed: `${error.name}: ${error.message}` });
  }
};
