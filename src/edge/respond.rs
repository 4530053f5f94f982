//! The core's `Response` as the runtime's, made in one call into JavaScript.

use crate::app::reply::{Kind, Response};
use wasm_bindgen::prelude::{wasm_bindgen, JsValue};
use worker::js_sys;
use worker::worker_sys::web_sys::Response as RawResponse;

thread_local! {
    /// Every kind of answer this isolate has sent, by id.
    static KINDS: std::cell::RefCell<Vec<Kind>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The id of a kind of answer, and its headers the first time only (after
/// that the JavaScript side keeps them, and only the number crosses).
fn kind_id(kind: Kind) -> (u32, Option<js_sys::Array>) {
    KINDS.with(|kinds| {
        let mut kinds = kinds.borrow_mut();
        match kinds.iter().position(|k| *k == kind) {
            Some(i) => (i as u32, None),
            None => {
                kinds.push(kind);
                let pairs = kind.headers();
                let flat = js_sys::Array::new();
                for (k, v) in pairs {
                    flat.push(&JsValue::from_str(k));
                    flat.push(&JsValue::from_str(v));
                }
                ((kinds.len() - 1) as u32, Some(flat))
            }
        }
    })
}

#[wasm_bindgen(inline_js = "
const kinds = [];
function pairs(flat) {
  const o = {};
  for (let i = 0; i < flat.length; i += 2) o[flat[i]] = flat[i + 1];
  return o;
}
// `base` is undefined once the headers of this kind were sent.
export function respond(status, id, base, etag, extra, body) {
  if (base !== undefined) kinds[id] = pairs(base);
  let headers = kinds[id];
  if (etag !== undefined || extra !== undefined) {
    headers = { ...headers };
    if (etag !== undefined) headers.ETag = etag;
    if (extra !== undefined) Object.assign(headers, pairs(extra));
  }
  return new Response(body === undefined ? null : body.slice(), { status, headers });
}")]
extern "C" {
    /// Makes the runtime's Response in one call from wasm: the status, the
    /// headers of its kind (sent once per isolate, then named by `id`), its
    /// ETag, its own headers (name, value, name, value...) and its body
    /// (copied).
    #[wasm_bindgen(js_name = respond)]
    fn make(
        status: u16,
        id: u32,
        base: Option<js_sys::Array>,
        etag: Option<String>,
        extra: Option<js_sys::Array>,
        body: Option<&[u8]>,
    ) -> RawResponse;
}

pub fn respond(response: Response) -> RawResponse {
    let (id, base) = kind_id(response.kind);
    let extra = (!response.extra.is_empty()).then(|| {
        let flat = js_sys::Array::new();
        for (k, v) in &response.extra {
            flat.push(&JsValue::from_str(k));
            flat.push(&JsValue::from_str(v));
        }
        flat
    });
    make(
        response.status,
        id,
        base,
        response.etag,
        extra,
        response.body.as_deref(),
    )
}
