#!/usr/bin/env node
// A stand-in for `wrangler kv … --local --persist-to DIR`, for seeding the
// bench's large stores only: the publisher runs it as `$WRANGLER`.
//
// `wrangler kv bulk put --local` writes about 500 keys a second, so a store
// of 100,000 alerts (about 700,000 keys with the search index) would take
// 25 minutes. This writes the same keys through Miniflare's own KV binding
// (the store `wrangler dev` and `wrangler kv --local` use), from a Worker
// that receives them in batches of 1,000 and puts 50 at a time: about 2.5
// times as fast, and more on a tmpfs. The publisher's reindex measurement
// still runs the real wrangler.
//
// Understands what publisher/src/wrangler.rs runs:
//   kv key list --prefix P | kv key get KEY --text
//   kv bulk put FILE | kv bulk delete FILE --force
// each with --binding B --local --persist-to DIR.
import { Miniflare } from "miniflare";
import fs from "node:fs";
import path from "node:path";

const KV_ID = "00000000000000000000000000000000"; // wrangler.toml's local id

const argv = process.argv.slice(2);
const flag = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const persist = flag("--persist-to");
const binding = flag("--binding") || "ALERTS";
if (!persist || !argv.includes("--local")) {
  console.error("kv-local: only --local --persist-to DIR is supported");
  process.exit(2);
}
const [kv, group, op, arg] = argv;
if (kv !== "kv") {
  console.error(`kv-local: unsupported command: ${argv.join(" ")}`);
  process.exit(2);
}

const script = `export default { async fetch(req, env) {
  const kv = env.KV, url = new URL(req.url);
  if (url.pathname === "/put") {
    const batch = await req.json();
    for (let i = 0; i < batch.length; i += 50)
      await Promise.all(batch.slice(i, i + 50).map((e) =>
        kv.put(e.key, e.base64 ? Uint8Array.from(atob(e.value), (c) => c.charCodeAt(0)) : e.value,
          e.metadata === undefined ? {} : { metadata: e.metadata })));
    return new Response(String(batch.length));
  }
  if (url.pathname === "/delete") {
    const keys = await req.json();
    for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((k) => kv.delete(k)));
    return new Response(String(keys.length));
  }
  if (url.pathname === "/get") {
    const v = await kv.get(url.searchParams.get("key"));
    return new Response(v === null ? "Value not found" : v);
  }
  if (url.pathname === "/list") {
    const out = [];
    let cursor;
    do {
      const page = await kv.list({ prefix: url.searchParams.get("prefix") || "", cursor });
      for (const k of page.keys) out.push(k);
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    return Response.json(out);
  }
  return new Response("not found", { status: 404 });
} }`;

const mf = new Miniflare({
  modules: true,
  script,
  compatibilityDate: "2026-04-01",
  kvNamespaces: { KV: KV_ID },
  kvPersist: path.join(persist, "v3/kv"),
});
try {
  const base = (await mf.ready).toString().replace(/\/$/, "");
  const call = async (p, body) => {
    const r = await fetch(base + p, body === undefined ? {} : { method: "POST", body: JSON.stringify(body) });
    const text = await r.text();
    if (!r.ok) throw new Error(`${p}: ${r.status} ${text}`);
    return text;
  };
  if (group === "key" && op === "list") {
    process.stdout.write(await call(`/list?prefix=${encodeURIComponent(flag("--prefix") || "")}`));
  } else if (group === "key" && op === "get") {
    process.stdout.write(await call(`/get?key=${encodeURIComponent(arg)}`));
  } else if (group === "bulk" && (op === "put" || op === "delete")) {
    const items = JSON.parse(fs.readFileSync(arg, "utf8"));
    for (let i = 0; i < items.length; i += 1000) await call(`/${op}`, items.slice(i, i + 1000));
    console.log(`kv-local: ${op} ${items.length} keys (binding ${binding})`);
  } else {
    throw new Error(`unsupported command: ${argv.join(" ")}`);
  }
} catch (e) {
  console.error(`kv-local: ${e.message}`);
  process.exitCode = 1;
} finally {
  await mf.dispose();
}
