(function guardRustImage(glue, memory) {
  // What Python imports as `rust_image`: the wasm-bindgen glue's exports,
  // each wrapped so that
  // - a trap (WebAssembly.RuntimeError) marks the instance broken, and every
  //   later call throws at once instead of running on state the trap may
  //   have left half-changed;
  // - an argument that is an already freed wasm-bindgen object is refused
  //   (ReferenceError) before Rust sees it: Rust's own refusal throws
  //   through its frames, which skips the release of the receiver's borrow
  //   and leaves that object locked for good;
  // plus the instance's linear `memory` and `brokenReason()`.
  // One source for both loaders: web/boot.js imports it as an ES module
  // (build.sh prefixes `export default`), wasmcanvas.loader evaluates it.
  const state = { broken: "" };

  function freedArgument(args) {
    const index = args.findIndex((arg) => arg !== null && typeof arg === "object" && arg.__wbg_ptr === 0);
    if (index < 0) return null;
    const error = new Error(`argument ${index + 1} is a rust_image object that was already freed`);
    error.name = "ReferenceError";
    return error;
  }

  function guard(run) {
    const guarded = function (...args) {
      if (state.broken) throw new Error(`rust_image is broken (${state.broken}); reload it`);
      const freed = freedArgument(args);
      if (freed) throw freed;
      try {
        return run.apply(this, args);
      } catch (error) {
        // A ThreadError (the threaded build) means a worker failed mid-job,
        // possibly still writing: as untrustworthy as a trap.
        if (error instanceof WebAssembly.RuntimeError || error?.name === "ThreadError") {
          state.broken = `${error.name}: ${error.message}`;
        }
        throw error;
      }
    };
    guarded.wrapped = run; // the glue function, for introspection (parameter names)
    return guarded;
  }

  function wrapMembers(target, skip) {
    for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(target))) {
      if (skip.includes(name)) continue;
      if (typeof descriptor.value === "function") descriptor.value = guard(descriptor.value);
      if (descriptor.get) descriptor.get = guard(descriptor.get);
      if (descriptor.set) descriptor.set = guard(descriptor.set);
      Object.defineProperty(target, name, descriptor);
    }
  }

  const guarded = { brokenReason: () => state.broken, memory };
  for (const [name, value] of Object.entries(glue)) {
    if (name === "default" || name === "initSync") continue;
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
})
