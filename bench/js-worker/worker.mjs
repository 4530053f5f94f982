// The alternative a team would write instead: the same article route (KV get
// + Markdown render + the same page shell, headers and ETag) as a small
// JavaScript Worker using `marked`. Benchmarked side by side by bench/run.mjs.
import { marked } from "marked";

const ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ESC[c]);
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const human = (iso) => {
  const d = new Date(iso);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
};
const slugify = (s) => String(s).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "");
const HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "public, max-age=60, stale-while-revalidate=600",
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; style-src 'self'; img-src 'self' https: data:; script-src 'none'; frame-ancestors 'none'",
  "referrer-policy": "strict-origin-when-cross-origin",
  "strict-transport-security": "max-age=63072000; includeSubDomains",
};

function card(e) {
  const date = new Date(e.d * 1000).toISOString().replace(".000Z", "Z");
  return `<article class="card"><h3><a href="/alerts/${esc(e.slug)}">${esc(e.t)}</a></h3><p class="excerpt">${esc(e.s)}</p>` +
    `<p class="dateline"><time datetime="${date}">${human(date)}</time> · <a class="category" href="/category/${slugify(e.c)}">${esc(e.c)}</a></p></article>`;
}

function page(site, a, body) {
  const url = `${site.url}/alerts/${a.slug}`;
  const ld = JSON.stringify({ "@context": "https://schema.org", "@type": "NewsArticle", headline: a.title, description: a.summary,
    datePublished: a.date, mainEntityOfPage: url, publisher: { "@type": "Organization", name: site.name } }).replace(/</g, "\\u003c");
  const contacts = (a.contacts || []).map((c) => `<li><a href="/contact?to=${esc(c.id)}">Write to ${esc(c.name)}</a></li>`).join("");
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${esc(a.title)} | ${esc(site.name)}</title><meta name="description" content="${esc(a.summary)}"><link rel="canonical" href="${esc(url)}">` +
    `<link rel="stylesheet" href="/assets/site.css"><meta property="og:title" content="${esc(a.title)}"><meta property="og:description" content="${esc(a.summary)}">` +
    `<meta property="og:type" content="article"><meta property="og:url" content="${esc(url)}"><meta name="twitter:card" content="summary">` +
    `<script type="application/ld+json">${ld}</script></head><body><header class="site-header"><a class="brand" href="/">${esc(site.name)}</a></header>` +
    `<main id="main"><article class="alert"><h1>${esc(a.title)}</h1><p class="dateline"><time datetime="${esc(a.date)}">${human(a.date)}</time> · ` +
    `<a class="category" href="/category/${slugify(a.category)}">${esc(a.category)}</a></p><div class="body">${body}</div>` +
    (contacts ? `<section class="contacts"><h2>Contacts</h2><p>${esc(a.contact_note)}</p><ul>${contacts}</ul></section>` : "") +
    `</article><section class="related"><h2>Related Articles</h2>${(a.related || []).slice(0, 4).map(card).join("")}</section></main></body></html>`;
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === "/__bench/floor") {
      return new Response("ok\n", { headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "public, max-age=60", "x-content-type-options": "nosniff" } });
    }
    const kv = pathname.match(/^\/__bench\/kv\/([a-z0-9-]+)$/);
    if (kv) {
      const value = await env.ALERTS.get(`alert:${kv[1]}`, "arrayBuffer");
      return new Response(`${value ? value.byteLength : 0}\n`, { headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
    }
    const m = pathname.match(/^\/alerts\/([a-z0-9-]+)$/);
    if (!m) return new Response("Not found", { status: 404 });
    const a = await env.ALERTS.get(`alert:${m[1]}`, "json");
    if (!a || a.draft || new Date(a.date) > new Date()) return new Response("Not found", { status: 404 });
    const html = page({ url: env.SITE_URL, name: env.SITE_NAME }, a, marked.parse(a.body));
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(html));
    const etag = `"${[...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("")}"`;
    if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers: { etag } });
    return new Response(html, { headers: { ...HEADERS, etag } });
  },
};
