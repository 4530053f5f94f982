// Cold paths against a base commit: the one before issue 23, listings from
// KV reads (its goal, like issue 14's against the commit before the caches:
// "cold paths, the first request after a publish, no slower than today").
//
// Side by side in one run: this build (`build-bench`, CACHE_TTL_SECONDS=0,
// so that every view pays its KV calls and renders, the path of the first
// view after a publish or after the TTL) and BENCH_BASE's own bench build
// (`make build-bench-base`: a git worktree under .bench/, built with that
// commit's Makefile recipe), at 105 and 10,005 alerts. Both read copies of
// one store, this build's, on every route where BENCH_BASE answers from it
// byte for byte what it answers, with as many KV calls, from a store its
// own publisher seeded: the local KV emulator runs in the measured process,
// and two stores of the same content cost it measurably different CPU
// (bench/findings.md, "Cold paths: what the few percent were"). Elsewhere
// (routes whose index changed) BENCH_BASE reads its own store, and the row
// says so. Also the first request a new isolate answers (wasm compiled and
// instantiated), wall time.
//
// `make bench` runs it as one of its sections; `node bench/cold-ab.mjs`
// prints it alone.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cacheDir, copy, COST_ROUTES, fmt, kvOps, load, loadPaths, median, QUICK, root, SECONDS, SEED_ALERT, seed, start, summarize, table } from "./lib.mjs";

export const BASE = process.env.BENCH_BASE || "6688f28";
const CRAWL = "sitemap, a crawler's pass (the index and every part it names)";
const baseDir = () => path.join(cacheDir, `base-${BASE}`);

// Every route a reader can ask for that both builds have (the feed's JSON
// twin and the contact form add nothing here; the floor has no cold path).
const ALL_ROUTES = COST_ROUTES.filter(([name]) => !["/feed.json", "contact form", "floor"].includes(name));

// COLD_ROUTES="alert page,API alert" and COLD_ROUNDS=7 narrow a run down to
// a few routes with more rounds (to tell a difference from the spread).
const ROUTES = process.env.COLD_ROUTES ? ALL_ROUTES.filter(([name]) => process.env.COLD_ROUTES.split(",").includes(name)) : ALL_ROUTES;
const ROUNDS = Number(process.env.COLD_ROUNDS || (QUICK ? 1 : 3));

// The control: on these routes a second instance of the base, reading its
// own copy of the same store, is measured in the same rounds as the other
// two, and its ratio to the first printed: what the method reads between
// two identical Workers (bench/findings.md, "The record routes' few
// percent"). These are the routes whose work is the same in both builds
// (one get of the same key), where a few percent decides the goal.
const CONTROL = ["alert page", "API alert"];

/// A store seeded by BASE's publisher (kept beside its build).
/// (Without translations: the base predates them.)
const baseStore = (n) => seed(path.join(baseDir(), "target/debug/alerts"), baseDir(), path.join(baseDir(), `.store-${n}`), n, "", { sourcesOnly: true });

/// Wall time of the first answer of a new isolate (its wasm compiled and
/// instantiated, KV read, page rendered), ms.
async function firstAnswer(build, storeDir, p) {
  const w = await start("rust", storeDir, { build, bindings: { CACHE_TTL_SECONDS: "0" } });
  const t = performance.now();
  const r = await fetch(w.url + p);
  await r.arrayBuffer();
  const ms = performance.now() - t;
  await w.mf.dispose();
  if (!r.ok) throw new Error(`${build} ${p}: ${r.status}`);
  return ms;
}

/// The first answers of `starts` new isolates of each build, started in
/// turn (ours, base, ours, ...): one start takes tens of milliseconds, and
/// five of one build and then five of the other put whatever else the
/// machine did in those seconds on one side (home read 1.04x in one run,
/// 1.43x in the next and 0.81x alone after it, the base's starts moving
/// most).
async function firstAnswers(builds, p, starts) {
  const times = builds.map(() => []);
  // (A copy of each build's store, once: a start writes nothing to it.)
  const stores = builds.map(([, store], k) => copy(store, `first-${k}`));
  for (let i = 0; i < starts; i++) {
    const order = i % 2 ? [1, 0] : [0, 1];
    for (const k of order) times[k].push(await firstAnswer(builds[k][0], stores[k], p));
  }
  return times;
}

/// Writes the section through `out`; returns the goal row.
export async function coldSection(out, { small, large }) {
  const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
  const baseBuild = path.join(baseDir(), "build-bench");
  const sizes = [[100, small], [large[0], large[1]]];
  const rows = [];
  const worse = [];
  const controls = [];
  // The store the base reads for each route at the small size (its own
  // where it answers this build's store differently: the first answers
  // below use the same).
  const firstStore = new Map();
  for (const [n, ours] of sizes) {
    const theirs = baseStore(n);
    const cold = { bindings: { CACHE_TTL_SECONDS: "0" } };
    const a = await start("rust", copy(ours, `cold-ours-${n}`), cold);
    const shared = await start("rust", copy(ours, `cold-base-shared-${n}`), { ...cold, build: baseBuild });
    const own = await start("rust", copy(theirs, `cold-base-${n}`), { ...cold, build: baseBuild });
    const twin = await start("rust", copy(ours, `cold-base-twin-${n}`), { ...cold, build: baseBuild });
    // Which base Worker each route is measured on: the one reading this
    // build's store wherever it answers there what it answers from its own,
    // with as many KV calls.
    const baseFor = new Map();
    for (const [name, p] of ROUTES) {
      const [x, y] = await Promise.all([shared, own].map(async (w) => {
        const r = await fetch(w.url + p);
        return `${r.headers.get("x-kv-ops")}\n${await r.text()}`;
      }));
      baseFor.set(name, x === y ? shared : own);
      if (n === sizes[0][0]) firstStore.set(name, x === y ? ours : theirs);
    }
    // A crawler's pass over the sitemap: the index and every part it
    // names, each build its own (the category and tag pages moved from
    // each month's part to the pages part, so no one part compares).
    // (Read with curl: a pooled connection of fetch's is closed by the
    // runtime during the long loads that follow, and its next use fails.)
    const parts = (w) => {
      const index = execFileSync("curl", ["-s", w.url + "/sitemap.xml"], { encoding: "utf8" });
      return ["/sitemap.xml", ...[...index.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => new URL(m[1]).pathname)];
    };
    const crawl = new Map([[a, parts(a)], [own, parts(own)]]);
    baseFor.set(CRAWL, own);
    const measure = (w, name, p) => (name === CRAWL ? loadPaths(w, crawl.get(w)) : load(w, p));
    const items = [...ROUTES, [CRAWL, null]];
    const runs = new Map();
    for (const w of [a, shared, own, twin]) load(w, "/");
    // One round of a route: each Worker in turn, the order rotated from
    // round to round, so that none always follows another (and the
    // control, where there is one, takes its turn like the others).
    const round = (name, p, r) => {
      const b = baseFor.get(name);
      const turns = [[a, "ours"], [b, "base"], ...(CONTROL.includes(name) && b === shared ? [[twin, "twin"]] : [])];
      for (let i = 0; i < turns.length; i++) {
        const [w, label] = turns[(i + r) % turns.length];
        runs.set(`${label} ${name}`, [...(runs.get(`${label} ${name}`) || []), measure(w, name, p)]);
      }
    };
    for (let r = 0; r < ROUNDS; r++) for (const [name, p] of items) round(name, p, r);
    // A route more than 10% slower after these rounds is measured again,
    // six more rounds of that route alone, and judged on all of them: one
    // bad round of three should not decide, and a real cost survives nine.
    // Per pass for the crawl (a request's mean times the parts).
    const perPass = (label, name) => (name === CRAWL ? crawl.get(label === "ours" ? a : own).length : 1);
    const cpu = (label, name) => summarize(runs.get(`${label} ${name}`)).cpu10k * perPass(label, name);
    // A ratio is the median of its rounds' ratios: both measured side by
    // side in each round, whatever else the machine did in that round's
    // seconds weighs on both (as the search section judges own CPU). What
    // is left is the instance's own (the control read 0.97x-1.10x of its
    // twin either way in three runs), which the section prints.
    const ratio = (x, y, name) => {
      const xs = runs.get(`${x} ${name}`);
      const ys = runs.get(`${y} ${name}`);
      return median(xs.map((v, i) => (v.cpu10k * perPass(x, name)) / (ys[i].cpu10k * perPass(y, name))));
    };
    const slower = (name) => ratio("ours", "base", name) > 1.1;
    const again = new Set(items.filter(([name]) => slower(name)).map(([name]) => name));
    for (let r = 0; r < 6 && again.size; r++) {
      for (const [name, p] of items.filter(([name]) => again.has(name))) round(name, p, ROUNDS + r);
    }
    for (const [name, p] of items) {
      const x = summarize(runs.get(`ours ${name}`));
      const y = summarize(runs.get(`base ${name}`));
      const b = baseFor.get(name);
      // A route that answered nothing within a run (each view slower than
      // the run) shows as such, not as infinite CPU.
      const none = `no answer in ${SECONDS} s`;
      const show = (v, d, z) => (z.rps > 0 ? fmt(v, d) : none);
      const r = y.rps > 0 ? ratio("ours", "base", name) : 0;
      // The pages part is judged within the crawl (above).
      if (name !== "sitemap pages" && (x.rps === 0 || r > 1.1)) worse.push(`${name} at ${n + 5}: ${x.rps === 0 ? none : `${fmt(r, 2)}x`}`);
      if (runs.has(`twin ${name}`)) controls.push(`${name} at ${n + 5} ${fmt(ratio("twin", "base", name), 2)}x`);
      const notes = [b === own ? `${BASE} on its own store` : "", again.has(name) ? `${runs.get(`ours ${name}`).length} rounds` : "", name === "sitemap pages" ? "judged in the crawl below" : ""].filter(Boolean);
      const calls = name === CRAWL ? `${crawl.get(a).length} / ${crawl.get(own).length} URLs` : `${await kvOps(a, p)} / ${await kvOps(b, p)}`;
      const cpuCell = name === CRAWL ? `${fmt(cpu("ours", name) / 10, 2)} / ${fmt(cpu("base", name) / 10, 2)} ms a pass` : `${show(x.cpu10k, 2, x)} / ${show(y.cpu10k, 2, y)}`;
      rows.push([`${name} (${n + 5} alerts)${notes.map((t) => `, ${t}`).join("")}`, calls, `${fmt(x.rps)} / ${fmt(y.rps)}`, `${show(x.p50, 2, x)} / ${show(y.p50, 2, y)}`, cpuCell, y.rps > 0 ? `${fmt(r, 2)}x` : "base: none"]);
    }
    for (const w of [a, shared, own, twin]) await w.mf.dispose();
  }
  const firsts = [];
  for (const [name, p] of [["alert page", SEED_ALERT], ["home", "/"]]) {
    const builds = [[path.join(root, "build-bench"), small], [baseBuild, firstStore.get(name) ?? baseStore(sizes[0][0])]];
    // As a route: more than 10% slower after 7 starts, 6 more, judged on all.
    let [xs, ys] = await firstAnswers(builds, p, 7);
    if (median(xs) / median(ys) > 1.1) {
      const [more, moreBase] = await firstAnswers(builds, p, 6);
      [xs, ys] = [[...xs, ...more], [...ys, ...moreBase]];
    }
    const [x, y] = [median(xs), median(ys)];
    if (x / y > 1.1) worse.push(`first answer of a new isolate, ${name}: ${fmt(x / y, 2)}x`);
    const notes = [firstStore.get(name) === small ? "" : `${BASE} on its own store`, xs.length > 7 ? `${xs.length} starts` : ""].filter(Boolean);
    firsts.push([`${name}${notes.map((t) => `, ${t}`).join("")}`, fmt(x, 1), fmt(y, 1), `${fmt(x / y, 2)}x`]);
  }
  out(`## Cold paths: this build against ${BASE}, the commit before listings from reads (issue 23)`);
  out();
  out(`This build (${head}, \`CACHE_TTL_SECONDS=0\`: every view pays its KV calls and renders, as the first view after a publish does) and ${BASE}'s own bench build, side by side in one run. Both read copies of one store, this build's, on every route where ${BASE} answers from it byte for byte what it answers, with as many KV calls, from a store its own publisher seeded from the same content; on the others (their index changed) ${BASE} reads its own store, and the row says so. The local KV emulator runs in the measured process, and two stores of the same content cost it measurably different CPU (see \"Cold paths: what the few percent were\" in the findings below). ${ROUNDS} rounds, each Worker in turn in each, the order rotated from round to round; the CPU columns are each one's median, and the ratio the median of the rounds' ratios (each round measures both side by side); a route more than 10% slower after them is measured in six more rounds and judged on all (its row says so). CPU is the whole workerd process (the local KV emulator included). A difference within about 10% is this machine's spread between rounds.${controls.length ? ` The control: on the ${CONTROL.join(" and ")} (one get of the same key in both builds) a second instance of ${BASE}, on its own copy of the store, is measured in the same rounds; against the first it read ${controls.join(", ")} (two identical Workers: what the method reads where nothing differs).` : ""} The sitemap's pages part now lists every category and tag page in six languages, which each month's part listed before (the base's pages part lists three pages in English, from no KV read), so that part is shown but judged with the rest of the sitemap: a crawler's pass, the index and every part it names, each build's own, its CPU the sum over the parts (the "KV calls" column gives the URLs of a pass).`);
  out();
  out(table(["route", "KV calls ours / base", "req/s ours / base", "p50 ms ours / base", "CPU s/10k ours / base", "CPU ours/base"], rows));
  out();
  out(`The first answer of a new isolate (wasm compiled and instantiated, the page read and rendered; wall time, the median of 7 starts of each build, in turn, 13 where the first 7 differ by more than 10%; 105 alerts):`);
  out();
  out(table(["route", "ours ms", `${BASE} ms`, "ours/base"], firsts));
  out();
  return ["edge cost: cold paths (first request after a publish) no slower than before listings from reads (issue 23)", worse.length ? `slower by more than the spread: ${worse.join("; ")}` : `every route within 1.1x of ${BASE}'s CPU or better, and the first answer of a new isolate too`, worse.length === 0];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { store } = await import("./lib.mjs");
  const LARGE = Number(process.env.BENCH_LARGE || (QUICK ? 1000 : 10000));
  const row = await coldSection(console.log, { small: store(100), large: [LARGE, store(LARGE)] });
  console.log(row.join(" | "));
  process.exit(0);
}
