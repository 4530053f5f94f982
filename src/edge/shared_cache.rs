//! The location's shared cache (the Cache API, `caches.default`) for
//! listings, feeds and sitemaps: one location answers them without invoking
//! KV until they expire (the isolate cache's TTL, or a scheduled alert's
//! date, whichever is sooner; readers get the answer's own, constant
//! Cache-Control). It only works on a custom domain; on
//! workers.dev every lookup misses and nothing is kept. An isolate puts a
//! URL at most once per the time the location keeps it.

use wasm_bindgen::prelude::{wasm_bindgen, JsValue};
use wasm_bindgen::JsCast;
use worker::js_sys;
use worker::worker_sys::web_sys;

#[wasm_bindgen(inline_js = "
export async function edge_match(request) {
  if (typeof caches === 'undefined') return undefined;
  try {
    // Answers a matching If-None-Match with a 304 itself (the ETag is kept).
    const hit = await caches.default.match(request);
    if (!hit) return undefined;
    const response = new Response(hit.body, hit);
    response.headers.set('X-Edge-Cache', 'HIT');
    // Browsers get the answer's own Cache-Control (the same whatever is
    // scheduled), not the location's shorter expiry.
    const kept = hit.headers.get('X-Edge-Cache-Control');
    response.headers.delete('X-Edge-Expires');
    response.headers.delete('X-Edge-Cache-Control');
    if (kept) response.headers.set('Cache-Control', kept);
    else response.headers.delete('Cache-Control');
    return response;
  } catch (e) {
    return undefined;
  }
}
// When this isolate last put each URL, until when that copy is kept: a
// second put within it is skipped (the location has the copy already, or on
// workers.dev keeps nothing), so that a listing this isolate answers from
// its own cache does not copy its body into the Cache API on every view.
// At most 1,000 URLs (then the expired go, or all).
const putUntil = new Map();
export function edge_put(request, response, ttl) {
  if (typeof caches === 'undefined') return Promise.resolve();
  const now = Date.now();
  if ((putUntil.get(request.url) ?? 0) > now) return Promise.resolve();
  if (putUntil.size >= 1000) {
    for (const [url, until] of putUntil) if (until <= now) putUntil.delete(url);
    if (putUntil.size >= 1000) putUntil.clear();
  }
  const until = now + ttl * 1000;
  putUntil.set(request.url, until);
  const copy = new Response(response.clone().body, response);
  // The location keeps it for `ttl` seconds (max-age, which every cache
  // honours alike); readers who get it from there get the answer's own
  // Cache-Control back.
  const own = response.headers.get('Cache-Control');
  if (own) copy.headers.set('X-Edge-Cache-Control', own);
  copy.headers.set('Cache-Control', `public, max-age=${ttl}`);
  copy.headers.set('X-Edge-Expires', String(until));
  return caches.default.put(request, copy).catch(() => { putUntil.delete(request.url); });
}")]
extern "C" {
    fn edge_match(request: &web_sys::Request) -> js_sys::Promise;
    fn edge_put(
        request: &web_sys::Request,
        response: &web_sys::Response,
        ttl: u32,
    ) -> js_sys::Promise;
}

/// The cached answer to this GET, if the location has one.
pub async fn lookup(request: &web_sys::Request) -> Option<web_sys::Response> {
    let value: JsValue = wasm_bindgen_futures::JsFuture::from(edge_match(request))
        .await
        .ok()?;
    value.dyn_into::<web_sys::Response>().ok()
}

/// Keeps `response` for `ttl` seconds (run after the answer is sent).
pub fn store(
    request: &web_sys::Request,
    response: &web_sys::Response,
    ttl: u32,
) -> impl std::future::Future<Output = ()> + 'static {
    let promise = edge_put(request, response, ttl);
    async move {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
}
