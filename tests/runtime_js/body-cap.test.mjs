// The contact form's body cap in the real runtime, without wrangler dev's
// proxy in front (which answers 503 "restarted mid-request" when a Worker
// answers before the whole body arrived): the built Worker (build/, with
// its bench routes) in workerd through Miniflare's API. Run by
// tests/runtime_js.rs through `node --test`.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { root, start } from "../../bench/lib.mjs";

test("a 5 MB chunked body is refused with 413 as it arrives, and never fills the wasm", async () => {
  const store = fs.mkdtempSync(path.join(os.tmpdir(), "body-cap-"));
  const w = await start("rust", store, { build: path.join(root, "build"), bindings: { RATE_LIMIT_DISABLED: "1" } });
  try {
    const memory = async () => Number(await (await fetch(`${w.url}/__bench/memory`)).text());
    const before = await memory();
    let sent = 0;
    const chunk = new Uint8Array(64 * 1024).fill(120);
    const body = new ReadableStream({
      pull(controller) {
        if (sent >= 5 * 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const r = await fetch(`${w.url}/contact`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body,
      duplex: "half",
    });
    assert.equal(r.status, 413);
    assert.equal(r.headers.get("content-length"), null, "no length was declared; the body was chunked");
    assert.match(await r.text(), /at most 32 KB/);
    const after = await memory();
    assert.ok(after < before + 1024 * 1024, `the wasm grew from ${before} to ${after} bytes`);
    console.log(`413 after ${sent} bytes were offered; wasm memory ${before} -> ${after}`);
  } finally {
    await w.mf.dispose();
  }
});
