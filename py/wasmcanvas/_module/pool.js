(function startPool(glueSource, workerSource, module, memory, workers, firstNumber, timeoutMs) {
  // The Web Workers of wasmcanvas's thread pool (wasmcanvas.loader): each
  // runs the threaded rust_image's glue with pool_worker.js after it, from
  // one Blob (no URL of the wheel's files exists), instantiates `module` on
  // the shared `memory`, says it started, then serves the pool until the
  // page goes. Resolves with the workers once all started; rejects (and
  // ends them all) when one fails to start or is silent for `timeoutMs`.
  // Workers are numbered from `firstNumber` (the pool may already have some).
  const url = URL.createObjectURL(new Blob([glueSource, "\n", workerSource], { type: "text/javascript" }));
  const pool = [];
  const started = [];
  for (let number = firstNumber; number < firstNumber + workers; number += 1) {
    const worker = new Worker(url, { name: `wasmcanvas-pool-${number}` });
    pool.push(worker);
    started.push(
      new Promise((resolve, reject) => {
        const fail = (why) => {
          clearTimeout(timer);
          reject(new Error(`worker ${number} of wasmcanvas's thread pool ${why}`));
        };
        const timer = setTimeout(() => fail(`did not start within ${timeoutMs} ms`), timeoutMs);
        worker.onmessage = ({ data }) => {
          if (data.started) {
            clearTimeout(timer);
            resolve();
          } else if (data.error) {
            fail(`failed to start (${data.error})`);
          }
        };
        worker.onerror = (event) => fail(`failed to start (${event.message ?? "error"})`);
        worker.postMessage({ module, memory });
      }),
    );
  }
  const done = () => URL.revokeObjectURL(url);
  return Promise.all(started).then(
    () => {
      done();
      return pool;
    },
    (error) => {
      done();
      pool.forEach((worker) => worker.terminate());
      throw error;
    },
  );
})
