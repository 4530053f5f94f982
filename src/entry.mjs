// The Worker's entry module (wrangler.toml `main`; `make build` copies it
// next to worker-build's output and checks that output's shape first).
//
// worker-build 0.8.7 exports a class wrapped in a Proxy that, on every
// request, makes a second Proxy per instance and a third per method call.
// Profiled, that was about a tenth of a fixed response's CPU, so this module
// calls the same handlers directly. It also answers for the wasm when the
// wasm cannot:
//
// - Recovery from a trap (a panic, running out of memory, a stack
//   overflow) is wasm-bindgen's: the trap marks the instance terminated,
//   workers-rs's abort handler schedules a re-instantiation, and the next
//   call into the wasm makes a fresh instance (its start function logs
//   "wasm instance started").
// - A trap loses the futures of every request in flight in that instance:
//   their Promises would never settle, and the runtime would cancel them
//   as hung. Each request is tracked here; when a trap is seen (thrown
//   synchronously, as an unhandled rejection or as an error event), every
//   request still waiting is marked, and answers itself with a 503 from a
//   timer of its own (the runtime lets only a request settle its own
//   Promise); a queue batch fails instead, so that its unacknowledged
//   messages are delivered again. The fresh instance is made at once, so
//   that a late callback of the trapped one cannot be what starts it (a
//   callback that runs in the same turn as the trap, before it is seen,
//   still can: wasm-bindgen's glue would then run it in the fresh instance).
// - Every handler the wasm exports is forwarded; an export this module does
//   not know stops the Worker at load, naming it.
import Wrapped from "./index.js";

const PINNED = "worker-build 0.8.7 with wasm-bindgen 0.2.129";
const handlers = Wrapped.prototype;
const state = globalThis.__worker_init_state;
if (!state || typeof handlers.fetch !== "function") {
  throw new Error(`src/entry.mjs: worker-build's output is not what it expects (pinned: ${PINNED})`);
}

// The handlers the runtime may call, and how each is given up on when a
// trap leaves it waiting: a request is answered (503), a batch or a cron run
// fails (the runtime retries what was not acknowledged).
const KNOWN = { fetch: "answer", queue: "fail", scheduled: "fail" };
const exported = Object.getOwnPropertyNames(handlers).filter(
  (name) => name !== "constructor" && name !== "start" && typeof handlers[name] === "function",
);
for (const name of exported) {
  if (!(name in KNOWN)) {
    throw new Error(`src/entry.mjs: the wasm exports a \`${name}\` handler that this module does not forward; add it to KNOWN (pinned: ${PINNED})`);
  }
}

function unavailable() {
  return new Response("The site had a problem answering this request. Please try again.\n", {
    status: 503,
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      "Retry-After": "1",
    },
  });
}

/// Requests and batches waiting on the wasm, each with the instance it runs in.
const waiting = new Set();
/// How often a waiting request looks whether a trap abandoned it.
const WATCH_MS = 25;

/// A trap, or a call into an instance that a trap terminated. (A call of a
/// callback made by an instance that has since been replaced is neither: it
/// throws "previous WASM instance", harmlessly, and its request was already
/// answered.)
function isTrap(error) {
  return (
    error instanceof WebAssembly.RuntimeError ||
    error?.cause instanceof WebAssembly.RuntimeError ||
    /Module terminated/.test(String(error?.message))
  );
}

/// Gives up on what waits on an instance that trapped or was replaced.
function abandon(which) {
  for (const w of [...waiting]) {
    if (which(w)) {
      waiting.delete(w);
      w.giveUp();
    }
  }
}

/// The last environment and context the runtime passed, to make a fresh
/// instance with.
let last = [undefined, undefined];

function trapped(error) {
  if (!isTrap(error)) return;
  abandon(() => true);
  // Make the fresh instance now, through worker-build's own class: left to
  // wasm-bindgen, the first call into the wasm would make it, and that call
  // may be a callback of a request of the trapped instance, which would then
  // run inside the fresh one.
  state.criticalError = true;
  try {
    Reflect.construct(Wrapped, last);
  } catch (e) {
    console.error("re-instantiating the wasm after a trap failed; the next event tries again", e);
  }
}

addEventListener("unhandledrejection", (event) => trapped(event.reason));
addEventListener("error", (event) => trapped(event.error));

function call(name, event, env, ctx) {
  last = [ctx, env];
  let result;
  try {
    result = state.criticalError
      ? Reflect.construct(Wrapped, [ctx, env])[name](event)
      : handlers[name].call({ env, ctx }, event);
  } catch (error) {
    trapped(error);
    if (isTrap(error) && KNOWN[name] === "answer") return unavailable();
    throw error;
  }
  // The call may have replaced a terminated instance: whatever still waits
  // on an older one will never settle.
  const instance = state.instanceId;
  abandon((w) => w.instance !== instance);
  if (!(result instanceof Promise)) return result;
  return new Promise((resolve, reject) => {
    const fail = (error) => (KNOWN[name] === "answer" ? resolve(unavailable()) : reject(error));
    // A trap seen while another request runs marks this one abandoned; the
    // runtime only lets a request settle its own Promise, so a timer of
    // this request's own looks at the mark while it waits.
    const entry = { instance, abandoned: false, giveUp: () => (entry.abandoned = true) };
    let timer;
    const watch = () => {
      if (entry.abandoned) fail(new Error(`${name} abandoned: the wasm instance trapped`));
      else timer = setTimeout(watch, WATCH_MS);
    };
    timer = setTimeout(watch, WATCH_MS);
    waiting.add(entry);
    result.then(
      (value) => {
        clearTimeout(timer);
        waiting.delete(entry);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        waiting.delete(entry);
        trapped(error);
        fail(error);
      },
    );
  });
}

const entry = {};
for (const name of exported) {
  entry[name] = (event, env, ctx) => call(name, event, env, ctx);
}
export default entry;
