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
const alertsBin = path.join(root, "target/debug/alerts");
// The article route is measured on two alerts: a 10 KB one (the size the
// render goal names; the issue's own measurement used 8 KB), published only
// in the bench store with the seed alert's front matter and
// bench/alert-10k.md as its body, and the seed alert itself (2.9 KB).
export const BENCH_SLUG = "bench-10k-alert";
export const ALERT = `/alerts/${BENCH_SLUG}`;
export const SEED_ALERT = "/alerts/oewg-collective-call-against-barring-organisations";
const STORE_VERSION = "4"; // bump when what a store holds changes

export const log = (...a) => console.error("[bench]", ...a);

/// The sample content plus the 10 KB benchmark alert (see BENCH_SLUG).
export function benchContent() {
  fs.mkdirSync(cacheDir, { recursive: true });
  const dir = path.join(cacheDir, "content");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(root, "content"), dir, { recursive: true });
  const seed = fs.readFileSync(path.join(root, "content/alerts", `${path.basename(SEED_ALERT)}.md`), "utf8");
  const end = seed.indexOf("+++", 3) + 3;
  const front = seed.slice(0, end).replace(/^title = .*$/m, `title = "Benchmark alert: a 10 KB body in the series' shape"`);
  fs.writeFileSync(path.join(dir, "alerts", `${BENCH_SLUG}.md`), `${front}\n${fs.readFileSync(path.join(root, "bench/alert-10k.md"), "utf8")}`);
  return dir;
}

export const alerts = (args) => execFileSync(alertsBin, args, { cwd: root, env: { ...process.env, WRANGLER: wranglerBin, WRANGLER_SEND_METRICS: "false" }, encoding: "utf8" });

/// A local store with the bench content plus `n` synthetic alerts (cached).
export function store(n) {
  const dir = path.join(cacheDir, `store-${n}`);
  const ready = path.join(dir, "ready");
  if (fs.existsSync(ready) && fs.readFileSync(ready, "utf8").startsWith(`v${STORE_VERSION} `)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  const env = { ...process.env, WRANGLER: wranglerBin, WRANGLER_SEND_METRICS: "false" };
  log(`seeding a store with ${n} synthetic alerts…`);
  const t = Date.now();
  const content = benchContent();
  execFileSync(alertsBin, ["publish", "--content", content, "--persist-to", dir], { cwd: root, env, stdio: "ignore" });
  // Also writes the search index of the bench content and the synthetic alerts.
  execFileSync(alertsBin, ["seed-synthetic", String(n), "--content", content, "--persist-to", dir], { cwd: root, env, stdio: "ignore" });
  fs.writeFileSync(ready, `v${STORE_VERSION} ${(Date.now() - t) / 1000}`);
  return dir;
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
export async function start(kind, storeDir, { build = path.join(root, "build-bench"), inspectorPort, bindings = {} } = {}) {
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
