//! The one routing table: which paths exist and which methods each answers,
//! and the one place paths are made (`Route::path`). Category and tag names
//! may be any letters (`Türkiye`): paths carry them percent-encoded, and
//! routing decodes them. Pure, so it is unit-tested natively.
//!
//! Here: the methods, the outcome of resolving and `resolve` itself; the
//! routes and the paths they render are in `route`, the table that parses
//! paths (and `owns`, which the publisher asks about aliases) in `table`.

mod route;
mod table;

#[cfg(feature = "diagnostics")]
pub use route::Diag;
pub use route::{
    alert_path, alert_path_in, category_path, category_path_in, tag_path, tag_path_in, Route,
};
pub use table::{lang_of, owns};

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

/// Matches a method and path against the routing table, with the test and
/// bench routes that `on` switches on.
pub fn resolve(method: Method, path: &str, on: Switches) -> Resolved<'_> {
    let Some((route, allow)) = table::table(path).filter(|(route, _)| route.is_on(on)) else {
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
    #[test_case(
        Method::Post,
        "/contact",
        Resolved::Found(Route::Contact(crate::i18n::Lang::En))
    )]
    #[test_case(
        Method::Post,
        "/fr/contact",
        Resolved::Found(Route::Contact(crate::i18n::Lang::Fr))
    )]
    #[test_case(
        Method::Get,
        "/ar/privacy",
        Resolved::Found(Route::Privacy(crate::i18n::Lang::Ar))
    )]
    #[test_case(Method::Get, "/en/contact", Resolved::NotFound)]
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
    fn a_form_s_page_is_in_every_language_english_without_a_prefix() {
        use crate::i18n::Lang;
        let fr = Route::Subscription(Lang::Fr);
        assert_eq!(fr.path(), "/fr/subscription");
        assert_eq!(fr.clone().in_lang(Lang::En).path(), "/subscription");
        assert_eq!(fr.in_lang(Lang::Ar).path(), "/ar/subscription");
        let paths: Vec<String> = Route::Unsubscribe(Lang::En)
            .versions(&Lang::ALL)
            .into_iter()
            .map(|(_, p)| p)
            .collect();
        assert_eq!(
            paths,
            [
                "/unsubscribe",
                "/ar/unsubscribe",
                "/zh/unsubscribe",
                "/fr/unsubscribe",
                "/ru/unsubscribe",
                "/es/unsubscribe"
            ]
        );
        assert_eq!(
            resolve(Method::Post, "/es/unsubscribe", Switches::ALL),
            Resolved::Found(Route::Unsubscribe(Lang::Es)),
            "one-click unsubscribe in a language"
        );
        assert_eq!(
            resolve(Method::Get, "/en/subscribe", Switches::ALL),
            Resolved::NotFound,
            "English has no prefix"
        );
        assert_eq!(
            Route::Contact(Lang::En).in_lang(Lang::Zh).path(),
            "/zh/contact"
        );
        assert_eq!(
            Route::ContactThanks(Lang::Ru).in_lang(Lang::En).path(),
            "/contact/thanks"
        );
        assert_eq!(
            Route::Privacy(Lang::En).in_lang(Lang::Es).path(),
            "/es/privacy"
        );
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
