//! The one routing table: which paths exist and which methods each answers,
//! and the one place paths are made (`Route::path`). Category and tag names
//! may be any letters (`Türkiye`): paths carry them percent-encoded, and
//! routing decodes them. Pure, so it is unit-tested natively.

use std::borrow::Cow;

/// The request methods the site distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    Post,
    Other,
}

impl Method {
    pub fn parse(m: &str) -> Self {
        match m {
            "GET" => Method::Get,
            "HEAD" => Method::Head,
            "POST" => Method::Post,
            _ => Method::Other,
        }
    }
}

/// Every page and endpoint of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route<'a> {
    Home,
    Alert(&'a str),
    ApiAlert(&'a str),
    Preview(&'a str),
    /// A category by its name's slug (decoded: `türkiye`).
    Category(Cow<'a, str>),
    CategoryFeed(Cow<'a, str>),
    /// A tag by its name's slug (decoded).
    Tag(Cow<'a, str>),
    /// `/archive/<yyyy>/<mm>`
    Archive(i32, u32),
    /// `/feed.xml`
    Feed,
    /// `/feed.json`
    JsonFeed,
    /// `/sitemap.xml`: the index of the parts below.
    Sitemap,
    /// `/sitemap/pages.xml`: pages that are not alerts.
    SitemapPages,
    /// `/sitemap/<yyyy>-<mm>.xml`: one month's alerts and pages.
    SitemapMonth(i32, u32),
    /// `/api/alerts`
    ApiAlerts,
    /// `/search?q=`: results as a page.
    Search,
    /// `/api/search?q=`: results as JSON.
    ApiSearch,
    /// `/opensearch.xml`
    OpenSearch,
    Contact,
    ContactThanks,
    Privacy,
    Healthz,
    Stylesheet(&'a str),
    Robots,
    Favicon,
    /// `/subscribe`: the subscribe form (GET) and its submission (POST).
    Subscribe,
    /// `/subscribe/check`: "check your inbox".
    SubscribeCheck,
    /// `/subscribe/confirm?t=`: the confirm button (GET) and confirming (POST).
    SubscribeConfirm,
    /// `/subscription?t=`: a subscriber's topics and frequency.
    Subscription,
    /// `/unsubscribe?t=`: the button (GET) and the erasure (POST, RFC 8058).
    Unsubscribe,
    /// Operator: alert mail that failed every retry (bearer token).
    DeadMail,
    /// Operator: re-send one dead mail batch (bearer token).
    ResendMail(&'a str),
    /// Operator: list dead-lettered inquiries (bearer token).
    DeadInquiries,
    /// Operator: one dead-lettered inquiry in full (bearer token).
    DeadInquiry(&'a str),
    /// Operator: re-send one dead-lettered inquiry (bearer token).
    ResendInquiry(&'a str),
    /// Test and bench routes (a build with the `diagnostics` feature only).
    #[cfg(feature = "diagnostics")]
    Diag(Diag<'a>),
}

/// Routes for the integration tests and `make bench`, compiled only with
/// the `diagnostics` feature (never in the deployed build).
#[cfg(feature = "diagnostics")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Diag<'a> {
    /// Test environment only: panics inside a request, after an await.
    TestPanic,
    /// Test environment only: panics before any I/O.
    TestPanicNow,
    /// Test environment only: panics after awaiting a KV `list()` through
    /// the SDK's own future (wasm-bindgen-futures' `JsFuture`).
    TestPanicAfterList,
    /// Test environment only: allocates until the wasm runs out of memory.
    TestOutOfMemory,
    /// Test environment only: puts a raw inquiry on the queue.
    TestEnqueue,
    /// Bench environment only: a fixed response (the per-request floor).
    BenchFloor,
    /// Bench environment only: renders a built-in 10 KB alert.
    BenchRender,
    /// Bench environment only: the size of the wasm linear memory.
    BenchMemory,
    /// Bench environment only: reads one alert's record from KV and answers
    /// a fixed response (the cost of the KV read alone).
    BenchKv(&'a str),
    /// Bench environment only: answers `?path=` `n` times in one request,
    /// KV read once and then from memory: the route's own work.
    BenchOwn,
}

/// The outcome of matching a request against the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved<'a> {
    Found(Route<'a>),
    /// The path exists but not for this method; the value is the `Allow` header.
    MethodNotAllowed(&'static str),
    NotFound,
}

const GET: &str = "GET, HEAD";
const GET_POST: &str = "GET, HEAD, POST";
const POST: &str = "POST";

/// The test and bench routes that are on (`TEST_ROUTES`, `BENCH_ROUTES`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Switches {
    pub test: bool,
    pub bench: bool,
}

impl Switches {
    pub const ALL: Switches = Switches {
        test: true,
        bench: true,
    };
}

impl Route<'_> {
    /// Whether the route exists with these switches: a switched-off test or
    /// bench route is unknown for every method (not a 405 that would show it).
    fn is_on(&self, on: Switches) -> bool {
        let _ = on;
        match self {
            #[cfg(feature = "diagnostics")]
            Route::Diag(
                Diag::TestPanic
                | Diag::TestPanicNow
                | Diag::TestPanicAfterList
                | Diag::TestOutOfMemory
                | Diag::TestEnqueue,
            ) => on.test,
            #[cfg(feature = "diagnostics")]
            Route::Diag(_) => on.bench,
            _ => true,
        }
    }

    /// Whether every reader gets the same answer for this URL and the answer
    /// changes only through KV (listings, feeds, sitemaps): what the Cache
    /// API may keep, for as long as the isolate's cache would.
    pub fn shared_cache(&self) -> bool {
        matches!(
            self,
            Route::Home
                | Route::Category(_)
                | Route::Tag(_)
                | Route::Archive(..)
                | Route::Feed
                | Route::JsonFeed
                | Route::CategoryFeed(_)
                | Route::Sitemap
                | Route::SitemapPages
                | Route::SitemapMonth(..)
                | Route::ApiAlerts
        )
    }

    /// The route's path: the one place links and redirects are made, the
    /// inverse of `resolve` (a test checks the round trip).
    pub fn path(&self) -> String {
        match self {
            Route::Home => "/".into(),
            Route::Alert(slug) => format!("/alerts/{slug}"),
            Route::ApiAlert(slug) => format!("/api/alerts/{slug}"),
            Route::Preview(slug) => format!("/preview/{slug}"),
            Route::Category(c) => format!("/category/{}", encode(c)),
            Route::CategoryFeed(c) => format!("/category/{}/feed.xml", encode(c)),
            Route::Tag(t) => format!("/tag/{}", encode(t)),
            Route::Archive(y, m) => format!("/archive/{y:04}/{m:02}"),
            Route::Feed => "/feed.xml".into(),
            Route::JsonFeed => "/feed.json".into(),
            Route::Sitemap => "/sitemap.xml".into(),
            Route::SitemapPages => "/sitemap/pages.xml".into(),
            Route::SitemapMonth(y, m) => format!("/sitemap/{y:04}-{m:02}.xml"),
            Route::ApiAlerts => "/api/alerts".into(),
            Route::Search => "/search".into(),
            Route::ApiSearch => "/api/search".into(),
            Route::OpenSearch => "/opensearch.xml".into(),
            Route::Contact => "/contact".into(),
            Route::ContactThanks => "/contact/thanks".into(),
            Route::Privacy => "/privacy".into(),
            Route::Healthz => "/healthz".into(),
            Route::Stylesheet(file) => format!("/assets/{file}"),
            Route::Robots => "/robots.txt".into(),
            Route::Favicon => "/favicon.svg".into(),
            Route::Subscribe => "/subscribe".into(),
            Route::SubscribeCheck => "/subscribe/check".into(),
            Route::SubscribeConfirm => "/subscribe/confirm".into(),
            Route::Subscription => "/subscription".into(),
            Route::Unsubscribe => "/unsubscribe".into(),
            Route::DeadMail => "/operator/mail".into(),
            Route::ResendMail(id) => format!("/operator/mail/{id}/resend"),
            Route::DeadInquiries => "/operator/inquiries".into(),
            Route::DeadInquiry(id) => format!("/operator/inquiries/{id}"),
            Route::ResendInquiry(id) => format!("/operator/inquiries/{id}/resend"),
            #[cfg(feature = "diagnostics")]
            Route::Diag(d) => match d {
                Diag::TestPanic => "/__test/panic".into(),
                Diag::TestPanicNow => "/__test/panic-now".into(),
                Diag::TestPanicAfterList => "/__test/panic-after-list".into(),
                Diag::TestOutOfMemory => "/__test/out-of-memory".into(),
                Diag::TestEnqueue => "/__test/enqueue".into(),
                Diag::BenchFloor => "/__bench/floor".into(),
                Diag::BenchRender => "/__bench/render".into(),
                Diag::BenchMemory => "/__bench/memory".into(),
                Diag::BenchKv(slug) => format!("/__bench/kv/{slug}"),
                Diag::BenchOwn => "/__bench/own".into(),
            },
        }
    }
}

/// The path of an alert's page.
pub fn alert_path(slug: &str) -> String {
    Route::Alert(slug).path()
}

/// The path of a category's page, from its name as editors write it.
pub fn category_path(name: &str) -> String {
    Route::Category(crate::keys::name_slug(name).into()).path()
}

/// The path of a tag's page, from its name as editors write it.
pub fn tag_path(name: &str) -> String {
    Route::Tag(crate::keys::name_slug(name).into()).path()
}

/// A name slug as a path segment: ASCII letters, digits and hyphens as
/// they are, anything else percent-encoded (UTF-8).
fn encode(slug: &str) -> Cow<'_, str> {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-');
    percent_encoding::utf8_percent_encode(slug, KEEP).into()
}

/// A path segment as a name slug: percent-decoded, and then exactly what
/// `keys::name_slug` makes of it (so that each name has one path).
fn name(segment: &str) -> Option<Cow<'_, str>> {
    let decoded = percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .ok()?;
    (!decoded.is_empty()
        && decoded.len() <= crate::keys::MAX_NAME_BYTES
        && crate::keys::name_slug(&decoded) == decoded)
        .then_some(decoded)
}

/// The first path segments that belong to routes with parameters (`/alerts/`,
/// `/category/`...), read off the table's own paths.
fn route_prefixes() -> Vec<String> {
    SAMPLES
        .iter()
        .filter_map(|r| {
            let path = r.path();
            let (first, rest) = path.trim_start_matches('/').split_once('/')?;
            (!rest.is_empty()).then(|| first.to_string())
        })
        .collect()
}

/// One route of each kind, with sample parameters.
const SAMPLES: &[Route<'static>] = &[
    Route::Home,
    Route::Alert("a"),
    Route::ApiAlert("a"),
    Route::Preview("a"),
    Route::Category(Cow::Borrowed("c")),
    Route::CategoryFeed(Cow::Borrowed("c")),
    Route::Tag(Cow::Borrowed("t")),
    Route::Archive(2024, 1),
    Route::Feed,
    Route::JsonFeed,
    Route::Sitemap,
    Route::SitemapPages,
    Route::SitemapMonth(2024, 1),
    Route::ApiAlerts,
    Route::Search,
    Route::ApiSearch,
    Route::OpenSearch,
    Route::Contact,
    Route::ContactThanks,
    Route::Privacy,
    Route::Healthz,
    Route::Stylesheet("site.css"),
    Route::Robots,
    Route::Favicon,
    Route::Subscribe,
    Route::SubscribeCheck,
    Route::SubscribeConfirm,
    Route::Subscription,
    Route::Unsubscribe,
    Route::DeadMail,
    Route::ResendMail("x"),
    Route::DeadInquiries,
    Route::DeadInquiry("x"),
    Route::ResendInquiry("x"),
];

/// Whether `path` belongs to the site's own pages, so that an alias there
/// would never be reached: the table resolves it (for any method, test and
/// bench routes included), or it lies under a route's prefix (`/category/`,
/// `/operator/`...). With or without a trailing slash.
pub fn owns(path: &str) -> bool {
    let trimmed = path.trim_end_matches('/');
    let resolves = |p: &str| table(p).is_some();
    if resolves(path) || (!trimmed.is_empty() && resolves(trimmed)) {
        return true;
    }
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    first.starts_with("__") || route_prefixes().iter().any(|p| p == first)
}

/// Matches a method and path against the routing table, with the test and
/// bench routes that `on` switches on.
pub fn resolve(method: Method, path: &str, on: Switches) -> Resolved<'_> {
    let Some((route, allow)) = table(path).filter(|(route, _)| route.is_on(on)) else {
        return Resolved::NotFound;
    };
    let allowed = match method {
        Method::Get | Method::Head => allow != POST,
        Method::Post => allow != GET,
        Method::Other => false,
    };
    if allowed {
        Resolved::Found(route)
    } else {
        Resolved::MethodNotAllowed(allow)
    }
}

/// `2024`, `11` as a year and month (four and two digits, month 1-12).
fn year_month(y: &str, m: &str) -> Option<(i32, u32)> {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(y, 4) || !digits(m, 2) {
        return None;
    }
    let (y, m) = (y.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&m).then_some((y, m))
}

fn table(path: &str) -> Option<(Route<'_>, &'static str)> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let slug = |s: &&str| crate::keys::is_valid_slug(s);
    Some(match segments.as_slice() {
        [""] => (Route::Home, GET),
        ["alerts", s] if slug(s) => (Route::Alert(s), GET),
        ["api", "alerts", s] if slug(s) => (Route::ApiAlert(s), GET),
        ["preview", s] if slug(s) => (Route::Preview(s), GET),
        ["category", c] => (Route::Category(name(c)?), GET),
        ["category", c, "feed.xml"] => (Route::CategoryFeed(name(c)?), GET),
        ["archive", y, m] => {
            let (y, m) = year_month(y, m)?;
            (Route::Archive(y, m), GET)
        }
        ["feed.xml"] => (Route::Feed, GET),
        ["feed.json"] => (Route::JsonFeed, GET),
        ["sitemap.xml"] => (Route::Sitemap, GET),
        ["sitemap", "pages.xml"] => (Route::SitemapPages, GET),
        ["sitemap", part] => {
            let (y, m) = part.strip_suffix(".xml")?.split_once('-')?;
            let (y, m) = year_month(y, m)?;
            (Route::SitemapMonth(y, m), GET)
        }
        ["api", "alerts"] => (Route::ApiAlerts, GET),
        ["search"] => (Route::Search, GET),
        ["api", "search"] => (Route::ApiSearch, GET),
        ["opensearch.xml"] => (Route::OpenSearch, GET),
        ["tag", t] => (Route::Tag(name(t)?), GET),
        ["contact"] => (Route::Contact, GET_POST),
        ["contact", "thanks"] => (Route::ContactThanks, GET),
        ["privacy"] => (Route::Privacy, GET),
        ["healthz"] => (Route::Healthz, GET),
        ["robots.txt"] => (Route::Robots, GET),
        ["favicon.svg"] | ["favicon.ico"] => (Route::Favicon, GET),
        ["assets", file] => (Route::Stylesheet(file), GET),
        ["subscribe"] => (Route::Subscribe, GET_POST),
        ["subscribe", "check"] => (Route::SubscribeCheck, GET),
        ["subscribe", "confirm"] => (Route::SubscribeConfirm, GET_POST),
        ["subscription"] => (Route::Subscription, GET_POST),
        ["unsubscribe"] => (Route::Unsubscribe, GET_POST),
        ["operator", "mail"] => (Route::DeadMail, GET),
        ["operator", "mail", id, "resend"] => (Route::ResendMail(id), POST),
        ["operator", "inquiries"] => (Route::DeadInquiries, GET),
        ["operator", "inquiries", id] => (Route::DeadInquiry(id), GET),
        ["operator", "inquiries", id, "resend"] => (Route::ResendInquiry(id), POST),
        #[cfg(feature = "diagnostics")]
        ["__test" | "__bench", ..] => return diag(&segments),
        _ => return None,
    })
}

#[cfg(feature = "diagnostics")]
fn diag<'a>(segments: &[&'a str]) -> Option<(Route<'a>, &'static str)> {
    let (d, allow) = match segments {
        ["__test", "panic"] => (Diag::TestPanic, GET),
        ["__test", "panic-now"] => (Diag::TestPanicNow, GET),
        ["__test", "panic-after-list"] => (Diag::TestPanicAfterList, GET),
        ["__test", "out-of-memory"] => (Diag::TestOutOfMemory, GET),
        ["__test", "enqueue"] => (Diag::TestEnqueue, POST),
        ["__bench", "floor"] => (Diag::BenchFloor, GET),
        ["__bench", "render"] => (Diag::BenchRender, GET),
        ["__bench", "memory"] => (Diag::BenchMemory, GET),
        ["__bench", "kv", slug] => (Diag::BenchKv(slug), GET),
        ["__bench", "own"] => (Diag::BenchOwn, GET),
        _ => return None,
    };
    Some((Route::Diag(d), allow))
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case(Method::Get, "/", Resolved::Found(Route::Home))]
    #[test_case(
        Method::Head,
        "/alerts/un-oewg",
        Resolved::Found(Route::Alert("un-oewg"))
    )]
    #[test_case(Method::Get, "/api/alerts/x", Resolved::Found(Route::ApiAlert("x")))]
    #[test_case(Method::Post, "/contact", Resolved::Found(Route::Contact))]
    #[test_case(Method::Post, "/alerts/x", Resolved::MethodNotAllowed("GET, HEAD"))]
    #[test_case(
        Method::Other,
        "/contact",
        Resolved::MethodNotAllowed("GET, HEAD, POST")
    )]
    #[test_case(
        Method::Get,
        "/operator/inquiries/abc/resend",
        Resolved::MethodNotAllowed("POST")
    )]
    #[test_case(Method::Get, "/alerts/Not_A_Slug", Resolved::NotFound)]
    #[test_case(Method::Get, "/category/Opinion", Resolved::NotFound)]
    #[test_case(Method::Get, "/nowhere", Resolved::NotFound)]
    #[test_case(
        Method::Get,
        "/archive/2024/11",
        Resolved::Found(Route::Archive(2024, 11))
    )]
    #[test_case(Method::Get, "/archive/2024/13", Resolved::NotFound)]
    #[test_case(Method::Get, "/archive/24/11", Resolved::NotFound)]
    #[test_case(
        Method::Get,
        "/sitemap/2024-11.xml",
        Resolved::Found(Route::SitemapMonth(2024, 11))
    )]
    #[test_case(
        Method::Get,
        "/category/opinion/feed.xml",
        Resolved::Found(Route::CategoryFeed("opinion".into()))
    )]
    #[test_case(Method::Head, "/api/alerts", Resolved::Found(Route::ApiAlerts))]
    fn can_resolve(method: Method, path: &str, expected: Resolved) {
        assert_eq!(resolve(method, path, Switches::ALL), expected);
    }

    #[test]
    fn every_route_renders_the_path_it_resolves_from() {
        for route in SAMPLES {
            let path = route.path();
            let method = if matches!(route, Route::ResendInquiry(_) | Route::ResendMail(_)) {
                Method::Post
            } else {
                Method::Get
            };
            assert_eq!(
                resolve(method, &path, Switches::ALL),
                Resolved::Found(route.clone()),
                "{path}"
            );
        }
        assert_eq!(category_path("UN OEWG"), "/category/un-oewg");
        assert_eq!(tag_path("Cybersecurity"), "/tag/cybersecurity");
        assert_eq!(tag_path("Türkiye"), "/tag/t%C3%BCrkiye");
        assert_eq!(
            resolve(Method::Get, "/tag/t%C3%BCrkiye", Switches::ALL),
            Resolved::Found(Route::Tag("türkiye".into()))
        );
        assert_eq!(
            resolve(Method::Get, "/tag/türkiye", Switches::ALL),
            Resolved::Found(Route::Tag("türkiye".into())),
            "as sent raw"
        );
        let long = format!("/tag/{}", "a".repeat(crate::keys::MAX_NAME_BYTES + 1));
        for other in [
            "/tag/T%C3%BCrkiye",
            "/tag/t%FF",
            "/tag/%2D",
            "/tag/a%20b",
            &long,
        ] {
            assert_eq!(
                resolve(Method::Get, other, Switches::ALL),
                Resolved::NotFound,
                "{other}"
            );
        }
    }

    #[test]
    fn owns_every_route_and_every_route_prefix() {
        for path in [
            "/",
            "/contact",
            "/contact/",
            "/feed.xml",
            "/category/anything",
            "/category/Not A Slug",
            "/tag/x/y",
            "/archive/1999/13",
            "/preview/x",
            "/operator/",
            "/operator/inquiries",
            "/alerts/",
            "/api/whatever",
            "/assets/x.css",
            "/sitemap/old.xml",
            "/__test/x",
        ] {
            assert!(owns(path), "{path}");
        }
        for path in ["/2019/old-name/", "/old-name", "/news/x", "/contacts"] {
            assert!(!owns(path), "{path}");
        }
    }

    #[cfg(feature = "diagnostics")]
    #[test]
    fn switched_off_routes_are_unknown_for_every_method() {
        for path in [
            "/__test/panic",
            "/__test/panic-now",
            "/__test/panic-after-list",
            "/__test/out-of-memory",
            "/__test/enqueue",
        ] {
            let test_off = Switches {
                test: false,
                bench: true,
            };
            for method in [Method::Get, Method::Post, Method::Head] {
                assert_eq!(
                    resolve(method, path, test_off),
                    Resolved::NotFound,
                    "{path}"
                );
            }
            assert_ne!(
                resolve(Method::Post, path, Switches::ALL),
                Resolved::NotFound
            );
        }
        for path in [
            "/__bench/floor",
            "/__bench/render",
            "/__bench/memory",
            "/__bench/kv/x",
        ] {
            let bench_off = Switches {
                test: true,
                bench: false,
            };
            for method in [Method::Get, Method::Post, Method::Head] {
                assert_eq!(
                    resolve(method, path, bench_off),
                    Resolved::NotFound,
                    "{path}"
                );
            }
            assert!(matches!(
                resolve(Method::Get, path, Switches::ALL),
                Resolved::Found(_)
            ));
        }
    }

    proptest::proptest! {
        #[test]
        fn resolving_never_panics(p in "\\PC*") {
            let _ = resolve(Method::Get, &p, Switches::ALL);
        }
    }
}
