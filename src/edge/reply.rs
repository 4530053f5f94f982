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
    /// False only for the bench's floor route (see `without_validator`).
    validator: bool,
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
            validator: true,
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

    /// No ETag even though cacheable: only for the bench's floor route, so
    /// that it sends the same headers as the JavaScript Worker's floor.
    pub fn without_validator(mut self) -> Self {
        self.validator = false;
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
        let cacheable = self.status == 200 && self.cache != cache::NO_STORE && self.validator;
        if cacheable && self.etag.is_none() {
            let digest = http::etag(&[crate::BUILD_VERSION.as_bytes(), self.body.as_slice()]);
            self.etag = Some(digest);
        }
        let mut status = self.status;
        let mut not_modified = false;
        let mut etag = "";
        if cacheable {
            if let Some(tag) = &self.etag {
                etag = tag;
                not_modified = if_none_match().is_some_and(|h| http::if_none_match(&h, tag));
            }
        }
        if not_modified {
            status = 304;
        }
        let mut extra = String::new();
        for (k, v) in &self.headers {
            add_line(&mut extra, k, v);
        }
        let with_body = !(head || not_modified || self.body.is_empty());
        let (id, first) = base_id(BaseKey {
            content_type: self.content_type,
            cache: self.cache,
            not_modified,
            turnstile: turnstile && self.content_type == types::HTML,
        });
        respond(status, id, &first, etag, &extra, &self.body, with_body)
    }
}

fn add_line(lines: &mut String, k: &str, v: &str) {
    if !lines.is_empty() {
        lines.push('\n');
    }
    lines.push_str(k);
    lines.push(':');
    lines.push_str(v);
}

/// What the headers that depend only on the kind of answer (type, cache
/// policy, security headers) depend on.
#[derive(Clone, Copy, PartialEq)]
struct BaseKey {
    content_type: &'static str,
    cache: &'static str,
    not_modified: bool,
    turnstile: bool,
}

impl BaseKey {
    /// The header block as `Name:value` lines.
    fn lines(&self) -> String {
        let mut base = String::with_capacity(512);
        if !self.not_modified {
            add_line(&mut base, "Content-Type", self.content_type);
        }
        add_line(&mut base, "Cache-Control", self.cache);
        add_line(&mut base, "X-Content-Type-Options", "nosniff");
        if self.content_type == types::HTML {
            add_line(
                &mut base,
                "Content-Security-Policy",
                http::content_security_policy(self.turnstile),
            );
            for (k, v) in http::HTML_SECURITY_HEADERS {
                add_line(&mut base, k, v);
            }
        }
        base
    }
}

thread_local! {
    /// Every kind of header block this isolate has sent, by id.
    static BASES: std::cell::RefCell<Vec<BaseKey>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The id of a header block, and its text the first time only (after that
/// the JavaScript side has it parsed, and only the number crosses). There
/// are a few dozen kinds of answer at most (type x cache policy x 304).
fn base_id(key: BaseKey) -> (u32, String) {
    BASES.with(|bases| {
        let mut bases = bases.borrow_mut();
        match bases.iter().position(|b| *b == key) {
            Some(i) => (i as u32, String::new()),
            None => {
                bases.push(key);
                ((bases.len() - 1) as u32, key.lines())
            }
        }
    })
}

#[wasm_bindgen(inline_js = "
const bases = [];
function object(lines) {
  const o = {};
  for (const line of lines.split('\\n')) {
    const i = line.indexOf(':');
    o[line.slice(0, i)] = line.slice(i + 1);
  }
  return o;
}
// `base` is '' once the block with this id was sent (a block is never empty:
// Cache-Control is always in it).
export function respond(status, id, base, etag, extra, body, withBody) {
  if (base !== '') bases[id] = object(base);
  let headers = bases[id];
  if (etag !== '' || extra !== '') {
    headers = { ...headers };
    if (etag !== '') headers.ETag = etag;
    if (extra !== '') Object.assign(headers, object(extra));
  }
  return new Response(withBody ? body.slice() : null, { status, headers });
}")]
extern "C" {
    /// Makes the runtime's Response in one call from wasm: the status, the
    /// headers as `Name:value` lines (`base`: the same for every answer of
    /// one kind, sent once per isolate and then named by `id`; `extra`: this
    /// answer's own), the ETag (or ""), and the body (copied).
    fn respond(
        status: u16,
        id: u32,
        base: &str,
        etag: &str,
        extra: &str,
        body: &[u8],
        with_body: bool,
    ) -> RawResponse;
}
