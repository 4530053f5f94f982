// `make profile`: where a route's CPU goes inside the Worker's own isolate.
//
// Starts the Worker (or, with KIND=js, the JavaScript alternative) in workerd
// through Miniflare with the V8 inspector on, drives a route with wrk, and
// samples the isolate with V8's CPU profiler meanwhile. Prints the isolate's
// busy time per request (every sample but idle; the profiler's own overhead
// inflates it), that time by kind (Rust in wasm, JS glue, runtime APIs), and
// the functions with the most self time.
//
//   make profile [ROUTE=/alerts/...] [KIND=js] [TOP=40] [PROFILE_ALERTS=10000] [PROFILE_TTL=0]
//   node bench/profile.mjs [route] [build dir]
// Function names need a build with them: `make profile` builds one
// (build-profile/, wasm-opt skipped so the name section stays).
import fs from "node:fs";
import path from "node:path";
import { bundleJsWorker, cdp, copy, freePort, root, start, store, workerTarget, wrk } from "./lib.mjs";

const ROUTE = process.argv[2] || "/alerts/bench-10k-alert";
const BUILD = path.resolve(root, process.argv[3] || "build-bench");
const SECONDS = Number(process.env.PROFILE_SECONDS || 4);
const KIND = process.env.KIND || "rust";

async function main() {
  const port = await freePort();
  // A copy of one of the bench's stores (seeded once, like make bench's):
  // the small one, or PROFILE_ALERTS=10000 for the large.
  const dir = copy(store(Number(process.env.PROFILE_ALERTS || 100)), "profile");
  if (KIND === "js") bundleJsWorker();
  // PROFILE_TTL=0: the isolate keeps nothing, so every request pays its KV
  // calls and renders (the cold path the cold A/B measures).
  const bindings = process.env.PROFILE_TTL ? { CACHE_TTL_SECONDS: process.env.PROFILE_TTL } : {};
  const w = await start(KIND, dir, { build: BUILD, inspectorPort: port, bindings });
  wrk(["-t1", "-c16", "-d2s", w.url + ROUTE]); // warm up
  const c = cdp(await workerTarget(port));
  await c.ready;
  await c.send("Profiler.enable");
  await c.send("Profiler.setSamplingInterval", { interval: 50 });
  await c.send("Profiler.start");
  const out = wrk(["-t1", "-c16", `-d${SECONDS}s`, w.url + ROUTE]).toString();
  const { profile } = await c.send("Profiler.stop");
  c.close();
  const requests = Number(out.match(/(\d+) requests in/)[1]);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const d = profile.timeDeltas[i + 1] ?? 0;
    dt.set(profile.samples[i], (dt.get(profile.samples[i]) || 0) + d);
  }
  const self = new Map();
  let busy = 0;
  let total = 0;
  for (const [nid, us] of dt) {
    const n = byId.get(nid);
    const name = n.callFrame.functionName || `(anonymous ${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber})`;
    total += us;
    if (name !== "(idle)") busy += us;
    self.set(name, (self.get(name) || 0) + us);
  }
  console.log(`${KIND} ${ROUTE}: ${requests} requests in ${SECONDS} s; isolate busy ${(busy / requests).toFixed(1)} µs a request (sampled ${(total / 1e6).toFixed(2)} s)`);
  const category = (name) =>
    /^\((idle|program|garbage collector)\)$/.test(name) ? name
    : /::|^<|^__rust|^dlmalloc|^core\[|^alloc\[/.test(name) ? "wasm (Rust)"
    : /^__wbg_|^__wbindgen_|^wasm-to-js|^js-to-wasm|^[A-Za-z$_]{1,2}$|^\(anonymous/.test(name) ? "JS glue (minified) and wasm-bindgen imports"
    : "runtime APIs and JS";
  const cats = new Map();
  for (const [name, us] of self) cats.set(category(name), (cats.get(category(name)) || 0) + us);
  for (const [name, us] of [...cats.entries()].sort((a, b) => b[1] - a[1])) console.log(`${(us / requests).toFixed(1).padStart(8)} µs/req  ${name}`);
  console.log();
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP || 40));
  for (const [name, us] of top) console.log(`${(us / requests).toFixed(2).padStart(8)} µs/req  ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${name.slice(0, 140)}`);
  if (process.env.PROFILE_OUT) fs.writeFileSync(process.env.PROFILE_OUT, JSON.stringify(profile));
  await w.mf.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
