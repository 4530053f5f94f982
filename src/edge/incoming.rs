//! The runtime's Request as the core's `Incoming`: method and URL read in
//! one call, headers only when a handler asks, the body read up to a cap.

use super::bindings::{js_error, settled};
use crate::app::ports::{BodyError, Incoming};
use crate::routes::Method;
use wasm_bindgen::prelude::wasm_bindgen;
use worker::js_sys;
use worker::worker_sys::web_sys;

#[wasm_bindgen(inline_js = "
export function request_line(request) {
  return request.method + ' ' + request.url;
}")]
extern "C" {
    /// The method and URL in one call (one string across, not two).
    fn request_line(request: &web_sys::Request) -> String;
}

/// The runtime's Request: method and URL read in one call, headers only
/// when a handler asks.
pub struct RawIncoming {
    raw: web_sys::Request,
    method: Method,
    url: String,
}

impl RawIncoming {
    /// The runtime's own Request (the Cache API's key).
    pub fn raw(&self) -> &web_sys::Request {
        &self.raw
    }

    pub fn new(raw: web_sys::Request) -> Self {
        let line = request_line(&raw);
        let (method, url) = line.split_once(' ').unwrap_or(("GET", ""));
        RawIncoming {
            method: Method::parse(method),
            url: url.to_string(),
            raw,
        }
    }
}

impl Incoming for RawIncoming {
    fn method(&self) -> Method {
        self.method
    }

    fn url(&self) -> &str {
        &self.url
    }

    fn header(&self, name: &str) -> Option<String> {
        self.raw.headers().get(name).ok().flatten()
    }

    async fn body(&self, max: usize) -> Result<Vec<u8>, BodyError> {
        let promise = read_capped(&self.raw, max as f64);
        let value = settled(promise)
            .await
            .map_err(|e| BodyError::Unreadable(js_error(&e).0))?;
        if value.is_null() {
            return Err(BodyError::TooLarge);
        }
        Ok(js_sys::Uint8Array::new(&value).to_vec())
    }
}

#[wasm_bindgen(inline_js = "
// Past the cap, chunks are read and dropped (so that the client, which is
// still sending, gets the 413 rather than a broken connection), up to
// DRAIN bytes in all; then the body is cancelled.
const DRAIN = 16 * 1024 * 1024;
export async function read_capped(request, max) {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      chunks.length = 0;
      if (total > DRAIN) {
        await reader.cancel();
        return null;
      }
      continue;
    }
    chunks.push(value);
  }
  if (total > max) return null;
  const body = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}")]
extern "C" {
    /// The request's body, read chunk by chunk as it arrives; past `max`
    /// bytes (whatever `Content-Length` said or did not say) nothing more is
    /// kept and the answer is null: an oversized body never fills the
    /// isolate or the wasm.
    fn read_capped(request: &web_sys::Request, max: f64) -> js_sys::Promise;
}
