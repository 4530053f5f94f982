//! Every response is built here, so every one carries the same headers:
//! `X-Content-Type-Options`, a `Cache-Control`, a charset on text types, an
//! `ETag` on cacheable 200s (and a 304 when it matches), security headers on
//! HTML, and no body for HEAD.

use crate::http::{self, cache, types};
use maud::Markup;
use wasm_bindgen::prelude::wasm_bindgen;
use worker::worker_sys::web_sys::Response as RawResponse;

pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub cache: &'static str,
    pub etag: Option<String>,
    headers: Vec<(&'static str, String)>,
}

impl Reply {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status,
            content_type,
            body: body.into(),
            cache: cache::PAGE,
            etag: None,
            headers: Vec::new(),
        }
    }

    pub fn html(status: u16, page: Markup) -> Self {
        Reply::new(status, types::HTML, page.into_string())
    }

    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Reply::new(status, types::JSON, value.to_string())
    }

    /// A redirect with a relative or absolute `Location`.
    pub fn redirect(status: u16, location: &str) -> Self {
        Reply::new(status, types::TEXT, format!("See {location}\n")).header("Location", location)
    }

    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }

    pub fn cache(mut self, policy: &'static str) -> Self {
        self.cache = policy;
        self
    }

    /// Sets the validator; `finish` computes one from the body when a
    /// cacheable 200 has none.
    pub fn etag(mut self, etag: String) -> Self {
        self.etag = Some(etag);
        self
    }

    /// Builds the response for a request with this method; `if_none_match`
    /// reads that header (only for answers that can be revalidated).
    pub fn finish(
        mut self,
        head: bool,
        if_none_match: impl FnOnce() -> Option<String>,
        turnstile: bool,
    ) -> RawResponse {
        let cacheable = self.status == 200 && self.cache != cache::NO_STORE;
        if cacheable && self.etag.is_none() {
            let digest = http::etag(&[crate::BUILD_VERSION.as_bytes(), self.body.as_slice()]);
            self.etag = Some(digest);
        }
        let mut status = self.status;
        // The headers that depend only on the kind of answer (type, cache
        // policy, security headers) go in `base`, which the JavaScript side
        // parses once per isolate; the rest (ETag, redirects...) in `extra`.
        let mut base = String::with_capacity(512);
        let mut extra = String::new();
        let add = |lines: &mut String, k: &str, v: &str| {
            if !lines.is_empty() {
                lines.push('\n');
            }
            lines.push_str(k);
            lines.push(':');
            lines.push_str(v);
        };
        let mut not_modified = false;
        if cacheable {
            if let Some(etag) = &self.etag {
                add(&mut extra, "ETag", etag);
                not_modified = if_none_match().is_some_and(|h| http::if_none_match(&h, etag));
            }
        }
        if not_modified {
            status = 304;
        } else {
            add(&mut base, "Content-Type", self.content_type);
        }
        add(&mut base, "Cache-Control", self.cache);
        add(&mut base, "X-Content-Type-Options", "nosniff");
        if self.content_type == types::HTML {
            add(
                &mut base,
                "Content-Security-Policy",
                http::content_security_policy(turnstile),
            );
            for (k, v) in http::HTML_SECURITY_HEADERS {
                add(&mut base, k, v);
            }
        }
        for (k, v) in &self.headers {
            add(&mut extra, k, v);
        }
        let with_body = !(head || not_modified || self.body.is_empty());
        respond(status, &base, &extra, &self.body, with_body)
    }
}

#[wasm_bindgen(inline_js = "
const bases = new Map();
function object(lines) {
  const o = {};
  for (const line of lines.split('\\n')) {
    const i = line.indexOf(':');
    o[line.slice(0, i)] = line.slice(i + 1);
  }
  return o;
}
export function respond(status, base, extra, body, withBody) {
  let common = bases.get(base);
  if (common === undefined) {
    common = object(base);
    bases.set(base, common);
  }
  const headers = extra === '' ? common : { ...common, ...object(extra) };
  return new Response(withBody ? body.slice() : null, { status, headers });
}")]
extern "C" {
    /// Makes the runtime's Response in one call from wasm: the status, the
    /// headers as `Name:value` lines (`base`: the same for every answer of
    /// one kind, parsed once per isolate; `extra`: this answer's own), and
    /// the body (copied).
    fn respond(status: u16, base: &str, extra: &str, body: &[u8], with_body: bool) -> RawResponse;
}
