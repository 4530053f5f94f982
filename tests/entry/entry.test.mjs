// Unit tests of src/entry.mjs with a stand-in for worker-build's output
// (run by tests/entry.rs through `node --test`).
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const entrySource = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "../../src/entry.mjs"), "utf8");

/// Loads entry.mjs next to an index.js with this body; returns its default
/// export and the event listeners it registered.
async function load(indexBody) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entry-"));
  fs.writeFileSync(path.join(dir, "entry.mjs"), entrySource);
  fs.writeFileSync(
    path.join(dir, "index.js"),
    `globalThis.__worker_init_state = { criticalError: false, instanceId: 1 };
     globalThis.__listeners = {};
     globalThis.addEventListener = (type, f) => { globalThis.__listeners[type] = f; };
     ${indexBody}`,
  );
  const module = await import(pathToFileURL(path.join(dir, "entry.mjs")).href);
  return { entry: module.default, listeners: globalThis.__listeners };
}

test("a handler the module does not know stops the Worker at load, naming it", async () => {
  await assert.rejects(
    load(`export default class { fetch() {} queue() {} tail() {} }`),
    /exports a `tail` handler that this module does not forward/,
  );
});

test("every known handler is forwarded with the environment and context", async () => {
  const { entry } = await load(`export default class {
    fetch(request) { return "fetch " + request + " " + this.env.NAME + " " + this.ctx; }
    queue(batch) { return Promise.resolve("queue " + batch); }
    scheduled(event) { return "scheduled " + event; }
  }`);
  assert.deepEqual(Object.keys(entry).sort(), ["fetch", "queue", "scheduled"]);
  assert.equal(entry.fetch("r", { NAME: "env" }, "ctx"), "fetch r env ctx");
  assert.equal(await entry.queue("b", {}, {}), "queue b");
  assert.equal(entry.scheduled("s", {}, {}), "scheduled s");
});

test("a synchronous trap answers 503 and marks the instance", async () => {
  const { entry } = await load(`export default class { fetch() { throw new WebAssembly.RuntimeError("unreachable"); } }`);
  const r = entry.fetch("r", {}, {});
  assert.equal(r.status, 503);
  assert.equal(r.headers.get("cache-control"), "private, no-store");
  assert.equal(globalThis.__worker_init_state.criticalError, true);
});

test("a trap elsewhere answers every request still waiting, and fails a waiting batch", async () => {
  const { entry, listeners } = await load(`export default class {
    fetch() { return new Promise(() => {}); }
    queue() { return new Promise(() => {}); }
  }`);
  const waiting = [entry.fetch("a", {}, {}), entry.fetch("b", {}, {})];
  const batch = entry.queue("q", {}, {});
  listeners.unhandledrejection({ reason: new WebAssembly.RuntimeError("unreachable") });
  for (const r of await Promise.all(waiting)) assert.equal(r.status, 503);
  await assert.rejects(batch, /abandoned/);
});

test("a request left on a replaced instance is answered", async () => {
  const { entry } = await load(`export default class {
    fetch(r) { if (r === "new") globalThis.__worker_init_state.instanceId++; return r === "old" ? new Promise(() => {}) : "fresh"; }
  }`);
  const old = entry.fetch("old", {}, {});
  assert.equal(entry.fetch("new", {}, {}), "fresh");
  assert.equal((await old).status, 503);
});

test("an ordinary rejection is not taken for a trap", async () => {
  const { entry } = await load(`export default class { fetch() { return Promise.reject(new Error("boom")); } }`);
  const r = await entry.fetch("r", {}, {});
  assert.equal(r.status, 503);
  assert.equal(globalThis.__worker_init_state.criticalError, false);
});
