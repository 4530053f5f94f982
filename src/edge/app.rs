//! Dispatches each request on the routing table (`crate::routes`) and builds
//! the pages. Handlers return `Result<Reply, AppError>`; `handle` turns
//! errors into pages and finishes every response the same way.

use super::config;
use super::error::AppError;
use super::reply::Reply;
use super::store::{Page, Store};
use crate::content::{AlertRecord, ListingEntry};
use crate::http::{cache, types};
use crate::keys;
use crate::markdown;
use crate::routes::{self, Method, Resolved, Route};
use crate::views::{self, AlertPage, ListingPage, Site};
use std::collections::HashMap;
use worker::worker_sys::web_sys::{Request as RawRequest, Response as RawResponse};
use worker::{Env, Request};

/// Alerts on a listing page.
const PAGE_SIZE: usize = 10;
/// Related articles under an alert.
const RELATED: usize = 4;

/// The current time in unix seconds (`SystemTime` is not available in wasm).
pub fn now() -> i64 {
    (worker::Date::now().as_millis() / 1000) as i64
}

/// The current time, to the second.
pub fn now_utc() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(now(), 0).unwrap_or_default()
}

/// Handles one request. Takes and returns the runtime's own Request and
/// Response: each value read from or written to them crosses from wasm into
/// JavaScript, so only what a route needs is read, and the response is made
/// in one call (`reply.rs`).
pub async fn handle(raw: RawRequest, line: RequestLine, env: Env) -> RawResponse {
    super::store::take_kv_ops();
    let RequestLine { method, url } = line;
    let path = crate::http::path_of(&url);
    let incoming = Incoming::new(&raw);
    let result = match routes::resolve(method, path, config::switches(&env)) {
        Resolved::Found(route) => dispatch(route, method, &incoming, &url, &env).await,
        Resolved::MethodNotAllowed(allow) => Err(AppError::MethodNotAllowed(allow)),
        Resolved::NotFound => not_found(&env, path).await,
    };
    finish(&incoming, &env, method, path, result)
}

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = "
export function request_line(request) {
  return request.method + ' ' + request.url;
}")]
extern "C" {
    /// The method and URL in one call (one string across, not two).
    fn request_line(request: &RawRequest) -> String;
}

/// What every route needs of a request: its method and URL.
pub struct RequestLine {
    method: Method,
    url: String,
}

impl RequestLine {
    pub fn read(raw: &RawRequest) -> Self {
        let line = request_line(raw);
        let (method, url) = line.split_once(' ').unwrap_or(("GET", ""));
        RequestLine {
            method: Method::parse(method),
            url: url.to_string(),
        }
    }
}

/// The runtime's Request, with `If-None-Match` read at most once (each
/// header read is a call into the runtime).
struct Incoming<'a> {
    raw: &'a RawRequest,
    if_none_match: std::cell::OnceCell<Option<String>>,
}

impl<'a> Incoming<'a> {
    fn new(raw: &'a RawRequest) -> Self {
        Incoming {
            raw,
            if_none_match: std::cell::OnceCell::new(),
        }
    }

    fn header(&self, name: &str) -> Option<String> {
        self.raw.headers().get(name).ok().flatten()
    }

    fn if_none_match(&self) -> Option<String> {
        self.if_none_match
            .get_or_init(|| self.header("If-None-Match"))
            .clone()
    }
}

async fn dispatch(
    route: Route<'_>,
    method: Method,
    incoming: &Incoming<'_>,
    url: &str,
    env: &Env,
) -> Result<Reply, AppError> {
    let site = &config::site(env);
    let query = query_map(url);
    if let Some(reply) = immediate(&route, site, url) {
        return reply;
    }
    // Routes that read a body or headers get the SDK's Request.
    let sdk = || Request::from(<RawRequest as Clone>::clone(incoming.raw));
    match route {
        Route::Home => {
            let spec = Listing {
                prefix: keys::INDEX_ALL.into(),
                heading: "Latest alerts".into(),
                intro: None,
                path: "/".into(),
                feed: None,
                months: None,
                empty_is_unknown: false,
                query: &query,
            };
            listing(env, site, spec).await
        }
        Route::Category(name) => taxonomy(env, site, name, "category", &query).await,
        Route::Tag(name) => taxonomy(env, site, name, "tag", &query).await,
        Route::Archive(y, m) => super::discovery::archive(env, site, y, m, &query).await,
        Route::Feed => {
            super::discovery::feed(env, site, None, false, incoming.if_none_match()).await
        }
        Route::JsonFeed => {
            super::discovery::feed(env, site, None, true, incoming.if_none_match()).await
        }
        Route::CategoryFeed(name) => {
            let inm = incoming.if_none_match();
            super::discovery::feed(env, site, Some(name), false, inm).await
        }
        Route::Sitemap => super::discovery::sitemap_index(env, site).await,
        Route::SitemapPages => Ok(super::discovery::sitemap_pages(site)),
        Route::SitemapMonth(y, m) => super::discovery::sitemap_month(env, site, y, m).await,
        Route::ApiAlerts => super::discovery::api_alerts(env, site, &query).await,
        Route::Alert(slug) => alert(env, site, slug, false, incoming.if_none_match()).await,
        Route::Preview(slug) => preview(env, site, slug, &query).await,
        Route::ApiAlert(slug) => api_alert(env, site, slug, incoming.if_none_match()).await,
        Route::Contact if method == Method::Post => {
            super::contact::submit(&mut sdk(), env, site).await
        }
        Route::Contact => super::contact::form(&query, env, site).await,
        Route::Healthz => healthz(env).await,
        Route::DeadInquiries => super::inbox::list_dead(&sdk(), env).await,
        Route::ResendInquiry(id) => super::inbox::resend(&sdk(), env, id).await,
        Route::TestPanic => {
            // After an await, so that the trap happens in a Promise callback.
            Store::new(env).get_bytes(keys::CONTACTS_KEY).await?;
            panic!("test panic route")
        }
        Route::TestEnqueue => super::inbox::test_enqueue(&mut sdk(), env).await,
        Route::BenchKv(slug) => {
            let bytes = Store::new(env).get_bytes(&keys::alert(slug)).await?;
            let size = bytes.map_or(0, |b| b.len());
            Ok(Reply::new(200, types::TEXT, format!("{size}\n")).cache(cache::NO_STORE))
        }
        _ => Err(AppError::NotFound),
    }
}

/// Routes answered without any I/O, from memory.
fn immediate(route: &Route<'_>, site: &Site, url: &str) -> Option<Result<Reply, AppError>> {
    Some(match *route {
        Route::ContactThanks => Ok(Reply::html(200, views::thanks_page(site))),
        Route::Privacy => Ok(Reply::html(200, views::privacy_page(site))),
        Route::Robots => Ok(Reply::new(
            200,
            types::TEXT,
            format!(
                "User-agent: *\nDisallow: /preview/\nDisallow: /operator/\n\nSitemap: {}\n",
                site.abs("/sitemap.xml")
            ),
        )),
        Route::Favicon => Ok(Reply::new(200, types::SVG, views::FAVICON).cache(cache::DAY)),
        Route::Stylesheet(file) if file == views::stylesheet_file() => {
            Ok(Reply::new(200, types::CSS, views::STYLESHEET).cache(cache::IMMUTABLE))
        }
        Route::Stylesheet(_) => Err(AppError::NotFound),
        Route::BenchFloor => Ok(Reply::new(200, types::TEXT, "ok\n").without_validator()),
        Route::BenchRender => {
            // `?n=` renders the alert n times (at most 1,000) in one request,
            // so that the per-request cost can be divided out.
            let n = crate::http::query_pairs(url)
                .into_iter()
                .find(|(k, _)| k == "n")
                .and_then(|(_, v)| v.parse::<usize>().ok())
                .unwrap_or(1)
                .clamp(1, 1000);
            let bytes: usize = (0..n)
                .map(|_| markdown::render(crate::markdown::BENCH_ALERT).html.len())
                .sum();
            Ok(Reply::new(200, types::TEXT, format!("{}\n", bytes / n)).cache(cache::NO_STORE))
        }
        Route::BenchMemory => {
            let bytes = core::arch::wasm32::memory_size(0) * 65536;
            Ok(Reply::new(200, types::TEXT, format!("{bytes}\n")).cache(cache::NO_STORE))
        }
        Route::TestPanicNow => panic!("test panic route (sync)"),
        _ => return None,
    })
}

/// Answers at once, without the async machinery, a request that needs no
/// I/O (fixed pages, assets, wrong methods); `None` for the others.
pub fn answer_now(raw: &RawRequest, line: &RequestLine, env: &Env) -> Option<RawResponse> {
    let (method, url) = (line.method, line.url.as_str());
    let path = crate::http::path_of(url);
    let reply = match routes::resolve(method, path, config::switches(env)) {
        Resolved::Found(route) => immediate(&route, &config::site(env), url)?,
        Resolved::MethodNotAllowed(allow) => Err(AppError::MethodNotAllowed(allow)),
        Resolved::NotFound => return None,
    };
    Some(finish(&Incoming::new(raw), env, method, path, reply))
}

/// Turns a handler's result into the runtime's Response.
fn finish(
    incoming: &Incoming<'_>,
    env: &Env,
    method: Method,
    path: &str,
    result: Result<Reply, AppError>,
) -> RawResponse {
    let header = |name: &str| incoming.header(name);
    let reply = result.unwrap_or_else(|e| {
        let wants_json = path.starts_with("/api/")
            || path.starts_with("/operator/")
            || header("Content-Type").is_some_and(|t| t.starts_with("application/json"));
        e.into_reply(&config::site(env), wants_json)
    });
    let turnstile_page = path == "/contact" && config::turnstile(env).is_some();
    let ops = super::store::take_kv_ops();
    // Only on answers that made KV calls: a header costs a little on every
    // response, and the floor route must send what the JavaScript floor does.
    let reply = if ops > 0 && config::bench_routes(env) {
        reply.header("X-KV-Ops", &ops.to_string())
    } else {
        reply
    };
    reply.finish(
        method == Method::Head,
        || incoming.if_none_match(),
        turnstile_page,
    )
}

/// When the request already holds this version (`If-None-Match` matches
/// `etag`), a bodiless reply that `Reply::finish` turns into a 304, so the
/// page is not rendered for nothing.
pub(super) fn unchanged(
    if_none_match: Option<&str>,
    etag: &str,
    content_type: &'static str,
) -> Option<Reply> {
    if_none_match
        .filter(|h| crate::http::if_none_match(h, etag))
        .map(|_| Reply::new(200, content_type, Vec::new()).etag(etag.to_string()))
}

fn query_map(url: &str) -> HashMap<String, String> {
    if url.contains('?') {
        crate::http::query_pairs(url).into_iter().collect()
    } else {
        HashMap::new()
    }
}

/// Unknown paths: an alias redirects (301) to its alert, else 404.
async fn not_found(env: &Env, path: &str) -> Result<Reply, AppError> {
    let store = Store::new(env);
    let trimmed = path.trim_end_matches('/');
    // Once, or twice when a trailing slash was given.
    let candidates = std::iter::once(path).chain((trimmed != path).then_some(trimmed));
    for candidate in candidates {
        if candidate.is_empty() || candidate.len() > keys::MAX_KEY_BYTES - 10 {
            continue;
        }
        if let Some(slug) = store.alias(candidate).await? {
            return Ok(Reply::redirect(301, &views::alert_path(&slug)));
        }
    }
    Err(AppError::NotFound)
}

/// What a listing page shows, besides its entries.
pub struct Listing<'a> {
    pub prefix: String,
    pub heading: String,
    pub intro: Option<String>,
    pub path: String,
    pub feed: Option<(String, String)>,
    pub months: Option<views::MonthLinks>,
    /// Whether an empty first page is a 404 (an unknown category, tag or month).
    pub empty_is_unknown: bool,
    pub query: &'a HashMap<String, String>,
}

/// The `cursor` query parameter: absent, or an opaque KV cursor (base64
/// characters, at most 1,024). Anything else is a 400.
pub fn cursor_param(query: &HashMap<String, String>) -> Result<Option<String>, AppError> {
    match query.get("cursor").map(String::as_str) {
        None | Some("") => Ok(None),
        Some(c)
            if c.len() <= 1024
                && c.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+/=_-.".contains(&b)) =>
        {
            Ok(Some(c.to_string()))
        }
        Some(_) => Err(AppError::BadRequest("The cursor is not valid.".into())),
    }
}

pub async fn listing(env: &Env, site: &Site, spec: Listing<'_>) -> Result<Reply, AppError> {
    let (page, paged) = read_listing(env, &spec).await?;
    Ok(render_listing(site, spec, &page, paged))
}

/// One page of a listing; an empty page is a 404 past the first page or
/// for an unknown name.
async fn read_listing(env: &Env, spec: &Listing<'_>) -> Result<(Page, bool), AppError> {
    let cursor = cursor_param(spec.query)?;
    let paged = cursor.is_some();
    let page = Store::new(env)
        .page(&spec.prefix, PAGE_SIZE, now(), cursor, None)
        .await?;
    if page.entries.is_empty() && (paged || spec.empty_is_unknown) {
        return Err(AppError::NotFound);
    }
    Ok((page, paged))
}

fn render_listing(site: &Site, spec: Listing<'_>, page: &Page, paged: bool) -> Reply {
    let older = page.next.as_ref().map(|c| {
        let q = serde_urlencoded::to_string([("cursor", c)]).unwrap_or_default();
        format!("{}?{q}", spec.path)
    });
    let markup = views::listing_page(
        site,
        &ListingPage {
            heading: &spec.heading,
            intro: spec.intro.as_deref(),
            path: &spec.path,
            entries: &page.entries,
            older,
            paged,
            feed: spec.feed,
            months: spec.months,
        },
    );
    Reply::html(200, markup)
}

/// A category or tag page (one listing read: the display name comes from
/// its first entry); an unknown name is a 404.
async fn taxonomy(
    env: &Env,
    site: &Site,
    name: &str,
    kind: &str,
    query: &HashMap<String, String>,
) -> Result<Reply, AppError> {
    let category = kind == "category";
    let path = format!("/{kind}/{name}");
    let mut spec = Listing {
        prefix: if category {
            keys::category_prefix(name)
        } else {
            keys::tag_prefix(name)
        },
        heading: String::new(),
        intro: None,
        feed: None,
        path,
        months: None,
        empty_is_unknown: true,
        query,
    };
    let (page, paged) = read_listing(env, &spec).await?;
    let first = page.entries.first().ok_or(AppError::NotFound)?;
    let display = if category {
        first.meta.category.clone()
    } else {
        first
            .meta
            .tags
            .iter()
            .find(|t| keys::name_slug(t) == name)
            .cloned()
    }
    .unwrap_or_else(|| name.to_string());
    spec.heading = format!("{}: {display}", if category { "Category" } else { "Tag" });
    spec.intro = Some(format!("Alerts filed under {display}, newest first."));
    if category {
        spec.feed = Some((
            format!("{} ({display})", site.name),
            format!("{}/feed.xml", spec.path),
        ));
    }
    Ok(render_listing(site, spec, &page, paged))
}

/// Loads an alert that readers may see: drafts and scheduled alerts answer
/// exactly like unknown slugs.
pub async fn public_alert(store: &Store<'_>, slug: &str) -> Result<AlertRecord, AppError> {
    match store.alert(slug).await? {
        Some(a) if a.is_public(now_utc()) => Ok(a),
        _ => Err(AppError::NotFound),
    }
}

/// The related list: the alert's own `related`, else the newest of its
/// category from one small listing read.
async fn related(store: &Store<'_>, a: &AlertRecord) -> Result<Vec<ListingEntry>, AppError> {
    if !a.related.is_empty() {
        return Ok(a.related.iter().take(RELATED).cloned().collect());
    }
    let Some(category) = &a.category else {
        return Ok(Vec::new());
    };
    let prefix = keys::category_prefix(&keys::name_slug(category));
    let page = store.page(&prefix, RELATED + 1, now(), None, None).await?;
    Ok(page
        .entries
        .into_iter()
        .filter(|e| e.slug != a.slug)
        .take(RELATED)
        .collect())
}

async fn alert(
    env: &Env,
    site: &Site,
    slug: &str,
    preview: bool,
    if_none_match: Option<String>,
) -> Result<Reply, AppError> {
    let store = Store::new(env);
    let record = if preview {
        store.alert(slug).await?.ok_or(AppError::NotFound)?
    } else {
        public_alert(&store, slug).await?
    };
    let related = related(&store, &record).await?;
    // What of the related entries the page shows, in one string.
    let mut related_key = String::new();
    for r in &related {
        use std::fmt::Write;
        let _ = writeln!(related_key, "{}:{}:{}", r.slug, r.meta.date, r.meta.title);
    }
    let etag = crate::http::etag(&[crate::BUILD_VERSION, &site.url, &record.hash, &related_key]);
    if !preview {
        if let Some(reply) = unchanged(if_none_match.as_deref(), &etag, types::HTML) {
            return Ok(reply);
        }
    }
    let rendered = markdown::render(&record.body);
    let markup = views::alert_page(
        site,
        &AlertPage {
            alert: &record,
            body_html: &rendered.html,
            related: &related,
            preview,
        },
    );
    let reply = Reply::html(200, markup);
    Ok(if preview {
        reply
            .cache(cache::NO_STORE)
            .header("X-Robots-Tag", "noindex, nofollow")
    } else {
        reply.etag(etag)
    })
}

async fn preview(
    env: &Env,
    site: &Site,
    slug: &str,
    query: &HashMap<String, String>,
) -> Result<Reply, AppError> {
    let Some(secret) = config::preview_secret(env) else {
        return Err(AppError::NotFound);
    };
    let exp = query.get("exp").map(String::as_str).unwrap_or("");
    let sig = query.get("sig").map(String::as_str).unwrap_or("");
    match crate::preview::verify(&secret, slug, exp, sig, now()) {
        Ok(()) => alert(env, site, slug, true, None).await,
        Err(crate::preview::PreviewError::Expired) => Err(AppError::Forbidden(
            "This preview link has expired. Ask an editor for a new one.".into(),
        )),
        Err(crate::preview::PreviewError::Invalid) => Err(AppError::Forbidden(
            "This preview link is not valid.".into(),
        )),
    }
}

async fn api_alert(
    env: &Env,
    site: &Site,
    slug: &str,
    if_none_match: Option<String>,
) -> Result<Reply, AppError> {
    let store = Store::new(env);
    let a = public_alert(&store, slug).await?;
    let etag = crate::http::etag(&[crate::BUILD_VERSION, &site.url, &a.hash, "api"]);
    if let Some(reply) = unchanged(if_none_match.as_deref(), &etag, types::JSON) {
        return Ok(reply);
    }
    let html = markdown::render(&a.body).html;
    let rfc = views::rfc3339;
    let body = serde_json::json!({
        "slug": a.slug,
        "title": a.title,
        "date": rfc(a.date),
        "updated": a.updated.map(rfc),
        "category": a.category,
        "tags": a.tags,
        "summary": a.summary,
        "contacts": a.contacts,
        "contact_note": a.contact_note,
        "image": a.image,
        "image_alt": a.image_alt,
        "html": html,
        "url": site.abs(&views::alert_path(&a.slug)),
    });
    Ok(Reply::json(200, &body).etag(etag))
}

async fn healthz(env: &Env) -> Result<Reply, AppError> {
    let kv = match Store::new(env).get_bytes(keys::CONTACTS_KEY).await {
        Ok(_) => "ok",
        Err(e) => {
            worker::console_error!("healthz kv error: {e:?}");
            "error"
        }
    };
    let status = if kv == "ok" { 200 } else { 503 };
    let body = serde_json::json!({ "version": crate::BUILD_VERSION, "kv": kv });
    Ok(Reply::json(status, &body).cache(cache::NO_STORE))
}
