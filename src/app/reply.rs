//! Every response is built here, so every one carries the same headers:
//! `X-Content-Type-Options`, a `Cache-Control`, a charset on text types, an
//! `ETag` on cacheable 200s (and a 304 when it matches), security headers on
//! HTML, and no body for HEAD. The edge layer only copies a `Response` into
//! the runtime's.

use crate::http::{self, cache, types, Scripts};
use crate::routes::Method;
use maud::Markup;

/// How a request is answered, as it asked: a browser's form post or page
/// gets a page (and a 303 after a post), a script's JSON gets JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Page,
    Json,
}

/// What a handler answers, before the request's method and validators are
/// applied (`Reply::finish`).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub cache: &'static str,
    pub etag: Option<String>,
    /// False only for the bench's floor route (see `without_validator`).
    validator: bool,
    /// What an HTML page loads besides itself (its CSP allows exactly that).
    scripts: Scripts,
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
            scripts: Scripts::None,
            headers: Vec::new(),
        }
    }

    pub fn html(status: u16, page: Markup) -> Self {
        Reply::new(status, types::HTML, page.into_string())
    }

    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Reply::new(status, types::JSON, value.to_string())
    }

    /// A redirect to a site path (`Route::path`) or an absolute URL.
    pub fn redirect(status: u16, location: &str) -> Self {
        Reply::new(status, types::TEXT, format!("See {location}\n")).header("Location", location)
    }

    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }

    /// A page that embeds Turnstile's script (the contact form, when on).
    pub fn scripts(mut self, scripts: Scripts) -> Self {
        self.scripts = scripts;
        self
    }

    pub fn cache(mut self, policy: &'static str) -> Self {
        self.cache = policy;
        self
    }

    /// No ETag even though cacheable: only for the bench's floor route, so
    /// that it sends the same headers as the JavaScript Worker's floor.
    #[cfg(feature = "diagnostics")]
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

    /// When the request already holds this version (`If-None-Match` matches
    /// `etag`), a bodiless reply that `finish` turns into a 304, so that the
    /// page is not rendered for nothing.
    pub fn unchanged(
        if_none_match: Option<&str>,
        etag: &str,
        content_type: &'static str,
    ) -> Option<Reply> {
        if_none_match
            .filter(|h| http::if_none_match(h, etag))
            .map(|_| Reply::new(200, content_type, Vec::new()).etag(etag.to_string()))
    }

    /// The response for a request with this method; `if_none_match` reads
    /// that header (only for answers that can be revalidated).
    pub fn finish(
        mut self,
        method: Method,
        if_none_match: impl FnOnce() -> Option<String>,
    ) -> Response {
        let head = method == Method::Head;
        let cacheable = self.status == 200 && self.cache != cache::NO_STORE && self.validator;
        if cacheable && self.etag.is_none() {
            let digest = http::etag(&[crate::BUILD_VERSION.as_bytes(), self.body.as_slice()]);
            self.etag = Some(digest);
        }
        let not_modified = cacheable
            && self
                .etag
                .as_ref()
                .is_some_and(|tag| if_none_match().is_some_and(|h| http::if_none_match(&h, tag)));
        let with_body = !(head || not_modified || self.body.is_empty());
        Response {
            status: if not_modified { 304 } else { self.status },
            kind: Kind {
                content_type: self.content_type,
                cache: self.cache,
                not_modified,
                scripts: if self.content_type == types::HTML {
                    self.scripts
                } else {
                    Scripts::None
                },
            },
            etag: if cacheable { self.etag } else { None },
            extra: self.headers,
            body: if with_body { Some(self.body) } else { None },
            edge_ttl: None,
        }
    }
}

/// What the headers that depend only on the kind of answer (type, cache
/// policy, security headers) depend on. There are a few dozen kinds at most,
/// so the edge can build each kind's header block once per isolate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Kind {
    pub content_type: &'static str,
    pub cache: &'static str,
    pub not_modified: bool,
    pub scripts: Scripts,
}

impl Kind {
    /// The headers of this kind of answer.
    pub fn headers(&self) -> Vec<(&'static str, &'static str)> {
        let mut base = Vec::with_capacity(8);
        if !self.not_modified {
            base.push(("Content-Type", self.content_type));
        }
        base.push(("Cache-Control", self.cache));
        base.push(("X-Content-Type-Options", "nosniff"));
        if self.content_type == types::HTML {
            base.push((
                "Content-Security-Policy",
                http::content_security_policy(self.scripts),
            ));
            base.extend(http::HTML_SECURITY_HEADERS);
        }
        base
    }
}

/// A finished response: status, headers as typed pairs, body.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    /// The headers every answer of this kind carries.
    pub kind: Kind,
    pub etag: Option<String>,
    /// This answer's own headers (`Location`, `Allow`, `Retry-After`...).
    pub extra: Vec<(&'static str, String)>,
    /// `None` for HEAD, 304 and empty answers.
    pub body: Option<Vec<u8>>,
    /// How long the location's shared cache (the Cache API) may keep this
    /// answer, in seconds: set on listings, feeds and sitemaps only.
    pub edge_ttl: Option<u32>,
}

impl Response {
    /// Every header, in order: the kind's, then the ETag, then this answer's
    /// (which replace the kind's of the same name, as at the edge).
    pub fn headers(&self) -> Vec<(&'static str, String)> {
        let mut all: Vec<(&'static str, String)> = self
            .kind
            .headers()
            .into_iter()
            .filter(|(k, _)| !self.extra.iter().any(|(e, _)| e.eq_ignore_ascii_case(k)))
            .map(|(k, v)| (k, v.to_string()))
            .collect();
        if let Some(tag) = &self.etag {
            all.push(("ETag", tag.clone()));
        }
        all.extend(self.extra.iter().cloned());
        all
    }

    /// One header's value (names compared without case).
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers()
            .into_iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// The body as text (empty when there is none).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(self.body.as_deref().unwrap_or_default()).into_owned()
    }
}
