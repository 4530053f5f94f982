// The Worker's entry module (wrangler.toml `main`, copied next to
// worker-build's output by `make build`).
//
// worker-build 0.8.7 exports a class wrapped in a Proxy: on every request
// workerd constructs it through the Proxy, which makes a second Proxy per
// instance and a third per method call, to re-instantiate the wasm after a
// trap. Profiled, that wrapping was about a tenth of a fixed response's
// CPU. This module calls the same handlers directly. Recovery from a trap
// (a panic) stays: the generated glue resets a terminated instance on its
// next call, and a trap also marks
// `globalThis.__worker_init_state.criticalError` (worker-build's `error`
// listener for async code, the catch below for synchronous code), after which
// the next event goes once through the wrapped class, which re-instantiates.
// tests/site.rs checks both paths (`/__test/panic`, `/__test/panic-now`).
import Wrapped from "./index.js";

const handlers = Wrapped.prototype;
const state = globalThis.__worker_init_state;
if (!state || typeof handlers.fetch !== "function" || typeof handlers.queue !== "function") {
  throw new Error("src/entry.mjs: worker-build's output is not what it expects (pinned: worker-build 0.8.7)");
}

function call(name, event, env, ctx) {
  if (state.criticalError) {
    return Reflect.construct(Wrapped, [ctx, env])[name](event);
  }
  try {
    return handlers[name].call({ env, ctx }, event);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) state.criticalError = true;
    throw e;
  }
}

export default {
  fetch(request, env, ctx) {
    return call("fetch", request, env, ctx);
  },
  queue(batch, env, ctx) {
    return call("queue", batch, env, ctx);
  },
};
