// Bytes a reader downloads to see the first ten search results: our
// server-rendered GET /search?q= page against Pagefind run over the site's
// own rendered pages.
//
//   node bench/pagefind.mjs --base http://127.0.0.1:8787 --queries "q1|q2|q3" [--max-pages 500] [--json]
//
// 1. Crawls the running site from /sitemap.xml (following a sitemap index)
//    and writes every alert page's HTML into a temporary directory (path
//    /alerts/<slug> becomes alerts/<slug>/index.html). `--all-pages` keeps the
//    other sitemap entries too. The alert's <article class="alert"> (or else
//    <main>) gets `data-pagefind-body`, as a site adopting Pagefind would do,
//    so that navigation and related-article cards are not indexed;
//    `--no-annotate` indexes whole <body> elements instead.
// 2. Runs the pinned Pagefind CLI over that directory (DIR/pagefind/).
// 3. Serves DIR from a small node http server that gzips (level 6) text
//    responses (JS, JSON, HTML, CSS) when the client accepts gzip, as a CDN
//    would, and sends Pagefind's own binary files (wasm, .pf_meta, .pf_index,
//    .pf_filter, .pf_fragment; gzipped already by Pagefind) as they are. It
//    records every response's body bytes on the wire and without HTTP
//    compression.
// 4. For each query, a fresh browser context in headless Chromium (fresh
//    temporary profile, HTTP cache disabled) opens a harness page that imports
//    /pagefind/pagefind.js, calls init(), search(q) and data() on the first
//    ten results (what Pagefind's own UI does to show ten results). All bytes
//    the server sent for that run are counted, except the harness page
//    itself, which is reported separately. Chromium's own count
//    (Network.loadingFinished encodedDataLength, headers included) is kept
//    as a cross-check.
// 5. Fetches ${base}/search?q= with Accept-Encoding: gzip and counts the
//    compressed body bytes (if the response is not compressed, the body is
//    gzipped here at level 6 and the row says so); "n/a" when /search
//    answers 404.
//
// Needs: Chromium (CHROME_PATH, else /usr/bin/chromium or what
// chrome-launcher finds), node_modules (pagefind, chrome-launcher, ws).
// PAGEFIND_BENCH_DEBUG=1 logs every request Chromium saw.
// Everything temporary is removed, and Chromium and the server stopped, at
// exit, also on errors and on SIGINT/SIGTERM.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import * as chromeLauncher from "chrome-launcher";
import WebSocket from "ws";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PAGEFIND_BIN = path.join(root, "node_modules/.bin/pagefind");
const HARNESS = "/__pagefind-harness.html";
const RESULTS = 10;
const log = (...a) => console.error("[pagefind]", ...a);

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const o = { base: process.env.BASE_URL || "http://127.0.0.1:8787", queries: [], maxPages: 500, json: false, annotate: true, allPages: false, timeout: 60000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (a.includes("=")) return a.slice(a.indexOf("=") + 1);
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    const name = a.split("=")[0];
    if (name === "--base") o.base = val().replace(/\/+$/, "");
    else if (name === "--queries") o.queries = val().split("|").map((q) => q.trim()).filter(Boolean);
    else if (name === "--max-pages") o.maxPages = Number(val());
    else if (name === "--timeout") o.timeout = Number(val()) * 1000;
    else if (name === "--json") o.json = true;
    else if (name === "--no-annotate") o.annotate = false;
    else if (name === "--all-pages") o.allPages = true;
    else if (name === "--help" || name === "-h") {
      console.log("usage: node bench/pagefind.mjs --base URL --queries 'q1|q2' [--max-pages N] [--all-pages] [--no-annotate] [--timeout S] [--json]");
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!o.queries.length) throw new Error("--queries 'q1|q2|…' is required");
  if (!(o.maxPages > 0)) throw new Error("--max-pages must be a positive number");
  return o;
}

// ---------------------------------------------------------------- cleanup

const cleanups = [];
let cleaning = null;
function cleanup() {
  if (!cleaning) {
    cleaning = (async () => {
      for (const f of cleanups.reverse()) {
        try {
          await f();
        } catch (e) {
          log("cleanup:", e.message);
        }
      }
    })();
  }
  return cleaning;
}
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => {
    log(`${sig}: cleaning up`);
    cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------- HTTP client

/// GET with the raw (still encoded) body: { status, headers, body }.
function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    const lib = url.startsWith("https:") ? https : http;
    const req = lib.get(url, { headers, timeout: 30000 }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`timeout: ${url}`)));
    req.on("error", reject);
  });
}

function decode(r) {
  const enc = (r.headers["content-encoding"] || "identity").toLowerCase();
  if (enc === "gzip" || enc === "x-gzip") return zlib.gunzipSync(r.body);
  if (enc === "br") return zlib.brotliDecompressSync(r.body);
  if (enc === "deflate") return zlib.inflateSync(r.body);
  return r.body;
}

async function getText(url) {
  const r = await get(url, { "accept-encoding": "gzip" });
  if (r.status !== 200) throw new Error(`GET ${url}: HTTP ${r.status}`);
  return decode(r).toString("utf8");
}

// ---------------------------------------------------------------- 1. crawl

const unescapeXml = (s) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");

/// A sitemap <loc> on the base's origin (sitemaps name the site's public
/// origin, SITE_URL, which need not be where the Worker runs now).
function onBase(base, loc) {
  const u = new URL(unescapeXml(loc.trim()), base);
  const b = new URL(base);
  return new URL(u.pathname + u.search, b.origin).href;
}

async function crawl(opts, dir) {
  const seen = new Set();
  const pages = [];
  const queue = [`${opts.base}/sitemap.xml`];
  while (queue.length) {
    const url = queue.shift();
    if (seen.has(url)) continue;
    seen.add(url);
    const xml = await getText(url);
    for (const m of xml.matchAll(/<sitemap>[\s\S]*?<loc>([\s\S]*?)<\/loc>[\s\S]*?<\/sitemap>/g)) queue.push(onBase(opts.base, m[1]));
    for (const m of xml.matchAll(/<url>[\s\S]*?<loc>([\s\S]*?)<\/loc>[\s\S]*?<\/url>/g)) {
      const u = onBase(opts.base, m[1]);
      if (!opts.allPages && !new URL(u).pathname.startsWith("/alerts/")) continue;
      if (!pages.includes(u)) pages.push(u);
    }
  }
  const sitemaps = seen.size;
  const chosen = pages.slice(0, opts.maxPages);
  log(`${sitemaps} sitemap(s), ${pages.length} page(s) listed, fetching ${chosen.length}`);
  let htmlBytes = 0;
  let annotated = 0;
  let next = 0;
  const worker = async () => {
    while (next < chosen.length) {
      const url = chosen[next++];
      let html = await getText(url);
      if (opts.annotate) {
        const before = html;
        html = html.replace(/<article\b(?=[^>]*\bclass="[^"]*\balert\b)/, "<article data-pagefind-body");
        if (html === before) html = html.replace(/<main\b/, "<main data-pagefind-body");
        if (html !== before) annotated++;
      }
      htmlBytes += Buffer.byteLength(html);
      const rel = decodeURIComponent(new URL(url).pathname).replace(/^\/+/, "");
      const file = path.join(dir, rel.endsWith("/") || rel === "" ? rel : `${rel}/`, "index.html");
      if (!path.resolve(file).startsWith(path.resolve(dir) + path.sep)) throw new Error(`refusing to write outside the site directory: ${url}`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, html);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  if (!chosen.length) throw new Error(`the sitemap at ${opts.base}/sitemap.xml lists no ${opts.allPages ? "" : "alert "}pages: is the store seeded?`);
  return { sitemaps, listed: pages.length, pages: chosen.length, htmlBytes, annotated };
}

// ---------------------------------------------------------------- 2. Pagefind

function runPagefind(dir) {
  return new Promise((resolve, reject) => {
    const child = spawn(PAGEFIND_BIN, ["--site", dir], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`pagefind exited with ${code}:\n${out}`));
      const num = (re) => Number((out.match(re) || [])[1] || NaN);
      resolve({ pages: num(/Indexed (\d+) pages?/), words: num(/Indexed (\d+) words?/), output: out });
    });
  });
}

function dirBytes(dir, filter = () => true) {
  let total = 0;
  let files = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const p = path.join(e.parentPath ?? e.path, e.name);
    if (!filter(p)) continue;
    total += fs.statSync(p).size;
    files++;
  }
  return { bytes: total, files };
}

// ---------------------------------------------------------------- 3. server

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".css": "text/css; charset=utf-8",
};
const COMPRESSIBLE = new Set(Object.keys(TYPES));

function kindOf(p) {
  const b = path.posix.basename(p);
  if (p === HARNESS) return "harness";
  if (/\.m?js$/.test(b)) return "script";
  if (/^wasm\./.test(b)) return "wasm";
  if (b === "pagefind-entry.json" || b.endsWith(".pf_meta")) return "meta";
  if (b.endsWith(".pf_index")) return "index";
  if (b.endsWith(".pf_filter")) return "filter";
  if (b.endsWith(".pf_fragment")) return "fragment";
  return "other";
}

function harnessPage() {
  // The query comes in the URL; the outcome lands in window.__pf.
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>pagefind harness</title><link rel="icon" href="data:,"></head><body>
<script type="module">
const q = new URLSearchParams(location.search).get("q");
try {
  const t0 = performance.now();
  const pagefind = await import("/pagefind/pagefind.js");
  await pagefind.init();
  const s = await pagefind.search(q);
  const data = await Promise.all(s.results.slice(0, ${RESULTS}).map((r) => r.data()));
  window.__pf = { ok: true, results: s.results.length, unfiltered: s.unfilteredResultCount, shown: data.length, urls: data.map((d) => d.url), ms: Math.round(performance.now() - t0) };
} catch (e) {
  window.__pf = { ok: false, error: String(e && e.stack || e) };
}
document.title = "done";
</script></body></html>`;
}

function startServer(dir) {
  const log = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    const p = decodeURIComponent(url.pathname);
    let body;
    let type;
    if (p === HARNESS) {
      body = Buffer.from(harnessPage());
      type = TYPES[".html"];
    } else {
      let file = path.join(dir, p);
      if (!path.resolve(file).startsWith(path.resolve(dir))) file = null;
      else if (p.endsWith("/")) file = path.join(file, "index.html");
      if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
        res.writeHead(404, { "content-type": "text/plain" });
        res.end("not found");
        log.push({ path: p, status: 404, kind: kindOf(p), wire: 9, raw: 9, decoded: 9 });
        return;
      }
      body = fs.readFileSync(file);
      type = TYPES[path.extname(file)] || "application/octet-stream";
    }
    const gzip = COMPRESSIBLE.has(path.extname(p === HARNESS ? ".html" : p) || ".html") && /\bgzip\b/.test(req.headers["accept-encoding"] || "");
    const wire = gzip ? zlib.gzipSync(body, { level: 6 }) : body;
    const headers = { "content-type": type, "content-length": wire.length, "cache-control": "no-store", vary: "accept-encoding" };
    if (gzip) headers["content-encoding"] = "gzip";
    res.writeHead(200, headers);
    res.end(wire);
    // Pagefind gzips its own files (wasm, .pf_*); `decoded` is their size
    // once Pagefind's script has unpacked them.
    let decoded = body.length;
    if (body[0] === 0x1f && body[1] === 0x8b) {
      try {
        decoded = zlib.gunzipSync(body).length;
      } catch {}
    }
    log.push({ path: p, status: 200, kind: kindOf(p), wire: wire.length, raw: body.length, decoded, gzip });
  });
  return new Promise((resolve, reject) => {
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => resolve({ server, log, origin: `http://127.0.0.1:${server.address().port}` }));
  });
}

// ---------------------------------------------------------------- 4. Chromium over CDP

function chromePath() {
  if (process.env.CHROME_PATH) return process.env.CHROME_PATH;
  for (const p of ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]) if (fs.existsSync(p)) return p;
  return undefined; // chrome-launcher looks for itself
}

class Cdp {
  static async connect(wsUrl) {
    const ws = new WebSocket(wsUrl, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    await new Promise((res, rej) => {
      ws.once("open", res);
      ws.once("error", rej);
    });
    return new Cdp(ws);
  }
  constructor(ws) {
    this.ws = ws;
    this.id = 0;
    this.pending = new Map();
    this.listeners = new Set();
    ws.on("message", (data) => {
      const m = JSON.parse(data.toString());
      if (m.id !== undefined) {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.error) p.reject(new Error(`${p.method}: ${m.error.message}`));
        else p.resolve(m.result);
      } else for (const l of this.listeners) l(m);
    });
    ws.on("close", () => {
      for (const p of this.pending.values()) p.reject(new Error("DevTools connection closed"));
      this.pending.clear();
    });
  }
  send(method, params = {}, sessionId) {
    const id = ++this.id;
    const msg = { id, method, params };
    if (sessionId) msg.sessionId = sessionId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.ws.send(JSON.stringify(msg));
    });
  }
  on(f) {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }
  close() {
    this.ws.close();
  }
}

async function startChrome(tmp) {
  const userDataDir = fs.mkdtempSync(path.join(tmp, "chrome-"));
  const chrome = await chromeLauncher.launch({
    chromePath: chromePath(),
    userDataDir,
    logLevel: "silent",
    handleSIGINT: false,
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps", "--mute-audio"],
  });
  cleanups.push(async () => {
    try {
      await chrome.kill();
    } catch {
      try {
        process.kill(chrome.pid, "SIGKILL");
      } catch {}
    }
  });
  const version = JSON.parse((await getText(`http://127.0.0.1:${chrome.port}/json/version`)));
  const cdp = await Cdp.connect(version.webSocketDebuggerUrl);
  cleanups.push(() => cdp.close());
  return { chrome, cdp, version: version.Browser };
}

/// One query in a fresh browser context (own cache and storage), cache off.
async function pagefindRun(cdp, origin, q, timeoutMs) {
  const { browserContextId } = await cdp.send("Target.createBrowserContext", { disposeOnDetach: true });
  const sessions = new Set();
  const cdpBytes = new Map(); // requestId -> encodedDataLength (headers included)
  const cdpUrls = new Map();
  const cdpPartial = new Map(); // requestId -> headers + data chunks so far
  const off = cdp.on((m) => {
    if (!sessions.has(m.sessionId)) return;
    if (m.method === "Network.requestWillBeSent") cdpUrls.set(`${m.sessionId}:${m.params.requestId}`, m.params.request.url);
    const key = `${m.sessionId}:${m.params && m.params.requestId}`;
    if (m.method === "Network.loadingFinished") cdpBytes.set(key, m.params.encodedDataLength);
    // The worker script's own request gets no loadingFinished: add up its
    // headers and data chunks instead.
    if (m.method === "Network.responseReceived") cdpPartial.set(key, (cdpPartial.get(key) || 0) + (m.params.response.encodedDataLength || 0));
    if (m.method === "Network.dataReceived") cdpPartial.set(key, (cdpPartial.get(key) || 0) + (m.params.encodedDataLength || 0));
  });
  // Workers Pagefind may start (pagefind-worker.js) are attached paused, get
  // the same network settings, then resumed.
  const offAttach = cdp.on(async (m) => {
    if (m.method !== "Target.attachedToTarget" || !sessions.has(m.sessionId)) return;
    const s = m.params.sessionId;
    sessions.add(s);
    try {
      await cdp.send("Network.enable", {}, s).catch(() => {});
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: true }, s).catch(() => {});
      await cdp.send("Target.setAutoAttach", { autoAttach: true, waitForDebuggerOnStart: true, flatten: true }, s).catch(() => {});
    } finally {
      await cdp.send("Runtime.runIfWaitingForDebugger", {}, s).catch(() => {});
    }
  });
  let targetId;
  try {
    ({ targetId } = await cdp.send("Target.createTarget", { url: "about:blank", browserContextId }));
    const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
    sessions.add(sessionId);
    await cdp.send("Network.enable", {}, sessionId);
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true }, sessionId);
    await cdp.send("Target.setAutoAttach", { autoAttach: true, waitForDebuggerOnStart: true, flatten: true }, sessionId);
    await cdp.send("Runtime.enable", {}, sessionId);
    const t0 = Date.now();
    await cdp.send("Page.navigate", { url: `${origin}${HARNESS}?q=${encodeURIComponent(q)}` }, sessionId);
    let outcome;
    while (!outcome) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`Pagefind run for "${q}" timed out after ${timeoutMs / 1000} s`);
      const r = await cdp.send("Runtime.evaluate", { expression: "window.__pf || null", returnByValue: true }, sessionId).catch(() => null);
      outcome = r && r.result && r.result.value;
      if (!outcome) await new Promise((res) => setTimeout(res, 25));
    }
    if (!outcome.ok) throw new Error(`Pagefind failed for "${q}": ${outcome.error}`);
    await new Promise((res) => setTimeout(res, 100)); // stray loadingFinished events
    let cdpTotal = 0;
    let cdpHarness = 0;
    for (const [k, url] of cdpUrls) {
      const v = cdpBytes.get(k) ?? cdpPartial.get(k) ?? 0;
      if (url.startsWith("data:")) continue;
      if (url.includes(HARNESS)) cdpHarness += v;
      else cdpTotal += v;
    }
    if (process.env.PAGEFIND_BENCH_DEBUG) for (const [k, u] of cdpUrls) log(`cdp ${k.split(":")[0].slice(0, 8)} ${cdpBytes.get(k) ?? `unfinished (${cdpPartial.get(k)})`} ${u}`);
    const counted = [...cdpUrls.entries()].filter(([, u]) => !u.startsWith("data:") && !u.includes(HARNESS));
    const unsized = counted.filter(([k]) => !cdpBytes.has(k) && !cdpPartial.has(k)).map(([, u]) => new URL(u).pathname);
    return { ...outcome, cdpBytes: cdpTotal, cdpHarnessBytes: cdpHarness, cdpRequests: counted.length, cdpUnsized: unsized };
  } finally {
    off();
    offAttach();
    if (targetId) await cdp.send("Target.closeTarget", { targetId }).catch(() => {});
    await cdp.send("Target.disposeBrowserContext", { browserContextId }).catch(() => {});
  }
}

// ---------------------------------------------------------------- 5. our side

async function ours(base, q) {
  const url = `${base}/search?q=${encodeURIComponent(q)}`;
  const r = await get(url, { "accept-encoding": "gzip" });
  if (r.status === 404) return { available: false, status: 404 };
  if (r.status !== 200) throw new Error(`GET ${url}: HTTP ${r.status}`);
  const enc = (r.headers["content-encoding"] || "identity").toLowerCase();
  const body = decode(r);
  if (enc === "gzip") return { available: true, wire: r.body.length, raw: body.length, encoding: "gzip", gzippedHere: false };
  return { available: true, wire: zlib.gzipSync(body, { level: 6 }).length, raw: body.length, encoding: enc, gzippedHere: true };
}

// ---------------------------------------------------------------- report

const fmt = (x) => (x === null || x === undefined || Number.isNaN(x) ? "n/a" : Math.round(x).toLocaleString("en-US"));
function table(head, rows) {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join("  ");
  return [line(head), w.map((n) => "-".repeat(n)).join("  "), ...rows.map(line)].join("\n");
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pagefind-bench-"));
  cleanups.push(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const site = path.join(tmp, "site");
  fs.mkdirSync(site);

  const crawled = await crawl(opts, site);
  log(`wrote ${crawled.pages} pages (${fmt(crawled.htmlBytes)} bytes of HTML, ${crawled.annotated} with data-pagefind-body); indexing…`);
  const pf = await runPagefind(site);
  const bundle = dirBytes(path.join(site, "pagefind"), (p) => !/pagefind-(component-|modular-)?ui|pagefind-highlight/.test(path.basename(p)));
  log(`Pagefind indexed ${pf.pages} pages, ${pf.words} words; search bundle ${fmt(bundle.bytes)} bytes in ${bundle.files} files (UI files aside)`);

  const srv = await startServer(site);
  cleanups.push(() => new Promise((res) => { srv.server.closeAllConnections?.(); srv.server.close(() => res()); }));
  const { cdp, version } = await startChrome(tmp);
  log(`${version}; server ${srv.origin}`);

  const rows = [];
  for (const q of opts.queries) {
    const from = srv.log.length;
    const run = await pagefindRun(cdp, srv.origin, q, opts.timeout);
    const reqs = srv.log.slice(from);
    const harness = reqs.filter((r) => r.kind === "harness");
    const assets = reqs.filter((r) => r.kind !== "harness");
    const byKind = {};
    for (const r of assets) {
      const k = (byKind[r.kind] ||= { requests: 0, wire: 0, raw: 0, decoded: 0 });
      k.requests++;
      k.wire += r.wire;
      k.raw += r.raw;
      k.decoded += r.decoded;
    }
    const sum = (xs, f) => xs.reduce((a, x) => a + x[f], 0);
    const our = await ours(opts.base, q);
    const pagefind = {
      wire: sum(assets, "wire"),
      raw: sum(assets, "raw"),
      decoded: sum(assets, "decoded"),
      requests: assets.length,
      notFound: assets.filter((r) => r.status !== 200).map((r) => r.path),
      byKind,
      harness: { wire: sum(harness, "wire"), raw: sum(harness, "raw"), requests: harness.length },
      results: run.results,
      shown: run.shown,
      ms: run.ms,
      // Chromium's view, headers included; Chromium reports no size for the
      // worker script's request (pagefind-worker.js), listed in `unsized`.
      cdp: { bytesWithHeaders: run.cdpBytes, harnessBytesWithHeaders: run.cdpHarnessBytes, requests: run.cdpRequests, unsized: run.cdpUnsized },
    };
    rows.push({ query: q, pagefind, ours: our, ratio: our.available ? our.wire / pagefind.wire : null });
    log(`"${q}": ${run.results} results, ${assets.length} requests, ${fmt(pagefind.wire)} bytes on the wire, ${run.ms} ms`);
  }

  const anyGzippedHere = rows.some((r) => r.ours.gzippedHere);
  console.log(
    `Bytes to see the first ${RESULTS} results, response bodies only. Pagefind ${JSON.parse(fs.readFileSync(path.join(root, "node_modules/pagefind/package.json"), "utf8")).version}: ` +
      `${pf.pages} of ${crawled.pages} crawled pages indexed, ${fmt(bundle.bytes)} bytes of search files on disk.\n` +
      `gz = on the wire (text gzipped at level 6, Pagefind's pre-gzipped files as they are); raw = without HTTP compression; ` +
      `unpacked = also without Pagefind's own gzip. ours = GET /search?q=.\n`,
  );
  console.log(
    table(
      ["query", "pagefind gz", "raw", "unpacked", "reqs", "results", "ours gz", "ours raw", "ours/pagefind"],
      rows.map((r) => [
        r.query,
        fmt(r.pagefind.wire),
        fmt(r.pagefind.raw),
        fmt(r.pagefind.decoded),
        r.pagefind.requests,
        r.pagefind.results,
        r.ours.available ? fmt(r.ours.wire) + (r.ours.gzippedHere ? "*" : "") : "n/a",
        r.ours.available ? fmt(r.ours.raw) : "n/a",
        r.ratio === null ? "n/a" : r.ratio.toFixed(3),
      ]),
    ),
  );
  const kinds = ["script", "wasm", "meta", "index", "filter", "fragment", "other"].filter((k) => rows.some((r) => r.pagefind.byKind[k]));
  console.log(`\nPagefind bytes on the wire by kind (requests):\n`);
  console.log(table(["query", ...kinds], rows.map((r) => [r.query, ...kinds.map((k) => (r.pagefind.byKind[k] ? `${fmt(r.pagefind.byKind[k].wire)} (${r.pagefind.byKind[k].requests})` : "0"))])));
  const h = rows[0].pagefind.harness;
  console.log(`\nNot counted: the harness page (${fmt(h.wire)} bytes gzip, ${h.requests} request per query).` +
    (anyGzippedHere ? " * our response was not compressed by the server; gzipped here (zlib level 6)." : "") +
    (rows.some((r) => r.pagefind.notFound.length) ? ` Pagefind asked for missing files: ${[...new Set(rows.flatMap((r) => r.pagefind.notFound))].join(", ")}.` : "") +
    ` Ratio goal: ours/pagefind <= 0.1. ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  if (opts.json) {
    console.log(JSON.stringify({
      base: opts.base,
      pagefindVersion: JSON.parse(fs.readFileSync(path.join(root, "node_modules/pagefind/package.json"), "utf8")).version,
      browser: version,
      crawl: crawled,
      index: { pages: pf.pages, words: pf.words, bundleBytes: bundle.bytes, bundleFiles: bundle.files, annotated: opts.annotate },
      queries: rows,
      seconds: (Date.now() - started) / 1000,
    }));
  }
}

let code = 0;
try {
  await main();
} catch (e) {
  console.error(`[pagefind] error: ${e && e.stack ? e.stack : e}`);
  code = 1;
} finally {
  await cleanup();
}
process.exit(code);
