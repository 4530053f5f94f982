//! The one routing table: which paths exist and which methods each answers.
//! Pure, so it is unit-tested natively; the edge layer dispatches on it.

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
    Category(&'a str),
    CategoryFeed(&'a str),
    Tag(&'a str),
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
    Contact,
    ContactThanks,
    Privacy,
    Healthz,
    Stylesheet(&'a str),
    Robots,
    Favicon,
    /// Operator: list dead-lettered inquiries (bearer token).
    DeadInquiries,
    /// Operator: re-send one dead-lettered inquiry (bearer token).
    ResendInquiry(&'a str),
    /// Test environment only: panics inside a request.
    TestPanic,
    /// Test environment only: panics before any I/O, in the synchronous
    /// path (the entry module's own recovery).
    TestPanicNow,
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
        match self {
            Route::TestPanic | Route::TestPanicNow | Route::TestEnqueue => on.test,
            Route::BenchFloor | Route::BenchRender | Route::BenchMemory | Route::BenchKv(_) => {
                on.bench
            }
            _ => true,
        }
    }
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
    let name = |s: &&str| !s.is_empty() && crate::keys::name_slug(s) == *s;
    Some(match segments.as_slice() {
        [""] => (Route::Home, GET),
        ["alerts", s] if slug(s) => (Route::Alert(s), GET),
        ["api", "alerts", s] if slug(s) => (Route::ApiAlert(s), GET),
        ["preview", s] if slug(s) => (Route::Preview(s), GET),
        ["category", c] if name(c) => (Route::Category(c), GET),
        ["category", c, "feed.xml"] if name(c) => (Route::CategoryFeed(c), GET),
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
        ["tag", t] if name(t) => (Route::Tag(t), GET),
        ["contact"] => (Route::Contact, GET_POST),
        ["contact", "thanks"] => (Route::ContactThanks, GET),
        ["privacy"] => (Route::Privacy, GET),
        ["healthz"] => (Route::Healthz, GET),
        ["robots.txt"] => (Route::Robots, GET),
        ["favicon.svg"] | ["favicon.ico"] => (Route::Favicon, GET),
        ["assets", file] => (Route::Stylesheet(file), GET),
        ["operator", "inquiries"] => (Route::DeadInquiries, GET),
        ["operator", "inquiries", id, "resend"] => (Route::ResendInquiry(id), POST),
        ["__test", "panic"] => (Route::TestPanic, GET),
        ["__test", "panic-now"] => (Route::TestPanicNow, GET),
        ["__test", "enqueue"] => (Route::TestEnqueue, POST),
        ["__bench", "floor"] => (Route::BenchFloor, GET),
        ["__bench", "render"] => (Route::BenchRender, GET),
        ["__bench", "memory"] => (Route::BenchMemory, GET),
        ["__bench", "kv", slug] => (Route::BenchKv(slug), GET),
        _ => return None,
    })
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
        Resolved::Found(Route::CategoryFeed("opinion"))
    )]
    #[test_case(Method::Head, "/api/alerts", Resolved::Found(Route::ApiAlerts))]
    fn can_resolve(method: Method, path: &str, expected: Resolved) {
        assert_eq!(resolve(method, path, Switches::ALL), expected);
    }

    #[test]
    fn switched_off_routes_are_unknown_for_every_method() {
        for path in ["/__test/panic", "/__test/panic-now", "/__test/enqueue"] {
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
