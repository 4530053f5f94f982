//! Every response is built here, so every one carries the same headers:
//! `X-Content-Type-Options`, a `Cache-Control`, a charset on text types, an
//! `ETag` on cacheable 200s (and a 304 when it matches), security headers on
//! HTML, and no body for HEAD.

use crate::http::{self, cache, types};
use maud::Markup;
use worker::{Headers, Response};

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

    /// Builds the response for a request with this method and `If-None-Match`.
    pub fn finish(mut self, head: bool, if_none_match: Option<&str>, turnstile: bool) -> Response {
        let cacheable = self.status == 200 && self.cache != cache::NO_STORE;
        if cacheable && self.etag.is_none() {
            let digest = http::etag(&[crate::BUILD_VERSION, &String::from_utf8_lossy(&self.body)]);
            self.etag = Some(digest);
        }
        let headers = Headers::new();
        let set = |k: &str, v: &str| {
            let _ = headers.set(k, v);
        };
        set("Content-Type", self.content_type);
        set("Cache-Control", self.cache);
        set("X-Content-Type-Options", "nosniff");
        if self.content_type == types::HTML {
            set(
                "Content-Security-Policy",
                &http::content_security_policy(turnstile),
            );
            for (k, v) in http::HTML_SECURITY_HEADERS {
                set(k, v);
            }
        }
        for (k, v) in &self.headers {
            set(k, v);
        }
        let mut status = self.status;
        let mut body = std::mem::take(&mut self.body);
        if cacheable {
            if let Some(etag) = &self.etag {
                set("ETag", etag);
                if if_none_match.is_some_and(|h| http::if_none_match(h, etag)) {
                    status = 304;
                    body.clear();
                    let _ = headers.delete("Content-Type");
                }
            }
        }
        if head {
            body.clear();
        }
        let response = if body.is_empty() {
            Response::empty()
        } else {
            Response::from_bytes(body)
        };
        match response {
            Ok(r) => r.with_status(status).with_headers(headers),
            Err(_) => Response::empty().unwrap().with_status(500),
        }
    }
}
