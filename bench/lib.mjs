// What bench/run.mjs and bench/profile.mjs share: where things are, and how
// a Worker is started in workerd through Miniflare's API (no wrangler dev
// proxy, no request logging), each in its own workerd process.
import { Miniflare } from "miniflare";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const cacheDir = path.join(root, ".bench");
const KV_ID = "00000000000000000000000000000000";
const wranglerBin = path.join(root, "node_modules/.bin/wrangler");
export const kvLocal = path.join(root, "bench/kv-local.mjs");
// The publisher (`ALERTS_BIN` overrides it, as for the tests).
const alertsBin = process.env.ALERTS_BIN || path.join(root, "target/debug/alerts");
// The article route is measured on two alerts: a 10 KB one (the size the
// render goal names; the issue's own measurement used 8 KB), published only
// in the bench store with the seed alert's front matter and
// bench/alert-10k.md as its body, and the seed alert itself (2.9 KB).
export const BENCH_SLUG = "bench-10k-alert";
export const ALERT = `/alerts/${BENCH_SLUG}`;
export const SEED_ALERT = "/alerts/oewg-collective-call-against-barring-organisations";
const STORE_VERSION = "8"; // bump when what a store holds changes (7: site:version; 8: months name their chunks)

export const log = (...a) => console.error("[bench]", ...a);

/// The sample content plus the 10 KB benchmark alert (see BENCH_SLUG);
/// with `sourcesOnly`, without translations (`<slug>.<lang>.md`) and the
/// translated names (`names.toml`), which a publisher from before them
/// (the cold A/B's base) rejects or does not know.
export function benchContent({ sourcesOnly = false } = {}) {
  fs.mkdirSync(cacheDir, { recursive: true });
  const dir = path.join(cacheDir, "content");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(root, "content"), dir, { recursive: true });
  if (sourcesOnly) {
    for (const f of fs.readdirSync(path.join(dir, "alerts"))) {
      if (/\.[a-z]{2}\.md$/.test(f)) fs.rmSync(path.join(dir, "alerts", f));
    }
    fs.rmSync(path.join(dir, "names.toml"), { force: true });
  }
  const seed = fs.readFileSync(path.join(root, "content/alerts", `${path.basename(SEED_ALERT)}.md`), "utf8");
  const end = seed.indexOf("+++", 3) + 3;
  const front = seed.slice(0, end).replace(/^title = .*$/m, `title = "Benchmark alert: a 10 KB body in the series' shape"`);
  fs.writeFileSync(path.join(dir, "alerts", `${BENCH_SLUG}.md`), `${front}\n${fs.readFileSync(path.join(root, "bench/alert-10k.md"), "utf8")}`);
  return dir;
}

export const alerts = (args) => execFileSync(alertsBin, args, { cwd: root, env: { ...process.env, WRANGLER: wranglerBin, WRANGLER_SEND_METRICS: "false" }, encoding: "utf8" });

/// Where a store of `n` alerts is kept between runs: `.bench/`, or for the
/// largest (about 700,000 keys, 3 GiB of small files) a tmpfs when the
/// machine has one with room, where Miniflare writes about half again as
/// fast (kept until the machine restarts).
function storeRoot(n) {
  if (n >= 100000) {
    try {
      const st = fs.statfsSync("/dev/shm");
      if (st.bavail * st.bsize > 8 * 2 ** 30) return "/dev/shm/access-alerts-bench";
    } catch {}
  }
  return cacheDir;
}

/// A local store with the bench content plus `n` synthetic alerts (cached).
/// Seeded through `bench/kv-local.mjs` (Miniflare's KV binding in batches)
/// rather than `wrangler kv bulk put`, which writes about 500 keys a second:
/// the same keys, values and metadata (compared in `make bench`'s first
/// section), in a fraction of the time.
export function store(n) {
  return seed(alertsBin, root, path.join(storeRoot(n), `store-${n}`), n, `v${STORE_VERSION} `);
}

/// Seeds `dir` (unless its `ready` file starts with `version`) with the
/// bench content and `n` synthetic alerts through the publisher `bin` run
/// in `cwd` (this checkout's, or the base commit's for the cold A/B), its
/// writes going through `bench/kv-local.mjs`.
export function seed(bin, cwd, dir, n, version = "", { sourcesOnly = false } = {}) {
  const ready = path.join(dir, "ready");
  if (fs.existsSync(ready) && fs.readFileSync(ready, "utf8").startsWith(version)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  const env = { ...process.env, WRANGLER: kvLocal, WRANGLER_SEND_METRICS: "false" };
  log(`seeding ${dir} with ${n} synthetic alerts…`);
  const t = Date.now();
  const content = benchContent({ sourcesOnly });
  execFileSync(bin, ["publish", "--content", content, "--persist-to", dir], { cwd, env, stdio: "ignore" });
  // Also writes the search index of the bench content and the synthetic alerts.
  execFileSync(bin, ["seed-synthetic", String(n), "--content", content, "--persist-to", dir], { cwd, env, stdio: "ignore" });
  fs.writeFileSync(ready, `${version}${(Date.now() - t) / 1000}`);
  log(`seeded ${n} synthetic alerts in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  return dir;
}

/// The KV calls one answer of `route` made (the bench build's `X-KV-Ops`).
export async function kvOps(w, route) {
  return (await fetch(w.url + route)).headers.get("x-kv-ops") ?? "0";
}

/// The KV `list()` calls one answer of `route` made (`X-KV-Lists`).
export async function kvLists(w, route) {
  return Number((await fetch(w.url + route)).headers.get("x-kv-lists") ?? "0");
}

/// Checks that `bench/kv-local.mjs` writes what `wrangler kv bulk put
/// --local` writes: the bench content published through each into a store of
/// its own, then every key, its metadata and its value read back from both
/// through Miniflare and compared. Returns a line for BENCHMARKS.md.
export async function checkKvLocal() {
  const dirs = ["wrangler", "kv-local"].map((name) => fs.mkdtempSync(path.join(os.tmpdir(), `bench-check-${name}-`)));
  copies.push(...dirs);
  const content = benchContent();
  [wranglerBin, kvLocal].forEach((bin, i) =>
    execFileSync(alertsBin, ["publish", "--content", content, "--persist-to", dirs[i]], { cwd: root, env: { ...process.env, WRANGLER: bin, WRANGLER_SEND_METRICS: "false" }, stdio: "ignore" }));
  const dump = async (dir) => {
    const mf = new Miniflare({ modules: true, script: "export default { fetch() { return new Response(null, { status: 404 }); } }", kvNamespaces: { ALERTS: KV_ID }, kvPersist: path.join(dir, "v3/kv") });
    await mf.ready;
    const kv = await mf.getKVNamespace("ALERTS");
    const out = [];
    let cursor;
    do {
      const page = await kv.list({ cursor });
      // site:version is new on every publish (its time and process): its
      // presence is compared, not its value.
      for (const k of page.keys) out.push([k.name, JSON.stringify(k.metadata ?? null), k.name === "site:version" ? "(a version)" : await kv.get(k.name)]);
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    await mf.dispose();
    return out;
  };
  const [a, b] = [await dump(dirs[0]), await dump(dirs[1])];
  const differ = a.length !== b.length ? `${a.length} keys against ${b.length}` : a.findIndex((x, i) => x.join("\0") !== b[i].join("\0"));
  if (differ !== -1) throw new Error(`bench/kv-local.mjs does not write what wrangler writes: ${typeof differ === "string" ? differ : a[differ][0]}`);
  return `the bench content's ${a.length} keys, with their metadata and values, identical`;
}

/// How many keys a store holds (listed through bench/kv-local.mjs).
export function countKeys(dir) {
  const out = execFileSync(kvLocal, ["kv", "key", "list", "--prefix", "", "--binding", "ALERTS", "--local", "--persist-to", dir], { cwd: root, encoding: "utf8", maxBuffer: 1 << 30 });
  return JSON.parse(out).length;
}

/// How long seeding a store took (seconds), as its `ready` file records.
export function seededIn(dir) {
  return Number(fs.readFileSync(path.join(dir, "ready"), "utf8").split(" ").pop());
}

export function workerdPids() {
  const out = spawnSync("ps", ["-o", "pid=,comm=", "--ppid", String(process.pid)]).stdout.toString();
  return out.split("\n").map((l) => l.trim().split(/\s+/)).filter((p) => p[1] === "workerd").map((p) => Number(p[0]));
}

/// CPU time (utime + stime, in clock ticks) of one process.
export function cpuTicks(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/// Starts our Worker (`kind` "rust", from `build`) or the JavaScript
/// alternative ("js") on a local store; returns its URL and workerd pid.
export async function start(kind, storeDir, { build = path.join(root, "build-bench"), inspectorPort, bindings = {}, options = {} } = {}) {
  const before = new Set(workerdPids());
  const common = {
    name: "worker",
    modules: true,
    compatibilityDate: "2026-04-01",
    kvNamespaces: { ALERTS: KV_ID },
    kvPersist: path.join(storeDir, "v3/kv"),
    host: "127.0.0.1",
    port: 0,
    ...(inspectorPort ? { inspectorPort } : {}),
    ...options,
  };
  const mf =
    kind === "rust"
      ? new Miniflare({
          ...common,
          scriptPath: path.join(build, "entry.mjs"),
          modulesRules: [
            { type: "CompiledWasm", include: ["**/*.wasm"], fallthrough: true },
            { type: "ESModule", include: ["**/*.js"] },
          ],
          bindings: { SITE_URL: "http://127.0.0.1", SITE_NAME: "Access Alerts", BENCH_ROUTES: "1", MAIL_FROM: "alerts@example.org", CONTACT_ADDRESSES: "{}", SUBSCRIBER_SECRET: "bench-subscriber-secret", ...bindings },
          email: { send_email: [{ name: "EMAIL" }] },
        })
      : new Miniflare({
          ...common,
          scriptPath: path.join(cacheDir, "js-worker.mjs"),
          bindings: { SITE_URL: "http://127.0.0.1", SITE_NAME: "Access Alerts" },
        });
  const url = (await mf.ready).toString().replace(/\/$/, "");
  const pid = workerdPids().find((p) => !before.has(p));
  if (PINNED) execFileSync("taskset", ["-apc", "1", String(pid)], { stdio: "ignore" });
  return { kind, mf, url, pid, inspectorPort };
}

// With two cores or more, every workerd runs on core 1 and wrk on core 0, so
// that neither migrates or waits for the other (run to run spread fell from
// about 10% to about 4%).
const PINNED = os.cpus().length >= 2 && spawnSync("taskset", ["-V"]).status === 0;

/// wrk, on its own core when the Workers are pinned.
export function wrk(args) {
  return PINNED ? execFileSync("taskset", ["-c", "0", "wrk", ...args]) : execFileSync("wrk", args);
}

/// The JavaScript alternative, bundled with esbuild (from wrangler's tree)
/// into .bench/js-worker.mjs; returns its size in bytes.
export function bundleJsWorker() {
  const out = path.join(cacheDir, "js-worker.mjs");
  execFileSync(path.join(root, "node_modules/.bin/esbuild"), [
    path.join(root, "bench/js-worker/worker.mjs"), "--bundle", "--format=esm", "--minify",
    `--outfile=${out}`, "--log-level=warning",
  ]);
  return fs.statSync(out).size;
}

/// A free TCP port on loopback (for the inspector).
export function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/// The inspector's WebSocket address of the Worker's own isolate (not
/// Miniflare's helper Workers in the same process).
export async function workerTarget(port) {
  // The inspector's HTTP side sometimes closes a connection before answering;
  // a fresh connection then works.
  let targets;
  for (let attempt = 1; !targets; attempt++) {
    try {
      targets = await (await fetch(`http://127.0.0.1:${port}/json/list`, { headers: { connection: "close" } })).json();
    } catch (e) {
      if (attempt === 5) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const target = targets.find((t) => t.id === "core:user:worker");
  if (!target) throw new Error(`no core:user:worker among ${targets.map((t) => t.id).join(", ")}`);
  return target.webSocketDebuggerUrl;
}

/// A minimal Chrome DevTools Protocol client.
export function cdp(wsUrl) {
  const ws = new WebSocket(wsUrl);
  let id = 0;
  const pending = new Map();
  ws.on("message", (m) => {
    const msg = JSON.parse(m.toString());
    if (msg.id && pending.has(msg.id)) {
      pending.get(msg.id)(msg);
      pending.delete(msg.id);
    }
  });
  const ready = new Promise((r) => ws.on("open", r));
  return {
    ready,
    send: (method, params = {}) =>
      new Promise((resolve, reject) => {
        const n = ++id;
        pending.set(n, (msg) => (msg.error ? reject(new Error(JSON.stringify(msg.error))) : resolve(msg.result)));
        ws.send(JSON.stringify({ id: n, method, params }));
      }),
    close: () => ws.close(),
  };
}


/// The V8 heap the Worker's isolate uses after a full garbage collection,
/// in bytes (the runtime and Miniflare's helper Workers excluded).
export async function isolateHeap(port) {
  const c = cdp(await workerTarget(port));
  await c.ready;
  // workerd's inspector does not answer HeapProfiler.collectGarbage; a heap
  // snapshot collects garbage first (its chunks are ignored).
  await c.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
  const { usedSize } = await c.send("Runtime.getHeapUsage");
  c.close();
  return usedSize;
}

const copies = [];
process.on("exit", () => {
  for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
});

/// A copy of a store, so that two workerd processes never share one;
/// removed when the process exits.
export function copy(dir, name) {
  const to = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${name}-`));
  copies.push(to);
  fs.cpSync(dir, to, { recursive: true });
  return to;
}

// ---- load runs, shared by run.mjs and cold-ab.mjs ----

export const QUICK = process.env.BENCH_QUICK === "1";
export const SECONDS = Number(process.env.BENCH_SECONDS || (QUICK ? 2 : 4));
export const CONNECTIONS = 16;
export const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim());

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const fmt = (x, d = 0) => (x === undefined || Number.isNaN(x) ? "n/a" : x.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d }));

export function rssKiB(pid) {
  const m = fs.readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/);
  return m ? Number(m[1]) : NaN;
}

function toMs(v) {
  const m = v.match(/([\d.]+)(us|ms|s)/);
  if (!m) return NaN;
  return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]];
}

/// One wrk run against one Worker: requests/s, p50/p99 (ms), CPU s per 10k requests.
export function load(w, route, headers = [], { script } = {}) {
  const args = ["-t1", `-c${CONNECTIONS}`, `-d${SECONDS}s`, "--latency"];
  if (script) args.push("-s", script);
  for (const h of headers) args.push("-H", h);
  args.push(w.url + route);
  const before = cpuTicks(w.pid);
  const out = wrk(args).toString();
  const ticks = cpuTicks(w.pid) - before;
  const requests = Number(out.match(/(\d+) requests in/)[1]);
  const errors = out.match(/Non-2xx or 3xx responses: (\d+)/);
  if (errors) throw new Error(`${w.kind} ${route}: ${errors[1]} error responses\n${out}`);
  return {
    rps: Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]),
    p50: toMs(out.match(/Latency Distribution[\s\S]*?\n\s+50%\s+(\S+)/)[1]),
    p99: toMs(out.match(/Latency Distribution[\s\S]*?\n\s+99%\s+(\S+)/)[1]),
    cpu10k: ((ticks / CLK_TCK) / requests) * 10000,
    requests,
  };
}


/// `load` over several routes in turn (a wrk script cycling through
/// them): a crawler's pass over a sitemap's parts, say. The CPU per 10k
/// requests is then the mean over the routes.
export function loadPaths(w, routes) {
  const script = path.join(os.tmpdir(), `bench-paths-${process.pid}.lua`);
  fs.writeFileSync(script, `local paths = { ${routes.map((r) => JSON.stringify(r)).join(", ")} }\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n`);
  return load(w, "/", [], { script });
}

export function summarize(runs) {
  return ["rps", "p50", "p99", "cpu10k"].reduce((o, k) => ({ ...o, [k]: median(runs.map((r) => r[k])) }), {});
}

export function table(head, rows) {
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const r of rows) lines.push(`| ${r.join(" | ")} |`);
  return lines.join("\n");
}

// Every page a reader can ask for, with a name for the capacity model.
// A route with many URLs names another of them: the keys its view reads
// in an isolate that has just answered that one are the URL's own; the
// rest (the search meta, `site:months`) its URLs share, and the capacity
// model counts them once per location, not per URL or query. The other
// search shares no result with the first (a shared result's document
// would pass for a shared key) and starts with other letters (its prefix
// block is another key).
export const COST_ROUTES = [
  ["home", "/"],
  ["category page", "/category/opinion", "/category/analysis"],
  ["tag page", "/tag/topic-7", "/tag/topic-8"],
  ["archive month", "/archive/2024/11", "/archive/2024/10"],
  ["alert page", SEED_ALERT, "/alerts/synthetic-000003"],
  ["API alert", "/api/alerts/oewg-collective-call-against-barring-organisations", "/api/alerts/synthetic-000003"],
  ["API listing", "/api/alerts"],
  ["/feed.xml", "/feed.xml"],
  ["/feed.json", "/feed.json"],
  ["sitemap index", "/sitemap.xml"],
  ["sitemap month", "/sitemap/2024-11.xml", "/sitemap/2024-10.xml"],
  ["sitemap pages", "/sitemap/pages.xml"],
  ["search (one word)", "/search?q=accreditation", "/search?q=mexico"],
  ["contact form", "/contact"],
  ["floor", "/__bench/floor"],
];
